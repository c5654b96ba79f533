"""Each board member's choice of attachment (PDF, or Word on request), and what was attached.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 06:40:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMNs, which SQLite has, so that --sql can print them (see 0004).
    op.add_column(
        "user",
        sa.Column("mail_attachment", sa.String(), nullable=False, server_default="pdf"),
    )
    op.add_column(
        "mail_outbox",
        sa.Column("attachment", sa.String(), nullable=False, server_default=""),
    )


def downgrade() -> None:
    with op.batch_alter_table("mail_outbox", schema=None) as batch_op:
        batch_op.drop_column("attachment")
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_column("mail_attachment")
