"""The officer's reason kept with an upload that crossed a headline figure's threshold.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 18:50:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN, which SQLite has, so that --sql can print it (see 0004).
    op.add_column("upload", sa.Column("reason", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    # A plain DROP COLUMN too (SQLite has it since 3.35): batch mode would rebuild the upload
    # table, which every data row's foreign key points at.
    op.drop_column("upload", "reason")
