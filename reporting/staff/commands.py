"""`flask users create NAME --role ROLE [--team ID ...]`."""
import sys

import click
from flask.cli import AppGroup

from reporting.models import ROLES
from reporting.staff.services import AccountError, create_staff_user

users = AppGroup("users", help="Staff accounts.")


@users.command("create")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--team", "team_ids", type=int, multiple=True, help="A team id; repeat for several teams.")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of stdin.")
def create_user(name: str, role: str, team_ids: tuple[int, ...], password_stdin: bool) -> None:
    """Create a staff account; the password comes from a prompt or from stdin."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = create_staff_user(name, password, role, list(team_ids))
    except AccountError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"user: {user.username} role: {user.role} team: {team_label(user)} id: {user.id}")


def team_label(user) -> str:
    return ",".join(str(team.id) for team in user.teams) or "-"
