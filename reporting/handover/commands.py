"""`flask rounds handover ROUND_ID [--out FILE.zip] [--force] [--with-identity]`."""
import os
import tempfile
from pathlib import Path

import click
from flask_babel import gettext as _

from reporting.extensions import db
from reporting.handover.services import HandoverRefused, write_handover
from reporting.models import Round

DEFAULT_OUTPUT_DIR = Path("qr")  # where the other commands write (reporting/posters/commands.py)


@click.command("handover")
@click.argument("round_id", type=int)
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the zip (default: qr/handover-round-ID.zip).")
@click.option("--force", is_flag=True, help="Hand over although reports are still undecided.")
@click.option("--with-identity", "with_identity", is_flag=True,
              help="Put named reporters' names and phone numbers in the zip (audited).")
def handover(round_id: int, out: Path | None, force: bool, with_identity: bool) -> None:
    """The round's handover zip: clue list, a folder per clue, manifest. Refused while reports are undecided."""
    round_ = db.session.get(Round, round_id)
    if round_ is None:
        raise click.ClickException(_("No round has the id %(id)d.", id=round_id))
    out = out or DEFAULT_OUTPUT_DIR / f"handover-round-{round_id}.zip"
    out.parent.mkdir(parents=True, exist_ok=True)
    # Owner-only (mkstemp's mode): the zip holds reports' text, and identities when asked. It takes its name
    # only once whole, so a refused or failed run leaves no file.
    descriptor, temporary = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.")
    try:
        with os.fdopen(descriptor, "wb") as file:
            manifest = write_handover(round_, file, force=force, with_identity=with_identity)
        os.replace(temporary, out)
    except HandoverRefused as refused:
        os.unlink(temporary)
        waiting = refused.undecided
        numbers = ", ".join(str(number) for number in waiting.numbers)
        more = waiting.count - len(waiting.numbers)
        raise click.ClickException(
            _("%(count)d reports are still undecided: %(numbers)s%(more)s. Decide them first, or use --force.",
              count=waiting.count, numbers=numbers, more=_(" and %(num)d more", num=more) if more else "")
        ) from refused
    except BaseException:
        os.unlink(temporary)
        raise
    click.echo(_("%(path)s: %(files)d files, round %(id)d handed over", path=out, files=len(manifest.files) + 1,
                 id=round_id))
