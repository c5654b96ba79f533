"""The programme workstream's key is now programme_milestones: its stored rows say so too.

Every table that names a workstream is carried over: the uploads, the version and
current-upload pointers, the changes they made, the officers' workstreams and the mail
outbox (whose reminder keys name the workstream, so a reminder already sent is not sent
again under the new key). The audit log is left as it was written: an event says what
was done at the time, the Audit page shows it as it was, and the uploads it names are
found under the new key.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 18:40:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# Written out, not read from lgadata.workstreams: a migration says what it did for good.
OLD, NEW = "programme", "programme_milestones"
TABLES = ("upload", "workstream_state", "period_state", "period_change", "mail_outbox")


def _rename(old: str, new: str) -> None:
    # Plain UPDATEs, which --sql can print (see 0004).
    for name in TABLES:
        table = sa.table(name, sa.column("workstream", sa.String))
        op.execute(table.update().where(table.c.workstream == old).values(workstream=new))
    outbox = sa.table("mail_outbox", sa.column("key", sa.String))
    before, after = f"reminder|{old}|", f"reminder|{new}|"
    op.execute(
        outbox.update()
        .where(outbox.c.key.like(before + "%"))
        .values(key=sa.literal(after, sa.String) + sa.func.substr(outbox.c.key, len(before) + 1))
    )
    # An officer's workstreams are stored as "key,key": replace the whole key only.
    user = sa.table("user", sa.column("workstreams", sa.String))
    padded = sa.literal(",", sa.String) + user.c.workstreams + sa.literal(",", sa.String)
    replaced = sa.func.replace(padded, f",{old},", f",{new},")
    op.execute(
        user.update()
        .where(padded.like(f"%,{old},%"))
        .values(workstreams=sa.func.substr(replaced, 2, sa.func.length(replaced) - 2))
    )


def upgrade() -> None:
    _rename(OLD, NEW)


def downgrade() -> None:
    _rename(NEW, OLD)
