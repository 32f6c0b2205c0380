"""Honest residents under a flood: their success rate and p99 with and without scripted abuse.

gunicorn with 4 workers on PostgreSQL and Redis, the captcha on and the default limits, behind a trusted proxy
(REPORTING_PROXY_COUNT=1) so that every simulated phone has an address of its own. HONEST clients play residents
one after another, one every PACE seconds each: open the form (new cookies, a new address), then send a report
with a proof of work solved before the run (fetched from /r/<token>/captcha and solved by altcha's own solver in
a process pool), so that solving does not compete with the server for the cores. The flood runs in other
processes: scripted submissions that solve nothing (each opens the form first, from one of 1,000 addresses, so
that it carries a device cookie and the form's token and reaches the captcha's check) and scripted page loads
(the form, which draws a picture, and the widget's challenge). The same machine's two cores carry the server,
the flood and the residents: the flood is as strong as the cores allow, alike in each run.

    .venv/bin/python -m bench.flood --database-url postgresql://postgres@127.0.0.1:5432/postgres \
        --redis-url redis://127.0.0.1:6379/0
"""
import argparse
import base64
import http.cookiejar
import json
import multiprocessing
import os
import random
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from concurrent.futures import ProcessPoolExecutor

from altcha import Challenge, Payload, solve_challenge

from bench.load import CONTENT, TOKEN, prepare, serve
from tests.databases import create_database_beside, drop_database

BASE = "http://127.0.0.1:5303"
HONEST = 16
PACE = 2.5  # seconds between two residents of one honest client
RUN_SECONDS = 20
FLOOD_SENDERS = 16  # threads, in one process, sending forms that solve nothing
FLOOD_LOADERS = 16  # threads, in another, loading the form and the widget's challenge
FLOOD_ADDRESSES = 1000


def opener_from(address: str) -> urllib.request.OpenerDirector:
    """A browser of its own: its cookies, and an address the trusted proxy passes on."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    opener.addheaders = [("X-Forwarded-For", address)]
    return opener


def fetch(opener, path: str, data: dict | None = None) -> tuple[int, str]:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    try:
        with opener.open(f"{BASE}{path}", data=body, timeout=60) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def solved(challenge: dict) -> str:
    """What the widget posts: the challenge and its solution."""
    parsed = Challenge.from_dict(challenge)
    return Payload(parsed, solve_challenge(parsed)).to_base64()


def solutions(token: str, count: int) -> list[str]:
    """`count` proofs of work fetched from the site and solved on every core, before any run."""
    opener = opener_from("192.0.2.1")
    challenges = [json.loads(fetch(opener, f"/r/{token}/captcha")[1]) for _ in range(count)]
    with ProcessPoolExecutor() as pool:
        return list(pool.map(solved, challenges, chunksize=8))


def resident(token: str, proof: str, address: str) -> tuple[bool, float]:
    """One resident: the form, then the report; whether a receipt came back, and how long both took."""
    opener = opener_from(address)
    start = time.monotonic()
    _, page = fetch(opener, f"/r/{token}")
    status, answer = fetch(opener, f"/r/{token}", {"csrf_token": TOKEN.search(page)[1], "content": CONTENT,
                                                   "anonymous": "1", "altcha": proof})
    return status == 200 and 'id="receipt"' in answer, time.monotonic() - start


def honest_client(token: str, proofs: list[str], addresses, results: list) -> None:
    deadline = time.monotonic() + RUN_SECONDS
    while time.monotonic() < deadline and proofs:
        started = time.monotonic()
        results.append(resident(token, proofs.pop(), next(addresses)))
        time.sleep(max(0.0, PACE - (time.monotonic() - started)))


def flood_address() -> str:
    number = random.randrange(FLOOD_ADDRESSES)
    return f"172.16.{number // 250}.{number % 250 + 1}"


def flood_sender(token: str, stop: float, statuses: Counter) -> None:
    """A script that opens the form for its token and cookie, then sends it with no solution."""
    while time.monotonic() < stop:
        opener = opener_from(flood_address())
        _, page = fetch(opener, f"/r/{token}")
        found = TOKEN.search(page)
        data = {"csrf_token": found[1] if found else "", "content": CONTENT, "anonymous": "1", "altcha": "x"}
        statuses[fetch(opener, f"/r/{token}", data)[0]] += 1


def flood_loader(token: str, stop: float, statuses: Counter) -> None:
    """A script that loads the form and the widget's challenge, as fast as the server answers."""
    opener = opener_from(flood_address())
    while time.monotonic() < stop:
        statuses[fetch(opener, random.choice((f"/r/{token}", f"/r/{token}/captcha")))[0]] += 1


def flood(kind: str, token: str, seconds: float, out) -> None:
    """One flood process: `kind`'s threads until `seconds` have passed; what the server answered them."""
    target, threads = {"send": (flood_sender, FLOOD_SENDERS), "load": (flood_loader, FLOOD_LOADERS)}[kind]
    stop, statuses = time.monotonic() + seconds, Counter()
    workers = [threading.Thread(target=target, args=(token, stop, statuses)) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    out.put((kind, dict(statuses)))


def honest_run(token: str, proofs: list[str], first_address: int) -> list[tuple[bool, float]]:
    results: list[tuple[bool, float]] = []
    addresses = (f"10.{n // 62500}.{n // 250 % 250}.{n % 250 + 1}" for n in range(first_address, 10**7))
    share = [proofs[i::HONEST] for i in range(HONEST)]
    threads = [threading.Thread(target=honest_client, args=(token, share[i], addresses, results))
               for i in range(HONEST)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def summary(results: list[tuple[bool, float]]) -> tuple[int, float, float, float]:
    """Residents, the share that got a receipt, and the median and p99 of their form-and-send time (ms)."""
    times = sorted(seconds for _, seconds in results)
    accepted = sum(1 for ok, _ in results if ok)
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
    return len(results), accepted / len(results), times[len(times) // 2] * 1000, p99 * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    args = parser.parse_args()
    url = create_database_beside(args.database_url, "reporting_bench_flood")
    env = {"REPORTING_DATABASE_URL": url, "REPORTING_REDIS_URL": args.redis_url, "REPORTING_CAPTCHA": "1",
           "REPORTING_PROXY_COUNT": "1", "REPORTING_SECRET_KEY": f"flood-{uuid.uuid4()}",
           "REPORTING_DATA_KEY": base64.b64encode(os.urandom(32)).decode()}
    server = None
    try:
        token = prepare(url)
        server = serve("wsgi:app", 5303, env)
        per_run = HONEST * (int(RUN_SECONDS / PACE) + 1)
        proofs = solutions(token, 2 * per_run)
        quiet = honest_run(token, proofs[:per_run], 0)
        out: multiprocessing.Queue = multiprocessing.Queue()
        floods = [multiprocessing.Process(target=flood, args=(kind, token, RUN_SECONDS + 5, out))
                  for kind in ("send", "load")]
        for process in floods:
            process.start()
        time.sleep(2)  # the flood at full strength before the residents come
        flooded = honest_run(token, proofs[per_run:], 10**6)
        answered = dict(out.get() for _ in floods)
        for process in floods:
            process.join()
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        drop_database(args.database_url, url)
    print("| run | residents | got a receipt | median, ms | p99, ms |\n|---|--:|--:|--:|--:|")
    for name, results in (("no flood", quiet), ("flood", flooded)):
        count, share, median, p99 = summary(results)
        print(f"| {name} | {count} | {share:.1%} | {median:.0f} | {p99:.0f} |")
    seconds = RUN_SECONDS + 5
    for kind, statuses in answered.items():
        print(f"\nflood '{kind}': {sum(statuses.values()) / seconds:.0f} requests/s answered "
              f"{dict(sorted(statuses.items()))}")


if __name__ == "__main__":
    main()
