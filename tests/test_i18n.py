"""Chinese by default, English on request, and a Chinese catalog that covers every string."""
import subprocess
import sys
from pathlib import Path

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "reporting" / "translations" / "zh_Hans" / "LC_MESSAGES"


def test_chinese_is_the_default(client):
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="zh-Hans">' in page
    assert "向巡视巡察组反映问题" in page


def test_lang_en_switches_and_is_remembered(client):
    response = client.get("/?lang=en")
    assert '<html lang="en">' in response.get_data(as_text=True)
    assert "lang=en" in response.headers["Set-Cookie"]
    assert "Report a problem to an inspection team" in client.get("/").get_data(as_text=True)
    assert "向巡视巡察组反映问题" in client.get("/?lang=zh").get_data(as_text=True)


def test_an_unknown_language_falls_back_to_chinese(client):
    response = client.get("/?lang=xx")
    assert '<html lang="zh-Hans">' in response.get_data(as_text=True)
    assert "Set-Cookie" not in response.headers


def extracted_messages(tmp_path) -> set[str]:
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg", "-k", "_l",
         "-o", str(pot), "--no-location", "--omit-header", "."],
        cwd=ROOT, check=True, capture_output=True,
    )
    with pot.open("rb") as file:
        return {message.id if isinstance(message.id, str) else message.id[0] for message in read_po(file) if message.id}


def test_every_string_in_the_code_has_a_chinese_translation(tmp_path):
    with (CATALOG / "messages.po").open("rb") as file:
        catalog = read_po(file)
    translated = {
        (m.id if isinstance(m.id, str) else m.id[0])
        for m in catalog
        if m.id and "fuzzy" not in m.flags and all(m.string if isinstance(m.string, tuple) else [m.string])
    }
    assert sorted(extracted_messages(tmp_path) - translated) == []


def as_tuple(value) -> tuple:
    """Plural entries come as tuples from a .po and as lists from a .mo."""
    return tuple(value) if isinstance(value, (list, tuple)) else (value,)


def test_the_compiled_catalog_is_current():
    with (CATALOG / "messages.po").open("rb") as file:
        source = {as_tuple(m.id): as_tuple(m.string) for m in read_po(file) if m.id}
    with (CATALOG / "messages.mo").open("rb") as file:
        compiled = {as_tuple(m.id): as_tuple(m.string) for m in read_mo(file) if m.id}
    assert compiled == source, "run: pybabel compile -d reporting/translations"
