"""The catalogs' drafts: `flask --app wsgi translations unreviewed [--lang CODE]` lists the entries a native speaker
has still to review. A draft carries the translator comment `# DRAFT` (not the `fuzzy` flag, which compiling drops:
the page would fall back to Chinese; nor an extracted comment `#.`, which `pybabel update` replaces with the
source's); a reviewer corrects its msgstr, deletes the comment and compiles."""
from pathlib import Path

import click
from babel.messages.pofile import read_po
from flask.cli import AppGroup

from reporting.i18n import LANGUAGES, MINORITY_LANGUAGES

FOLDER = Path(__file__).parent / "translations"
DRAFT = "draft: needs review by a native speaker"

translations = AppGroup("translations", help="The catalogs of the site's languages.")


def catalog_path(code: str) -> Path:
    return FOLDER / LANGUAGES[code].locale / "LC_MESSAGES" / "messages.po"


def unreviewed(code: str) -> list[tuple[str, str]]:
    """(msgid, msgstr) of each entry of `code`'s catalog still marked as a draft; a plural shows its first forms."""
    with catalog_path(code).open("rb") as file:
        catalog = read_po(file)
    return [(first(message.id), first(message.string)) for message in catalog
            if message.id and DRAFT in message.user_comments]


def first(value: str | tuple | list | None) -> str:
    return value if isinstance(value, str) else value[0] if value else ""


@translations.command("unreviewed")
@click.option("--lang", "codes", multiple=True, type=click.Choice(MINORITY_LANGUAGES),
              help="Only this language (again for several); default: every minority language.")
def list_unreviewed(codes: tuple[str, ...]) -> None:
    """Entries still marked as drafts: language, message id and draft translation, one a line, then a count."""
    for code in codes or MINORITY_LANGUAGES:
        drafts = unreviewed(code)
        for msgid, msgstr in drafts:
            click.echo(f"{code}\t{msgid}\t{msgstr}")
        click.echo(f"{code}: {len(drafts)} unreviewed in {catalog_path(code).relative_to(FOLDER.parent.parent)}")
