"""`flask qr png ROUND_ID [--out FILE.png]`."""
from pathlib import Path

import click
from flask.cli import AppGroup

from reporting.extensions import db
from reporting.files import write_atomically
from reporting.models import Round
from reporting.posters.codes import qr_png
from reporting.rounds.services import intake_url

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
        raise click.ClickException(f"no round with id {round_id}")
    url = intake_url(round_.round_code)
    out = out or DEFAULT_OUTPUT_DIR / f"round-{round_id}.png"
    write_atomically(out, qr_png(url))
    click.echo(f"{out}\t{url}")
