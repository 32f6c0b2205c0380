"""A two-team round with staff of each role and a web report in each team, one of them by name."""
import io

import pytest
from PIL import Image

from reporting.intake.services import Submission, submit_report
from reporting.uploads import clean_images
from tests.staff.conftest import csrf_from, post_form, staff, two_teams  # noqa: F401  (shared fixtures)
from werkzeug.datastructures import FileStorage


def submission(anonymous=True, unit=None, content="反映甲单位领导违规发放津贴的问题。", **fields) -> Submission:
    values = {"anonymous": anonymous, "reporter_name": "" if anonymous else "李四",
              "reporter_phone": "" if anonymous else "13912345678", "unit_id": unit.id if unit else None,
              "category": "", "subject_name": "", "subject_unit": "", "subject_position": "", "content": content}
    return Submission(**(values | fields))


def photo() -> FileStorage:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 10), (0, 90, 200)).save(buffer, "JPEG")
    buffer.seek(0)
    return FileStorage(buffer, filename="p.jpg")


@pytest.fixture
def reports(two_teams):
    """team1's named report with a photo, and team2's anonymous report; (report, receipt) each."""
    code = two_teams.round_code
    team1 = submit_report(code, submission(False, two_teams.units[0]), clean_images([photo()]))
    team2 = submit_report(code, submission(True, two_teams.units[2], content="丙单位的问题"), [])
    return {"team1": team1, "team2": team2}
