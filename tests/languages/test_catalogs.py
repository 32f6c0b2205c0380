"""The Tibetan and Uyghur catalogs: they cover what residents read, each entry stays marked as a draft until a
native speaker reviews it, and `translations unreviewed` lists those."""
import shutil
import subprocess
import sys

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from reporting import catalogs
from tests.test_i18n import ROOT, as_tuple

MINORITY = ("bo", "ug")


def resident_messages(tmp_path) -> set[str]:
    """Every string of the resident's pages, as babel-residents.cfg lists their files."""
    pot = tmp_path / "residents.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel-residents.cfg", "-k", "_l",
                    "-o", str(pot), "--no-location", "--omit-header", "."], cwd=ROOT, check=True, capture_output=True)
    with pot.open("rb") as file:
        return {as_tuple(message.id)[0] for message in read_po(file) if message.id}


def catalog(code: str):
    with catalogs.catalog_path(code).open("rb") as file:
        return read_po(file)


@pytest.mark.parametrize("code", MINORITY)
def test_every_string_residents_read_has_a_draft(tmp_path, code):
    translated = {as_tuple(m.id)[0] for m in catalog(code) if m.id and all(as_tuple(m.string))}
    assert sorted(resident_messages(tmp_path) - translated) == []


@pytest.mark.parametrize("code", MINORITY)
def test_drafts_keep_their_placeholders(code):
    for message in catalog(code):
        if message.id and all(as_tuple(message.string)):
            for placeholder in ("%(count)d", "%(name)s", "%(round)s", "%(start)s", "%(end)s", "%(mb)d"):
                assert (placeholder in as_tuple(message.id)[0]) <= (placeholder in as_tuple(message.string)[0]), \
                    (code, message.id)


@pytest.mark.parametrize("code", MINORITY)
def test_drafts_are_marked_so_that_a_catalog_update_keeps_the_mark(code):
    """`#. draft` would be an extracted comment: the next `pybabel update` drops it, and the draft looks reviewed."""
    assert [m.id for m in catalog(code) if any(catalogs.DRAFT in note for note in m.auto_comments)] == []


@pytest.mark.parametrize("code", MINORITY)
def test_the_compiled_catalog_is_current(code):
    folder = catalogs.catalog_path(code).parent
    with (folder / "messages.po").open("rb") as file:
        source = {as_tuple(m.id): as_tuple(m.string) for m in read_po(file) if m.id and all(as_tuple(m.string))}
    with (folder / "messages.mo").open("rb") as file:
        # An untranslated plural is compiled with the English forms; only what the catalog translates counts.
        compiled = {as_tuple(m.id): as_tuple(m.string) for m in read_mo(file)
                    if m.id and not (len(as_tuple(m.id)) > 1 and as_tuple(m.id)[0] == as_tuple(m.string)[0])}
    assert compiled == source, "run: pybabel compile -d reporting/translations"


def test_unreviewed_lists_the_drafts_of_a_language(runner):
    result = runner.invoke(args=["translations", "unreviewed", "--lang", "ug"])
    assert result.exit_code == 0
    assert "ug\tSend report\tئىنكاسنى يوللاش" in result.output.splitlines()
    assert "bo\t" not in result.output
    drafts = len(catalogs.unreviewed("ug"))
    assert drafts > 150 and result.output.splitlines()[-1].startswith(f"ug: {drafts} unreviewed in ")
    both = runner.invoke(args=["translations", "unreviewed"]).output
    assert "bo\tSend report\tསྙན་སྐྱེལ་སྐུར།" in both and "ug\tSend report" in both


def test_an_unknown_language_is_refused(runner):
    result = runner.invoke(args=["translations", "unreviewed", "--lang", "xx"])
    assert result.exit_code == 2 and "xx" in result.output


def test_a_reviewed_entry_is_no_longer_listed(tmp_path, monkeypatch):
    """The reviewer's step: delete the draft comment (after correcting the msgstr)."""
    shutil.copytree(catalogs.FOLDER, tmp_path / "translations")
    monkeypatch.setattr(catalogs, "FOLDER", tmp_path / "translations")
    path = catalogs.catalog_path("bo")
    text = path.read_text(encoding="utf-8")
    marked = f'# {catalogs.DRAFT}\nmsgid "Send report"'
    assert marked in text
    before = len(catalogs.unreviewed("bo"))
    path.write_text(text.replace(marked, 'msgid "Send report"'), encoding="utf-8")
    assert len(catalogs.unreviewed("bo")) == before - 1
    assert "Send report" not in dict(catalogs.unreviewed("bo"))
