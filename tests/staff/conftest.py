"""Fixtures of the staff pages' browser tests: the site the walk-through modules share (a page on a desk is
tests/conftest.py's `page`)."""
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from flask import Flask

from reporting import create_app
from reporting.extensions import db
from reporting.intake.services import submit_report
from reporting.models import DEFAULT_TIMEZONE, Report, today_in
from reporting.rounds.services import TeamPlan, add_location
from reporting.triage.services import apply_action
from tests.browser import DESK, STAFF_PASSWORD, log_in, served
from tests.conftest import app_config, migrate
from tests.factories import make_round, make_staff, submission


@pytest.fixture(scope="package")
def logins() -> dict[str, dict]:
    """The cookies of each account the walk-through logged in, kept for its later pages."""
    return {}


@pytest.fixture
def desk(browser, walk, logins):
    """Opens a 1366 px page logged in as an account of the walk-through's site: through the login page the first
    time, with its cookies after (the login's limit of 10 a minute counts every login, and each costs a hash)."""
    contexts = []

    def open_as(username: str):
        context = browser.new_context(**DESK, storage_state=logins.get(username))
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        if username not in logins:
            log_in(page, walk.base_url, username)
            logins[username] = context.storage_state()
        return page

    yield open_as
    for context in contexts:
        context.close()


@dataclass
class WalkSite:
    app: Flask
    base_url: str
    round_id: int
    draft_round_id: int
    ids: dict[str, int]  # reports by the word their text starts with
    assigned_to_member: list[int]
    today: date

    @property
    def reports(self) -> int:
        """What the leader of both teams sees: every report but the one no unit routed (an admin routes it)."""
        return len(self.ids) - 1


# What an office's queue holds on a busy day: long names of units and people, long texts, a duplicate pair, a
# report by name, a member's proposal. The first word of each text names the report for the tests.
LONG = "在老旧小区改造项目中存在围标串标、虚报工程量、违规转包分包等问题，群众反映强烈，希望巡察组认真核查。"
REPORTS = [
    ("重复一", 0, {"subject_name": "王某某", "subject_position": "局长", "subject_unit": "县住房和城乡建设局"}),
    ("重复二", 0, {"subject_name": "王某某", "subject_position": "局长"}),
    ("实名", 1, {"anonymous": False, "subject_name": "赵某", "subject_position": "不动产登记中心副主任"}),
    ("建议移交", 1, {"subject_name": "欧阳某某", "subject_position": "某某镇党委副书记、镇长",
                  "subject_unit": "某某镇人民政府"}),
    ("指派一", 0, {"category": "廉洁纪律"}),
    ("指派二", 1, {"category": "群众纪律"}),
    ("教育", 2, {"subject_position": "县第二实验小学校长", "category": "廉洁纪律"}),
    ("卫生", 3, {"subject_name": "司马某", "subject_unit": "县人民医院"}),
    ("不确定", None, {}),
]


@pytest.fixture(scope="package")
def walk(tmp_path_factory):
    """The app over HTTPS on a SQLite file: an open round of two teams and four units holding the reports above,
    two posting locations, a draft round of one team; an admin, a leader of both teams, a member of the first."""
    tmp_path = tmp_path_factory.mktemp("walk")
    url = f"sqlite:///{tmp_path / 'walk.sqlite'}"
    migrate(url, tmp_path)
    app = create_app(app_config(url, tmp_path) | {"TESTING": False, "SESSION_COOKIE_SECURE": True})
    with app.app_context():
        site = seed(app)
    with served(app, tls_folder=tmp_path) as base_url:
        site.base_url = base_url
        yield site


def seed(app: Flask) -> WalkSite:
    round_ = make_round(name="2026年第一轮巡察", categories=["廉洁纪律", "群众纪律", "其他"], teams=[
        TeamPlan("第一巡察组", ["县住房和城乡建设局", "县自然资源和规划局不动产登记中心"]),
        TeamPlan("第二巡察组", ["县教育局", "县卫生健康局"])])
    draft = make_round(name="2026年第二轮巡察", status="draft", teams=[TeamPlan("第三巡察组", ["县农业农村局"])])
    admin = make_staff("admin", username="admin", password=STAFF_PASSWORD)
    leader = make_staff("leader", round_.teams, username="wang_zuzhang", password=STAFF_PASSWORD)
    member = make_staff("member", round_.teams[:1], username="li_zuyuan", password=STAFF_PASSWORD)
    ids = {}
    for word, unit, fields in REPORTS:
        chosen = round_.units[unit] if unit is not None else None
        report, _ = submit_report(round_.round_code, submission(unit=chosen, content=f"{word}：{LONG}", **fields), [])
        ids[word] = report.id
    assigned = [ids[word] for word in ("重复一", "指派一", "指派二")]
    for report_id in assigned:
        apply_action(db.session.get(Report, report_id), leader, "assign", {"assignee": str(member.id)})
    today = today_in(DEFAULT_TIMEZONE)
    apply_action(db.session.get(Report, ids["建议移交"]), member, "transfer", {
        "body": "纪检监察机关", "body_name": "", "reference": "巡移〔2026〕7号",
        "transferred_on": (today - timedelta(days=1)).isoformat(), "due_on": (today + timedelta(days=30)).isoformat()})
    add_location(round_, round_.units[0], "县住建局一楼大厅公告栏", admin)
    add_location(round_, None, "某某镇人民政府大门口宣传栏", admin, round_.teams[0])
    return WalkSite(app, "", round_.id, draft.id, ids, assigned, today)
