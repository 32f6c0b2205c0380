"""The job page's rules: when a job is taken for lost, and the download's name for every browser."""
from datetime import datetime, timedelta, timezone
from urllib.parse import unquote

import pytest

from reporting.jobs.rules import QUEUE_LIMIT, RUN_LIMIT, content_disposition, fitted_filename, shown_state
from reporting.models import Job

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=timezone.utc)
JUST = timedelta(seconds=1)


def job(status: str, created_ago: timedelta, started_ago: timedelta | None = None, failure: str = "") -> Job:
    return Job(status=status, failure=failure, created_at=NOW - created_ago,
               started_at=NOW - started_ago if started_ago is not None else None)


@pytest.mark.parametrize(("shown", "expected"), [
    (job("queued", QUEUE_LIMIT - JUST), ("queued", "")),
    (job("queued", QUEUE_LIMIT + JUST), ("failed", "not_started")),
    (job("running", QUEUE_LIMIT * 2, RUN_LIMIT - JUST), ("running", "")),
    (job("running", RUN_LIMIT * 2, RUN_LIMIT + JUST), ("failed", "interrupted")),
    (job("done", RUN_LIMIT * 9, RUN_LIMIT * 8), ("done", "")),
    (job("failed", RUN_LIMIT * 9, RUN_LIMIT * 8, failure="round_gone"), ("failed", "round_gone")),
])
def test_a_job_waiting_or_running_past_its_limit_is_shown_failed(shown, expected):
    assert shown_state(shown, NOW) == expected


def test_an_ascii_name_is_given_plainly():
    assert content_disposition("ledger-2026-12-02.xlsx") == 'attachment; filename="ledger-2026-12-02.xlsx"'


def test_a_chinese_name_is_given_by_rfc_5987_with_an_ascii_fallback():
    header = content_disposition('示范县"巡察"-海报.pdf')
    fallback, encoded = header.split("; filename*=UTF-8''")
    assert fallback == 'attachment; filename="-.pdf"'
    assert unquote(encoded) == '示范县"巡察"-海报.pdf' and '"' not in encoded and " " not in encoded


def test_a_long_name_is_cut_to_fit_and_keeps_its_extension():
    assert fitted_filename("台账.xlsx", 10) == "台账.xlsx"
    assert fitted_filename("很长的巡察轮次名称-海报.pdf", 10) == "很长的巡察轮.pdf"
    assert fitted_filename("没有扩展名的很长名字", 5) == "没有扩展名"
