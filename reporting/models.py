"""The domain: rounds with their teams, units and QR codes; reports with their attachments and
messages; staff accounts and the audit trail."""
from __future__ import annotations

from datetime import date, datetime, time, timezone
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Column,
    ColumnElement,
    DateTime,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, query_expression, relationship

from reporting.extensions import db

if TYPE_CHECKING:
    # mypy cannot take a base class from an attribute (`db.Model`); it is built on `Base`, which is all it needs.
    from reporting.extensions import Base as Model
else:
    Model = db.Model

DEFAULT_TIMEZONE = "Asia/Shanghai"
ROUND_STATUSES = ("draft", "open", "closed")
CHANNELS = ("web", "letter", "visit", "call", "email")
# 集体访: a visit of five people or more, the headcount offices count group visits by (the 信访工作条例 asks such a
# group to send at most five representatives). Derived from the number of visitors, so the two never disagree.
GROUP_VISIT_MIN = 5
MAX_VISITORS = 9999
REPORT_STATUSES = ("received", "in_review", "proposed", "clue", "transferred", "concluded", "filed", "out_of_scope",
                   "duplicate")


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def today_in(zone_name: str) -> date:
    """Today's date in a round's time zone: days of limits, counts and receipt dates follow the round's zone."""
    return utcnow().astimezone(ZoneInfo(zone_name)).date()


def is_group_visit(visitors: int | None) -> bool:
    return visitors is not None and visitors >= GROUP_VISIT_MIN


def midnight_in(day: date, zone_name: str) -> datetime:
    """The moment `day` begins in a time zone, in UTC: a range of days as staff mean it."""
    return datetime.combine(day, time(), ZoneInfo(zone_name)).astimezone(timezone.utc)


def utc_day() -> datetime:
    """The start of today (UTC): the only time kept for what a resident sends, since an exact time joined
    with any proxy's log would name an anonymous reporter. Such rows are ordered by id."""
    return utcnow().replace(hour=0, minute=0, second=0, microsecond=0)


class UTCDateTime(TypeDecorator):
    """An aware UTC datetime on every backend (SQLite has no time zones; it keeps naive UTC)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None:
            value = value.astimezone(timezone.utc).replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        return value.replace(tzinfo=timezone.utc) if value is not None else None


staff_team = Table(
    "staff_team",
    db.metadata,
    Column("staff_user_id", ForeignKey("staff_user.id", ondelete="CASCADE"), primary_key=True),
    Column("team_id", ForeignKey("team.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Round(Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(40), default="")
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    timezone: Mapped[str] = mapped_column(String(64), default=DEFAULT_TIMEZONE)
    intake_hours: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(100), default="")
    postal_box: Mapped[str] = mapped_column(String(300), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    notice: Mapped[str] = mapped_column(Text, default="")  # cleaned HTML, the one place HTML is kept
    categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(10), default="draft")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Where web reports go when their unit decides no team (see `intake_team_id`); None leaves them for admins.
    default_team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id", use_alter=True))
    # Where transfers go (接收单位), and which of them each rank of cadre is suggested to (干部管理权限).
    receiving_bodies: Mapped[list[str]] = mapped_column(JSON, default=list)
    rank_bodies: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    # Languages its public pages and posters offer beside Chinese (SPEC "Languages of a round"), e.g. ["bo"].
    languages: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    # Its name, notice and channels as written for those languages, {"bo": {"name": ..., "notice": ...}}; a page
    # in a language shows the Chinese where nothing was written (reporting/i18n.py `in_language`).
    translations: Mapped[dict[str, dict[str, str]]] = mapped_column(JSON, default=dict, server_default="{}")
    # Linked rounds: a city or county round names the province's round, a 回头看 (is_revisit) the round it
    # revisits; figures may add a round and every round linked to it (reporting/followup/figures.py).
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("round.id"), index=True)
    is_revisit: Mapped[bool] = mapped_column(default=False, server_default=text("false"))
    # The last handover package made (reporting/handover); closed and handed over, the round is read-only.
    handed_over_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A member's reply to a resident waits, as a draft, for a leader's approval (reporting/replies.py).
    replies_need_approval: Mapped[bool] = mapped_column(default=False, server_default=text("false"))
    # The round's team when it has exactly one, read with the round where asked (reporting/intake/services.py
    # `find_code`), so that a web report needs no load of the teams; None when not asked for.
    sole_team_id: Mapped[int | None] = query_expression()

    teams: Mapped[list[Team]] = relationship(back_populates="round", order_by="Team.position",
                                             foreign_keys="Team.round_id")
    default_team: Mapped[Team | None] = relationship(foreign_keys=[default_team_id], post_update=True)
    units: Mapped[list[Unit]] = relationship(back_populates="round", order_by="Unit.position")
    round_code: Mapped[QrCode | None] = relationship(
        primaryjoin="and_(QrCode.round_id == Round.id, QrCode.is_round_code)", viewonly=True
    )

    @property
    def own_code(self) -> QrCode:
        """The round's own code: every round is made with exactly one, so a missing one is a broken database."""
        if self.round_code is None:
            raise LookupError(f"round {self.id} has no round code")
        return self.round_code

    def status_at(self, now: datetime) -> str:
        """The status in force at `now`: what an admin set, bounded by the dates in the round's zone.

        An open round before its start date is not yet open (draft); after its end date's last
        second (受理截止) it is closed.
        """
        today = now.astimezone(ZoneInfo(self.timezone)).date()
        if self.status == "closed" or today > self.ends_on:
            return "closed"
        if self.status == "draft" or today < self.starts_on:
            return "draft"
        return "open"

    def intake_team_id(self) -> int | None:
        """The team of a report whose unit decides none: the default team, or the only team of a one-team round;
        None leaves it waiting for an admin to route it (待分派)."""
        if self.default_team_id is not None:
            return self.default_team_id
        if self.sole_team_id is not None:
            return self.sole_team_id
        return self.teams[0].id if len(self.teams) == 1 else None


class Team(Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(default=0)

    round: Mapped[Round] = relationship(back_populates="teams", foreign_keys=[round_id])
    units: Mapped[list[Unit]] = relationship(back_populates="team", order_by="Unit.position")


class Unit(Model):
    """An inspected unit (被巡视/巡察单位), assigned to one team of the round; `position` orders the round's units."""

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id"), index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(default=0)

    round: Mapped[Round] = relationship(back_populates="units")
    team: Mapped[Team] = relationship(back_populates="units")


class QrCode(Model):
    """A token that leads to a round's intake page, optionally pinned to a team, unit and location.

    Each round has exactly one round code (not pinned); posters get codes of their own.
    Scans are only counted: no address, no time.
    """

    __table_args__ = (
        Index(
            "uq_qr_code_round_code",
            "round_id",
            unique=True,
            sqlite_where=text("is_round_code"),
            postgresql_where=text("is_round_code"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    label: Mapped[str] = mapped_column(String(300), default="")
    is_round_code: Mapped[bool] = mapped_column(default=False)
    scan_count: Mapped[int] = mapped_column(default=0)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_reason: Mapped[str] = mapped_column(String(200), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    round: Mapped[Round] = relationship()
    team: Mapped[Team | None] = relationship()
    unit: Mapped[Unit | None] = relationship()


UNANSWERED = text("status = 'transferred' AND transfer_answered_on IS NULL AND transfer_due_on IS NOT NULL")


class Report(Model):
    """One complaint, whatever its channel.

    Holds no address or user agent, ever. The receipt is kept only as a keyed hash; a named
    reporter's identity only as ciphertext bound to the report's id.
    """

    __table_args__ = (
        # The queue's filters, each ending in id so that keyset paging (newest first) is an index walk.
        Index("ix_report_round_id_id", "round_id", "id"),
        Index("ix_report_round_id_status_id", "round_id", "status", "id"),
        Index("ix_report_round_id_category_id", "round_id", "category", "id"),
        Index("ix_report_round_id_channel_id", "round_id", "channel", "id"),
        Index("ix_report_team_id_status_id", "team_id", "status", "id"),
        Index("ix_report_team_id_id", "team_id", "id"),
        Index("ix_report_unit_id_id", "unit_id", "id"),
        Index("ix_report_round_id_subject_key", "round_id", "subject_key"),
        Index("ix_report_assignee_id_id", "assignee_id", "id"),
        # The open work per member (reporting/queue/workload.py): counted from the index alone.
        Index("ix_report_team_id_status_assignee_id", "team_id", "status", "assignee_id"),
        # The queue bounded by received dates, newest received first: an admin's, per team and per unit.
        Index("ix_report_received_on_id", "received_on", "id"),
        Index("ix_report_team_id_received_on_id", "team_id", "received_on", "id"),
        Index("ix_report_unit_id_received_on_id", "unit_id", "received_on", "id"),
        # 待分派, newest first: PostgreSQL does not walk (team_id, id) in id order for `team_id IS NULL`.
        Index("ix_report_unrouted_id", "id", sqlite_where=text("team_id IS NULL"),
              postgresql_where=text("team_id IS NULL")),
        # 督办: unanswered transfers by due date (all, and a team's), so the overdue list reads only its page.
        Index("ix_report_unanswered_due", "transfer_due_on", "id", sqlite_where=UNANSWERED,
              postgresql_where=UNANSWERED),
        Index("ix_report_team_unanswered_due", "team_id", "transfer_due_on", "id", sqlite_where=UNANSWERED,
              postgresql_where=UNANSWERED),
        UniqueConstraint("round_id", "clue_number", name="uq_report_round_id_clue_number"),
        CheckConstraint("visitors >= 1", name="visitors_at_least_one"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id"))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    qr_code_id: Mapped[int | None] = mapped_column(ForeignKey("qr_code.id"), index=True)
    channel: Mapped[str] = mapped_column(String(10), default="web")
    category: Mapped[str] = mapped_column(String(100), default="")
    subject_name: Mapped[str] = mapped_column(String(200), default="")
    subject_unit: Mapped[str] = mapped_column(String(200), default="")
    subject_position: Mapped[str] = mapped_column(String(200), default="")
    subject_rank: Mapped[str] = mapped_column(String(20), default="", server_default="")  # see followup.bodies
    content: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="received")
    is_anonymous: Mapped[bool] = mapped_column(default=True)
    identity_ciphertext: Mapped[bytes | None] = mapped_column(LargeBinary)
    receipt_digest: Mapped[str | None] = mapped_column(String(64), unique=True)
    received_on: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Normalised subject name and unit, to suggest reports about the same person.
    subject_key: Mapped[str] = mapped_column(String(400), default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    # A visit's (来访) own fields; other channels leave them empty. A call's number is part of the identity.
    visitors: Mapped[int | None]
    receiving_officer: Mapped[str] = mapped_column(String(50), default="", server_default="")  # 接待人
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("report.id"), index=True)
    # Triage outcomes (see reporting/triage): a clue, a transfer and its answer, a closing reason.
    clue_number: Mapped[str | None] = mapped_column(String(40))
    clue_summary: Mapped[str] = mapped_column(Text, default="")
    clue_disposal: Mapped[str] = mapped_column(String(40), default="")
    transfer_body: Mapped[str] = mapped_column(String(200), default="")  # one of the round's bodies, or 其他
    # The body's own name: required with 其他 (a functional department, anything else), optional otherwise.
    transfer_body_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    transfer_reference: Mapped[str] = mapped_column(String(100), default="")
    transferred_on: Mapped[date | None]
    transfer_due_on: Mapped[date | None]
    transfer_answer: Mapped[str] = mapped_column(Text, default="")
    transfer_answered_on: Mapped[date | None]
    closing_reason: Mapped[str] = mapped_column(Text, default="")
    public_advice: Mapped[str] = mapped_column(Text, default="")  # shown to the reporter when out of scope
    # A member's proposed clue or transfer, waiting for a leader: {"action", "fields", "by", "status_before"}.
    proposal: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # The last proposal came back from a leader and nothing was decided since: marked in the queue.
    proposal_returned: Mapped[bool] = mapped_column(default=False, server_default=text("false"))

    round: Mapped[Round] = relationship()
    team: Mapped[Team | None] = relationship()
    unit: Mapped[Unit | None] = relationship()
    assignee: Mapped[StaffUser | None] = relationship(foreign_keys=[assignee_id])
    recorded_by: Mapped[StaffUser | None] = relationship(foreign_keys=[recorded_by_id])
    duplicate_of: Mapped[Report | None] = relationship(remote_side=[id], back_populates="duplicates")
    duplicates: Mapped[list[Report]] = relationship(back_populates="duplicate_of", order_by="Report.id")
    attachments: Mapped[list[Attachment]] = relationship(back_populates="report", order_by="Attachment.id")
    messages: Mapped[list[Message]] = relationship(back_populates="report", order_by="Message.id")
    outcomes: Mapped[list[Outcome]] = relationship(back_populates="report", order_by="Outcome.kind")
    reminders: Mapped[list[Reminder]] = relationship(back_populates="report", order_by="Reminder.id")
    satisfaction: Mapped[Satisfaction | None] = relationship(back_populates="report")

    @property
    def group_visit(self) -> bool:
        return is_group_visit(self.visitors)


class Outcome(Model):
    """What a receiving body reported back about a report's clue or its transfer, as last recorded (each
    recording is an audit event, so earlier figures stay readable). Money is in whole yuan."""

    __table_args__ = (UniqueConstraint("report_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id"))
    kind: Mapped[str] = mapped_column(String(10))  # clue | transfer
    concluded_on: Mapped[date | None]
    cases: Mapped[int] = mapped_column(default=0)  # 立案 (件)
    persons: Mapped[int] = mapped_column(default=0)  # 立案 (人)
    detained: Mapped[int] = mapped_column(default=0)  # 留置
    disciplined: Mapped[int] = mapped_column(default=0)  # 党纪政务处分
    organisational: Mapped[int] = mapped_column(default=0)  # 组织处理
    admonished: Mapped[int] = mapped_column(default=0)  # 诫勉谈话
    money_yuan: Mapped[int] = mapped_column(BigInteger, default=0)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    report: Mapped[Report] = relationship(back_populates="outcomes")


RATINGS = ("satisfied", "basically", "unsatisfied")  # 满意, 基本满意, 不满意


class Satisfaction(Model):
    """A reporter's rating of a concluded (or out of scope) report: one per report, kept by a unique constraint
    so that two tries at once cannot both land. No identity, and only the day (see `utc_day`)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id"), unique=True)
    rating: Mapped[str] = mapped_column(String(12))
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_day)

    report: Mapped[Report] = relationship(back_populates="satisfaction")


class Reminder(Model):
    """A 督办函 or 提示函 sent to the body a report was transferred to, chasing its answer."""

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12))  # supervision (督办函) | prompt (提示函)
    sent_on: Mapped[date]
    reference: Mapped[str] = mapped_column(String(100), default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    report: Mapped[Report] = relationship(back_populates="reminders")


class Attachment(Model):
    """An image, re-encoded without metadata, or a PDF scan staff attached; its bytes are an `AttachmentBlob`.

    The uploaded file name is not kept: it can name the reporter.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id"), index=True)
    message_id: Mapped[int | None] = mapped_column(ForeignKey("message.id"), index=True)
    content_type: Mapped[str] = mapped_column(String(50))
    size: Mapped[int]
    width: Mapped[int | None]  # none for a PDF
    height: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    report: Mapped[Report] = relationship(back_populates="attachments")
    message: Mapped[Message | None] = relationship(back_populates="attachments")


# Twice the largest image the re-encoder can write (2048x2048 RGBA PNG, about 17 MB): a row past it is refused.
MAX_ATTACHMENT_BYTES = 32 * 1024 * 1024


class AttachmentBlob(Model):
    """An attachment's bytes, in the database so that every app host serves the same photo.

    A table apart, with no relationship from `Attachment`: listing a report's attachments never loads them.
    """

    __table_args__ = (CheckConstraint(f"length(data) <= {MAX_ATTACHMENT_BYTES}", name="bounded"),)

    attachment_id: Mapped[int] = mapped_column(ForeignKey("attachment.id"), primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)

    attachment: Mapped[Attachment] = relationship()


WAITING_REPLY = text("review = 'waiting'")


class Message(Model):
    """Text on a report: from the reporter, a staff reply the reporter reads, or a note among staff.

    A reply a member writes in a round whose replies need approval is a draft until a leader reviews it:
    `review` is waiting (待组长审核), returned (with the leader's note) or approved; "" for every other message.
    """

    __table_args__ = (
        # Drafts waiting for a leader, for the queue's count and filter: a few rows however many messages there are.
        Index("ix_message_waiting_report_id", "report_id", sqlite_where=WAITING_REPLY, postgresql_where=WAITING_REPLY),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # reporter | reply | note
    author_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    review: Mapped[str] = mapped_column(String(10), default="", server_default="")
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    review_note: Mapped[str] = mapped_column(Text, default="", server_default="")  # why a draft was returned

    report: Mapped[Report] = relationship(back_populates="messages")
    author: Mapped[StaffUser | None] = relationship(foreign_keys=[author_id])
    reviewed_by: Mapped[StaffUser | None] = relationship(foreign_keys=[reviewed_by_id])
    attachments: Mapped[list[Attachment]] = relationship(back_populates="message", order_by="Attachment.id")


class StaffUser(UserMixin, Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)  # what the account logs in with
    display_name: Mapped[str] = mapped_column(String(50), default="", server_default="")  # 姓名
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(10))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    totp_secret: Mapped[bytes | None] = mapped_column(LargeBinary)  # AES-GCM under the data key
    # Part of the id kept in the session cookie: raising it (logout, new password) voids every copy.
    session_epoch: Mapped[int] = mapped_column(default=0)
    # Wrong passwords since the last right one, wherever they came from: each makes the next try wait longer.
    failed_logins: Mapped[int] = mapped_column(default=0, server_default=text("0"))
    last_failed_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The TOTP time step of the last code accepted: a code is taken once, never replayed within its window.
    totp_last_step: Mapped[int | None]

    teams: Mapped[list[Team]] = relationship(secondary=staff_team, order_by="Team.id")

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        return f"{self.id}:{self.session_epoch}"

    @hybrid_property
    def shown_name(self) -> str:
        """The name staff read wherever an account is named (姓名, else the user name): one rule for pages and SQL."""
        return self.display_name or self.username

    @shown_name.inplace.expression
    @classmethod
    def _shown_name_expression(cls) -> ColumnElement[str]:
        return func.coalesce(func.nullif(cls.display_name, ""), cls.username)

    def end_sessions(self) -> None:
        self.session_epoch += 1


class ReportRead(Model):
    """That a staff user has opened a report: the queue's read/unread mark."""

    staff_user_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id", ondelete="CASCADE"), primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id", ondelete="CASCADE"), primary_key=True)
    read_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ReportTally(Model):
    """How many reports of a round and team (0: not yet routed) are in each status, in a few shards.

    Kept in step by every insert and status change, so the queue's counts cost the same at any size; each
    change lands on a random shard, so that two submissions to one team do not wait on one row's lock.
    A count is the sum over the shards (a shard alone may even be negative).
    """

    round_id: Mapped[int] = mapped_column(ForeignKey("round.id"), primary_key=True)
    team_key: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column(String(20), primary_key=True)
    shard: Mapped[int] = mapped_column(primary_key=True, default=0, server_default=text("0"))
    count: Mapped[int] = mapped_column(default=0)


class AuditEvent(Model):
    """Who did what to which report, and when. Rows are only ever added."""

    __table_args__ = (Index("ix_audit_event_report_id_at", "report_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"), index=True)
    action: Mapped[str] = mapped_column(String(40))
    report_id: Mapped[int | None] = mapped_column(ForeignKey("report.id"))
    round_id: Mapped[int | None] = mapped_column(ForeignKey("round.id"))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    actor: Mapped[StaffUser | None] = relationship()


def column_length(name: str, model: type[Model] = Report) -> int:
    """The column's own limit (a report's unless told), so that a long value is a message on the form, not a
    database error."""
    column_type = model.__table__.c[name].type
    if not isinstance(column_type, String) or column_type.length is None:  # a Text column has no limit to check
        raise TypeError(f"{model.__tablename__}.{name} has no length")
    return column_type.length


JOB_STATUSES = ("queued", "running", "done", "failed")


class Job(Model):
    """Work too long for a request (a large export, a batch of posters), run by a thread of the site or by
    `jobs worker`; its result is kept in `JobChunk` rows, so that any host serves the download."""

    __table_args__ = (Index("ix_job_owner_id_id", "owner_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    owner_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"))
    locale: Mapped[str] = mapped_column(String(20))  # the owner's language when asked: the result speaks it
    status: Mapped[str] = mapped_column(String(10), default="queued")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    filename: Mapped[str] = mapped_column(String(200), default="")
    media_type: Mapped[str] = mapped_column(String(100), default="")
    size: Mapped[int] = mapped_column(BigInteger, default=0)
    failure: Mapped[str] = mapped_column(String(40), default="")  # a key of reporting.jobs.rules.FAILURES

    owner: Mapped[StaffUser] = relationship()


class JobChunk(Model):
    """One piece (about 1 MB) of a job's result: a large file never sits in one row, nor in memory."""

    job_id: Mapped[int] = mapped_column(ForeignKey("job.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
