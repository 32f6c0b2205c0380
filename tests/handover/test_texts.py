"""The text files of a clue's folder: a draft reply the reporter never read is not passed off as a reply."""
from datetime import datetime, timezone

from reporting.handover.texts import messages_text
from reporting.models import Message


def test_a_draft_reply_the_reporter_never_read_is_named_so_in_the_messages_file():
    written = datetime(2026, 1, 2, 1, tzinfo=timezone.utc)
    messages = [Message(kind="reply", review=review, body=f"回复{index}", created_at=written)
                for index, review in enumerate(("", "waiting", "returned", "approved"))]
    text = messages_text(messages, "Asia/Shanghai", {})
    assert text.count("【答复反映人 · 2026-01-02 09:00】") == 2
    assert text.count("【回复草稿（未发给反映人） · 2026-01-02 09:00】") == 2
