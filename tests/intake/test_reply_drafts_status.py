"""`/status` and a round whose replies need a leader's approval: the reporter reads a member's reply once it is
approved, dated by its approval, and never a draft waiting or returned."""
from datetime import datetime, timezone

from reporting.extensions import db
from reporting.models import DEFAULT_TIMEZONE, today_in
from reporting.reports.replies import approve, send_back
from reporting.reports.services import add_message
from tests.factories import make_staff
from tests.intake.conftest import the_report


def test_the_reporter_reads_a_members_reply_once_a_leader_approved_it(open_round, receipt, lookup):
    open_round.replies_need_approval = True
    member, leader = make_staff("member", open_round.teams), make_staff("leader", open_round.teams)
    report = the_report()
    returned = add_message(member, report, "reply", "我们会尽快去村里核实。")
    send_back(leader, report, returned, "先别承诺时间。")
    draft = add_message(member, report, "reply", "已交由镇纪委核实。")
    draft.created_at = datetime(2026, 1, 2, 9, tzinfo=timezone.utc)  # written long before it was approved
    db.session.commit()
    before = lookup(receipt=receipt).get_data(as_text=True)
    assert "已交由镇纪委核实。" not in before and "尽快去村里核实" not in before and 'id="public-status"' in before
    approve(leader, report, draft, draft.body)
    after = lookup(receipt=receipt).get_data(as_text=True)
    assert "已交由镇纪委核实。" in after and "尽快去村里核实" not in after
    today = today_in(DEFAULT_TIMEZONE)
    assert f"巡视巡察组答复 · {today.year}年{today.month}月{today.day}日" in after and "2026年1月2日" not in after
