"""What residents type in Tibetan or Uyghur: stored as typed, found by the staff search, exported intact, and shown
with `dir="auto"` so that Uyghur reads right to left on staff pages."""
import io
import re

from openpyxl import load_workbook

from reporting.intake.services import add_information
from reporting.reports.services import add_message
from tests.factories import log_in, make_staff
from tests.queue.conftest import file_report

# A zero-width non-joiner (U+200C) is part of Uyghur spelling; a Tibetan text with its stacks and a tsheg at the end.
UYGHUR = "كەنت كادىرلىرى ياردەم پۇلىنى ئۆز تۇغقانلىرىغا بەردى\u200c، ئىسپات بار."
TIBETAN = "གྲོང་ཚོའི་འགོ་ཁྲིད་ཀྱིས་དམའ་འབབ་འཚོ་རྟེན་གྱི་མིང་ཐོ་ཉེ་ཚན་ལ་སྤྲད་འདུག"


def filed(world):
    uyghur = file_report(world.current, world.unit("甲单位"), content=UYGHUR, subject_name="ئابدۇرېشىت")
    tibetan = file_report(world.current, world.unit("甲单位"), content=TIBETAN)
    chinese = file_report(world.current, world.unit("甲单位"))
    return uyghur, tibetan, chinese


def queue_ids(client, q: str) -> list[int]:
    page = client.get("/staff/", query_string={"q": q}).get_data(as_text=True)
    return [int(number) for number in re.findall(r'data-id="(\d+)"', page)]


def test_reports_in_any_script_are_stored_as_typed(world):
    uyghur, tibetan, _ = filed(world)
    assert (uyghur.content, tibetan.content) == (UYGHUR, TIBETAN)


def test_the_staff_search_finds_tibetan_and_uyghur_words(client, world):
    uyghur, tibetan, _ = filed(world)
    log_in(client, world.admin)
    assert queue_ids(client, "ياردەم پۇلىنى") == [uyghur.id]
    assert queue_ids(client, "ئابدۇرېشىت") == [uyghur.id]  # the person reported
    assert queue_ids(client, "འཚོ་རྟེན") == [tibetan.id]
    assert queue_ids(client, "ཉེ་ཚན་ལ་") == [tibetan.id]


def test_the_ledger_exports_them_intact(client, world):
    uyghur, tibetan, _ = filed(world)
    log_in(client, world.admin)
    # Buffered: the ledger streams, and the test client's isolated context is gone once `get` returns.
    csv_text = client.get("/staff/export.csv", buffered=True).data.decode("utf-8-sig")
    assert UYGHUR in csv_text and TIBETAN in csv_text and "ئابدۇرېشىت" in csv_text
    workbook = load_workbook(io.BytesIO(client.get("/staff/export.xlsx", buffered=True).data))
    cells = {cell.value for row in workbook["台账"].iter_rows() for cell in row}
    assert {UYGHUR, TIBETAN, "ئابدۇرېشىت"} <= cells


def test_staff_pages_show_them_in_their_own_direction(client, world):
    uyghur, tibetan, _ = filed(world)
    add_information(uyghur, "يەنە بىر ئىسپات قوشتىم.", [])
    staff = make_staff("admin")
    add_message(staff, uyghur, "note", "ئەھۋالنى تەكشۈرۈش")
    log_in(client, world.admin)
    queue = client.get("/staff/").get_data(as_text=True)
    assert f'<td dir="auto">{UYGHUR[:40]}' in queue and f'<td dir="auto">{TIBETAN[:40]}' in queue
    assert '<td dir="auto">ئابدۇرېشىت</td>' in queue
    page = client.get(f"/staff/reports/{uyghur.id}").get_data(as_text=True)
    assert f'<p class="typed" dir="auto">{UYGHUR}</p>' in page
    assert '<p class="typed" dir="auto">يەنە بىر ئىسپات قوشتىم.</p>' in page
    assert '<p class="typed" dir="auto">ئەھۋالنى تەكشۈرۈش</p>' in page
    assert '<dd dir="auto">ئابدۇرېشىت</dd>' in page
    assert '<html lang="zh-Hans">' in page  # the page itself stays Chinese
