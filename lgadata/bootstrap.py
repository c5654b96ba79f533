"""Make a database ready: tables, the council register and, on first run, the sample data."""

import sqlalchemy as sa

from lgadata.auth import command_line
from lgadata.councils import load_register
from lgadata.db import create_schema, setup_transaction
from lgadata.ingest import check_bytes
from lgadata.models import Council, WorkstreamState
from lgadata.settings import DATA_DIR
from lgadata.store import VersionConflict, store_upload
from lgadata.workstreams import WORKSTREAMS

SAMPLES_DIR = DATA_DIR / "samples"
SAMPLE_ACTOR = "sample data"


def ensure_database(*, engine: sa.Engine, seed_samples: bool = True) -> dict[str, int]:
    """Create what is missing and return the sample uploads made, by workstream."""
    create_schema(engine)
    sync_councils(engine=engine)
    return load_samples(engine=engine) if seed_samples else {}


def sync_councils(*, engine: sa.Engine) -> None:
    """Make the council table equal the shipped register."""
    register = load_register()
    with setup_transaction(engine) as conn:
        stored = set(conn.execute(sa.select(Council.gss_code)).scalars())
        if stored == {c.gss_code for c in register}:
            return
        conn.execute(sa.delete(Council))
        conn.execute(
            sa.insert(Council),
            [
                {
                    "gss_code": c.gss_code,
                    "official_name": c.official_name,
                    "short_name": c.short_name,
                    "type": c.type,
                    "region": c.region,
                }
                for c in register
            ],
        )


def load_samples(*, engine: sa.Engine) -> dict[str, int]:
    """Load each workstream's sample workbook into a workstream that has never had data."""
    with engine.connect() as conn:
        versions = dict(
            conn.execute(sa.select(WorkstreamState.workstream, WorkstreamState.version)).all()
        )
    loaded = {}
    for workstream in WORKSTREAMS.values():
        if versions.get(workstream.key, 0) != 0:
            continue
        path = SAMPLES_DIR / workstream.sample_file
        data = path.read_bytes()
        parsed = check_bytes(data, path.name, workstream=workstream)
        if not parsed.ok:
            problems = "; ".join(str(p) for p in parsed.errors[:5])
            raise RuntimeError(f"The shipped sample {path.name} does not load: {problems}")
        try:
            upload = store_upload(
                engine=engine,
                parsed=parsed,
                content=data,
                actor=command_line(SAMPLE_ACTOR),
                note="Sample data built from the board report.",
                after_version=0,
            )
        except VersionConflict:
            continue
        loaded[workstream.key] = upload.id
    return loaded
