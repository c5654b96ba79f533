"""The ledger of uploads and rollbacks."""

import json

import sqlalchemy as sa

from lgadata.models import Upload


def history(*, engine: sa.Engine, workstream: str | None = None, limit: int = 200) -> list[dict]:
    """Return uploads and rollbacks, newest first."""
    query = sa.select(Upload).order_by(Upload.id.desc()).limit(limit)
    if workstream:
        query = query.where(Upload.workstream == workstream)
    with engine.connect() as conn:
        return [
            {
                "id": row.id,
                "workstream": row.workstream,
                "version": row.version,
                "kind": row.kind,
                "file_name": row.file_name,
                "sha256": row.sha256,
                "uploaded_by": row.uploaded_by,
                "uploaded_at": row.uploaded_at.isoformat(timespec="seconds"),
                "rows": row.row_count,
                "summary": json.loads(row.summary or "{}"),
                "rolls_back": row.rolls_back,
                "note": row.note,
            }
            for row in conn.execute(query)
        ]
