"""Board meetings, officers' commentary per section, and the board's decisions and actions.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 13:40:23.044447
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "meeting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "board_action",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("section", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("owner", sa.String(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("recorded_by", sa.String(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meeting.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("board_action", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_board_action_meeting_id"), ["meeting_id"], unique=False
        )

    op.create_table(
        "commentary",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("section", sa.String(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("written_by", sa.String(), nullable=False),
        sa.Column("written_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meeting.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("meeting_id", "section", "version"),
    )
    with op.batch_alter_table("commentary", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_commentary_meeting_id"), ["meeting_id"], unique=False)

    op.create_table(
        "meeting_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("meets_on", sa.Date(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("agenda_item", sa.String(), nullable=False),
        sa.Column("removed", sa.Boolean(), nullable=False),
        sa.Column("changed_by", sa.String(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meeting.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("meeting_id", "version"),
    )
    with op.batch_alter_table("meeting_version", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_meeting_version_meeting_id"), ["meeting_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("meeting_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_version_meeting_id"))

    op.drop_table("meeting_version")
    with op.batch_alter_table("commentary", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_commentary_meeting_id"))

    op.drop_table("commentary")
    with op.batch_alter_table("board_action", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_board_action_meeting_id"))

    op.drop_table("board_action")
    op.drop_table("meeting")
