"""满意度 on `/status`: a reporter rates a concluded or out-of-scope report once, with an optional comment; kept
with the day only and no identity, and shown on the staff's report page."""
import pytest
from sqlalchemy import select

from reporting.extensions import db
from reporting.intake.services import RatingRefused, rate
from reporting.models import Satisfaction
from reporting.triage.rules import may_rate
from reporting.triage.services import apply_action
from tests.factories import log_in, make_staff
from tests.intake.conftest import the_report

ALREADY = "这件反映已经评价过，每件只能评价一次。谢谢！"
NOT_YET = "反映办结或答复不属于受理范围后，才能评价。"


@pytest.fixture
def leader(open_round):
    return make_staff("leader", open_round.teams)


def ratings() -> list[Satisfaction]:
    db.session.expire_all()
    return list(db.session.scalars(select(Satisfaction)))


@pytest.mark.parametrize(("status", "rateable"), [
    ("received", False), ("in_review", False), ("proposed", False), ("clue", False), ("transferred", False),
    ("duplicate", False), ("concluded", True), ("filed", True), ("out_of_scope", True)])
def test_only_a_report_the_public_sees_as_finished_may_be_rated(status, rateable):
    assert may_rate(status) is rateable


def test_a_report_not_finished_offers_no_rating_and_refuses_one(lookup, receipt):
    assert 'id="rating-form"' not in lookup(receipt=receipt).get_data(as_text=True)
    response = lookup(receipt=receipt, rating="satisfied")
    assert response.status_code == 409 and NOT_YET in response.get_data(as_text=True)
    assert ratings() == []


@pytest.mark.parametrize(("action", "fields"), [("file", {"reason": "已了结"}),
                                                ("out_of_scope", {"reason": "不属于", "advice": "请向法院反映"})])
def test_a_finished_report_is_rated_once_and_staff_see_it(client, lookup, receipt, leader, action, fields):
    apply_action(the_report(), leader, action, fields)
    assert 'id="rating-form"' in lookup(receipt=receipt).get_data(as_text=True)
    response = lookup(receipt=receipt, rating="basically", comment="办得还算及时。")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "谢谢，您的评价已收到。" in page and "您的评价： 基本满意" in page
    assert 'id="rating-form"' not in page
    [kept] = ratings()
    assert (kept.rating, kept.comment) == ("basically", "办得还算及时。")
    assert kept.created_at.time().isoformat() == "00:00:00"  # the day only
    again = lookup(receipt=receipt, rating="unsatisfied", comment="再评一次")
    assert again.status_code == 409 and ALREADY in again.get_data(as_text=True)
    assert [(row.rating, row.comment) for row in ratings()] == [("basically", "办得还算及时。")]
    log_in(client, leader)
    staff_page = client.get(f"/staff/reports/{the_report().id}").get_data(as_text=True)
    assert '<dd id="satisfaction-rating">基本满意</dd>' in staff_page and "办得还算及时。" in staff_page


def test_a_rating_not_offered_is_refused_and_the_page_comes_back(lookup, receipt, leader):
    apply_action(the_report(), leader, "file", {"reason": "已了结"})
    response = lookup(receipt=receipt, rating="excellent", comment="很好")
    assert response.status_code == 400 and 'id="rating-form"' in response.get_data(as_text=True)
    assert ratings() == []


def test_a_rating_without_its_form_token_is_refused(client, receipt, leader):
    apply_action(the_report(), leader, "file", {"reason": "已了结"})
    response = client.post("/status", data={"receipt": receipt, "rating": "satisfied"})
    assert response.status_code == 400 and ratings() == []


def test_the_unique_constraint_refuses_a_second_rating_that_got_past_any_check(receipt, leader):
    """Two tries at once both find no rating; the database keeps the first and the second is refused politely."""
    report = the_report()
    apply_action(report, leader, "file", {"reason": "已了结"})
    rate(report, "satisfied", "")
    with pytest.raises(RatingRefused) as refused:
        rate(report, "unsatisfied", "")
    assert refused.value.reason == "already_rated"
    assert [row.rating for row in ratings()] == ["satisfied"]
