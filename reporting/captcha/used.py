"""Challenges already used, remembered until they expire, so that each is good once.

In Redis where REPORTING_REDIS_URL is set (SET NX is atomic, so every worker and host agree); otherwise, or while
Redis cannot be reached, in this process (enough for the embedded default's single worker).
"""
import hashlib
import threading
import time

import redis
from flask import Flask, current_app

PURGE_EVERY = 1024  # first uses between two sweeps of the expired ones out of the process's memory


class Remembered:
    """This process's used challenges and when each may be forgotten."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._until: dict[str, float] = {}
        self._added = 0

    def first_use(self, name: str, until: float) -> bool:
        now = time.time()
        with self._lock:
            if self._until.get(name, 0) > now:
                return False
            self._until[name] = until
            self._added += 1
            if self._added % PURGE_EVERY == 0:
                self._until = {kept: when for kept, when in self._until.items() if when > now}
            return True


def init_app(app: Flask) -> None:
    app.extensions["reporting.captcha"] = Remembered()


def redis_key(name: str) -> str:
    """Namespaced by the deployment's secret, like the scan counts: two sites on one Redis never mix."""
    site = hashlib.sha256(current_app.config["SECRET_KEY"].encode()).hexdigest()[:16]
    return f"reporting:captcha:{site}:{name}"


def first_use(name: str, until: float) -> bool:
    """True the first time `name` is used before `until` (Unix seconds); False for a replay."""
    client = current_app.extensions.get("reporting.redis")
    if client is not None:
        try:
            return bool(client.set(redis_key(name), 1, nx=True, exat=int(until) + 1))
        except redis.RedisError:
            current_app.logger.warning("Redis unreachable: a used captcha challenge is kept in this process")
    return current_app.extensions["reporting.captcha"].first_use(name, until)
