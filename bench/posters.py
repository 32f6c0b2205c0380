"""How long `qr posters` takes and how much memory it holds, at 100 and at 1,381 posting locations.

fpdf2 keeps the whole document in memory until it writes it, so the question is whether a county's
thousand posters cost much more memory than a hundred. Each size runs in a subprocess of its own, so
that its peak RSS (`ru_maxrss`) is its own: a fresh SQLite file in a temporary directory, migrated; a
round of 15 teams with 10 units each, made by `create_round`; one location per poster with a label of
varied Chinese place names (so that the font subset grows as real lists make it grow), made by
`new_location_codes`; then `write_posters` is timed. `--languages` runs each size again for a round that
prints another language beside Chinese (`bo` Tibetan, `ug` Uyghur: a second font, HarfBuzz shaping).

    .venv/bin/python bench/posters.py
    .venv/bin/python -m bench.posters --sizes 100,1381,5000
    .venv/bin/python -m bench.posters --sizes 100 --languages zh,bo,ug

Prints a Markdown table (seconds, CPU seconds, pages per second, file size, RSS before the posters and
at peak) and the ratio of each larger size's peak RSS to the smallest's (the goal for 1,381/100 is at
most 1.5). On a shared machine the CPU seconds are the steadier measure of cost.
"""
import argparse
import base64
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

# Run as a script, this folder comes first on sys.path, and bench/queue.py would shadow the standard
# library's `queue`: keep the folder off the path.
if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    sys.path.pop(0)

import flask_migrate  # noqa: E402

from reporting import create_app  # noqa: E402
from reporting.models import Round  # noqa: E402
from reporting.posters.locations import LocationRow, new_location_codes, save_codes  # noqa: E402
from reporting.posters.pdf import write_posters  # noqa: E402
from reporting.rounds.services import TeamPlan, create_round  # noqa: E402

PROJECT_ROOT = Path(__file__).resolve().parent.parent
TEAMS, UNITS_PER_TEAM = 15, 10
# Characters of Chinese place names: village names are drawn from these, two or three at a time.
PLACE_CHARACTERS = (
    "东西南北中上下前后新老大小长高平安和兴隆丰太永宁福康寿昌盛华光明清河江湖海山岭峰坡岗沟湾塘池泉井"
    "桥庄屯寨营堡店集铺坊街巷村镇乡县城关口门台石田林松柏杨柳桃李梅竹花草青白红黄金银龙凤马牛羊鸡"
    "王张刘陈赵周吴郑孙朱胡郭何高罗梁宋唐许韩冯邓曹彭曾萧田董袁潘蒋蔡余杜叶程魏苏吕丁沈任姚卢姜崔钟"
)
POSTING_PLACES = ["村委会公告栏", "村口宣传栏", "文化广场", "便民服务站", "小学门口", "卫生室", "集市入口",
                  "党群服务中心"]
NOTICE = (
    "<p>巡察组主要受理反映被巡察党组织领导班子及其成员、下一级党组织领导班子主要负责人和重要岗位领导干部问题的"
    "来信来电来访，重点是关于违反政治纪律、组织纪律、廉洁纪律、群众纪律、工作纪律和生活纪律等方面的举报和反映。</p>"
    "<p>根据规定，巡察组不受理不属于巡察受理范围的其他信访问题：涉法涉诉问题请向政法机关反映。</p>"
)


def locations(count: int, unit_ids: list[int]) -> list[LocationRow]:
    """`count` posting places, spread over the units, with village names as varied as a county's."""
    rng = random.Random(count)
    return [
        LocationRow(f"{''.join(rng.sample(PLACE_CHARACTERS, rng.choice((2, 3))))}村{rng.choice(POSTING_PLACES)}",
                    unit_ids[i % len(unit_ids)], i + 2)
        for i in range(count)
    ]


def current_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def county_round() -> Round:
    """An open round with its notice and offline channels, 15 teams of 10 units, as `create_round` makes it."""
    today = date.today()
    return create_round(
        {"name": "中共示范县委第三轮巡察", "starts_on": today, "ends_on": today + timedelta(days=45),
         "status": "open", "phone": "0000-12345678", "postal_box": "示范县邮政信箱 001 号",
         "email": "xuncha@example.org", "intake_hours": "工作日 8:30—12:00，14:30—17:30", "notice": NOTICE},
        [TeamPlan(f"第{t + 1}巡察组", [f"第{t + 1}组第{u + 1}单位" for u in range(UNITS_PER_TEAM)])
         for t in range(TEAMS)],
    )


def measure(count: int, language: str) -> dict:
    """In this (child) process: make `count` posters on a fresh database and return what they cost; `language`
    beside Chinese unless it is `zh`."""
    with tempfile.TemporaryDirectory(prefix="bench-posters-") as workdir:
        workdir = Path(workdir)
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{workdir / 'bench.sqlite'}", "SECRET_KEY": "bench",
                          "BASE_URL": "https://xuncha.example.gov.cn", "RATELIMIT_STORAGE_URI": "memory://"})
        with app.app_context():
            flask_migrate.upgrade()
            round_ = county_round()
            round_.languages = [] if language == "zh" else [language]
            started = time.perf_counter()
            codes = save_codes(new_location_codes(round_, locations(count, [unit.id for unit in round_.units])))
            codes_seconds = time.perf_counter() - started
            rss_before = current_rss_mb()
            out = workdir / "posters.pdf"
            started, cpu_started = time.perf_counter(), time.process_time()
            write_posters(round_, codes, out)
            seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
            return {
                "language": language, "pages": len(codes), "seconds": seconds, "cpu_seconds": cpu_seconds,
                "codes_seconds": codes_seconds,
                "bytes": out.stat().st_size, "rss_before_mb": rss_before,
                "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,  # KiB on Linux
            }


def run_child(count: int, language: str) -> dict:
    """`measure` in a fresh interpreter, so that its peak memory is its own."""
    completed = subprocess.run([sys.executable, "-m", "bench.posters", "--child", str(count), "--languages", language],
                               cwd=PROJECT_ROOT, check=True, capture_output=True, text=True)
    return json.loads(completed.stdout.splitlines()[-1])


def table(results: list[dict]) -> str:
    lines = ["| languages | pages | seconds | CPU seconds | pages/s | file size | RSS before posters | peak RSS "
             "| codes made in |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        languages = "zh" if r["language"] == "zh" else f"zh + {r['language']}"
        lines.append(f"| {languages} | {r['pages']:,} | {r['seconds']:.1f} | {r['cpu_seconds']:.1f} | "
                     f"{r['pages'] / r['seconds']:.0f} | {r['bytes'] / 1024:,.0f} KB | {r['rss_before_mb']:.0f} MB | "
                     f"{r['peak_rss_mb']:.0f} MB | {r['codes_seconds']:.2f} s |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1381", help="comma-separated page counts (default 100,1381)")
    parser.add_argument("--languages", default="zh",
                        help="comma-separated: zh (Chinese only), or a language printed beside it (default zh)")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child, args.languages)))
        return
    # Keys from the environment (children inherit them), so nothing is written into the instance folder.
    key = base64.b64encode(os.urandom(32)).decode()
    os.environ["REPORTING_DATA_KEY"] = key
    os.environ["REPORTING_SECRET_KEY"] = key
    for language in args.languages.split(","):
        results = [run_child(int(size), language) for size in args.sizes.split(",")]
        print(table(results) + "\n")
        compare_sizes(results)


def compare_sizes(results: list[dict]) -> None:
    smallest = results[0]
    for larger in results[1:]:
        per_page_kb = (larger["peak_rss_mb"] - smallest["peak_rss_mb"]) * 1024 / (larger["pages"] - smallest["pages"])
        print(f"peak RSS {larger['pages']:,}/{smallest['pages']:,} pages: "
              f"{larger['peak_rss_mb'] / smallest['peak_rss_mb']:.2f} (goal for 1,381/100: at most 1.5); "
              f"{per_page_kb:.0f} KB more per page")


if __name__ == "__main__":
    main()
