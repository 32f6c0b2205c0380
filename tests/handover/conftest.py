"""One round triaged every way a handover meets (tests/conftest.py's `two_teams` and `staff`): clues, one of
them later transferred, a named clue with photos and messages, a transfer, a filed report and a duplicate."""
import io
import zipfile
from dataclasses import dataclass

import pytest
from PIL import Image

from reporting.intake.services import add_information, submit_report
from reporting.models import Report
from reporting.reports.services import add_message
from reporting.triage.services import apply_action
from reporting.uploads import CleanImage
from tests.factories import submission

CLUE = {"summary": "涉嫌违规发放津贴", "disposal": "初步核实"}
TRANSFER = {"body": "纪检监察机关", "body_name": "县纪委监委", "reference": "巡转〔2026〕7号",
            "transferred_on": "2026-03-02"}
NAME, PHONE = "王小明", "13800001234"


def photo(shade: int) -> CleanImage:
    """A small JPEG, each shade its own bytes."""
    buffer = io.BytesIO()
    Image.new("RGB", (24, 16), (10 * shade, 90, 160)).save(buffer, "JPEG")
    return CleanImage(buffer.getvalue(), "image/jpeg", "jpg", 24, 16)


@dataclass
class Triaged:
    round: object
    clue: Report  # anonymous, a photo sent with it
    named: Report  # by name: a photo, the reporter's addition with a photo, a reply and a note
    transferred_clue: Report  # a clue, then transferred
    transfer: Report
    filed: Report
    duplicate: Report
    photos: dict[int, bytes]  # attachment id -> the bytes uploaded


def received(round_, unit_index: int = 0, anonymous: bool = True, images=(), **fields) -> Report:
    report, _receipt = submit_report(round_.round_code, submission(anonymous=anonymous, unit=round_.units[unit_index],
                                                                    **fields), list(images))
    return report


@pytest.fixture
def triaged(two_teams, staff) -> Triaged:
    leader = staff["leader1"]
    clue = received(two_teams, images=[photo(1)], subject_name="张三", subject_position="站长",
                    content="反映甲单位张三违规发放津贴。")
    apply_action(clue, leader, "clue", CLUE)
    named = received(two_teams, anonymous=False, images=[photo(2)], content="实名反映：村支书挪用扶贫款。",
                     reporter_name=NAME, reporter_phone=PHONE)
    apply_action(named, leader, "clue", CLUE | {"summary": "挪用扶贫款"})
    add_information(named, "补充：他家在三组。", [photo(3)])
    add_message(leader, named, "reply", "已收到，正在核实。")
    add_message(leader, named, "note", "组内备注：先核实账目。")
    transferred_clue = received(two_teams, content="反映乙单位工程款拖欠。")
    apply_action(transferred_clue, leader, "clue", CLUE)
    apply_action(transferred_clue, leader, "transfer", TRANSFER)
    transfer = received(two_teams, content="反映卫生院收红包。")
    apply_action(transfer, leader, "transfer", TRANSFER | {"reference": "巡转〔2026〕8号"})
    filed = received(two_teams, content="反映的问题已经处理过。")
    apply_action(filed, leader, "file", {"reason": "已有结论"})
    duplicate = received(two_teams, content="反映卫生院收红包（重复）。")
    apply_action(duplicate, leader, "duplicate", {"original_id": str(transfer.id)})
    photos = {attachment.id: image.data for attachment, image in
              zip([*clue.attachments, *named.attachments], [photo(1), photo(2), photo(3)])}
    return Triaged(two_teams, clue, named, transferred_clue, transfer, filed, duplicate, photos)


def opened(data: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(data))
