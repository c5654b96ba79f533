"""Helpers for the crash and concurrency tests: big workbooks, CLI processes, database checks."""

import datetime as dt
import hashlib
import io
import os
import subprocess
import sys

import sqlalchemy as sa
from openpyxl import Workbook

from lgadata import queries
from lgadata.models import DATA_TABLES, PeriodState, Upload, UploadFile
from lgadata.settings import REPO_ROOT

BULLETINS = 20


def ebulletin_workbook(rows: int, *, bump: int = 0, tag: str = "") -> bytes:
    """Return an e-bulletin workbook of rows links over BULLETINS bulletins.

    Workbooks with the same rows hold the same bulletins (periods); bump changes every
    link's views, so two versions differ in every figure.
    """
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Links")
    sheet.append(["bulletin", "sent_on", "url", "link_text", "views", "unique_views"])
    start = dt.datetime(2013, 1, 7)
    for i in range(rows):
        bulletin = i % BULLETINS
        views = (i * 7919) % 1000 + 1 + bump
        sheet.append(
            [
                f"Improvement and Innovation Board e-bulletin {bulletin + 1}",
                start + dt.timedelta(days=7 * bulletin),
                f"https://www.local.gov.uk/page/{i}",
                f"Link {i}{tag}",
                views,
                views // 2,
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def cli_env(database_url: str) -> dict:
    """Return the environment for a `python -m lgadata` child on that database."""
    return os.environ | {"LGADATA_DATABASE_URL": database_url, "LGADATA_SEED_SAMPLES": "false"}


def start_cli(database_url: str, *args: str, seed: bool = False) -> subprocess.Popen:
    """Start `python -m lgadata ARGS` on the database; return the running process."""
    env = cli_env(database_url) | ({"LGADATA_SEED_SAMPLES": "true"} if seed else {})
    return subprocess.Popen(
        [sys.executable, "-m", "lgadata", *args],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def run_cli(database_url: str, *args: str, seed: bool = False, timeout: float = 300):
    """Run `python -m lgadata ARGS` on the database to the end; return (status, out, err)."""
    process = start_cli(database_url, *args, seed=seed)
    out, err = process.communicate(timeout=timeout)
    return process.returncode, out, err


def incomplete_uploads(engine: sa.Engine) -> list[str]:
    """Return a line for each stored upload that lacks its rows, its periods or its bytes."""
    found = []
    with engine.connect() as conn:
        uploads = conn.execute(sa.select(Upload).where(Upload.kind == "upload")).all()
        for upload in uploads:
            content = conn.execute(
                sa.select(UploadFile.content).where(UploadFile.upload_id == upload.id)
            ).scalar_one_or_none()
            if content is None or hashlib.sha256(content).hexdigest() != upload.sha256:
                found.append(f"upload {upload.id}: its file's bytes are missing or differ")
            rows = 0
            for table in DATA_TABLES.values():
                rows += conn.execute(
                    sa.select(sa.func.count()).where(table.c.upload_id == upload.id)
                ).scalar_one()
            if rows != upload.row_count:
                found.append(f"upload {upload.id}: {rows} rows stored of {upload.row_count}")
    return found


def ebulletin_state(engine: sa.Engine) -> dict:
    """Return the e-bulletin figures as the board sees them, and the uploads they come from."""
    links = queries.current("ebulletin", "Links")
    with engine.connect() as conn:
        count, views, unique = conn.execute(
            sa.select(
                sa.func.count(), sa.func.sum(links.c.views), sa.func.sum(links.c.unique_views)
            )
        ).one()
        sources = set(
            conn.execute(
                sa.select(PeriodState.upload_id).where(PeriodState.workstream == "ebulletin")
            ).scalars()
        )
    summaries = [
        {k: v for k, v in b.items() if k != "upload_id"} for b in queries.bulletins(engine=engine)
    ]
    return {
        "figures": {"rows": count, "views": views, "unique": unique, "bulletins": summaries},
        "sources": sources,
    }
