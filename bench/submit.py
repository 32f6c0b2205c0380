"""How long one report submission takes: `POST /r/<token>`, the whole request.

That is form validation, the photo's check and re-encoding, the receipt's HMAC, the identity's encryption
(reports by name), the insert and commit, and rendering the receipt page. Four kinds are timed, anonymous
and by name, each without and with one photo (a 3000x4000 JPEG of a few MB, as a phone takes, generated
once with noise so that it does not compress to nothing). Requests go through Flask's test client, so no
network is involved; the multipart bodies are built once, outside the timing.

    .venv/bin/python bench/submit.py                     # SQLite, a fresh file in a temporary directory
    .venv/bin/python -m bench.submit --count 50          # the same, fewer submissions
    .venv/bin/python bench/submit.py --database-url postgresql://postgres@127.0.0.1:5432/test

With PostgreSQL a fresh database is created beside the one named (which must exist) and dropped at the end.
Prints a Markdown table: median, p95 and mean in milliseconds, and reports per second, per kind.
"""
import argparse
import base64
import io
import os
import resource
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

# Run as a script, this folder comes first on sys.path, and bench/queue.py would shadow the standard
# library's `queue` (logging.handlers and psycopg import it): keep the folder off the path.
if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    sys.path.pop(0)

import flask_migrate  # noqa: E402
from PIL import Image  # noqa: E402
from sqlalchemy import make_url  # noqa: E402
from werkzeug.datastructures import FileStorage  # noqa: E402
from werkzeug.test import encode_multipart  # noqa: E402

from reporting import create_app  # noqa: E402
from reporting.extensions import db  # noqa: E402
from reporting.rounds.services import TeamPlan, create_round  # noqa: E402
from tests.databases import create_database_beside, drop_database  # noqa: E402

WARMUP = 20
PHOTO_SIZE = (3000, 4000)
CONTENT = (
    "本人反映某街道办事处在老旧小区改造项目中存在的问题。该项目于去年三月开工，原定年底完工，"
    "但至今仍有多栋楼的外墙保温和雨污分流工程没有完成，施工现场长期无人管理，建筑垃圾堆放在消防通道上。"
    "居民多次向社区和街道反映，答复都是正在协调，却一直没有结果。另据了解，项目招标时中标单位与街道"
    "分管负责人的亲属有经济往来，部分材料以次充好，验收记录与实际情况不符。"
) * 4
CONTENT = CONTENT[:500]
KINDS = ("anonymous", "anonymous + photo", "named", "named + photo")


def noisy_photo() -> bytes:
    """A phone-sized JPEG: a smooth random scene with sensor-like noise, a few MB at quality 92."""
    width, height = PHOTO_SIZE
    scene = Image.merge("RGB", [Image.effect_noise((30, 40), 80) for _ in range(3)])
    scene = scene.resize(PHOTO_SIZE, Image.BICUBIC)
    noise = Image.merge("RGB", [Image.effect_noise((width, height), 30) for _ in range(3)])
    buffer = io.BytesIO()
    Image.blend(scene, noise, 0.2).save(buffer, "JPEG", quality=92)
    return buffer.getvalue()


def build_app(url: str):
    """The app on a migrated database holding one open round; returns it with the round's token and unit."""
    app = create_app({
        "SQLALCHEMY_DATABASE_URI": url,
        "SECRET_KEY": "bench",
        "WTF_CSRF_ENABLED": False,
        "CAPTCHA": False,
        "SUBMIT_LIMIT": "1000000 per minute",
        "RATELIMIT_STORAGE_URI": "memory://",
        "BASE_URL": "http://bench",
    })
    with app.app_context():
        flask_migrate.upgrade()
        today = date.today()
        round_ = create_round(
            {"name": "基准测试轮次", "starts_on": today - timedelta(days=1), "ends_on": today + timedelta(days=30),
             "status": "open", "categories": ["其他"]},
            [TeamPlan("一组", ["甲单位"])],
        )
        token, unit_id = round_.round_code.token, round_.units[0].id
        db.session.remove()
    return app, token, unit_id


def request_bodies(unit_id: int, photo: bytes) -> dict[str, tuple[str, bytes]]:
    """Each kind's multipart body, as a browser sends the form: (content type, bytes)."""
    bodies = {}
    for kind in KINDS:
        fields = {"anonymous": "1", "unit_id": str(unit_id), "category": "其他", "subject_name": "某某",
                  "subject_unit": "某街道办事处", "subject_position": "副主任", "content": CONTENT, "homepage": ""}
        if kind.startswith("named"):
            fields |= {"anonymous": "0", "reporter_name": "张三", "reporter_phone": "13800138000"}
        if kind.endswith("photo"):
            fields["attachments"] = FileStorage(io.BytesIO(photo), filename="IMG_0001.jpg", content_type="image/jpeg")
        boundary, body = encode_multipart(fields)
        bodies[kind] = (f"multipart/form-data; boundary={boundary}", body)
    return bodies


def submit(client, token: str, content_type: str, body: bytes) -> float:
    """One submission; its duration in seconds. Anything but the receipt page stops the benchmark."""
    started = time.perf_counter()
    response = client.post(f"/r/{token}", data=body, content_type=content_type)
    elapsed = time.perf_counter() - started
    if response.status_code != 200 or b'id="receipt"' not in response.data:
        sys.exit(f"submission failed: {response.status_code}\n{response.get_data(as_text=True)[:2000]}")
    return elapsed


def run(url: str, count: int) -> dict[str, list[float]]:
    """Warm up, then time `count` submissions of each kind, interleaved so that drift hits all kinds alike."""
    app, token, unit_id = build_app(url)
    photo = noisy_photo()
    print(f"photo: {PHOTO_SIZE[0]}x{PHOTO_SIZE[1]} JPEG, {len(photo) / 1e6:.1f} MB", file=sys.stderr)
    bodies = request_bodies(unit_id, photo)
    client = app.test_client()
    for i in range(WARMUP):
        submit(client, token, *bodies[KINDS[i % len(KINDS)]])
    timings = {kind: [] for kind in KINDS}
    for _ in range(count):
        for kind in KINDS:
            timings[kind].append(submit(client, token, *bodies[kind]))
    with app.app_context():
        db.engine.dispose()
    return timings


def table(backend: str, timings: dict[str, list[float]]) -> str:
    lines = ["| backend | kind | median ms | p95 ms | mean ms | reports/s |", "|---|---|--:|--:|--:|--:|"]
    for kind, seconds in timings.items():
        ms = sorted(s * 1000 for s in seconds)
        p95 = statistics.quantiles(ms, n=20, method="inclusive")[18]
        mean = statistics.fmean(ms)
        median = statistics.median(ms)
        lines.append(f"| {backend} | {kind} | {median:.1f} | {p95:.1f} | {mean:.1f} | {1000 / mean:.1f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="postgresql://... (a fresh database is made beside it); "
                                               "default: a fresh SQLite file")
    parser.add_argument("--count", type=int, default=300, help="timed submissions per kind (default 300)")
    args = parser.parse_args()
    # Keys from the environment, so that nothing is written into the project's instance folder.
    key = base64.b64encode(os.urandom(32)).decode()
    os.environ["REPORTING_DATA_KEY"] = key
    os.environ["REPORTING_SECRET_KEY"] = key
    with tempfile.TemporaryDirectory(prefix="bench-submit-") as workdir:
        workdir = Path(workdir)
        if args.database_url and not args.database_url.startswith("sqlite"):
            url = create_database_beside(args.database_url, "reporting_bench")
            try:
                timings = run(url, args.count)
            finally:
                drop_database(args.database_url, url)
        else:
            url = args.database_url or f"sqlite:///{workdir / 'bench.sqlite'}"
            timings = run(url, args.count)
    backend = make_url(url).get_backend_name()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux
    print(table(backend, timings))
    print(f"\n{args.count} timed submissions per kind after {WARMUP} warm-up; peak RSS {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
