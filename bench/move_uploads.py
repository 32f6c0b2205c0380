"""The upgrade that moves photos from disk into the database (0009): its time and the memory it adds.

A database at 0008 holds COUNT attachments whose files (SIZE_KB of random bytes each, as incompressible as
a JPEG) lie in the upload folder; the upgrade to 0009 is timed, and the process's peak memory is read before
and after it. Memory should stay flat whatever COUNT: the files are moved a batch at a time.

    .venv/bin/python -m bench.move_uploads                        # SQLite, 400 files of 1 MB
    .venv/bin/python -m bench.move_uploads --count 1000 --database-url postgresql://postgres@127.0.0.1:5432/test
"""
import argparse
import base64
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import flask_migrate
from sqlalchemy import make_url, text

from reporting import create_app
from reporting.extensions import db
from tests.databases import create_database_beside, drop_database
from tests.test_upgrade_with_data import insert, seed_0001


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def run(url: str, count: int, size: int, workdir: Path) -> None:
    upload_dir = workdir / "uploads"
    upload_dir.mkdir()
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "UPLOAD_DIR": upload_dir, "SECRET_KEY": "bench"})
    with app.app_context():
        flask_migrate.upgrade(revision="0001")
        with db.engine.begin() as connection:
            seed_0001(connection, upload_dir)
            for attachment_id in range(100, 100 + count):
                name = f"bench-{attachment_id}.jpg"
                (upload_dir / name).write_bytes(os.urandom(size))
                insert(connection, "attachment", {
                    "id": attachment_id, "report_id": 1, "message_id": None, "stored_name": name,
                    "content_type": "image/jpeg", "size": size, "width": 1, "height": 1,
                    "created_at": "2026-01-03 00:00:00"})
        flask_migrate.upgrade(revision="0008")
        before = peak_mb()
        started = time.perf_counter()
        flask_migrate.upgrade(revision="0009")
        elapsed = time.perf_counter() - started
        with db.engine.connect() as connection:
            moved = connection.execute(text("SELECT count(*) FROM attachment_blob")).scalar()
        db.engine.dispose()
    megabytes = count * size / 1024 / 1024
    print(f"| {make_url(url).get_backend_name()} | {moved} | {megabytes:.0f} | {elapsed:.1f} | "
          f"{megabytes / elapsed:.0f} | {before:.0f} | {peak_mb():.0f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="postgresql://... (a fresh database is made beside it); "
                                               "default: a fresh SQLite file")
    parser.add_argument("--count", type=int, default=400, help="files to move (default 400)")
    parser.add_argument("--size-kb", type=int, default=1024, help="bytes of each file, in KB (default 1024)")
    args = parser.parse_args()
    os.environ["REPORTING_DATA_KEY"] = base64.b64encode(os.urandom(32)).decode()
    print("| backend | files moved | MB | seconds | MB/s | peak RSS before, MB | peak RSS after, MB |")
    print("|---|--:|--:|--:|--:|--:|--:|")
    with tempfile.TemporaryDirectory(prefix="bench-move-") as workdir:
        if args.database_url and not args.database_url.startswith("sqlite"):
            url = create_database_beside(args.database_url, "reporting_bench")
            try:
                run(url, args.count, args.size_kb * 1024, Path(workdir))
            finally:
                drop_database(args.database_url, url)
        else:
            run(args.database_url or f"sqlite:///{workdir}/bench.sqlite", args.count, args.size_kb * 1024,
                Path(workdir))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
