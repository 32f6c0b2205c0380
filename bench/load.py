"""Reports per second under load: the full path against its floor, gunicorn 4 workers, PostgreSQL and Redis.

Each client is a thread with its own cookies and keep-alive connection that, in a loop, opens the round's
form (GET /r/<token>, which counts a scan) and sends a report with the form's token (POST, captcha off);
the floor's clients POST to a bare route doing one INSERT (bench/floor.py) on the same stack. For 8, 32 and
64 clients the floor and the site take turns, RUN_SECONDS each, and the table gives reports per second and
the ratio. Every acknowledged report must be in the database exactly once. The load generator shares the
machine's cores with the servers, so the ratio is the figure to compare. A second table gives the CPU each floor
request, each report and each GET /healthz (the least a request through the site costs: its hooks and SELECT 1)
took in gunicorn, PostgreSQL, Redis and the load generator, read from /proc around each turn.

    .venv/bin/python -m bench.load --database-url postgresql://postgres@127.0.0.1:5432/postgres \
        --redis-url redis://127.0.0.1:6379/0
"""
import argparse
import base64
import http.cookiejar
import os
import re
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
import uuid
from datetime import date, timedelta
from pathlib import Path

import flask_migrate
from sqlalchemy import create_engine, func, select, text

from reporting import create_app
from reporting.config import database_url
from reporting.extensions import db
from reporting.models import Report
from reporting.rounds.services import TeamPlan, create_round
from tests.databases import create_database_beside, drop_database

ROOT = Path(__file__).resolve().parent.parent
RUN_SECONDS = 15
CLIENTS = (8, 32, 64)
TOKEN = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
CONTENT = "村里修路的钱去向不明，已有半年，请巡察组核实。"


def prepare(url: str) -> str:
    """A migrated database with one open round and the floor's table; returns the round's token."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "load", "RATELIMIT_STORAGE_URI": "memory://"})
    with app.app_context():
        flask_migrate.upgrade()
        today = date.today()
        fields = {"name": "压测巡察", "starts_on": today - timedelta(days=1), "ends_on": today + timedelta(days=30),
                  "status": "open"}
        round_ = create_round(fields, [TeamPlan("第一组", ["甲单位"])])
        token = round_.own_code.token
        db.session.execute(text("CREATE TABLE floor_hit (id serial PRIMARY KEY, body text NOT NULL)"))
        db.session.commit()
        db.engine.dispose()
    return token


def serve(module: str, port: int, env: dict, workers: int = 4) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", module],
        cwd=ROOT, env=os.environ | env | {"GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": str(workers)},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(200):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz" if module == "wsgi:app" else
                                   f"http://127.0.0.1:{port}/", timeout=1)
            return process
        except urllib.error.HTTPError:
            return process  # the floor has no page at /: answering at all is enough
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{module} did not start")


def site_client(base: str, token: str, stop: threading.Event, done: list[float]) -> None:
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    while not stop.is_set():
        page = opener.open(f"{base}/r/{token}", timeout=30).read().decode()
        body = urllib.parse.urlencode({"csrf_token": TOKEN.search(page)[1], "content": CONTENT}).encode()
        answer = opener.open(f"{base}/r/{token}", data=body, timeout=30).read().decode()
        if 'id="receipt"' in answer:
            done.append(time.monotonic())


def floor_client(base: str, _token: str, stop: threading.Event, done: list[float]) -> None:
    while not stop.is_set():
        urllib.request.urlopen(f"{base}/floor", data=b"", timeout=30).read()
        done.append(time.monotonic())


def health_client(base: str, _token: str, stop: threading.Event, done: list[float]) -> None:
    """The least a request through the site costs: /healthz passes the app's hooks and runs SELECT 1."""
    while not stop.is_set():
        urllib.request.urlopen(f"{base}/healthz", timeout=30).read()
        done.append(time.monotonic())


def ticks(pid: int, children: bool = False) -> int:
    """CPU ticks a process used (with those of its reaped children: a postmaster's exited backends)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return sum(int(value) for value in fields[11:15 if children else 13])


def tree(pid: int) -> list[int]:
    """The process and its children (gunicorn's master and workers)."""
    found = [pid]
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(child) for child in (task / "children").read_text().split()]
    return found


def cpu(server: subprocess.Popen) -> dict[str, float]:
    """CPU seconds so far of the server, PostgreSQL, Redis and this load generator."""
    hz = os.sysconf("SC_CLK_TCK")
    postgres = subprocess.run(["pgrep", "-x", "postgres"], capture_output=True, text=True).stdout.split()
    redis = subprocess.run(["pgrep", "-f", "redis-server"], capture_output=True, text=True).stdout.split()
    return {"server": sum(ticks(pid) for pid in tree(server.pid)) / hz,
            "postgres": sum(ticks(int(pid), children=True) for pid in postgres) / hz,
            "redis": sum(ticks(int(pid)) for pid in redis) / hz,
            "client": time.process_time()}


def run(client, base: str, token: str, clients: int, server: subprocess.Popen) -> tuple[float, int, dict]:
    """Requests completed per second with `clients` threads over RUN_SECONDS, all those acknowledged, and the
    CPU milliseconds each took in the server, PostgreSQL, Redis and the load generator."""
    stop, done = threading.Event(), []
    before = cpu(server)
    threads = [threading.Thread(target=client, args=(base, token, stop, done), daemon=True) for _ in range(clients)]
    start = time.monotonic()
    for thread in threads:
        thread.start()
    time.sleep(RUN_SECONDS)
    stop.set()
    for thread in threads:
        thread.join(timeout=60)
    after = cpu(server)
    per_item = {part: 1000 * (after[part] - before[part]) / max(len(done), 1) for part in before}
    return sum(1 for at in done if at <= start + RUN_SECONDS) / RUN_SECONDS, len(done), per_item


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers of each server")
    parser.add_argument("--clients", type=int, nargs="*", default=CLIENTS, help="numbers of clients, in turn")
    args = parser.parse_args()
    key = base64.b64encode(os.urandom(32)).decode()
    url = create_database_beside(args.database_url, "reporting_bench_load")
    env = {"REPORTING_DATABASE_URL": url, "REPORTING_REDIS_URL": args.redis_url, "REPORTING_CAPTCHA": "0",
           "REPORTING_SECRET_KEY": f"load-{uuid.uuid4()}", "REPORTING_DATA_KEY": key,
           "REPORTING_SUBMIT_LIMIT": "1000000 per minute", "REPORTING_SUBMIT_ADDRESS_LIMIT": "1000000 per minute"}
    servers = []
    try:
        token = prepare(url)
        servers = [serve("wsgi:app", 5301, env, args.workers), serve("bench.floor:app", 5302, env, args.workers)]
        rows, costs, acknowledged = [], [], 0
        for clients in args.clients:
            floor, _, floor_cost = run(floor_client, "http://127.0.0.1:5302", token, clients, servers[1])
            site, receipts, site_cost = run(site_client, "http://127.0.0.1:5301", token, clients, servers[0])
            rows.append((clients, floor, site))
            _, _, health_cost = run(health_client, "http://127.0.0.1:5301", token, clients, servers[0])
            costs += [(clients, "floor request", floor_cost), (clients, "GET /healthz", health_cost),
                      (clients, "report", site_cost)]
            acknowledged += receipts
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)
    engine = create_engine(database_url(url))
    with engine.connect() as connection:
        stored = connection.execute(select(func.count()).select_from(Report.__table__)).scalar_one()
        distinct = connection.execute(select(func.count(func.distinct(Report.receipt_digest)))).scalar_one()
    engine.dispose()
    drop_database(args.database_url, url)
    print("| clients | floor, requests/s | full path, reports/s | ratio |\n|--:|--:|--:|--:|")
    for clients, floor, site in rows:
        print(f"| {clients} | {floor:.0f} | {site:.1f} | {site / floor:.2f} |")
    print(f"\nreceipts shown: {acknowledged}, reports stored: {stored}, distinct receipts: {distinct}")
    print("\n| clients | CPU ms per | gunicorn | PostgreSQL | Redis | load generator |\n|--:|---|--:|--:|--:|--:|")
    for clients, item, cost in costs:
        print(f"| {clients} | {item} | " + " | ".join(f"{cost[part]:.2f}" for part in cost) + " |")


if __name__ == "__main__":
    main()
