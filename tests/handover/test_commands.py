"""`flask rounds handover`: the zip where asked (or under qr/), Chinese messages, non-zero on a refusal."""
import json
import stat

from sqlalchemy import select

from reporting.extensions import db
from reporting.models import AuditEvent
from tests.handover.conftest import NAME, opened, received


def test_the_command_writes_the_zip_and_says_where(runner, triaged, tmp_path):
    out = tmp_path / "handover.zip"
    result = runner.invoke(args=["rounds", "handover", str(triaged.round.id), "--out", str(out)])
    assert result.exit_code == 0, result.output
    listed = json.loads(opened(out.read_bytes()).read("manifest.json"))
    assert str(out) in result.output and f"{len(listed['files']) + 1} 个文件" in result.output
    assert stat.S_IMODE(out.stat().st_mode) == 0o600  # reports' text: owner-only
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "round.handed_over"))
    assert event.actor_id is None and event.detail["forced"] is False


def test_the_command_writes_under_qr_by_default(runner, triaged, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(args=["rounds", "handover", str(triaged.round.id)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "qr" / f"handover-round-{triaged.round.id}.zip").exists()


def test_the_command_refuses_undecided_reports_naming_them_and_leaves_no_file(runner, triaged, tmp_path):
    waiting = received(triaged.round)
    out = tmp_path / "handover.zip"
    result = runner.invoke(args=["rounds", "handover", str(triaged.round.id), "--out", str(out)])
    assert result.exit_code == 1 and "尚未处理完毕" in result.output and str(waiting.id) in result.output
    assert list(tmp_path.iterdir()) == []
    forced = runner.invoke(args=["rounds", "handover", str(triaged.round.id), "--out", str(out), "--force"])
    assert forced.exit_code == 0, forced.output and out.exists()


def test_the_command_puts_identities_in_only_when_asked(runner, triaged, tmp_path):
    out = tmp_path / "handover.zip"
    runner.invoke(args=["rounds", "handover", str(triaged.round.id), "--out", str(out)])
    assert NAME.encode() not in b"".join(opened(out.read_bytes()).read(name)
                                          for name in opened(out.read_bytes()).namelist())
    result = runner.invoke(args=["rounds", "handover", str(triaged.round.id), "--out", str(out), "--with-identity"])
    assert result.exit_code == 0, result.output
    assert f"clues/{triaged.named.clue_number}/identity.txt" in opened(out.read_bytes()).namelist()
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "identity.handed_over")) is not None


def test_an_unknown_round_is_an_error(runner, app):
    result = runner.invoke(args=["rounds", "handover", "999"])
    assert result.exit_code == 1 and "999" in result.output
