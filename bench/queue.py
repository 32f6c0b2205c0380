"""How long the staff queue takes at 1,000 and at 1,000,000 reports: a page must cost the same at both.

For each size a fresh PostgreSQL database is created beside the one named, migrated, filled by bulk SQL
(`INSERT ... SELECT generate_series`, not the ORM) and analysed. Then the service functions are timed as
the views call them, each run in a fresh app context (no HTTP): the first page for an admin, for a member
of two teams of the open round and for a member of a team in the first and one in the last round; a
filtered page (status and category); a deep page (keyset from the middle of the table); the status
counts; text searches that hit and miss; weeks bounded by `from`/`to` and `unread=1` (`dated_cases`). Each
is the median of 20 runs after warm-up, the sizes taking turns. `--exports` also times one whole ledger per
format; `--explain` prints every query's plan.

    .venv/bin/python -m bench.queue --sizes 1000,1000000
    .venv/bin/python bench/queue.py --database-url postgresql://postgres@127.0.0.1:5432/postgres --explain
    .venv/bin/python -m bench.queue --sizes 10000,1000000 --only "a week"    # the cases named so

The data: three rounds one after another (the last one open), 20 teams, 200 units, 8 statuses skewed by
the round's age, categories and channels as a round receives them, 3% of reports not yet routed, content
made of phrases from a small list so that searches both hit and miss; the tally is filled from the same
rows (`INSERT ... SELECT ... GROUP BY`), the admin has read a third of the reports and the member nine in ten of
their teams'.
"""
import sys
from pathlib import Path

# This file is named like the standard library's `queue`. Run as a script, its folder comes first on
# sys.path and would shadow that module for every library that imports it (logging.handlers does).
if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    sys.path.pop(0)

import argparse  # noqa: E402
import base64  # noqa: E402
import os  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from dataclasses import dataclass, replace  # noqa: E402
from datetime import date, timedelta  # noqa: E402

import flask_migrate  # noqa: E402
from flask import Flask  # noqa: E402
from sqlalchemy import event, select, text  # noqa: E402

from reporting import create_app  # noqa: E402
from reporting.extensions import db  # noqa: E402
from reporting.models import DEFAULT_TIMEZONE, StaffUser, Team, today_in  # noqa: E402
from reporting.queue.ledger import export_ledger  # noqa: E402
from reporting.queue.services import (  # noqa: E402
    QueueFilters,
    matching_total,
    queue_page,
    status_counts,
    unrouted_count,
    waiting_replies,
)
from reporting.queue.workload import workload  # noqa: E402
from reporting.rounds.services import TeamPlan, create_round  # noqa: E402
from reporting.staff.services import create_staff_user  # noqa: E402
from tests.databases import create_database_beside, drop_database  # noqa: E402

RUNS = 20
WARMUP = 5
CATEGORIES = ["廉洁纪律", "组织人事", "工程建设", "惠民资金", "作风问题", "基层治理", "生态环境", "其他"]
# Content is three of these, picked at random: each phrase is in about one report in six.
PHRASES = [
    "村干部优亲厚友，低保名额被亲属占用。", "扶贫资金被挪作他用，群众没有拿到补贴。",
    "工程项目未经招标直接发包给亲戚。",
    "村集体土地被违规出租，租金去向不明。", "干部上班时间打牌，群众办事找不到人。",
    "公车私用，周末常停在饭店门口。",
    "危房改造补助发放不公，条件差的没评上。", "征地补偿款迟迟不发，村民多次上访无果。",
    "村务公开栏长期不更新，账目不清。",
    "河道采砂无人管，堤坝被挖空。", "学校食堂承包给领导亲属，饭菜质量差。", "医保报销要托关系，普通群众排不上号。",
    "合作社虚报产量套取补贴。", "乡镇卫生院药品回扣问题突出。", "违规收取办事费用，不给开收据。",
    "人居环境整治走过场，垃圾堆在村口。", "选人用人不公，提拔对象群众不认可。", "企业排污直接排入河里，气味刺鼻。",
]
SEARCH_TERMS = {"2-char hit": "低保", "4-char hit": "扶贫资金", "4-char miss": "高铁建设"}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
POSITIONS = ["村党支部书记", "村委会主任", "乡镇党委书记", "副镇长", "站所负责人", "局长", "科长", "会计"]
# (web, letter, visit, call, email) cumulative shares
CHANNEL_SHARES = [("web", 0.70), ("letter", 0.80), ("visit", 0.88), ("call", 0.98), ("email", 1.0)]
ROUNDS = [  # (name, days before today it opened, length in days, teams)
    ("2024年第一轮巡察", 900, 60, 7),
    ("2025年第一轮巡察", 420, 60, 7),
    ("2026年第一轮巡察", 30, 60, 6),
]
UNITS_PER_TEAM = 10


def build_rounds() -> None:
    """Three rounds with their teams and units, through the app's own service (a few hundred rows)."""
    today = date.today()
    team_number = 0
    for name, opened_days_ago, length, team_count in ROUNDS:
        plans = []
        for _ in range(team_count):
            team_number += 1
            plans.append(TeamPlan(f"第{team_number}巡察组",
                                  [f"第{team_number}组联系单位{u + 1}村" for u in range(UNITS_PER_TEAM)]))
        starts_on = today - timedelta(days=opened_days_ago)
        create_round({"name": name, "starts_on": starts_on, "ends_on": starts_on + timedelta(days=length),
                      "status": "open", "categories": CATEGORIES}, plans)


def channel_case(column: str) -> str:
    whens = " ".join(f"WHEN {column} < {share} THEN '{name}'" for name, share in CHANNEL_SHARES[:-1])
    return f"CASE {whens} ELSE '{CHANNEL_SHARES[-1][0]}' END"


# Older rounds are mostly decided; the open one mostly waits. Thresholds on one random number per report.
STATUS_CASE = """
CASE WHEN s.age = 0 THEN
       CASE WHEN s.r_status < 0.45 THEN 'received' WHEN s.r_status < 0.70 THEN 'in_review'
            WHEN s.r_status < 0.75 THEN 'proposed' WHEN s.r_status < 0.83 THEN 'clue'
            WHEN s.r_status < 0.90 THEN 'transferred' WHEN s.r_status < 0.95 THEN 'filed'
            WHEN s.r_status < 0.98 THEN 'out_of_scope' ELSE 'duplicate' END
     ELSE
       CASE WHEN s.r_status < 0.01 THEN 'received' WHEN s.r_status < 0.02 THEN 'in_review'
            WHEN s.r_status < 0.03 THEN 'proposed' WHEN s.r_status < 0.23 THEN 'clue'
            WHEN s.r_status < 0.53 THEN 'transferred' WHEN s.r_status < 0.83 THEN 'filed'
            WHEN s.r_status < 0.95 THEN 'out_of_scope' ELSE 'duplicate' END
END"""


def fill(n: int) -> None:
    """N reports in one INSERT ... SELECT over generate_series; ids grow with time, round after round."""
    statements = [
        "SELECT setseed(0.42)",
        """CREATE TEMPORARY TABLE bench_round AS
           SELECT row_number() OVER (ORDER BY r.id) - 1 AS idx, r.id AS round_id, r.starts_on,
                  r.ends_on - r.starts_on AS days, (SELECT count(*) FROM unit u WHERE u.round_id = r.id) AS units,
                  (SELECT max(id) FROM round) = r.id AS is_open
           FROM round r""",
        f"""INSERT INTO report (round_id, team_id, unit_id, channel, category, subject_name, subject_unit,
               subject_position, content, status, is_anonymous, received_on, created_at, updated_at, subject_key,
               clue_summary, clue_disposal, transfer_body, transfer_reference, transfer_answer, closing_reason,
               public_advice)
           SELECT br.round_id, u.team_id, u.id, {channel_case('s.r_channel')},
                  (CAST(:categories AS text[]))[1 + floor(s.r_category * 8)::int],
                  CASE WHEN s.r_subject < 0.6 THEN substr(:surnames, 1 + floor(s.r_subject * 33)::int % 20, 1)
                       || '某' ELSE '' END,
                  COALESCE(u.name, ''),
                  CASE WHEN s.r_subject < 0.6
                       THEN (CAST(:positions AS text[]))[1 + floor(s.r_subject * 80)::int % 8] ELSE '' END,
                  (CAST(:phrases AS text[]))[1 + floor(random() * {len(PHRASES)})::int]
                  || (CAST(:phrases AS text[]))[1 + floor(random() * {len(PHRASES)})::int]
                  || (CAST(:phrases AS text[]))[1 + floor(random() * {len(PHRASES)})::int],
                  {STATUS_CASE},
                  s.r_named >= 0.2, br.starts_on + (s.pos * br.days / s.per_round)::int,
                  br.starts_on + (s.pos * br.days / s.per_round)::int + interval '9 hours',
                  br.starts_on + (s.pos * br.days / s.per_round)::int + interval '9 hours',
                  '', '', '', '', '', '', '', ''
           FROM (SELECT g, (g - 1) / :per_round AS round_idx, (g - 1) % :per_round AS pos, :per_round AS per_round,
                        CASE WHEN (g - 1) / :per_round = 2 THEN 0 ELSE 1 END AS age,
                        random() AS r_route, random() AS r_unit, random() AS r_status, random() AS r_channel,
                        random() AS r_category, random() AS r_subject, random() AS r_named
                 FROM generate_series(1, :n) AS g) AS s
           JOIN bench_round br ON br.idx = s.round_idx
           LEFT JOIN unit u ON u.round_id = br.round_id AND u.position = floor(s.r_unit * br.units)::int
                            AND s.r_route >= 0.03
           ORDER BY s.g""",
        """INSERT INTO report_tally (round_id, team_key, status, count)
           SELECT round_id, COALESCE(team_id, 0), status, count(*) FROM report
           GROUP BY round_id, COALESCE(team_id, 0), status""",
        """INSERT INTO report_read (staff_user_id, report_id, read_at)
           SELECT (SELECT id FROM staff_user WHERE username = 'bench-admin'), id, created_at
           FROM report WHERE id % 3 = 0""",
        # The member has opened nine in ten of their teams' reports (`unread=1` then walks past the read ones).
        """INSERT INTO report_read (staff_user_id, report_id, read_at)
           SELECT (SELECT id FROM staff_user WHERE username = 'bench-member'), id, created_at
           FROM report WHERE id % 10 <> 0 AND team_id IN (
               SELECT team_id FROM staff_team
               WHERE staff_user_id = (SELECT id FROM staff_user WHERE username = 'bench-member'))""",
        # One in ten of the member's teams' reports is assigned to the member (`assignee=me`).
        """UPDATE report SET assignee_id = (SELECT id FROM staff_user WHERE username = 'bench-member')
           WHERE id % 10 = 0 AND team_id IN (SELECT team_id FROM staff_team WHERE staff_user_id =
                                             (SELECT id FROM staff_user WHERE username = 'bench-member'))""",
        # A reply on every report, one in a thousand of them a member's draft waiting for a leader (`reply=waiting`).
        """INSERT INTO message (report_id, kind, body, created_at, review)
           SELECT id, 'reply', '您反映的问题已收到。', created_at, CASE WHEN id % 1000 = 0 THEN 'waiting' ELSE '' END
           FROM report""",
    ]
    parameters = {"n": n, "per_round": -(-n // len(ROUNDS)), "categories": CATEGORIES, "phrases": PHRASES,
                  "surnames": SURNAMES, "positions": POSITIONS}
    for statement in statements:
        db.session.execute(text(statement), parameters)
    db.session.commit()
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE"))


@dataclass
class Target:
    """One filled database: its size, the app on it, the id in the middle of its reports, its first round, and
    the first day of the first and of the last round."""

    size: int
    app: Flask
    middle_id: int
    first_round_id: int
    first_round_starts_on: date
    open_round_starts_on: date
    first_unit_id: int  # a unit of the first round's first team

    def week(self, starts_on: date) -> QueueFilters:
        """`from` and `to` bounding the round's fourth week: a week with reports at any size."""
        return QueueFilters(received_from=starts_on + timedelta(days=21), received_to=starts_on + timedelta(days=27))


def prepare(url: str, n: int) -> Target:
    """A migrated database with the rounds, two staff accounts and n reports."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "BASE_URL": "http://bench",
                      "RATELIMIT_STORAGE_URI": "memory://", "CAPTCHA": False})
    with app.app_context():
        flask_migrate.upgrade()
        build_rounds()
        team_ids = db.session.scalars(select(Team.id).order_by(Team.id)).all()
        create_staff_user("bench-admin", "bench password", "admin", [])
        create_staff_user("bench-member", "bench password", "member", team_ids[-2:])
        create_staff_user("bench-member-2-rounds", "bench password", "member", [team_ids[0], team_ids[-1]])
        started = time.perf_counter()
        fill(n)
        print(f"filled {n:,} reports in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        middle_id = db.session.scalar(text("SELECT (min(id) + max(id)) / 2 FROM report"))
        first_round_id = db.session.scalar(text("SELECT min(id) FROM round"))
        first_starts_on, open_starts_on = db.session.execute(
            text("SELECT min(starts_on), max(starts_on) FROM round")).one()
        first_unit_id = db.session.scalar(text("SELECT min(id) FROM unit"))
        db.session.remove()
    return Target(n, app, middle_id, first_round_id, first_starts_on, open_starts_on, first_unit_id)


STAFF = ("bench-admin", "bench-member", "bench-member-2-rounds")


def cases(admin: StaffUser, member: StaffUser, member_2_rounds: StaffUser, target: Target | None
          ) -> dict[str, Callable[[], object]]:
    """What is timed, by name: each a call of a service function as a view makes it."""
    everything = QueueFilters()
    timed = {
        "first page, admin": lambda: queue_page(admin, everything),
        "first page, member of 2 teams": lambda: queue_page(member, everything),
        "first page, member of a team in the first and one in the last round":
            lambda: queue_page(member_2_rounds, everything),
        "filtered page, admin (status + category)":
            lambda: queue_page(admin, QueueFilters(status="clue", category="工程建设")),
        "deep page, admin (before = the middle id)": lambda: queue_page(admin, everything, target.middle_id),
        "waiting to be routed (team=none), admin": lambda: queue_page(admin, QueueFilters(unrouted=True)),
        "status counts, admin": lambda: status_counts(admin),
        "waiting count (待分派), admin": lambda: unrouted_count(admin),
        "status counts, member": lambda: status_counts(member),
        "assigned to me (assignee=me), member": lambda: queue_page(member, QueueFilters(assignee_id=member.id)),
        "total of matches, member (the tally)": lambda: matching_total(member, everything),
        "total of matches, admin, category 工程建设 (counted to the cap, 10,000)":
            lambda: matching_total(admin, QueueFilters(category="工程建设")),
        "total of matches, member, assigned to me (counted)":
            lambda: matching_total(member, QueueFilters(assignee_id=member.id)),
        "draft replies waiting (待审核的回复), admin": lambda: waiting_replies(admin),
        "replies waiting (reply=waiting), member": lambda: queue_page(member, QueueFilters(waiting_reply=True)),
        "total of matches, member, replies waiting (counted)":
            lambda: matching_total(member, QueueFilters(waiting_reply=True)),
    }
    timed |= workload_cases(admin, member)
    timed |= dated_cases(admin, member, member_2_rounds, target)
    for name, term in SEARCH_TERMS.items():
        timed[f"search, admin, {name} 「{term}」"] = lambda term=term: queue_page(admin, QueueFilters(q=term))
    timed["search, admin, 2-char hit in the first round 「低保」"] = (
        lambda: queue_page(admin, QueueFilters(q="低保", round_id=target.first_round_id)))
    return timed


def in_team(member: StaffUser, **filters) -> QueueFilters:
    """Filters within the member's first team, as the workload page's links set them."""
    return QueueFilters(team_id=member.teams[0].id, **filters)


def workload_cases(admin: StaffUser, member: StaffUser) -> dict[str, Callable[[], object]]:
    """The open work per member, and the queue pages its counts link to."""
    today = today_in(DEFAULT_TIMEZONE)
    return {
        "workload, leader of 2 teams (the member's)": lambda: workload(member, today),
        "workload, admin (20 teams of 3 rounds)": lambda: workload(admin, today),
        "workload link: a member's open reports (status=open, assignee=<id>), admin": lambda: queue_page(
            admin, in_team(member, status="open", assignee=str(member.id), assignee_id=member.id)),
        "workload link: a team's unassigned open reports (status=open, assignee=none), admin": lambda: queue_page(
            admin, in_team(member, status="open", assignee="none")),
        "workload link: a member's overdue transfers (overdue=1, assignee=<id>), admin": lambda: queue_page(
            admin, in_team(member, overdue=True, assignee=str(member.id), assignee_id=member.id)),
        "workload link: the total of a team's unassigned open reports (counted to the cap)": lambda: matching_total(
            admin, in_team(member, status="open", assignee="none")),
    }


def dated_cases(admin: StaffUser, member: StaffUser, member_2_rounds: StaffUser, target: Target | None
                ) -> dict[str, Callable[[], object]]:
    """`from`/`to` (a week of the open round, a week of the first, the first round's week's second page) and
    `unread=1` (the admin has read a third of every report, the member nine in ten of their teams')."""
    def old_week() -> QueueFilters:
        return target.week(target.first_round_starts_on)

    def recent_week() -> QueueFilters:
        return target.week(target.open_round_starts_on)

    def second_page(user: StaffUser, filters: QueueFilters) -> object:
        return queue_page(user, filters, queue_page(user, filters).next_before_id)

    return {
        "a week of the open round (from/to), admin": lambda: queue_page(admin, recent_week()),
        "a week of the first round (from/to), admin": lambda: queue_page(admin, old_week()),
        "a week of the first round, its second page, admin": lambda: second_page(admin, old_week()),
        "a week of the first round, member of a team in the first and one in the last round":
            lambda: queue_page(member_2_rounds, old_week()),
        "a week of the open round, member of 2 teams": lambda: queue_page(member, recent_week()),
        "a week of the first round, one unit, admin":
            lambda: queue_page(admin, replace(old_week(), unit_id=target.first_unit_id)),
        "a week of the open round, assigned to me, member":
            lambda: queue_page(member, replace(recent_week(), assignee_id=member.id)),
        "a week of the first round + status + category, admin":
            lambda: queue_page(admin, replace(old_week(), status="clue", category="工程建设")),
        "unread, admin (has read a third)": lambda: queue_page(admin, QueueFilters(unread_by=admin.id)),
        "unread, member of 2 teams (has read 9 in 10)": lambda: queue_page(member, QueueFilters(unread_by=member.id)),
        "unread + a week of the first round, admin":
            lambda: queue_page(admin, replace(old_week(), unread_by=admin.id)),
        "total of matches, admin, a week of the first round (counted)": lambda: matching_total(admin, old_week()),
    }


def case(target: Target, name: str) -> Callable[[], object]:
    """Case `name` for the staff of `target`, loaded in the current app context (as Flask-Login would)."""
    users = [db.session.scalar(select(StaffUser).where(StaffUser.username == username)) for username in STAFF]
    return cases(*users, target)[name]


def timed_call(target: Target, name: str) -> float:
    """One run of case `name` in a fresh app context, as one request would make it; milliseconds."""
    with target.app.app_context():
        call = case(target, name)
        started = time.perf_counter()
        call()
        return (time.perf_counter() - started) * 1000


def measure(targets: list[Target], only: str = "") -> dict[str, dict[int, float]]:
    """Median per case (those whose name contains `only`) and size; the sizes take turns run by run, so that
    drift in the machine's load hits them alike and the ratio stays honest."""
    names = [name for name in cases(None, None, None, None) if only in name]
    medians = {}
    for name in names:
        timings = {target.size: [] for target in targets}
        for run in range(WARMUP + RUNS):
            for target in targets:
                elapsed = timed_call(target, name)
                if run >= WARMUP:
                    timings[target.size].append(elapsed)
        medians[name] = {size: statistics.median(values) for size, values in timings.items()}
    return medians


def explain(target: Target, name: str) -> list[str]:
    """EXPLAIN ANALYZE of every statement case `name` sends, with the parameters it sent them with."""
    sent = []

    def remember(_conn, _cursor, statement, parameters, _context, _executemany):
        sent.append((statement, parameters))

    with target.app.app_context():
        call = case(target, name)
        event.listen(db.engine, "before_cursor_execute", remember)
        try:
            call()
        finally:
            event.remove(db.engine, "before_cursor_execute", remember)
        connection = db.session.connection()
        return ["\n".join(connection.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters).scalars())
                for statement, parameters in sent]


def time_exports(target: Target) -> dict[str, tuple[float, int]]:
    """One admin export of the whole ledger per format, read to the end: (seconds, bytes)."""
    results = {}
    with target.app.test_request_context():
        admin = db.session.scalar(select(StaffUser).where(StaffUser.username == "bench-admin"))
        for file_format in ("csv", "xlsx"):
            started = time.perf_counter()
            size = sum(len(chunk) for chunk in export_ledger(admin, QueueFilters(), file_format))
            results[file_format] = (time.perf_counter() - started, size)
    return results


def exports_table(targets: list[Target]) -> str:
    lines = ["| ledger of every report, admin | reports | seconds | MB | reports/s |", "|---|--:|--:|--:|--:|"]
    for target in targets:
        for file_format, (seconds, size) in time_exports(target).items():
            lines.append(f"| {file_format} | {target.size:,} | {seconds:.1f} | {size / 1e6:.1f} | "
                         f"{target.size / seconds:,.0f} |")
    return "\n".join(lines)


def table(sizes: list[int], medians: dict[str, dict[int, float]]) -> str:
    small, large = sizes[0], sizes[-1]
    header = " | ".join(f"{size:,} reports, ms" for size in sizes)
    lines = [f"| query | {header} | ratio {large:,} / {small:,} |", "|---|" + "--:|" * (len(sizes) + 1)]
    for name, by_size in medians.items():
        cells = " | ".join(f"{by_size[size]:.2f}" for size in sizes)
        lines.append(f"| {name} | {cells} | {by_size[large] / by_size[small]:.2f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="postgresql://postgres@127.0.0.1:5432/postgres",
                        help="a PostgreSQL server's URL; a fresh database is made beside it for each size")
    parser.add_argument("--sizes", default="1000,1000000", help="report counts, comma-separated")
    parser.add_argument("--explain", action="store_true", help="print EXPLAIN ANALYZE of each query to stderr")
    parser.add_argument("--keep", action="store_true", help="keep the databases (their URLs go to stderr)")
    parser.add_argument("--exports", action="store_true", help="also time one CSV and one xlsx ledger per size")
    parser.add_argument("--only", default="", help="time only the cases whose name contains this text")
    args = parser.parse_args()
    # Keys from the environment, so that nothing is written into the project's instance folder.
    key = base64.b64encode(os.urandom(32)).decode()
    os.environ["REPORTING_DATA_KEY"] = key
    os.environ["REPORTING_SECRET_KEY"] = key
    sizes = [int(size) for size in args.sizes.split(",")]
    urls = []
    try:
        targets = []
        for size in sizes:
            urls.append(create_database_beside(args.database_url, "reporting_bench_queue"))
            targets.append(prepare(urls[-1], size))
        medians = measure(targets, args.only)
        exports = exports_table(targets) if args.exports else ""
        if args.explain:
            for target in targets:
                for name in medians:
                    print(f"\n### {target.size:,} reports: {name}", file=sys.stderr)
                    print("\n\n".join(explain(target, name)), file=sys.stderr)
    finally:
        for url in urls:
            if args.keep:
                print(f"kept: {url}", file=sys.stderr)
            else:
                drop_database(args.database_url, url)
    print(table(sizes, medians))
    print(f"\nmedian of {RUNS} runs after {WARMUP} warm-up runs, the sizes taking turns; each run in a fresh "
          "app context, through the service functions")
    if exports:
        print("\n" + exports)


if __name__ == "__main__":
    main()
