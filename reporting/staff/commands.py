"""`flask users create NAME --role ROLE [--team ID ...] [--display-name 姓名]` and `flask users reset-2fa NAME`."""
import sys

import click
from flask.cli import AppGroup
from flask_babel import gettext as _
from sqlalchemy import select

from reporting.access import ROLES
from reporting.extensions import db
from reporting.models import StaffUser
from reporting.staff.auth import reset_totp
from reporting.staff.services import AccountError, create_staff_user

users = AppGroup("users", help="Staff accounts.")


@users.command("create")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--team", "team_ids", type=int, multiple=True, help="A team id; repeat for several teams.")
@click.option("--display-name", default="", help="The name (姓名) staff pages show instead of the user name.")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of stdin.")
def create_user(name: str, role: str, team_ids: tuple[int, ...], display_name: str, password_stdin: bool) -> None:
    """Create a staff account; the password comes from a prompt or from stdin."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = create_staff_user(name, password, role, list(team_ids), display_name=display_name)
    except AccountError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"user: {user.username} role: {user.role} team: {team_label(user)} id: {user.id}")


def team_label(user) -> str:
    return ",".join(str(team.id) for team in user.teams) or "-"


@users.command("reset-2fa")
@click.argument("name")
def reset_2fa(name: str) -> None:
    """Clear an account's second factor (a lost phone); audited. The owner sets up a new one after logging in."""
    user = db.session.scalar(select(StaffUser).where(StaffUser.username == name))
    if user is None:
        raise click.ClickException(_("no account named %(name)s", name=name))
    reset_totp(user, actor=None)
    click.echo(f"user: {user.username} second factor: cleared")
