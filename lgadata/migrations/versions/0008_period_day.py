"""The day each period of each upload is dated by, kept when the upload is stored.

A sheet that dates its periods by a column other than the period (the e-bulletin's
bulletins, by the day each was sent) had that day read back from every one of its rows
whenever a meeting's comparison was drawn. The uploads already stored are filled in here
from their rows, as the store now does when an upload arrives.

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
# (sheet, its table, the column that dates its periods)
DATED = (("Links", "bulletin_link", "sent_on"),)


def upgrade() -> None:
    op.create_table(
        "period_day",
        sa.Column("upload_id", sa.Integer(), nullable=False),
        sa.Column("sheet", sa.String(), nullable=False),
        sa.Column("period_key", sa.String(), nullable=False),
        sa.Column("day", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["upload_id"], ["upload.id"]),
        sa.PrimaryKeyConstraint("upload_id", "sheet", "period_key"),
    )
    day = sa.table(
        "period_day",
        sa.column("upload_id", sa.Integer),
        sa.column("sheet", sa.String),
        sa.column("period_key", sa.String),
        sa.column("day", sa.Date),
    )
    for sheet, name, column in DATED:
        rows = sa.table(
            name,
            sa.column("upload_id", sa.Integer),
            sa.column("period_key", sa.String),
            sa.column(column, sa.Date),
        )
        earliest = sa.select(
            rows.c.upload_id,
            sa.literal(sheet, sa.String),
            rows.c.period_key,
            sa.func.min(rows.c[column]),
        ).group_by(rows.c.upload_id, rows.c.period_key)
        op.execute(day.insert().from_select(["upload_id", "sheet", "period_key", "day"], earliest))


def downgrade() -> None:
    op.drop_table("period_day")
