"""Staff pages: accounts of each role on a two-team round, and a form poster that carries the CSRF token."""

import pytest

from reporting.rounds.services import TeamPlan
from tests.factories import csrf_token, make_round, make_staff



@pytest.fixture
def two_teams(app):
    return make_round(teams=[TeamPlan("第一组", ["甲单位", "乙单位"]), TeamPlan("第二组", ["丙单位", "丁单位"])])


@pytest.fixture
def staff(two_teams):
    team1, team2 = two_teams.teams
    return {
        "admin": make_staff("admin", username="admin"),
        "leader1": make_staff("leader", [team1], username="leader1"),
        "member1": make_staff("member", [team1], username="member1"),
        "member2": make_staff("member", [team2], username="member2"),
    }


def csrf_from(client, path: str = "/staff/login") -> str:
    return csrf_token(client.get(path).get_data(as_text=True))


@pytest.fixture
def post_form(client):
    """POST `data` to `path` with a CSRF token from `token_page`, as the browser would."""

    def post(path: str, data: dict | None = None, token_page: str = "/staff/login", **kwargs):
        return client.post(path, data={"csrf_token": csrf_from(client, token_page)} | (data or {}), **kwargs)

    return post
