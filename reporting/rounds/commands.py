"""`flask demo`, `flask rounds list`, `rounds import` and `rounds figures`."""
import json
from pathlib import Path

import click
from flask.cli import AppGroup
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from reporting.access import RoundReadOnly, read_only_message
from reporting.followup.charts import label
from reporting.followup.figures import Scope, figures_of, flatten, scope_rounds
from reporting.followup.outcomes import wan
from reporting.links import intake_url
from reporting.models import DEFAULT_TIMEZONE, today_in
from reporting.posters.locations import LocationsError
from reporting.rounds.demo import seed_demo
from reporting.rounds.importer import ImportFailed, import_file
from reporting.rounds.services import round_summaries
from reporting.staff.commands import team_label
from reporting.staff.services import AccountError

rounds = AppGroup("rounds", help="Inspection rounds.")


@click.command("demo")
@click.option("--password", help="Give every demo account this password (default: a random one, printed).")
def demo(password: str | None) -> None:
    """Create the demo round and its staff; a second run changes nothing unless --password is given."""
    try:
        round_, accounts = seed_demo(password)
    except AccountError as error:
        raise click.ClickException(str(error)) from error
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
        raise click.ClickException(_("%(path)s: %(error)s; nothing was imported", path=path, error=error)) from error
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


@rounds.command("figures")
@click.argument("round_ids", metavar="[ROUND_ID]...", nargs=-1, type=int)
@click.option("--year", type=click.IntRange(2000, 2099), help="Add every round whose start date is in this year.")
@click.option("--with-linked", "--linked", "linked", is_flag=True,
              help="Add the rounds linked to these (naming one as parent, at any depth).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object, keys as the spec names them.")
def figures(round_ids: tuple[int, ...], year: int | None, linked: bool, as_json: bool) -> None:
    """Figures as offices publish them, for one round, several, a year, or rounds with their linked rounds.

    Run with no user, so it counts every report of the scope (the page counts what its user may see).
    """
    chosen = scope_rounds(Scope(frozenset(round_ids), year, linked))
    missing = set(round_ids) - {round_.id for round_ in chosen}
    if missing or not chosen:
        raise click.ClickException(f"no such round: {', '.join(map(str, sorted(missing)))}" if missing
                                   else "name a round or a year that has rounds")
    counted = figures_of(None, chosen, today_in(DEFAULT_TIMEZONE))
    if as_json:
        click.echo(json.dumps(counted, ensure_ascii=False, indent=2))
        return
    click.echo("rounds: " + "、".join(f"{round_.id} {round_.name}" for round_ in chosen))
    for key, value in flatten(counted):
        click.echo(f"{label(key)}\t{value}\t{key}")
    click.echo(f"{_l('Money recovered (万元)')}\t{wan(counted['outcomes']['money_yuan'])}")
