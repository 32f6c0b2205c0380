"""`flask transfers overdue [--round ID] [--json]`: the transfers to chase, for a daily cron (督办)."""
import json

import click
from flask.cli import AppGroup
from flask_babel import gettext as _

from reporting.extensions import db
from reporting.followup.services import overdue_item, overdue_transfers
from reporting.models import DEFAULT_TIMEZONE, Round, today_in

transfers = AppGroup("transfers", help="Transfers to receiving bodies.")


@transfers.command("overdue")
@click.option("--round", "round_id", type=int, help="Only this round's, due before today in its time zone.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON array.")
def overdue(round_id: int | None, as_json: bool) -> None:
    """Unanswered transfers past their due date, oldest first, with how many times each was chased."""
    round_ = db.session.get(Round, round_id) if round_id is not None else None
    if round_id is not None and round_ is None:
        raise click.ClickException(_("No round has the id %(id)d.", id=round_id))
    today = today_in(round_.timezone if round_ else DEFAULT_TIMEZONE)
    items, after = [], None
    while True:  # the page's own keyset walk, so the command and the page list the same transfers
        page = overdue_transfers(None, today, after, round_id=round_id)
        items += [overdue_item(report, reminders, today) for report, reminders in page.rows]
        if page.next_after is None:
            break
        after = page.next_after
    if as_json:
        click.echo(json.dumps(items, ensure_ascii=False, indent=2))
        return
    for item in items:
        click.echo(f"{item['id']}\t{item['due_on']}\t{item['days_overdue']}d\t{item['body_name'] or item['body']}\t"
                   f"{item['reference']}\treminders: {item['reminders']}")
