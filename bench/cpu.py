"""CPU per request of the resident's path, as bench/load.py drives it, through Flask's test client: no network, no
other process, so that a change to the app can be judged on a machine others share.

The round is bench/load.py's (one team, one unit, no notice); the captcha is off and the limits out of the way;
scans and limits go to Redis. Each request's process time is summed over CHUNK requests, and the best of
several chunks printed, because other processes on the machine move a single run by ±40 %; so is the number of
Python function calls per request (cProfile), which does not move at all.

    .venv/bin/python -m bench.cpu                                   # SQLite, a fresh file
    .venv/bin/python -m bench.cpu --database-url postgresql://postgres@127.0.0.1:5432/postgres \
        --redis-url redis://127.0.0.1:6379/0 [--profile post]       # and the top costs of one request
"""
import argparse
import cProfile
import os
import pstats
import tempfile
import time
import uuid

from bench.load import CONTENT, TOKEN, prepare
from reporting import create_app
from reporting.config import database_url
from reporting.extensions import db
from tests.databases import create_database_beside, drop_database

WARMUP = 20


def measure(client, token: str, chunks: int, chunk: int, profile: str) -> None:
    def page() -> str:
        return client.get(f"/r/{token}").get_data(as_text=True)

    def send(form_page: str) -> None:
        answer = client.post(f"/r/{token}", data={"csrf_token": TOKEN.search(form_page)[1], "content": CONTENT})
        assert 'id="receipt"' in answer.get_data(as_text=True)

    for _ in range(WARMUP):
        send(page())
    best = {"GET": float("inf"), "POST": float("inf")}
    for _ in range(chunks):
        spent = {"GET": 0.0, "POST": 0.0}
        for _ in range(chunk):
            start = time.process_time()
            form_page = page()
            middle = time.process_time()
            send(form_page)
            spent["GET"] += middle - start
            spent["POST"] += time.process_time() - middle
        best = {method: min(best[method], spent[method] / chunk * 1000) for method in best}
    profiles = {method: cProfile.Profile(time.process_time) for method in best}
    for _ in range(chunk):
        with profiles["GET"]:
            form_page = page()
        with profiles["POST"]:
            send(form_page)
    for method, profiled in profiles.items():
        calls = pstats.Stats(profiled).total_calls / chunk  # type: ignore[attr-defined]
        print(f"{method}: {best[method]:.2f} ms CPU (best of {chunks} x {chunk}), {calls:.0f} Python calls")
        if profile.upper() == method:
            pstats.Stats(profiled).sort_stats("cumulative").print_stats(40)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="a PostgreSQL server's database; default: a fresh SQLite file")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--chunks", type=int, default=7)
    parser.add_argument("--chunk", type=int, default=100)
    parser.add_argument("--profile", choices=["get", "post"], default="", help="print the top costs of one")
    args = parser.parse_args()
    url = create_database_beside(args.database_url, "reporting_bench_cpu") if args.database_url else \
        f"sqlite:///{tempfile.mkdtemp()}/reporting.sqlite"
    try:
        token = prepare(url)
        app = create_app({"SQLALCHEMY_DATABASE_URI": database_url(url), "SECRET_KEY": f"cpu-{uuid.uuid4()}",
                          "DATA_KEY": os.urandom(32), "CAPTCHA": False,
                          "REDIS_URL": args.redis_url, "RATELIMIT_STORAGE_URI": args.redis_url,
                          "SUBMIT_LIMIT": "1000000 per minute", "SUBMIT_ADDRESS_LIMIT": "1000000 per minute"})
        measure(app.test_client(), token, args.chunks, args.chunk, args.profile)
        with app.app_context():
            db.engine.dispose()
    finally:
        if args.database_url:
            drop_database(args.database_url, url)


if __name__ == "__main__":
    main()
