"""`users create`: a staff account with a role, teams and a password that is never echoed."""
from sqlalchemy import select

from reporting.extensions import db
from reporting.models import StaffUser
from reporting.rounds.services import TeamPlan
from reporting.security import password_matches
from tests.factories import make_round


def user_named(name: str) -> StaffUser | None:
    return db.session.scalar(select(StaffUser).where(StaffUser.username == name))


def test_a_member_of_several_teams_with_the_password_from_stdin(runner):
    round_ = make_round(teams=[TeamPlan("一组", []), TeamPlan("二组", [])])
    team_ids = [team.id for team in round_.teams]
    result = runner.invoke(
        args=["users", "create", "zhang", "--role", "member", "--team", str(team_ids[0]), "--team",
              str(team_ids[1]), "--password-stdin"],
        input="a long password\n",
    )
    assert result.exit_code == 0, result.output
    user = user_named("zhang")
    assert user.role == "member"
    assert [team.id for team in user.teams] == team_ids
    assert password_matches(user.password_hash, "a long password")
    assert "a long password" not in result.output


def test_the_password_from_a_prompt_must_be_typed_twice(runner):
    result = runner.invoke(args=["users", "create", "li", "--role", "admin"], input="pass phrase\npass phrase\n")
    assert result.exit_code == 0, result.output
    assert password_matches(user_named("li").password_hash, "pass phrase")


def test_refusals_say_why_and_create_nothing(runner):
    runner.invoke(args=["users", "create", "wang", "--role", "leader", "--password-stdin"], input="first pass\n")
    cases = [
        (["wang", "--role", "leader"], "用户名 wang 已被使用"),
        (["zhao", "--role", "member", "--team", "999999"], "没有编号为 999999 的巡视巡察组"),
        (["zhao", "--role", "member"], "至少 8 个字符"),
        (["zhao", "--role", "boss"], "Invalid value for '--role'"),
    ]
    for args, reason in cases:
        password = "short\n" if reason == "至少 8 个字符" else "good password\n"
        result = runner.invoke(args=["users", "create", *args, "--password-stdin"], input=password)
        assert result.exit_code != 0
        assert reason in result.output
    assert user_named("zhao") is None
