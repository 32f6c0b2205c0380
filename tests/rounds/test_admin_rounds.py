"""The admin's round pages: create and edit, open and close, teams, units, locations, codes, figures."""
import io
import re
from datetime import date, timedelta

import pytest
import zxingcpp
from PIL import Image
from sqlalchemy import select

from reporting.extensions import db
from reporting.models import AuditEvent, QrCode, Report, Round
from reporting.posters.codes import qr_matrix
from reporting.rounds.services import TeamPlan
from tests.factories import csrf_from, log_in, make_round, make_staff
from tests.intake.conftest import send_report


@pytest.fixture
def admin_client(client, app):
    log_in(client, make_staff("admin"))
    return client


def post(client, path, data, token_page):
    return client.post(path, data={"csrf_token": csrf_from(client, token_page)} | data)


def round_form(**changes) -> dict:
    today = date.today()
    return {"name": "市委第二轮巡察", "level": "city", "starts_on": str(today), "ends_on": str(today + timedelta(30)),
            "timezone": "Asia/Shanghai", "intake_hours": "工作日", "phone": "0000-1111111", "postal_box": "信箱",
            "email": "", "notice": "<p><b>受理</b></p><img src=x onerror=alert(1)>",
            "categories": "廉洁纪律\n其他\n"} | changes


def test_only_admins_reach_the_round_pages(client, app):
    round_ = make_round()
    assert "/staff/login" in client.get("/admin/rounds").headers["Location"]
    log_in(client, make_staff("leader", round_.teams))
    for path in ("/admin/rounds", f"/admin/rounds/{round_.id}", f"/admin/rounds/{round_.id}/qr.png"):
        assert client.get(path).status_code == 403


def test_an_admin_creates_a_draft_round_with_a_cleaned_notice(admin_client):
    response = post(admin_client, "/admin/rounds/new", round_form(), "/admin/rounds/new")
    assert response.status_code == 302
    round_ = db.session.scalars(select(Round)).one()
    assert round_.status == "draft" and round_.categories == ["廉洁纪律", "其他"]
    assert round_.notice == "<p><b>受理</b></p>" and round_.round_code is not None


def test_a_round_with_an_email_is_saved_and_a_bad_email_refused(admin_client):
    assert post(admin_client, "/admin/rounds/new", round_form(email="xunchaban@example.cn"),
                "/admin/rounds/new").status_code == 302
    assert db.session.scalars(select(Round)).one().email == "xunchaban@example.cn"
    assert post(admin_client, "/admin/rounds/new", round_form(email="not an address"),
                "/admin/rounds/new").status_code == 400


def test_a_round_ending_before_it_starts_comes_back_filled_in(admin_client):
    today = date.today()
    response = post(admin_client, "/admin/rounds/new", round_form(ends_on=str(today - timedelta(1))),
                    "/admin/rounds/new")
    assert response.status_code == 400 and "市委第二轮巡察" in response.get_data(as_text=True)


def test_open_and_close_by_hand_and_the_public_page_follows(admin_client, client):
    round_ = make_round(status="draft")
    path = f"/admin/rounds/{round_.id}"
    token = round_.round_code.token
    assert client.get(f"/r/{token}").status_code == 200 and "<form" not in client.get(f"/r/{token}").get_data(True)
    post(admin_client, f"{path}/status", {"status": "open"}, path)
    assert 'name="content"' in client.get(f"/r/{token}").get_data(as_text=True)
    post(admin_client, f"{path}/status", {"status": "closed"}, path)
    assert client.get(f"/r/{token}").status_code == 410


def test_a_round_is_offered_only_the_changes_of_status_that_make_sense_and_names_its_time_zone(admin_client):
    round_ = make_round(status="draft")
    draft = admin_client.get(f"/admin/rounds/{round_.id}").get_data(as_text=True)
    assert 'value="open"' in draft and 'value="closed"' not in draft and "立即停止受理" not in draft
    round_.status = "open"
    db.session.commit()
    opened = admin_client.get(f"/admin/rounds/{round_.id}").get_data(as_text=True)
    assert "立即停止受理" in opened and 'value="draft"' in opened
    assert '<option selected value="Asia/Shanghai">北京时间</option>' in opened and "新疆时间（乌鲁木齐）" in opened


def test_teams_units_and_a_location_code_pinned_to_its_unit(admin_client, client):
    round_ = make_round(teams=[])
    path = f"/admin/rounds/{round_.id}"
    assert post(admin_client, f"{path}/teams", {"name": "第三巡察组"}, path).status_code == 302
    db.session.expire_all()
    team = round_.teams[0]
    assert post(admin_client, f"{path}/units", {"team_id": str(team.id), "name": "北坡村"}, path).status_code == 302
    db.session.expire_all()
    unit = round_.units[0]
    answer = post(admin_client, f"{path}/codes", {"pinned": f"u{unit.id}", "label": "北坡村村口"}, path)
    assert answer.status_code == 302
    code = db.session.scalars(select(QrCode).where(QrCode.label == "北坡村村口")).one()
    assert (code.unit_id, code.team_id) == (unit.id, team.id)
    page = client.get(f"/r/{code.token}").get_data(as_text=True)
    assert f'<option selected value="{unit.id}">北坡村</option>' in page


def test_a_revoked_code_answers_410_and_keeps_its_figures(admin_client, client, app):
    round_ = make_round()
    path = f"/admin/rounds/{round_.id}"
    post(admin_client, f"{path}/codes", {"pinned": "", "label": "车站"}, path)
    code = db.session.scalars(select(QrCode).where(QrCode.label == "车站")).one()
    client.get(f"/r/{code.token}")
    assert post(admin_client, f"/admin/codes/{code.id}/revoke", {"reason": "海报被撕毁"}, path).status_code == 302
    assert client.get(f"/r/{code.token}").status_code == 410
    page = admin_client.get(path).get_data(as_text=True)
    row = page[page.index("车站"):page.index("车站") + 400]
    assert "<td>1</td>" in row  # its one scan still counted
    assert post(admin_client, f"/admin/codes/{round_.round_code.id}/revoke", {}, path).status_code == 400


def test_revoking_asks_why_and_can_be_undone(admin_client, client):
    round_ = make_round()
    path = f"/admin/rounds/{round_.id}"
    post(admin_client, f"{path}/codes", {"pinned": "", "label": "车站"}, path)
    code = db.session.scalars(select(QrCode).where(QrCode.label == "车站")).one()
    assert post(admin_client, f"/admin/codes/{code.id}/revoke", {"reason": " "}, path).status_code == 302
    assert "请说明撤销二维码的原因" in admin_client.get(path).get_data(as_text=True)
    assert client.get(f"/r/{code.token}").status_code == 200  # not revoked without a reason
    post(admin_client, f"/admin/codes/{code.id}/revoke", {"reason": "贴错了地点"}, path)
    assert client.get(f"/r/{code.token}").status_code == 410
    assert "已停用（贴错了地点）" in admin_client.get(path).get_data(as_text=True)
    assert post(admin_client, f"/admin/codes/{code.id}/restore", {}, path).status_code == 302
    assert client.get(f"/r/{code.token}").status_code == 200
    db.session.expire_all()
    assert (code.revoked_at, code.revoked_reason) == (None, "")
    actions = db.session.scalars(select(AuditEvent).where(AuditEvent.action.like("round.code_%"))
                                 .order_by(AuditEvent.id)).all()
    assert [(event.action, event.detail["reason"]) for event in actions] == [
        ("round.code_revoked", "贴错了地点"), ("round.code_restored", "贴错了地点")]


def test_scan_and_report_figures_per_code(admin_client, client, app):
    from tests.factories import csrf_token

    round_ = make_round()
    token = round_.round_code.token
    for _ in range(3):
        page = client.get(f"/r/{token}").get_data(as_text=True)
    client.post(f"/r/{token}", data={"csrf_token": csrf_token(page), "content": "扫码后提交的反映。"})
    page = admin_client.get(f"/admin/rounds/{round_.id}").get_data(as_text=True)
    assert re.search(r"本轮总二维码</td>\s*<td>—</td>\s*<td>—</td>\s*<td>3</td>\s*<td>1</td>", page)


def decode(png: bytes) -> str:
    (barcode,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)).convert("L"))
    return barcode.text


def svg_modules(svg: bytes) -> set[tuple[int, int]]:
    return {(int(x), int(y)) for x, y in re.findall(rb'<svg:rect x="(\d+)mm" y="(\d+)mm"', svg)}


def png_modules(png: bytes, box: int) -> set[tuple[int, int]]:
    image = Image.open(io.BytesIO(png)).convert("L")
    return {(x, y) for y in range(image.height // box) for x in range(image.width // box)
            if image.getpixel((x * box + box // 2, y * box + box // 2)) < 128}


def test_png_and_svg_codes_match_module_for_module_and_decode_to_the_url(admin_client):
    round_ = make_round()
    url = f"http://reporting.test/r/{round_.round_code.token}"
    png = admin_client.get(f"/admin/rounds/{round_.id}/qr.png").data
    svg = admin_client.get(f"/admin/rounds/{round_.id}/qr.svg").data
    assert decode(png) == url
    matrix = qr_matrix(url).get_matrix()
    width = Image.open(io.BytesIO(png)).width
    assert width >= 1000 and width % len(matrix) == 0  # large enough to print, whole pixels per module
    assert svg_modules(svg) == png_modules(png, width // len(matrix))
    assert png_modules(png, width // len(matrix)) == {
        (x, y) for y, row in enumerate(matrix) for x, dark in enumerate(row) if dark}
    assert not any(x < 4 or y < 4 for x, y in svg_modules(svg))  # quiet zone of four modules


def test_a_location_codes_png_decodes_to_its_own_url(admin_client):
    round_ = make_round()
    path = f"/admin/rounds/{round_.id}"
    post(admin_client, f"{path}/codes", {"pinned": f"u{round_.units[0].id}", "label": "甲单位门口"}, path)
    code = db.session.scalars(select(QrCode).where(QrCode.label == "甲单位门口")).one()
    download = admin_client.get(f"/admin/codes/{code.id}.png")
    assert decode(download.data) == f"http://reporting.test/r/{code.token}"
    assert "filename*=UTF-8''%E6%B5%8B%E8%AF%95%E5%B7%A1%E5%AF%9F-%E7%94%B2%E5%8D%95%E4%BD%8D-" in \
        download.headers["Content-Disposition"]  # 测试巡察-甲单位-甲单位门口.png
    assert download.headers["Content-Disposition"].endswith("%E9%97%A8%E5%8F%A3.png")
    assert post(admin_client, f"/admin/codes/{code.id}/revoke", {"reason": "地点写错"}, path).status_code == 302
    for kind in ("png", "svg"):  # a withdrawn code is no longer given out to be printed
        assert admin_client.get(f"/admin/codes/{code.id}.{kind}").status_code == 410


def test_posters_pdf_is_served_for_a_round(admin_client):
    round_ = make_round()
    path = f"/admin/rounds/{round_.id}"
    post(admin_client, f"{path}/codes", {"pinned": "", "label": "一号点"}, path)
    response = admin_client.get(f"{path}/posters.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")


def test_a_code_pinned_to_a_team_only_sends_that_team_the_reports_naming_no_unit(admin_client, client):
    round_ = make_round(teams=[TeamPlan("第一组", ["甲单位"]), TeamPlan("第二组", ["乙单位"])])
    path = f"/admin/rounds/{round_.id}"
    second = round_.teams[1]
    page = admin_client.get(path).get_data(as_text=True)
    assert f'<option value="t{second.id}">第二组（仅巡察组）</option>' in page
    added = post(admin_client, f"{path}/codes", {"pinned": f"t{second.id}", "label": "第二组驻地"}, path)
    assert added.status_code == 302
    code = db.session.scalars(select(QrCode).where(QrCode.label == "第二组驻地")).one()
    assert (code.team_id, code.unit_id) == (second.id, None)
    assert send_report(client, code.token, content="没有写单位的反映，投到第二组门口。").status_code == 200
    assert send_report(client, code.token, content="反映甲单位的问题，投到第二组门口。",
                       unit_id=str(round_.units[0].id)).status_code == 200
    reports = db.session.scalars(select(Report).order_by(Report.id)).all()
    assert [(report.team_id, report.unit_id) for report in reports] == [
        (second.id, None), (round_.teams[0].id, round_.units[0].id)]  # a unit named goes to the team inspecting it
    assert post(admin_client, f"{path}/codes", {"pinned": "t999999", "label": "别处"}, path).status_code == 400
