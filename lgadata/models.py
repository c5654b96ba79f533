"""Database tables: the upload ledger as SQLModel classes, data tables from the declarations.

Data rows are never updated in place. Each row belongs to the upload that brought it, and
`period_state` says which upload is current for each (workstream, sheet, period).
"""

import datetime as dt
from datetime import UTC, datetime
from typing import TypeVar

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from lgadata.workstreams import WORKSTREAMS, Kind, Sheet

Moment = TypeVar("Moment", datetime, None)


def utc_now() -> datetime:
    """Return the current time in UTC."""
    return datetime.now(UTC)


def as_utc(moment: Moment) -> Moment:
    """Return a moment read back from the database as aware UTC (SQLite gives back naive
    datetimes for what was stored in UTC)."""
    return moment.replace(tzinfo=UTC) if moment and moment.tzinfo is None else moment


class Upload(SQLModel, table=True):
    """An upload of a workbook, or a rollback of one: each is a new version of a workstream."""

    id: int | None = Field(default=None, primary_key=True)
    workstream: str = Field(index=True)
    version: int
    kind: str = "upload"
    file_name: str = ""
    sha256: str = Field(default="", index=True)
    size_bytes: int = 0
    uploaded_by: str
    uploaded_at: datetime = Field(default_factory=utc_now)
    row_count: int = 0
    summary: str = Field(default="{}", sa_type=sa.Text)
    rolls_back: int | None = Field(default=None, foreign_key="upload.id")
    note: str = Field(default="", sa_type=sa.Text)
    # The officer's one line on why a headline figure crossed its threshold, if it did.
    reason: str = Field(default="", sa_type=sa.Text, sa_column_kwargs={"server_default": ""})

    __table_args__ = (sa.UniqueConstraint("workstream", "version"),)


class UploadFile(SQLModel, table=True):
    """The bytes of an uploaded file, exactly as the officer sent them."""

    __tablename__ = "upload_file"
    upload_id: int = Field(primary_key=True, foreign_key="upload.id")
    content: bytes = Field(sa_type=sa.LargeBinary)


class WorkstreamState(SQLModel, table=True):
    """The latest version number of a workstream; its row lock serialises writers."""

    __tablename__ = "workstream_state"
    workstream: str = Field(primary_key=True)
    version: int = 0
    updated_at: datetime = Field(default_factory=utc_now)


class PeriodState(SQLModel, table=True):
    """Which upload is current for one period of one sheet (none after a rollback emptied it)."""

    __tablename__ = "period_state"
    workstream: str = Field(primary_key=True)
    sheet: str = Field(primary_key=True)
    period: str = Field(primary_key=True)
    upload_id: int | None = Field(default=None, foreign_key="upload.id")


class PeriodChange(SQLModel, table=True):
    """One change of the current upload for a period, made by an upload or a rollback."""

    __tablename__ = "period_change"
    id: int | None = Field(default=None, primary_key=True)
    upload_id: int = Field(foreign_key="upload.id", index=True)
    workstream: str
    sheet: str
    period: str
    old_upload_id: int | None = None
    new_upload_id: int | None = None


class Council(SQLModel, table=True):
    """An English principal council from the register."""

    gss_code: str = Field(primary_key=True)
    official_name: str
    short_name: str
    type: str
    region: str = Field(index=True)


_SQL_TYPES = {
    Kind.MONEY: sa.Float,
    Kind.INTEGER: sa.Integer,
    Kind.DATE: sa.Date,
    Kind.YES_NO: sa.Boolean,
}


def _data_table(sheet: Sheet) -> sa.Table:
    columns = [
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("upload_id", sa.Integer, sa.ForeignKey("upload.id"), nullable=False),
        sa.Column("period_key", sa.Text, nullable=False),
        sa.Column("row_no", sa.Integer, nullable=False),
    ]
    columns += [sa.Column(c.name, _SQL_TYPES.get(c.kind, sa.Text)) for c in sheet.columns]
    return sa.Table(
        sheet.table,
        SQLModel.metadata,
        *columns,
        sa.Index(f"ix_{sheet.table}_upload_period", "upload_id", "period_key"),
    )


def _council_link_table(sheet: Sheet) -> sa.Table:
    name = f"{sheet.table}_council"
    return sa.Table(
        name,
        SQLModel.metadata,
        sa.Column("upload_id", sa.Integer, sa.ForeignKey("upload.id"), nullable=False),
        sa.Column("period_key", sa.Text, nullable=False),
        sa.Column("row_no", sa.Integer, nullable=False),
        sa.Column("column_name", sa.Text, nullable=False),
        sa.Column("gss_code", sa.Text, nullable=False),
        sa.Index(f"ix_{name}_upload_period", "upload_id", "period_key"),
    )


def has_council_links(sheet: Sheet) -> bool:
    """Say whether a sheet lists several councils per row, so needs a link table."""
    return any(c.kind is Kind.COUNCILS for c in sheet.columns)


DATA_TABLES: dict[str, sa.Table] = {}
COUNCIL_LINK_TABLES: dict[str, sa.Table] = {}
for _workstream in WORKSTREAMS.values():
    for _sheet in _workstream.sheets:
        DATA_TABLES[_sheet.table] = _data_table(_sheet)
        if has_council_links(_sheet):
            COUNCIL_LINK_TABLES[_sheet.table] = _council_link_table(_sheet)


class BulletinSummary(SQLModel, table=True):
    """One bulletin's totals and top link in one upload, computed once when it is stored."""

    __tablename__ = "bulletin_summary"
    upload_id: int = Field(primary_key=True, foreign_key="upload.id")
    period_key: str = Field(primary_key=True)
    sent_on: dt.date | None = None
    links: int = 0
    views: int = 0
    unique_views: int | None = None
    programme_views: int = 0
    top_url: str | None = None
    top_link_text: str | None = None
    top_views: int = 0


class PeriodSummary(SQLModel, table=True):
    """One period of one sheet of an upload: how many rows it holds, and the day it is
    dated by when its sheet dates it by a column other than the period (a bulletin by the
    day it was sent: its rows' earliest value). Counted from the stored rows once, when the
    upload is stored: uploads never change, and a meeting's comparison reads this instead
    of a million link rows (lgadata.periods, lgadata.since)."""

    __tablename__ = "period_summary"
    upload_id: int = Field(primary_key=True, foreign_key="upload.id")
    sheet: str = Field(primary_key=True)
    period_key: str = Field(primary_key=True)
    day: dt.date | None = None
    rows: int = 0


class User(SQLModel, table=True):
    """A person who may sign in, with the role that decides what they may do."""

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(unique=True, index=True)
    name: str = ""
    role: str = "viewer"
    workstreams: str = ""
    password_hash: str | None = None
    failed_attempts: int = 0
    locked_until: datetime | None = None
    disabled: bool = False
    created_at: datetime = Field(default_factory=utc_now)
    # A board member who asked not to be sent the pack (last: migration 0004 added it).
    mail_opt_out: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})
    # The pack as "pdf" or, on request, "docx" (migration 0005 added it).
    mail_attachment: str = Field(default="pdf", sa_column_kwargs={"server_default": "pdf"})


class AuditEvent(SQLModel, table=True):
    """Something someone did or tried: a sign-in, an upload, a rollback, a role change."""

    __tablename__ = "audit_event"
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utc_now, index=True)
    actor: str
    action: str = Field(index=True)
    outcome: str = "ok"
    detail: str = Field(default="", sa_type=sa.Text)


class UserSession(SQLModel, table=True):
    """A signed-in browser: its cookie's token (hashed), whose it is, and when it ends."""

    __tablename__ = "user_session"
    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(unique=True, index=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    via: str = "local account"
    client: str = ""
    created_at: datetime = Field(default_factory=utc_now)
    last_seen_at: datetime = Field(default_factory=utc_now)
    expires_at: datetime
    ended_at: datetime | None = None
    ended_reason: str = ""


class SignInThrottle(SQLModel, table=True):
    """Failed sign-ins counted for one key (an address from one client, or one client)."""

    __tablename__ = "sign_in_throttle"
    key: str = Field(primary_key=True)
    attempts: int = 0
    locks: int = 0
    locked_until: datetime | None = None
    updated_at: datetime = Field(default_factory=utc_now)


class ApiToken(SQLModel, table=True):
    """A personal access token for the read-only API (hashed), issued by an administrator."""

    __tablename__ = "api_token"
    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(unique=True, index=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    label: str = ""
    scope: str = "read"
    created_by: str = ""
    created_at: datetime = Field(default_factory=utc_now)
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None


class Meeting(SQLModel, table=True):
    """A board meeting, as registered: what it is now is its newest version."""

    id: int | None = Field(default=None, primary_key=True)
    created_by: str
    created_at: datetime = Field(default_factory=utc_now)


class MeetingVersion(SQLModel, table=True):
    """One version of a meeting's date, title and agenda item, or its removal."""

    __tablename__ = "meeting_version"
    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    version: int
    meets_on: dt.date
    title: str
    agenda_item: str = ""
    removed: bool = False
    changed_by: str
    changed_at: datetime = Field(default_factory=utc_now)

    __table_args__ = (sa.UniqueConstraint("meeting_id", "version"),)


class Commentary(SQLModel, table=True):
    """One version of an officer's commentary on one section of the report for a meeting."""

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    section: str
    version: int
    text: str = Field(default="", sa_type=sa.Text)
    written_by: str
    written_at: datetime = Field(default_factory=utc_now)

    __table_args__ = (sa.UniqueConstraint("meeting_id", "section", "version"),)


class BoardAction(SQLModel, table=True):
    """A decision the board took or an action it gave someone, at a meeting, on a section."""

    __tablename__ = "board_action"
    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    section: str
    kind: str = "action"
    text: str = Field(sa_type=sa.Text)
    owner: str = ""
    due_on: dt.date | None = None
    status: str = "open"
    recorded_by: str
    recorded_at: datetime = Field(default_factory=utc_now)
    updated_by: str = ""
    updated_at: datetime | None = None


class MailOutbox(SQLModel, table=True):
    """A message claimed under its unique key before it is sent: sent, failing, or given up."""

    __tablename__ = "mail_outbox"
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, index=True)
    kind: str
    recipient: str
    meeting_id: int | None = Field(default=None, foreign_key="meeting.id")
    workstream: str = ""
    due_on: dt.date | None = None
    subject: str = ""
    status: str = Field(default="sending", index=True)
    attempts: int = 0
    last_error: str = Field(default="", sa_type=sa.Text)
    next_attempt_at: datetime | None = None
    created_at: datetime = Field(default_factory=utc_now)
    sent_at: datetime | None = None
    # The file attached when it was sent (migration 0005 added it).
    attachment: str = Field(default="", sa_column_kwargs={"server_default": ""})
