"""Scans of QR codes, counted without a database write per scan: no public GET writes to the database, and
no scan waits on another's lock or commit.

With REPORTING_REDIS_URL the counts live in Redis (HINCRBY is atomic, so every worker and host adds up); on
the embedded default they are buffered in the process and added to `qr_code.scan_count` when staff read the
figures, and when a gunicorn worker exits (gunicorn.conf.py). Figures are the stored count plus the pending.
"""
import hashlib
import threading
from collections import Counter

import redis
from flask import Flask, current_app
from sqlalchemy import update

from reporting.extensions import db
from reporting.models import QrCode


class Pending:
    """This process's scans not yet added to the database."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: Counter[int] = Counter()

    def add(self, code_id: int) -> None:
        with self._lock:
            self._counts[code_id] += 1

    def take(self) -> Counter[int]:
        with self._lock:
            taken, self._counts = self._counts, Counter()
        return taken

    def put_back(self, counts: Counter[int]) -> None:
        with self._lock:
            self._counts.update(counts)


def init_app(app: Flask) -> None:
    app.extensions["reporting.scans"] = Pending()
    url = app.config.get("REDIS_URL")
    app.extensions["reporting.redis"] = redis.Redis.from_url(url) if url else None


def redis_key() -> str:
    """One hash per deployment (its secret), so that two sites, or two test runs, on one Redis never mix."""
    return "reporting:scans:" + hashlib.sha256(current_app.config["SECRET_KEY"].encode()).hexdigest()[:16]


def count_scan(code_id: int) -> None:
    client = current_app.extensions["reporting.redis"]
    if client is not None:
        try:
            client.hincrby(redis_key(), str(code_id), 1)
            return
        except redis.RedisError:
            current_app.logger.warning("Redis unreachable: a scan is kept in this process")
    current_app.extensions["reporting.scans"].add(code_id)


def flush() -> None:
    """Add this process's pending scans to the database, in one transaction; kept for later if it fails."""
    pending: Pending = current_app.extensions["reporting.scans"]
    counts = pending.take()
    if not counts:
        return
    try:
        for code_id, scans in sorted(counts.items()):  # in id order: two flushes at once never deadlock
            db.session.execute(update(QrCode).where(QrCode.id == code_id).values(scan_count=QrCode.scan_count + scans))
        db.session.commit()
    except BaseException:
        db.session.rollback()
        pending.put_back(counts)
        raise


def scans_of(codes: list[QrCode]) -> dict[int, int]:
    """Each code's scans so far: what the database holds plus what Redis holds (after this process's flush)."""
    flush()
    client = current_app.extensions["reporting.redis"]
    held = [0] * len(codes)
    if client is not None and codes:
        try:
            held = [int(value or 0) for value in client.hmget(redis_key(), [str(code.id) for code in codes])]
        except redis.RedisError:
            current_app.logger.warning("Redis unreachable: scan figures show the database's counts only")
    return {code.id: code.scan_count + extra for code, extra in zip(codes, held, strict=True)}
