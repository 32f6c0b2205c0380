"""A web report in each team of the two-team round (`two_teams` in tests/conftest.py), one of them by name; and
`record`, staff's offline entry as the form posts it."""
import io

import pytest
from PIL import Image
from werkzeug.datastructures import FileStorage

from reporting.intake.services import submit_report
from reporting.uploads import clean_images
from tests.factories import submission


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


def record(post_form, round_, **fields):
    """POST /staff/reports/new: an anonymous letter of no unit, unless `fields` say otherwise."""
    path = f"/staff/reports/new?round={round_.id}"
    data = {"channel": "letter", "received_on": "2026-11-20", "anonymous": "1", "unit_id": "", "team_id": "",
            "category": "", "content": "来信反映乙单位违规吃喝问题。"} | fields
    return post_form(path, data, token_page=path)
