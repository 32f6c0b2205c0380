"""Replies approved by a leader (a round's `replies_need_approval`): a member's reply is a draft the reporter does not
read until a leader of the team or an admin approves it, perhaps edited, or returns it with a note."""
from datetime import datetime, timezone

import pytest
from sqlalchemy import select, update

from reporting.access import may_approve_reply, may_revise_reply, reply_waits_for_approval
from reporting.extensions import db
from reporting.models import AuditEvent, Message, Round
from reporting.replies import seen_by_reporter, sent_on
from reporting.reports import replies
from tests.factories import csrf_from, csrf_token, log_in, make_staff

APPROVE = "/staff/reports/{report}/replies/{message}/approve"
RETURN = "/staff/reports/{report}/replies/{message}/return"
REVISE = "/staff/reports/{report}/replies/{message}/revise"
DRAFT = "您反映的问题已转县纪委监委办理。"


@pytest.fixture
def approval_round(two_teams):
    two_teams.replies_need_approval = True
    db.session.commit()
    return two_teams


@pytest.fixture
def draft(approval_round, client, staff, reports):
    """member1's reply on team 1's report, waiting for a leader; the client is logged out again."""
    report = reports["team1"][0]
    log_in(client, staff["member1"])
    path = f"/staff/reports/{report.id}"
    sent = client.post(f"{path}/messages", data={"csrf_token": csrf_from(client, path), "kind": "reply",
                                                 "body": DRAFT})
    assert sent.status_code == 302
    return db.session.scalars(select(Message).where(Message.kind == "reply")).one()


def status_page(client, receipt: str) -> str:
    """/status as the reporter reads it, from their own browser (no staff session)."""
    reporter = client.application.test_client()
    token = csrf_token(reporter.get("/status").get_data(as_text=True))
    return reporter.post("/status", data={"csrf_token": token, "receipt": receipt}).get_data(as_text=True)


def review(client, path: str, report_id: int, **fields):
    page = f"/staff/reports/{report_id}"
    return client.post(path, data={"csrf_token": csrf_from(client, page)} | fields)


def actions(report_id: int) -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.report_id == report_id, AuditEvent.action != "report.viewed").order_by(AuditEvent.id)))


# The rules, called directly.

@pytest.mark.parametrize(("role", "setting", "waits"), [
    ("member", True, True), ("leader", True, False), ("admin", True, False), ("member", False, False)])
def test_only_a_members_reply_in_a_round_with_the_setting_waits(app, role, setting, waits):
    assert reply_waits_for_approval(make_staff(role), Round(replies_need_approval=setting)) is waits


def test_a_leader_of_the_team_or_an_admin_approves_and_nobody_else(staff, reports, two_teams):
    report = reports["team1"][0]
    other_leader = make_staff("leader", [two_teams.teams[1]])
    assert may_approve_reply(staff["leader1"], report) and may_approve_reply(staff["admin"], report)
    assert not may_approve_reply(staff["member1"], report) and not may_approve_reply(other_leader, report)


@pytest.mark.parametrize(("kind", "review_", "seen"), [
    ("reporter", "", True), ("note", "", False), ("reply", "", True), ("reply", "waiting", False),
    ("reply", "returned", False), ("reply", "approved", True)])
def test_the_reporter_reads_their_additions_and_sent_replies_only(kind, review_, seen):
    assert seen_by_reporter(Message(kind=kind, review=review_, body="x")) is seen


def test_an_approved_draft_is_dated_by_its_approval():
    written, approved = datetime(2026, 1, 2, tzinfo=timezone.utc), datetime(2026, 1, 5, tzinfo=timezone.utc)
    assert sent_on(Message(kind="reply", review="approved", created_at=written, reviewed_at=approved)) == approved
    assert sent_on(Message(kind="reply", review="", created_at=written)) == written


# Through the pages.

def test_a_members_reply_waits_unseen_until_a_leader_approves_it_edited(client, staff, reports, draft):
    report, receipt = reports["team1"]
    assert draft.review == "waiting" and actions(report.id) == ["reply.submitted"]
    assert DRAFT not in status_page(client, receipt)
    log_in(client, staff["member1"])
    page = client.get(f"/staff/reports/{report.id}").get_data(as_text=True)
    assert "待组长审核" in page and "提交回复待审核" in page and "审核通过，发给反映人" not in page
    log_in(client, staff["leader1"])
    page = client.get(f"/staff/reports/{report.id}").get_data(as_text=True)
    assert "审核通过，发给反映人" in page and "退回给 member1" in page
    edited = "您反映的问题已移交县纪委监委办理，请耐心等待。"
    response = review(client, APPROVE.format(report=report.id, message=draft.id), report.id, body=edited)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"#message-{draft.id}")
    db.session.expire_all()
    assert (draft.review, draft.reviewed_by_id, draft.body) == ("approved", staff["leader1"].id, edited)
    shown = status_page(client, receipt)
    assert edited in shown and DRAFT not in shown and "leader1" not in shown
    page = client.get(f"/staff/reports/{report.id}").get_data(as_text=True)
    assert "leader1 于" in page and "审核通过，反映人已可看到" in page and "审核通过回复" in page
    approved = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "reply.approved")).one()
    assert approved.detail == {"edited": True, "drafted": DRAFT}


def test_a_returned_draft_tells_the_member_why_and_never_reaches_the_reporter(client, staff, reports, draft):
    report, receipt = reports["team1"]
    log_in(client, staff["leader1"])
    path = RETURN.format(report=report.id, message=draft.id)
    refused = review(client, path, report.id, note=" ")
    assert refused.status_code == 400 and "请填写退回理由。" in refused.get_data(as_text=True)
    assert review(client, path, report.id, note="先别说移交了哪里，等批复。").status_code == 302
    log_in(client, staff["member1"])
    page = client.get(f"/staff/reports/{report.id}").get_data(as_text=True)
    assert "已退回，未发出" in page and "先别说移交了哪里，等批复。" in page and "退回回复" in page
    assert DRAFT not in status_page(client, receipt)
    assert actions(report.id) == ["reply.submitted", "reply.returned"]
    again = review(client, APPROVE.format(report=report.id, message=draft.id), report.id, body=DRAFT)
    assert again.status_code == 403  # a member approves nothing


def test_a_draft_is_reviewed_once(client, staff, reports, draft):
    report = reports["team1"][0]
    log_in(client, staff["admin"])
    path = APPROVE.format(report=report.id, message=draft.id)
    assert review(client, path, report.id, body=DRAFT).status_code == 302
    second = review(client, RETURN.format(report=report.id, message=draft.id), report.id, note="晚了")
    assert second.status_code == 409 and "这条回复已经审核" in second.get_data(as_text=True)
    db.session.expire_all()
    with pytest.raises(replies.NotWaiting):
        replies.approve(staff["admin"], report, draft, DRAFT)


def test_of_two_leaders_at_once_the_second_sees_what_the_first_did(staff, reports, draft):
    report = reports["team1"][0]
    assert draft.review == "waiting"  # as the second leader's request loaded it
    # The first leader's approval, committed meanwhile: written past this session, which still holds the draft.
    db.session.connection().execute(update(Message.__table__).where(Message.id == draft.id).values(
        review="approved", reviewed_by_id=staff["admin"].id))
    with pytest.raises(replies.NotWaiting):
        replies.send_back(staff["leader1"], report, draft, "晚了")
    assert (draft.review, draft.reviewed_by_id) == ("approved", staff["admin"].id)  # not "returned" by leader1


def test_another_teams_leader_and_a_member_are_refused(client, staff, reports, draft, two_teams):
    report = reports["team1"][0]
    path = APPROVE.format(report=report.id, message=draft.id)
    log_in(client, make_staff("leader", [two_teams.teams[1]]))
    assert client.post(path, data={"csrf_token": csrf_from(client, "/staff/account"), "body": "x"}).status_code == 404
    log_in(client, staff["member1"])
    assert review(client, path, report.id, body="x").status_code == 403
    with pytest.raises(PermissionError):
        replies.send_back(staff["member1"], report, draft, "x")
    db.session.expire_all()
    assert draft.review == "waiting"


def test_only_a_reply_of_the_report_is_reviewed(client, staff, reports, draft):
    other = reports["team2"][0]
    log_in(client, staff["admin"])
    assert review(client, APPROVE.format(report=other.id, message=draft.id), other.id, body="x").status_code == 404
    assert review(client, APPROVE.format(report=draft.report_id, message=999999), draft.report_id,
                  body="x").status_code == 404


@pytest.mark.parametrize("author", ["leader1", "admin"])
def test_a_leaders_or_admins_own_reply_goes_out_at_once(client, staff, reports, approval_round, author):
    report, receipt = reports["team1"]
    log_in(client, staff[author])
    path = f"/staff/reports/{report.id}"
    client.post(f"{path}/messages", data={"csrf_token": csrf_from(client, path), "kind": "reply", "body": DRAFT})
    assert DRAFT in status_page(client, receipt) and actions(report.id) == ["message.reply"]


def test_turning_the_setting_off_sends_no_waiting_draft(client, staff, reports, draft, approval_round):
    report, receipt = reports["team1"]
    approval_round.replies_need_approval = False
    db.session.commit()
    assert DRAFT not in status_page(client, receipt)
    log_in(client, staff["member1"])
    path = f"/staff/reports/{report.id}"
    client.post(f"{path}/messages", data={"csrf_token": csrf_from(client, path), "kind": "reply", "body": "新的回复。"})
    shown = status_page(client, receipt)
    assert "新的回复。" in shown and DRAFT not in shown  # later replies go out; the old draft still waits


def post_after_hand_over(client, report_id: int, round_: Round, path: str, **fields):
    """What the report's page, opened before its round was closed and handed over, posts after it."""
    page = client.get(f"/staff/reports/{report_id}").get_data(as_text=True)
    round_.status, round_.handed_over_at = "closed", round_.created_at
    db.session.commit()
    return client.post(path, data={"csrf_token": csrf_token(page)} | fields)


def test_a_handed_over_round_keeps_its_draft_as_it_was(client, staff, reports, draft, approval_round):
    report = reports["team1"][0]
    log_in(client, staff["leader1"])
    response = post_after_hand_over(client, report.id, approval_round, APPROVE.format(report=report.id,
                                                                                      message=draft.id), body=DRAFT)
    assert response.status_code == 409
    assert "审核通过，发给反映人" not in client.get(f"/staff/reports/{report.id}").get_data(as_text=True)
    db.session.expire_all()
    assert draft.review == "waiting"


def test_the_queue_counts_waiting_drafts_for_leaders_and_filters_them(client, staff, reports, draft, two_teams):
    report = reports["team1"][0]
    log_in(client, staff["leader1"])
    queue = client.get("/staff/").get_data(as_text=True)
    assert "待审核的回复 1 条" in queue and "回复待审核" in queue and "/staff/?reply=waiting" in queue
    filtered = client.get("/staff/?reply=waiting").get_data(as_text=True)
    assert f'data-id="{report.id}"' in filtered and filtered.count('class="report-row') == 1
    assert "符合筛选条件的反映共 1 件。" in filtered  # counted, not taken from the tally of the whole team
    log_in(client, staff["member1"])
    assert "待审核的回复" not in client.get("/staff/").get_data(as_text=True)
    log_in(client, make_staff("leader", [two_teams.teams[1]]))
    assert "待审核的回复" not in client.get("/staff/").get_data(as_text=True)
    assert 'class="report-row' not in client.get("/staff/?reply=waiting").get_data(as_text=True)
    log_in(client, staff["admin"])  # who sees both teams' reports: the filter, not the scope, leaves one
    assert client.get("/staff/?reply=waiting").get_data(as_text=True).count('class="report-row') == 1
    ledger = client.get("/staff/export.csv?reply=waiting", buffered=True).get_data(as_text=True).splitlines()
    assert [line.split(",")[0] for line in ledger[1:]] == [str(report.id)]  # the ledger takes the same filter


# A returned draft, revised by its author.

REVISED = "您反映的问题我组正在核实，核实后在本页答复。"
NOTE = "先别说移交了哪里，等批复。"


@pytest.fixture
def returned(client, staff, reports, draft):
    """member1's draft, returned by leader1 with NOTE; the client is logged in as member1."""
    report = reports["team1"][0]
    log_in(client, staff["leader1"])
    assert review(client, RETURN.format(report=report.id, message=draft.id), report.id, note=NOTE).status_code == 302
    log_in(client, staff["member1"])
    return draft


def test_only_the_author_revises_a_returned_draft(staff, reports, returned, two_teams):
    report = reports["team1"][0]
    assert may_revise_reply(staff["member1"], report, returned)
    another_member = make_staff("member", [two_teams.teams[0]])
    assert not may_revise_reply(another_member, report, returned) and not may_revise_reply(staff["leader1"], report,
                                                                                           returned)
    with pytest.raises(PermissionError):
        replies.revise(staff["leader1"], report, returned, REVISED)


def test_the_author_finds_a_returned_draft_in_the_queue(client, staff, reports, returned):
    report = reports["team1"][0]
    row = queue_row_html(client.get("/staff/").get_data(as_text=True), report.id)
    assert "回复被退回" in row and "回复待审核" not in row
    revised = review(client, REVISE.format(report=report.id, message=returned.id), report.id, body=REVISED)
    assert revised.status_code == 302
    row = queue_row_html(client.get("/staff/").get_data(as_text=True), report.id)
    assert "回复被退回" not in row and "回复待审核" in row


def queue_row_html(page: str, report_id: int) -> str:
    start = page.index(f'data-id="{report_id}"')
    return page[start:page.index("</tr>", start)]


def test_the_author_revises_a_returned_draft_and_it_waits_for_a_leader_again(client, staff, reports, returned):
    report, receipt = reports["team1"]
    page = client.get(f"/staff/reports/{report.id}").get_data(as_text=True)
    assert "修改后的回复" in page and "重新提交审核" in page and NOTE in page
    refused = review(client, REVISE.format(report=report.id, message=returned.id), report.id, body=" ")
    assert refused.status_code == 400 and "请填写内容。" in refused.get_data(as_text=True)
    too_long = "核实" * 2501
    refused = review(client, REVISE.format(report=report.id, message=returned.id), report.id, body=too_long)
    assert refused.status_code == 400 and f">{too_long}</textarea>" in refused.get_data(as_text=True)  # kept
    response = review(client, REVISE.format(report=report.id, message=returned.id), report.id, body=REVISED)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"#message-{returned.id}")
    db.session.expire_all()
    assert (returned.review, returned.body, returned.review_note, returned.reviewed_by_id) == (
        "waiting", REVISED, "", None)
    assert REVISED not in status_page(client, receipt)
    assert actions(report.id) == ["reply.submitted", "reply.returned", "reply.revised"]
    revised = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "reply.revised")).one()
    assert revised.detail == {"returned": DRAFT, "note": NOTE}
    page = client.get(f"/staff/reports/{report.id}").get_data(as_text=True)
    assert "修改被退回的回复后重新提交审核" in page and "被退回的原稿" in page and "重新提交审核</button>" not in page
    log_in(client, staff["leader1"])
    assert review(client, APPROVE.format(report=report.id, message=returned.id), report.id,
                  body=REVISED).status_code == 302
    assert REVISED in status_page(client, receipt)


def test_a_returned_draft_is_revised_once(client, staff, reports, returned):
    report = reports["team1"][0]
    path = REVISE.format(report=report.id, message=returned.id)
    assert review(client, path, report.id, body=REVISED).status_code == 302
    again = review(client, path, report.id, body="又改了一次。")
    assert again.status_code == 409 and "这条回复已经修改过了。" in again.get_data(as_text=True)
    with pytest.raises(replies.NotReturned):
        replies.revise(staff["member1"], report, returned, "又改了一次。")
    db.session.expire_all()
    assert returned.body == REVISED


def test_others_cannot_revise_a_returned_draft(client, staff, reports, returned, two_teams):
    report = reports["team1"][0]
    path = REVISE.format(report=report.id, message=returned.id)
    log_in(client, staff["leader1"])
    assert review(client, path, report.id, body=REVISED).status_code == 403
    assert "重新提交审核" not in client.get(f"/staff/reports/{report.id}").get_data(as_text=True)
    log_in(client, make_staff("member", [two_teams.teams[1]]))
    assert client.post(path, data={"csrf_token": csrf_from(client, "/staff/account"), "body": "x"}).status_code == 404
    db.session.expire_all()
    assert returned.review == "returned" and returned.body == DRAFT


def test_a_revision_goes_out_at_once_where_the_round_no_longer_asks_for_approval(
        client, staff, reports, returned, approval_round):
    report, receipt = reports["team1"]
    approval_round.replies_need_approval = False
    db.session.commit()
    drafted_at = returned.created_at
    response = review(client, REVISE.format(report=report.id, message=returned.id), report.id, body=REVISED)
    assert response.status_code == 302
    db.session.expire_all()
    assert returned.review == "" and sent_on(returned) > drafted_at  # dated by the revision, not the first draft
    assert "修改后的回复已发出" in client.get(f"/staff/reports/{report.id}").get_data(as_text=True)
    assert REVISED in status_page(client, receipt) and actions(report.id)[-1] == "reply.revised_sent"


def test_a_handed_over_round_keeps_its_returned_draft(client, staff, reports, returned, approval_round):
    report = reports["team1"][0]
    response = post_after_hand_over(client, report.id, approval_round, REVISE.format(report=report.id,
                                                                                     message=returned.id), body=REVISED)
    assert response.status_code == 409
    assert "重新提交审核" not in client.get(f"/staff/reports/{report.id}").get_data(as_text=True)
    db.session.expire_all()
    assert returned.review == "returned" and returned.body == DRAFT
