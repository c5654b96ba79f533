"""The first released schema, as SQLModel's create_all made it before migrations existed.

Revision ID: 0001
Revises:
Create Date: 2026-11-25

Written out in full rather than built from lgadata.models: the models will change, and this
revision must go on creating exactly what the released code created.
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# Every data table starts with id, upload_id, period_key and row_no, then has one nullable
# column per declared column, named and typed here. Types, not columns: a column object can
# belong to one table only, and this module may be run more than once in a process.
DATA_TABLES = {
    "bulletin_link": [
        ("bulletin", sa.Text),
        ("sent_on", sa.Date),
        ("url", sa.Text),
        ("link_text", sa.Text),
        ("views", sa.Integer),
        ("unique_views", sa.Integer),
    ],
    "cap_budget_line": [
        ("financial_year", sa.Text),
        ("line", sa.Text),
        ("category", sa.Text),
        ("budget_gbp", sa.Float),
        ("spent_gbp", sa.Float),
    ],
    "cap_council": [
        ("council", sa.Text),
        ("wave", sa.Integer),
        ("status", sa.Text),
        ("secondee_in_post", sa.Boolean),
        ("capital_receipts_gbp", sa.Float),
        ("running_cost_savings_gbp", sa.Float),
    ],
    "deep_dive": [
        ("organisation", sa.Text),
        ("category", sa.Text),
        ("status", sa.Text),
        ("planned_spend_gbp", sa.Float),
        ("next_step", sa.Text),
    ],
    "fraud_outcome": [
        ("pilot", sa.Text),
        ("period", sa.Text),
        ("referrals", sa.Integer),
        ("investigations_opened", sa.Integer),
        ("properties_recovered", sa.Integer),
        ("prosecutions", sa.Integer),
    ],
    "fraud_pilot_council": [
        ("pilot", sa.Text),
        ("council", sa.Text),
        ("lead", sa.Boolean),
        ("status", sa.Text),
        ("next_milestone", sa.Text),
        ("rag", sa.Text),
    ],
    "milestone": [
        ("workstream", sa.Text),
        ("milestone", sa.Text),
        ("due", sa.Date),
        ("status", sa.Text),
        ("owner", sa.Text),
        ("notes", sa.Text),
    ],
    "shared_service_arrangement": [
        ("as_at", sa.Date),
        ("arrangement", sa.Text),
        ("lead_council", sa.Text),
        ("partner_councils", sa.Text),
        ("category", sa.Text),
        ("services", sa.Text),
        ("start_date", sa.Date),
        ("savings_gbp", sa.Float),
        ("savings_note", sa.Text),
        ("status", sa.Text),
    ],
}

# Sheets that list several councils in a cell keep one row per council here.
COUNCIL_LINK_TABLES = ["shared_service_arrangement_council"]

# Every table this revision makes, parents before the tables that refer to them.
TABLES = (
    "upload",
    "upload_file",
    "workstream_state",
    "period_state",
    "period_change",
    *DATA_TABLES,
    *COUNCIL_LINK_TABLES,
    "bulletin_summary",
    "council",
    "user",
    "audit_event",
)


def _upload_period_index(table: str) -> None:
    op.create_index(f"ix_{table}_upload_period", table, ["upload_id", "period_key"])


def _create_ledger() -> None:
    op.create_table(
        "upload",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workstream", sa.String(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("file_name", sa.String(), nullable=False),
        sa.Column("sha256", sa.String(), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("uploaded_by", sa.String(), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("row_count", sa.Integer(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("rolls_back", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("workstream", "version"),
        sa.ForeignKeyConstraint(["rolls_back"], ["upload.id"]),
    )
    op.create_index("ix_upload_sha256", "upload", ["sha256"])
    op.create_index("ix_upload_workstream", "upload", ["workstream"])
    op.create_table(
        "upload_file",
        sa.Column("upload_id", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["upload_id"], ["upload.id"]),
        sa.PrimaryKeyConstraint("upload_id"),
    )
    op.create_table(
        "workstream_state",
        sa.Column("workstream", sa.String(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("workstream"),
    )
    op.create_table(
        "period_state",
        sa.Column("workstream", sa.String(), nullable=False),
        sa.Column("sheet", sa.String(), nullable=False),
        sa.Column("period", sa.String(), nullable=False),
        sa.Column("upload_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["upload_id"], ["upload.id"]),
        sa.PrimaryKeyConstraint("workstream", "sheet", "period"),
    )
    op.create_table(
        "period_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("upload_id", sa.Integer(), nullable=False),
        sa.Column("workstream", sa.String(), nullable=False),
        sa.Column("sheet", sa.String(), nullable=False),
        sa.Column("period", sa.String(), nullable=False),
        sa.Column("old_upload_id", sa.Integer(), nullable=True),
        sa.Column("new_upload_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["upload_id"], ["upload.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_period_change_upload_id", "period_change", ["upload_id"])


def _create_data_tables() -> None:
    for table, columns in DATA_TABLES.items():
        op.create_table(
            table,
            sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
            sa.Column("upload_id", sa.Integer(), nullable=False),
            sa.Column("period_key", sa.Text(), nullable=False),
            sa.Column("row_no", sa.Integer(), nullable=False),
            *(sa.Column(name, type_(), nullable=True) for name, type_ in columns),
            sa.ForeignKeyConstraint(["upload_id"], ["upload.id"]),
            sa.PrimaryKeyConstraint("id"),
        )
        _upload_period_index(table)
    for table in COUNCIL_LINK_TABLES:
        op.create_table(
            table,
            sa.Column("upload_id", sa.Integer(), nullable=False),
            sa.Column("period_key", sa.Text(), nullable=False),
            sa.Column("row_no", sa.Integer(), nullable=False),
            sa.Column("column_name", sa.Text(), nullable=False),
            sa.Column("gss_code", sa.Text(), nullable=False),
            sa.ForeignKeyConstraint(["upload_id"], ["upload.id"]),
        )
        _upload_period_index(table)
    op.create_table(
        "bulletin_summary",
        sa.Column("upload_id", sa.Integer(), nullable=False),
        sa.Column("period_key", sa.String(), nullable=False),
        sa.Column("sent_on", sa.Date(), nullable=True),
        sa.Column("links", sa.Integer(), nullable=False),
        sa.Column("views", sa.Integer(), nullable=False),
        sa.Column("unique_views", sa.Integer(), nullable=True),
        sa.Column("programme_views", sa.Integer(), nullable=False),
        sa.Column("top_url", sa.String(), nullable=True),
        sa.Column("top_link_text", sa.String(), nullable=True),
        sa.Column("top_views", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["upload_id"], ["upload.id"]),
        sa.PrimaryKeyConstraint("upload_id", "period_key"),
    )


def _create_people() -> None:
    op.create_table(
        "council",
        sa.Column("gss_code", sa.String(), nullable=False),
        sa.Column("official_name", sa.String(), nullable=False),
        sa.Column("short_name", sa.String(), nullable=False),
        sa.Column("type", sa.String(), nullable=False),
        sa.Column("region", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("gss_code"),
    )
    op.create_index("ix_council_region", "council", ["region"])
    op.create_table(
        "user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("role", sa.String(), nullable=False),
        sa.Column("workstreams", sa.String(), nullable=False),
        sa.Column("password_hash", sa.String(), nullable=True),
        sa.Column("failed_attempts", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_user_email", "user", ["email"], unique=True)
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(), nullable=False),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("outcome", sa.String(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_audit_event_action", "audit_event", ["action"])
    op.create_index("ix_audit_event_at", "audit_event", ["at"])


def upgrade() -> None:
    _create_ledger()
    _create_data_tables()
    _create_people()


def downgrade() -> None:
    # Dropping a table drops its indexes too.
    for table in reversed(TABLES):
        op.drop_table(table)
