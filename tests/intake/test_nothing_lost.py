"""Nothing a resident typed is lost: the 429, 503 and 500 pages give back every field, ready to send again,
and a form sent back says when the photos chosen were not kept."""
import re
import time
import uuid
from html import unescape

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from reporting.extensions import db
from reporting.models import Report
from tests.factories import csrf_token
from tests.intake.conftest import image_file

NAMED = {"anonymous": "0", "reporter_name": "王小明", "reporter_phone": "13800001234", "category": "廉洁纪律",
         "content": "村里修路的钱去向不明，已有半年。", "subject_name": "张三", "subject_unit": "某村委会",
         "subject_position": "村支书"}


def reports() -> int:
    return db.session.scalar(select(func.count()).select_from(Report))


def kept_fields(html: str) -> dict[str, str]:
    """The fields of the page's send-again form, as a browser would post them."""
    form = html.split('class="resend"')[1].split("</form>")[0]
    fields = {name: unescape(value) for name, value in re.findall(r'<input [^>]*name="(\w+)" value="([^"]*)"', form)}
    fields |= {name: unescape(value) for name, value in re.findall(r'name="(\w+)"[^>]*>([^<]*)</textarea>', form)}
    fields |= {name: unescape(value) for name, value in
               re.findall(r'<input id="kept-\w+" name="(\w+)" type="\w+" value="([^"]*)"', form)}
    return fields


# A secret of its own: the limiter's keys are HMACs under it, so no other test's counts apply here.
@pytest.mark.app_config(SUBMIT_LIMIT="1 per 2 seconds", SECRET_KEY=f"limit-{uuid.uuid4()}")
def test_the_limit_page_keeps_every_field_and_sending_again_works_after_the_wait(client, submit, open_round):
    unit = str(open_round.units[1].id)
    assert submit().status_code == 200
    limited = submit(**NAMED, unit_id=unit)
    assert limited.status_code == 429
    kept = kept_fields(limited.get_data(as_text=True))
    assert {name: kept.get(name) for name in NAMED} == NAMED and kept["unit_id"] == unit and kept["csrf_token"]
    time.sleep(2.1)  # the wait is over
    sent = client.post(f"/r/{open_round.round_code.token}", data=kept, content_type="multipart/form-data")
    assert sent.status_code == 200 and 'id="receipt"' in sent.get_data(as_text=True)
    report = db.session.scalars(select(Report).order_by(Report.id.desc())).first()
    assert (report.unit_id, report.category, report.subject_position, report.is_anonymous) == (
        int(unit), "廉洁纪律", "村支书", False)


@pytest.mark.app_config(SUBMIT_LIMIT="1 per minute", SECRET_KEY=f"limit-{uuid.uuid4()}")
def test_an_anonymous_reporters_name_is_not_echoed_back(client, submit):
    submit()
    page = submit(**NAMED | {"anonymous": "1"}).get_data(as_text=True)
    assert "王小明" not in page and "13800001234" not in page and "修路的钱" in page


def database_down(*args, **kwargs):
    error = OperationalError("SELECT 1", {}, Exception("server closed the connection unexpectedly"))
    error.connection_invalidated = True  # what SQLAlchemy says of a connection lost mid-statement
    raise error


def test_with_the_database_down_the_503_page_keeps_every_field(client, open_round, monkeypatch):
    path = f"/r/{open_round.round_code.token}"
    token = csrf_token(client.get(path).get_data(as_text=True))
    monkeypatch.setattr("reporting.intake.views.find_code", database_down)  # went down while the form was open
    page = client.post(path, content_type="multipart/form-data", data=NAMED | {
        "csrf_token": token, "unit_id": str(open_round.units[0].id), "attachments": [image_file()]})
    assert page.status_code == 503 and page.headers["Cache-Control"] == "no-store"  # it holds name and phone
    html = page.get_data(as_text=True)
    kept = kept_fields(html)
    assert {name: kept.get(name) for name in NAMED} == NAMED and kept["unit_id"] == str(open_round.units[0].id)
    assert f'action="/r/{open_round.round_code.token}"' in html
    assert 'id="photos-not-kept"' in html and "1 张照片没有保留" in html


def test_a_form_sent_back_says_the_photos_were_not_kept(submit):
    answer = submit(anonymous="0", reporter_name="王小明", attachments=[image_file(), image_file()])
    assert answer.status_code == 400
    html = answer.get_data(as_text=True)
    assert "2 张照片没有保留" in html and "修路" not in html and reports() == 0
    assert 'id="photos-not-kept"' not in submit(anonymous="0", reporter_name="王小明").get_data(as_text=True)
