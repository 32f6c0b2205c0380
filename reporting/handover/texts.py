"""The text files of a clue's folder: the report's fields and text, its messages in order, and (only when the
admin asks) the named reporter's identity. Labels are Chinese, as the clue list's headers (reporting/handover/
clues.py): the package is a document for Chinese receiving bodies, read whatever language the admin uses."""
from zoneinfo import ZoneInfo

from reporting.followup.bodies import body_label
from reporting.labels import CHANNEL_LABELS, STATUS_LABELS
from reporting.models import Attachment, Message, Report
from reporting.replies import UNSENT

MESSAGE_KINDS = {"reporter": "反映人补充", "reply": "答复反映人", "note": "工作人员备注"}
UNSENT_REPLY = "回复草稿（未发给反映人）"  # waiting for a leader, or returned: the reporter never read it
MISSING = "（服务器上找不到这个文件）"
NO_MESSAGES = "（没有留言）"


def field_lines(report: Report) -> list[tuple[str, str]]:
    """Every field a receiving body needs, in the ledger's words; empty ones are left out. No identity."""
    fields = [
        ("线索编号", report.clue_number or ""),
        ("编号", str(report.id)),
        ("巡察组", report.team.name if report.team else ""),
        ("受理日期", report.received_on.isoformat()),
        ("渠道", str(CHANNEL_LABELS.get(report.channel, report.channel))),
        ("反映方式", "匿名" if report.is_anonymous else "实名"),
        ("来访人数", f"{report.visitors}（集体访）" if report.group_visit else str(report.visitors or "")),
        ("接待人", report.receiving_officer),
        ("被巡察单位", report.unit.name if report.unit else ""),
        ("问题类别", report.category),
        ("被反映人", report.subject_name),
        ("被反映单位", report.subject_unit),
        ("职务", report.subject_position),
        ("职级", report.subject_rank),
        ("状态", str(STATUS_LABELS[report.status])),
        ("线索摘要", report.clue_summary),
        ("拟处置方式", report.clue_disposal),
    ]
    if report.transferred_on:
        fields += [
            ("接收单位", body_label(report.transfer_body, report.transfer_body_name)),
            ("文号", report.transfer_reference),
            ("移交日期", report.transferred_on.isoformat()),
            ("要求反馈日期", report.transfer_due_on.isoformat() if report.transfer_due_on else ""),
            ("反馈日期", report.transfer_answered_on.isoformat() if report.transfer_answered_on else ""),
            ("反馈情况", report.transfer_answer),
        ]
    fields.append(("处理理由", report.closing_reason))
    return [(label, value) for label, value in fields if value]


def attachment_line(attachment: Attachment, path: str | None) -> str:
    return f"附件 {attachment.id}：{path}" if path else f"附件 {attachment.id}：{MISSING}"


def report_text(report: Report, attachment_lines: list[str]) -> str:
    """report.txt: the fields, the text as the reporter or staff typed it, and where its photos are."""
    lines = [f"{label}：{value}" for label, value in field_lines(report)]
    lines += ["", "反映内容：", report.content]
    if attachment_lines:
        lines += ["", *attachment_lines]
    return "\n".join(lines) + "\n"


def messages_text(messages: list[Message], zone: str, attachment_paths: dict[int, str | None]) -> str:
    """messages.txt: each message in order with its kind, author (staff only) and time; the reporter's additions
    keep their day only, as the database does."""
    blocks = []
    for message in messages:
        when = message.created_at.astimezone(ZoneInfo(zone))
        stamp = when.date().isoformat() if message.kind == "reporter" else when.strftime("%Y-%m-%d %H:%M")
        author = f" · {message.author.shown_name}" if message.kind != "reporter" and message.author else ""
        kind = UNSENT_REPLY if message.review in UNSENT else MESSAGE_KINDS.get(message.kind, message.kind)
        block = [f"【{kind}{author} · {stamp}】", message.body]
        block += [attachment_line(attachment, attachment_paths.get(attachment.id))
                  for attachment in message.attachments]
        blocks.append("\n".join(block))
    return "\n\n".join(blocks or [NO_MESSAGES]) + "\n"


def identity_text(identity: dict[str, str]) -> str:
    caller = f"来电号码：{identity['caller_number']}\n" if identity.get("caller_number") else ""
    return f"姓名：{identity.get('name', '')}\n电话：{identity.get('phone', '')}\n{caller}"
