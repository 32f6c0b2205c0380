"""`flask demo` and `flask rounds list`."""
import json
from pathlib import Path

import click
from flask.cli import AppGroup

from reporting.access import RoundReadOnly, read_only_message
from reporting.links import intake_url
from reporting.posters.locations import LocationsError
from reporting.rounds.demo import seed_demo
from reporting.rounds.importer import ImportFailed, import_file
from reporting.rounds.services import round_summaries
from reporting.staff.commands import team_label

rounds = AppGroup("rounds", help="Inspection rounds.")


@click.command("demo")
@click.option("--password", help="Give every demo account this password (default: a random one, printed).")
def demo(password: str | None) -> None:
    """Create the demo round and its staff; a second run changes nothing unless --password is given."""
    round_, accounts = seed_demo(password)
    click.echo(f"intake_url: {intake_url(round_.own_code)}")
    for account in accounts:
        user = account.user
        shown = account.password or "(unchanged)"
        click.echo(f"user: {user.username} role: {user.role} team: {team_label(user)} password: {shown}")


@rounds.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--round", "round_id", type=int, help="The round a CSV of locations belongs to.")
def import_round(path: Path, round_id: int | None) -> None:
    """A round with teams, units and locations (JSON), or locations of a round (CSV: team, unit, label)."""
    try:
        round_, made = import_file(path, round_id)
    except (ImportFailed, LocationsError) as error:
        raise click.ClickException(f"{path}: {error}; nothing was imported") from error
    except RoundReadOnly as error:
        raise click.ClickException(read_only_message(error)) from error
    click.echo(f"round: {round_.id} teams: {len(round_.teams)} units: {len(round_.units)} locations: {made}")
    click.echo(f"intake_url: {intake_url(round_.own_code)}")


@rounds.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON array.")
def list_rounds(as_json: bool) -> None:
    """Every round with its id, status in force now, dates and report count."""
    summaries = round_summaries()
    if as_json:
        click.echo(json.dumps(summaries, ensure_ascii=False, indent=2))
        return
    for summary in summaries:
        click.echo(
            f"{summary['id']}\t{summary['status']}\t{summary['starts_on']}..{summary['ends_on']}\t"
            f"reports: {summary['reports']}\t{summary['name']}\t{summary['intake_url']}"
        )
