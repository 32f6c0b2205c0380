"""`apply_action` on the database: what each action stores, what the reporter sees, the tally, the audit trail."""
from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from reporting.access import NotAllowed
from reporting.extensions import db
from reporting.models import AuditEvent
from reporting.triage import services
from reporting.triage.rules import InvalidFields, InvalidTransition, public_status
from tests.factories import make_staff
from tests.triage.conftest import act, counted_tally, events, kept_tally, new_report, two_team_round

TRANSFER = {"body": "纪检监察机关", "body_name": "县纪委监委", "reference": "巡转〔2026〕3号",
            "transferred_on": "2026-03-02", "due_on": "2026-04-01"}


def test_review_marks_the_report_in_progress_and_keeps_the_note_in_the_history(report, staff):
    act(report, staff.member, "review", note=" 先核对低保名单。 ")
    assert report.status == "in_review" and public_status(report.status) == "in_progress"
    (event,) = events(report, "triage.review")
    assert event.actor_id == staff.member.id and event.round_id == report.round_id
    assert event.detail == {"note": "先核对低保名单。"}


def test_a_leaders_clue_gets_the_rounds_next_number(round_, report, staff):
    act(report, staff.leader, "clue", summary="村书记优亲厚友", disposal="初步核实")
    assert report.status == "clue" and public_status(report.status) == "in_progress"
    assert report.clue_number == f"{round_.starts_on.year}-0001"
    assert (report.clue_summary, report.clue_disposal) == ("村书记优亲厚友", "初步核实")
    (event,) = events(report, "triage.clue")
    assert event.detail == {"summary": "村书记优亲厚友", "disposal": "初步核实", "clue_number": report.clue_number}


def test_clue_numbers_are_sequential_within_a_round_and_start_again_in_another(round_, staff):
    reports = [new_report(round_, round_.units[0], content=f"第{n}件反映的内容") for n in range(3)]
    for report in reports:
        act(report, staff.admin, "clue", summary="s", disposal="谈话函询")
    year = round_.starts_on.year
    assert [report.clue_number for report in reports] == [f"{year}-0001", f"{year}-0002", f"{year}-0003"]
    other_round = two_team_round()
    other = act(new_report(other_round, other_round.units[0]), staff.admin, "clue", summary="s", disposal="暂存待查")
    assert other.clue_number == f"{other_round.starts_on.year}-0001"


def test_the_next_clue_number_follows_the_greatest_not_the_last_in_text_order(round_, report, staff):
    year = round_.starts_on.year
    earlier = new_report(round_, round_.units[0], content="另一件")
    earlier.clue_number = f"{year}-9999"
    db.session.commit()
    act(report, staff.leader, "clue", summary="s", disposal="初步核实")
    assert report.clue_number == f"{year}-10000"


def test_a_clue_number_taken_meanwhile_is_counted_again_and_nothing_else_is_lost(round_, report, staff, monkeypatch):
    """What a concurrent clue does (see test_concurrency.py), on every backend: the first count is stale."""
    year = round_.starts_on.year
    taken = act(new_report(round_, round_.units[0], content="先成为线索"), staff.leader, "clue", summary="s",
                disposal="初步核实")
    counting, counted = services.next_clue_number, []

    def stale_once(*args):
        counted.append(args)
        return taken.clue_number if len(counted) == 1 else counting(*args)

    monkeypatch.setattr(services, "next_clue_number", stale_once)
    act(report, staff.leader, "clue", summary="村书记优亲厚友", disposal="谈话函询")
    assert len(counted) == 2 and report.clue_number == f"{year}-0002"
    assert (report.status, report.clue_summary) == ("clue", "村书记优亲厚友")
    assert kept_tally(round_.id) == counted_tally(round_.id)


def test_clue_numbering_gives_up_after_a_few_collisions(round_, report, staff, monkeypatch):
    taken = act(new_report(round_, round_.units[0], content="先成为线索"), staff.leader, "clue", summary="s",
                disposal="初步核实")
    monkeypatch.setattr(services, "next_clue_number", lambda *args: taken.clue_number)
    with pytest.raises(IntegrityError):
        act(report, staff.leader, "clue", summary="s", disposal="初步核实")
    db.session.rollback()
    assert report.status == "received" and report.clue_number is None


def test_a_members_clue_is_a_proposal_that_a_leader_approves(round_, report, staff):
    act(report, staff.member, "review")
    act(report, staff.member, "clue", summary=" 虚报冒领补贴 ", disposal="谈话函询")
    assert report.status == "proposed" and public_status(report.status) == "in_progress"
    assert report.proposal == {"action": "clue", "fields": {"summary": "虚报冒领补贴", "disposal": "谈话函询"},
                               "by": staff.member.id, "status_before": "in_review"}
    assert report.clue_number is None and report.clue_summary == ""
    assert events(report, "triage.clue")[0].detail["proposal"] is True

    act(report, staff.leader, "approve", note="同意")
    assert report.status == "clue" and report.proposal is None
    assert report.clue_number == f"{round_.starts_on.year}-0001"
    assert (report.clue_summary, report.clue_disposal) == ("虚报冒领补贴", "谈话函询")
    (event,) = events(report, "triage.approve")
    assert event.actor_id == staff.leader.id
    assert event.detail == {"proposed_action": "clue", "proposed_by": staff.member.id, "summary": "虚报冒领补贴",
                            "disposal": "谈话函询", "clue_number": report.clue_number, "note": "同意"}


def test_a_members_transfer_of_a_clue_returned_goes_back_to_clue(report, staff):
    act(report, staff.leader, "clue", summary="s", disposal="初步核实")
    act(report, staff.member, "transfer", **TRANSFER)
    assert report.status == "proposed" and report.proposal["status_before"] == "clue"
    assert report.transfer_body == ""
    act(report, staff.admin, "return", note="先谈话")
    assert report.status == "clue" and report.proposal is None and report.transfer_body == ""
    (event,) = events(report, "triage.return")
    assert event.detail == {"proposed_action": "transfer", "proposed_by": staff.member.id, "note": "先谈话"}


def test_an_approved_transfer_stores_the_members_fields(report, staff):
    act(report, staff.member, "transfer", **TRANSFER)
    act(report, staff.admin, "approve")
    assert report.status == "transferred" and report.transfer_body_name == "县纪委监委"
    assert events(report, "triage.approve")[0].detail["proposed_by"] == staff.member.id


def test_a_member_may_not_decide_a_proposal(report, staff):
    act(report, staff.member, "clue", summary="s", disposal="初步核实")
    for action in ("approve", "return"):
        with pytest.raises(NotAllowed):
            act(report, staff.member, action)
    assert report.status == "proposed" and report.proposal is not None


def test_a_transfer_stores_the_body_reference_and_dates(report, staff):
    act(report, staff.leader, "transfer", **TRANSFER)
    assert report.status == "transferred" and public_status(report.status) == "transferred"
    assert (report.transfer_body, report.transfer_body_name, report.transfer_reference) == (
        "纪检监察机关", "县纪委监委", "巡转〔2026〕3号")
    assert (report.transferred_on, report.transfer_due_on) == (date(2026, 3, 2), date(2026, 4, 1))
    assert events(report, "triage.transfer")[0].detail == TRANSFER


def test_the_answer_to_a_transfer_keeps_the_status(report, staff):
    act(report, staff.leader, "transfer", **TRANSFER)
    act(report, staff.member, "answer", answer="已立案审查。", answered_on="2026-03-20")
    assert report.status == "transferred"
    assert (report.transfer_answer, report.transfer_answered_on) == ("已立案审查。", date(2026, 3, 20))
    with pytest.raises(InvalidFields) as refused:
        act(report, staff.member, "answer", answer="x", answered_on="2026-03-01")
    assert set(refused.value.errors) == {"answered_on"}
    assert report.transfer_answered_on == date(2026, 3, 20)


def test_an_answer_needs_a_transfer(report, staff):
    with pytest.raises(InvalidTransition):
        act(report, staff.leader, "answer", answer="x", answered_on="2026-03-20")


def test_filing_concludes_the_report(report, staff):
    act(report, staff.member, "file", reason="反映内容已在前期整改中解决。")
    assert report.status == "filed" and public_status(report.status) == "concluded"
    assert report.closing_reason == "反映内容已在前期整改中解决。"


def test_out_of_scope_keeps_the_advice_for_the_reporter(report, staff):
    act(report, staff.member, "out_of_scope", reason="劳动争议", advice="请向县劳动人事争议仲裁委员会申请仲裁。")
    assert report.status == "out_of_scope" and public_status(report.status) == "out_of_scope"
    assert report.public_advice == "请向县劳动人事争议仲裁委员会申请仲裁。" and report.closing_reason == "劳动争议"


@pytest.mark.parametrize("action, fields", [("review", {}), ("file", {"reason": "r"}), ("assign", {}),
                                            ("clue", {"summary": "s", "disposal": "初步核实"})])
def test_a_concluded_report_refuses_further_triage_and_nothing_is_written(report, staff, action, fields):
    act(report, staff.leader, "file", reason="已了结")
    audit_count = db.session.scalar(select(func.count()).select_from(AuditEvent))
    with pytest.raises(InvalidTransition):
        act(report, staff.admin, action, **fields)
    assert report.status == "filed"
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == audit_count


def test_an_unknown_action_is_not_possible(report, staff):
    with pytest.raises(InvalidTransition):
        act(report, staff.admin, "delete")


def test_staff_of_another_team_may_do_nothing_to_the_report(report, staff):
    with pytest.raises(NotAllowed):
        act(report, staff.other, "review")
    assert report.status == "received"


def test_field_errors_change_nothing_and_name_each_field(report, staff):
    with pytest.raises(InvalidFields) as refused:
        act(report, staff.leader, "transfer", body=" ", transferred_on="2026/03/02", due_on="2026-02-30")
    assert set(refused.value.errors) == {"body", "transferred_on", "due_on"}
    assert report.status == "received" and events(report, "triage.transfer") == []
    assert kept_tally(report.round_id) == counted_tally(report.round_id)


# Duplicates -----------------------------------------------------------------------------------------------

def test_a_duplicate_is_linked_both_ways(round_, report, staff):
    again = new_report(round_, round_.units[1], content="同一件事又反映一次")
    act(again, staff.member, "duplicate", original_id=f" {report.id} ")
    assert again.status == "duplicate" and public_status(again.status) == "merged"
    assert again.duplicate_of == report and report.duplicates == [again]
    assert events(again, "triage.duplicate")[0].detail == {"original_id": report.id, "relinked": []}


def test_a_duplicate_of_a_duplicate_links_to_the_root(round_, report, staff):
    second, third = (new_report(round_, round_.units[0], content=f"重复{n}") for n in (2, 3))
    act(second, staff.leader, "duplicate", original_id=str(report.id))
    act(third, staff.leader, "duplicate", original_id=str(second.id))
    assert third.duplicate_of_id == report.id
    assert report.duplicates == [second, third]


def test_an_original_merged_into_another_brings_its_duplicates_along(round_, report, staff):
    earliest = report
    middle, copy = (new_report(round_, round_.units[0], content=text) for text in ("中间的反映", "复制件"))
    act(copy, staff.leader, "duplicate", original_id=str(middle.id))
    act(middle, staff.leader, "duplicate", original_id=str(earliest.id))
    assert middle.duplicate_of_id == copy.duplicate_of_id == earliest.id
    assert events(middle, "triage.duplicate")[0].detail == {"original_id": earliest.id, "relinked": [copy.id]}


def test_a_report_is_never_merged_into_a_later_one(round_, report, staff):
    later = new_report(round_, round_.units[0], content="后来的反映")
    with pytest.raises(InvalidFields):
        act(report, staff.leader, "duplicate", original_id=str(later.id))
    assert report.status == "received" and report.duplicate_of_id is None


def test_a_report_cannot_be_merged_into_its_own_duplicate(round_, report, staff):
    copy = new_report(round_, round_.units[0], content="复制件")
    act(copy, staff.leader, "duplicate", original_id=str(report.id))
    with pytest.raises(InvalidFields) as refused:
        act(report, staff.leader, "duplicate", original_id=str(copy.id))
    assert set(refused.value.errors) == {"original_id"}
    assert report.status == "received" and report.duplicate_of_id is None


def test_the_original_must_be_another_visible_report_of_the_same_round(round_, report, staff):
    other_team = new_report(round_, round_.units[2], content="第二组的反映")
    other_round = two_team_round()
    elsewhere = new_report(other_round, other_round.units[0])
    latest = new_report(round_, round_.units[0], content="最新的反映")  # every candidate is earlier than it
    for original_id in (latest.id, other_team.id, elsewhere.id, 999_999):
        with pytest.raises(InvalidFields):
            act(latest, staff.leader, "duplicate", original_id=str(original_id))
    assert latest.status == "received"
    act(latest, staff.admin, "duplicate", original_id=str(other_team.id))
    assert latest.duplicate_of_id == other_team.id


# Assigning and routing ----------------------------------------------------------------------------------

def test_a_leader_assigns_a_member_of_the_team_or_an_admin(report, staff):
    act(report, staff.leader, "assign", assignee=str(staff.member.id))
    assert report.assignee_id == staff.member.id and report.status == "received"
    assert events(report, "triage.assign")[0].detail == {"assignee_id": staff.member.id}
    act(report, staff.leader, "assign", assignee=str(staff.admin.id))
    assert report.assignee_id == staff.admin.id


def test_no_one_outside_the_team_and_no_disabled_account_is_assigned(report, staff):
    gone = make_staff("member", staff.leader.teams)
    gone.active = False
    db.session.commit()
    for assignee in (staff.other, gone):
        with pytest.raises(InvalidFields) as refused:
            act(report, staff.leader, "assign", assignee=str(assignee.id))
        assert set(refused.value.errors) == {"assignee"}
    with pytest.raises(NotAllowed):
        act(report, staff.member, "assign", assignee=str(staff.member.id))
    assert report.assignee_id is None


def test_an_admin_routes_an_unrouted_report_and_the_tally_follows(round_, staff):
    unrouted = new_report(round_)
    team2 = round_.teams[1]
    assert kept_tally(round_.id) == {(0, "received"): 1}
    with pytest.raises(NotAllowed):
        act(unrouted, staff.leader, "route", team_id=str(team2.id))
    act(unrouted, staff.admin, "route", team_id=str(team2.id))
    assert unrouted.team_id == team2.id and unrouted.status == "received"
    assert kept_tally(round_.id) == {(team2.id, "received"): 1}
    assert events(unrouted, "triage.route")[0].detail == {"team_id": team2.id}
    with pytest.raises(InvalidTransition):
        act(unrouted, staff.admin, "route", team_id=str(round_.teams[0].id))


def test_a_report_is_routed_only_to_a_team_of_its_round(round_, staff):
    unrouted = new_report(round_)
    other_round = two_team_round()
    with pytest.raises(InvalidFields) as refused:
        act(unrouted, staff.admin, "route", team_id=str(other_round.teams[0].id))
    assert set(refused.value.errors) == {"team_id"} and unrouted.team_id is None


# The tally ----------------------------------------------------------------------------------------------

def test_the_tally_matches_a_count_of_the_reports_after_a_sequence_of_actions(round_, staff):
    unit1, unit2, unit3 = round_.units
    a, b, c, d, e = (new_report(round_, unit, content=f"反映{n}") for n, unit in enumerate([unit1, unit2, unit3, None,
                                                                                           unit1]))
    f = new_report(round_, None, content="反映5")
    act(a, staff.member, "review")
    act(a, staff.member, "clue", summary="s", disposal="初步核实")
    act(a, staff.leader, "approve")
    act(a, staff.leader, "transfer", **TRANSFER)
    act(a, staff.member, "answer", answer="已处理", answered_on="2026-03-30")
    act(a, staff.member, "file", reason="已办结")
    act(b, staff.member, "transfer", **TRANSFER)
    act(b, staff.leader, "return", note="再核实")
    act(c, staff.other, "out_of_scope", reason="r", advice="请向法院起诉。")
    act(d, staff.admin, "route", team_id=str(round_.teams[0].id))
    act(e, staff.member, "duplicate", original_id=str(d.id))
    act(f, staff.admin, "review")
    act(f, staff.admin, "route", team_id=str(round_.teams[1].id))
    with pytest.raises(InvalidTransition):
        act(a, staff.admin, "review")
    team1, team2 = (team.id for team in round_.teams)
    assert kept_tally(round_.id) == counted_tally(round_.id) == {
        (team1, "filed"): 1, (team1, "received"): 2, (team1, "duplicate"): 1,
        (team2, "out_of_scope"): 1, (team2, "in_review"): 1,
    }
