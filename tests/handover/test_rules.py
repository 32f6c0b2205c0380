"""Folder names made from clue numbers: safe on every system, never two alike."""
import pytest

from reporting.handover.rules import folder_name, safe_name
from reporting.uploads import extension


@pytest.mark.parametrize(("number", "name"), [
    ("2026-0001", "2026-0001"),
    ("XC-2026-001", "XC-2026-001"),
    ("巡察〔2026〕1号", "巡察〔2026〕1号"),
    ("../../etc/passwd", "etc_passwd"),
    ('a\\b:c*d?e"f<g>h|i', "a_b_c_d_e_f_g_h_i"),
    ("line\nbreak\ttab", "line_break_tab"),
    ("CON", "_CON"),
    ("nul.txt", "_nul.txt"),
    ("...", ""),
    ("x" * 200, "x" * 80),
])
def test_a_clue_number_becomes_one_safe_path_part(number, name):
    assert safe_name(number) == name


def test_a_name_left_empty_or_taken_falls_back_to_the_report_number():
    taken: set[str] = set()
    assert folder_name("2026-0001", 1, taken) == "2026-0001"
    assert folder_name("2026/0001", 2, taken) == "2026_0001"
    assert folder_name("2026:0001", 3, taken) == "2026_0001-report-3"
    assert folder_name("..", 4, taken) == "report-4"
    assert folder_name("xc-1", 5, taken) == "xc-1" and folder_name("XC-1", 6, taken) == "XC-1-report-6"


def test_photos_and_scans_keep_their_kind_of_file():
    assert [extension(kind) for kind in ("image/jpeg", "image/png", "image/webp", "application/pdf", "x/y")] == \
        ["jpg", "png", "webp", "pdf", "bin"]
