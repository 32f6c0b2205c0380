"""An audit event names the act itself: a proposal or a decision, the status a round was put in."""
import pytest

from reporting.labels import detail_items, event_label


@pytest.mark.parametrize(("action", "detail", "said"), [
    ("triage.clue", {"proposal": True}, "建议列为问题线索"),
    ("triage.clue", {}, "确定为问题线索"),
    ("triage.transfer", {"proposal": True}, "建议移交"),
    ("triage.transfer", {"body": "纪检监察机关"}, "决定移交"),
    ("round.status", {"status": "open"}, "开始受理"),
    ("round.status", {"status": "closed"}, "停止受理"),
    ("round.status", {"status": "draft"}, "退回草稿"),
    ("triage.file", {"proposal": True}, "了结存查"),
    ("an.unknown.action", {}, "an.unknown.action"),
])
def test_each_event_says_what_was_done(app, action, detail, said):
    with app.test_request_context():
        assert said in str(event_label(action, detail))


def test_the_days_of_an_events_detail_read_as_the_page_writes_them(app):
    """A proposal showed 2026-12-02 beside 2026年12月2日 everywhere else on the page; a reference stays as typed."""
    with app.test_request_context():
        items = detail_items({"transferred_on": "2026-12-02", "reference": "2026-12-02", "due_on": "not a day"}, {})
    assert items == [("移交日期", "2026年12月2日"), ("文号", "2026-12-02"), ("反馈期限", "not a day")]


def test_a_posting_locations_unit_and_team_are_named_in_chinese(app):
    """The audit log said `unit` and `team` beside 张贴地点."""
    with app.test_request_context():
        items = detail_items({"label": "村委会门口", "unit": "南村", "team": "第一组"}, {})
    assert [label for label, _ in items][1:] == ["单位", "巡视巡察组"]
