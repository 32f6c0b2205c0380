"""The ledger's memory and speed at 10,000 and 1,000,000 reports: peak memory must not grow with the table.

For each size a fresh PostgreSQL database is created beside the one named and filled as `bench/queue.py`
fills it (`INSERT ... SELECT generate_series`), then triaged in bulk SQL: clues numbered (two in five
transfers were clues first), transfers with bodies, references, due dates and half of them answered, a
quarter of those concluded with an outcome, reminders for the unanswered ones. Each export (the xlsx
workbook of three sheets, and the 台账 and 移交 sheets as CSV) runs for an admin with no filter in a child
process of its own, read to the end; the child's peak resident memory (ru_maxrss from wait4) is what the
export cost on top of a loaded app, with no other export's garbage before it.

    .venv/bin/python -m bench.export --sizes 10000,1000000
"""
import argparse
import base64
import json
import os
import subprocess
import sys
import time

from sqlalchemy import select, text

from bench.queue import prepare
from reporting import create_app
from reporting.extensions import db
from reporting.models import StaffUser
from reporting.queue.ledger import export_ledger
from reporting.queue.services import QueueFilters
from reporting.queue.sheets import SHEETS
from tests.databases import create_database_beside, drop_database

EXPORTS = [("xlsx", None), ("csv", "台账"), ("csv", "移交")]
TRIAGE = [
    """UPDATE report SET clue_number = 'XC' || id, clue_summary = left(content, 30),
              clue_disposal = (ARRAY['谈话函询', '初步核实', '暂存待查', '予以了结'])[1 + id % 4]
       WHERE status = 'clue' OR (status = 'transferred' AND id % 5 < 2)""",
    """UPDATE report SET
              transfer_body = (ARRAY['纪检监察机关', '组织部门', '宣传部门', '信访部门', '政法机关', '其他'])
                              [1 + id % 6],
              transfer_body_name = CASE WHEN id % 6 = 5 THEN '县住房和城乡建设局' ELSE '' END,
              transfer_reference = '巡转〔2026〕' || id || '号', transferred_on = received_on + 10,
              transfer_due_on = received_on + 40,
              transfer_answer = CASE WHEN id % 2 = 0 THEN '已立案审查，正在办理。' ELSE '' END,
              transfer_answered_on = CASE WHEN id % 2 = 0 THEN received_on + 35 END
       WHERE status = 'transferred'""",
    "UPDATE report SET status = 'concluded' WHERE status = 'transferred' AND id % 4 = 0",
    """INSERT INTO outcome (report_id, kind, concluded_on, cases, persons, detained, disciplined, organisational,
                           admonished, money_yuan, recorded_at)
       SELECT id, 'transfer', received_on + 60, 1, 1, 0, 1, 0, 0, 50000, now()
       FROM report WHERE status = 'concluded'""",
    """INSERT INTO outcome (report_id, kind, concluded_on, cases, persons, detained, disciplined, organisational,
                           admonished, money_yuan, recorded_at)
       SELECT id, 'clue', CASE WHEN id % 2 = 0 THEN received_on + 50 END, 0, 0, 0, 0, 0, 0, 0, now()
       FROM report WHERE clue_number IS NOT NULL AND id % 3 = 0""",
    """INSERT INTO reminder (report_id, kind, sent_on, reference, created_at)
       SELECT id, 'supervision', transfer_due_on + 5, '督办〔2026〕' || id || '号', now() FROM report
       WHERE status = 'transferred' AND transfer_answered_on IS NULL""",
    """INSERT INTO reminder (report_id, kind, sent_on, reference, created_at)
       SELECT id, 'prompt', transfer_due_on + 15, '', now() FROM report
       WHERE status = 'transferred' AND transfer_answered_on IS NULL AND id % 3 = 0""",
    "DELETE FROM report_tally",
    """INSERT INTO report_tally (round_id, team_key, status, count)
       SELECT round_id, COALESCE(team_id, 0), status, count(*) FROM report
       GROUP BY round_id, COALESCE(team_id, 0), status""",
]
SHEET_COUNTS = {"台账": "SELECT count(*) FROM report",
                "问题线索": "SELECT count(*) FROM report WHERE clue_number IS NOT NULL",
                "移交": "SELECT count(*) FROM report WHERE transferred_on IS NOT NULL"}


def fill(url: str, size: int) -> dict[str, int]:
    """The database at `url` with `size` reports, triaged; the rows of each sheet."""
    target = prepare(url, size)
    with target.app.app_context():
        started = time.perf_counter()
        for statement in TRIAGE:
            db.session.execute(text(statement))
        db.session.commit()
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
        print(f"triaged in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        rows = {name: db.session.scalar(text(query)) for name, query in SHEET_COUNTS.items()}
        db.session.remove()
        db.engine.dispose()
    return rows


def memory_mb(field: str) -> float:
    """VmRSS (now) or VmHWM (peak) of this process. Not ru_maxrss: Linux carries the parent's peak across
    fork and exec into it, so every child would report the parent's size."""
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith(field + ":"))
    return int(line.split()[1]) / 1024


def child(url: str, file_format: str, sheet: str | None) -> None:
    """One export read to the end, as a request would stream it; prints seconds, bytes and memory as JSON."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "BASE_URL": "http://bench",
                      "RATELIMIT_STORAGE_URI": "memory://", "CAPTCHA": False})
    with app.test_request_context():
        admin = db.session.scalar(select(StaffUser).where(StaffUser.username == "bench-admin"))
        before = memory_mb("VmRSS")
        started = time.perf_counter()
        size = sum(len(chunk) for chunk in export_ledger(admin, QueueFilters(), file_format, sheet))
        print(json.dumps({"seconds": time.perf_counter() - started, "bytes": size, "before_mb": before,
                          "peak_mb": memory_mb("VmHWM")}))


def measure(url: str, file_format: str, sheet: str | None) -> dict:
    """The export in a child process of its own, with no other export's garbage before it."""
    command = [sys.executable, "-m", "bench.export", "--child", url, "--format", file_format]
    result = subprocess.run(command + (["--sheet", sheet] if sheet else []), stdout=subprocess.PIPE, check=True)
    return json.loads(result.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="postgresql://postgres@127.0.0.1:5432/postgres",
                        help="a PostgreSQL server's URL; a fresh database is made beside it for each size")
    parser.add_argument("--sizes", default="10000,1000000", help="report counts, comma-separated")
    parser.add_argument("--child", metavar="URL", help=argparse.SUPPRESS)
    parser.add_argument("--format", default="xlsx", help=argparse.SUPPRESS)
    parser.add_argument("--sheet", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.format, args.sheet)
        return
    key = base64.b64encode(os.urandom(32)).decode()  # keys from the environment: nothing in the instance folder
    os.environ["REPORTING_DATA_KEY"] = os.environ["REPORTING_SECRET_KEY"] = key
    lines = ["| export | reports | rows written | seconds | MB | rows/s | RSS before, MB | peak RSS, MB |",
             "|---|--:|--:|--:|--:|--:|--:|--:|"]
    peaks = {}
    for size in (int(size) for size in args.sizes.split(",")):
        url = create_database_beside(args.database_url, "reporting_bench_export")
        try:
            rows = fill(url, size)
            for file_format, sheet in EXPORTS:
                result = measure(url, file_format, sheet)
                written = sum(rows.values()) if sheet is None else rows[sheet]
                name = f"xlsx ({' + '.join(SHEETS)})" if sheet is None else f"csv ({sheet})"
                lines.append(f"| {name} | {size:,} | {written:,} | {result['seconds']:.1f} | "
                             f"{result['bytes'] / 1e6:.1f} | {written / result['seconds']:,.0f} | "
                             f"{result['before_mb']:.0f} | {result['peak_mb']:.0f} |")
                peaks.setdefault(name, []).append(result["peak_mb"])
                print(lines[-1], file=sys.stderr)
        finally:
            drop_database(args.database_url, url)
    print("\n".join(lines))
    for name, values in peaks.items():
        print(f"\npeak memory of {name}, largest / smallest size: {max(values) / min(values):.2f}")


if __name__ == "__main__":
    main()
