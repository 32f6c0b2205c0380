"""`flask qr png ROUND_ID [--out FILE.png]` and `flask qr posters ROUND_ID --out FILE.pdf [--locations FILE.csv]`."""
from collections.abc import Callable
from functools import partial
from pathlib import Path

import click
from flask.cli import AppGroup
from flask_babel import gettext as _

from reporting.access import RoundReadOnly, read_only_message
from reporting.extensions import db
from reporting.files import write_atomically
from reporting.links import intake_url
from reporting.models import QrCode, Round
from reporting.posters.codes import qr_png
from reporting.posters.locations import (
    LocationsError,
    codes_for_posters,
    new_location_codes,
    note_posters_made,
    read_locations_csv,
    save_codes,
)
from reporting.posters.pdf import write_posters

DEFAULT_OUTPUT_DIR = Path("qr")

qr = AppGroup("qr", help="QR codes and posters.")


@qr.command("png")
@click.argument("round_id", type=int)
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the PNG (default: qr/round-ID.png).")
def round_png(round_id: int, out: Path | None) -> None:
    """The round's own QR code, leading to its intake URL."""
    round_ = db.session.get(Round, round_id)
    if round_ is None:
        raise click.ClickException(_("no round with id %(id)d", id=round_id))
    url = intake_url(round_.own_code)
    out = out or DEFAULT_OUTPUT_DIR / f"round-{round_id}.png"
    write_atomically(out, qr_png(url))
    click.echo(f"{out}\t{url}")


@qr.command("posters")
@click.argument("round_id", type=int)
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the PDF.")
@click.option("--locations", "locations", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="CSV with a header row: label and optionally unit_id; a place without a live code gets a new one.")
def posters(round_id: int, out: Path, locations: Path | None) -> None:
    """A4 posters, one page per posting location, each with its own QR code.

    Without --locations, the round's existing location codes get a page each (or its own code, when it has none).
    """
    round_ = db.session.get(Round, round_id)
    if round_ is None:
        raise click.ClickException(_("no round with id %(id)d", id=round_id))
    codes, save = poster_codes(round_, locations)
    try:
        with click.progressbar(length=len(codes), label="posters") as bar:
            write_posters(round_, codes, out, progress=lambda done, _total: bar.update(done - bar.pos),
                          before_replace=save)
    except OSError as error:
        raise click.ClickException(_("cannot write %(path)s: %(problem)s", path=out, problem=error)) from error
    note_posters_made(round_, len(codes), out.name)
    click.echo(f"{out}\t{len(codes)} pages")


def poster_codes(round_: Round, locations: Path | None) -> tuple[list[QrCode], Callable[[], object] | None]:
    """The codes to print, and what saves them: new codes for the CSV's rows are saved only once their PDF
    is made, just before it takes its place; without a CSV, the round's existing codes."""
    if not locations:
        return codes_for_posters(round_), None
    try:
        codes = new_location_codes(round_, read_locations_csv(locations))
    except LocationsError as error:
        raise click.ClickException(f"{locations}: {error}") from error
    except RoundReadOnly as error:
        raise click.ClickException(read_only_message(error)) from error
    return codes, partial(save_codes, codes)
