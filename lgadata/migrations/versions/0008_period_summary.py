"""Each period of each upload summarised when the upload is stored: its rows counted, and
the day it is dated by when that is a column other than the period.

A meeting's comparison read a million link rows back to find each bulletin's sent date,
and counted each new bulletin's links with a query of its own. The uploads already stored
are summarised here from their rows, as the store now does when an upload arrives.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 21:20:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# Written out, not read from lgadata.workstreams: a migration says what it did for good.
# (sheet, its table, the column that dates its periods when that is not the period)
SHEETS = (
    ("Arrangements", "shared_service_arrangement", None),
    ("Budget", "cap_budget_line", None),
    ("Councils", "cap_council", None),
    ("Pilots", "fraud_pilot_council", None),
    ("Outcomes", "fraud_outcome", None),
    ("Links", "bulletin_link", "sent_on"),
    ("Milestones", "milestone", None),
    ("Deep dives", "deep_dive", None),
)
COLUMNS = ["upload_id", "sheet", "period_key", "day", "rows"]


def upgrade() -> None:
    op.create_table(
        "period_summary",
        sa.Column("upload_id", sa.Integer(), nullable=False),
        sa.Column("sheet", sa.String(), nullable=False),
        sa.Column("period_key", sa.String(), nullable=False),
        sa.Column("day", sa.Date(), nullable=True),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["upload_id"], ["upload.id"]),
        sa.PrimaryKeyConstraint("upload_id", "sheet", "period_key"),
    )
    summary = sa.table("period_summary", *(sa.column(name) for name in COLUMNS))
    for sheet, name, dated_by in SHEETS:
        columns = [sa.column("upload_id", sa.Integer), sa.column("period_key", sa.String)]
        rows = sa.table(name, *columns, *([sa.column(dated_by, sa.Date)] if dated_by else []))
        day = sa.func.min(rows.c[dated_by]) if dated_by else sa.cast(sa.null(), sa.Date)
        counted = sa.select(
            rows.c.upload_id, sa.literal(sheet, sa.String), rows.c.period_key, day, sa.func.count()
        ).group_by(rows.c.upload_id, rows.c.period_key)
        op.execute(summary.insert().from_select(COLUMNS, counted))


def downgrade() -> None:
    op.drop_table("period_summary")
