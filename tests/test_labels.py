"""An audit event names the act itself: a proposal or a decision, the status a round was put in."""
import pytest

from reporting.labels import event_label


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
