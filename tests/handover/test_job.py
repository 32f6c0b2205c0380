"""A round too large for a request is handed over by a background job: the page leads to the job's page, which
offers the zip once written (the runner itself is tested in tests/jobs)."""
import json

import pytest

from reporting.triage.services import apply_action
from tests.factories import csrf_token, log_in, make_round, make_staff
from tests.handover.conftest import CLUE, opened, photo, received
from tests.jobs.conftest import job_id_of, live_app, sqlite_url, state, wait_for_end

__all__ = ["live_app", "sqlite_url"]  # fixtures of the jobs' tests: a site whose threads see what it commits


@pytest.mark.app_config(HANDOVER_JOB_BYTES=0)
def test_a_round_too_large_for_a_request_is_handed_over_by_a_job(live_app):
    round_ = make_round()
    admin = make_staff("admin")
    clue = received(round_, images=[photo(1)], content="反映甲单位张三违规发放津贴。")
    apply_action(clue, admin, "clue", CLUE)
    client = live_app.test_client()
    log_in(client, admin)
    page = client.get(f"/admin/rounds/{round_.id}/handover").get_data(as_text=True)
    job_id = job_id_of(client.post(f"/admin/rounds/{round_.id}/handover", data={"csrf_token": csrf_token(page)}))
    assert state(wait_for_end(client, job_id)) == "done"
    download = client.get(f"/staff/jobs/{job_id}/download", buffered=True)
    assert download.status_code == 200 and download.mimetype == "application/zip"
    package = opened(download.data)
    assert json.loads(package.read("manifest.json"))["round"]["id"] == round_.id
    assert any(name.startswith(f"clues/{clue.clue_number}/attachments/") for name in package.namelist())
