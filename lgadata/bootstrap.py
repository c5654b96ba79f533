"""Make a database ready: tables, the council register and, on first run, the sample data."""

import logging
import threading
from collections import defaultdict

import sqlalchemy as sa

from lgadata.auth import command_line
from lgadata.councils import load_register
from lgadata.db import create_schema, setup_transaction
from lgadata.ingest import check_bytes
from lgadata.models import Council, WorkstreamState
from lgadata.parsed import ParsedUpload
from lgadata.settings import DATA_DIR
from lgadata.store import VersionConflict, store_upload
from lgadata.workstreams import WORKSTREAMS, Workstream

SAMPLES_DIR = DATA_DIR / "samples"
SAMPLE_ACTOR = "sample data"

log = logging.getLogger(__name__)
# One lock per database in this process, held while its samples load: a page that needs them
# waits for a load already under way (started by prepare_database) instead of making its own.
# Other processes are kept from a second load by store_upload's after_version=0.
_SAMPLE_LOCKS: defaultdict[str, threading.Lock] = defaultdict(threading.Lock)
_SAMPLE_LOCKS_LOCK = threading.Lock()


def ensure_database(*, engine: sa.Engine, seed_samples: bool = True) -> dict[str, int]:
    """Create what is missing and return the sample uploads made, by workstream."""
    create_schema(engine)
    sync_councils(engine=engine)
    return load_samples(engine=engine) if seed_samples else {}


def prepare_database(*, engine: sa.Engine, seed_samples: bool = True) -> threading.Thread | None:
    """Create the tables and the register now; load the samples in a thread, returned.

    A server can then answer at once (sign-in needs only the tables) while the samples load;
    ensure_database, which every page calls first, waits for that load to finish.
    """
    create_schema(engine)
    sync_councils(engine=engine)
    if not seed_samples:
        return None
    thread = threading.Thread(
        target=_load_samples_logged, kwargs={"engine": engine}, name="lgadata-samples"
    )
    thread.daemon = True
    thread.start()
    return thread


def _load_samples_logged(*, engine: sa.Engine) -> None:
    try:
        load_samples(engine=engine)
    except Exception:
        # The first page's own ensure_database tries again and shows its plain message.
        log.exception("The sample data did not load in the background")


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
    with _sample_lock(engine):
        return _load_samples(engine)


def _sample_lock(engine: sa.Engine) -> threading.Lock:
    with _SAMPLE_LOCKS_LOCK:
        return _SAMPLE_LOCKS[engine.url.render_as_string(hide_password=False)]


def _load_samples(engine: sa.Engine) -> dict[str, int]:
    with engine.connect() as conn:
        versions = dict(
            conn.execute(sa.select(WorkstreamState.workstream, WorkstreamState.version)).all()
        )
    empty = [w for w in WORKSTREAMS.values() if versions.get(w.key, 0) == 0]
    # Every sample is checked before any is stored, so a bad one leaves none half-loaded.
    checked = [_checked_sample(workstream) for workstream in empty]
    loaded = {}
    for parsed, data in checked:
        try:
            upload = store_upload(
                engine=engine,
                parsed=parsed,
                content=data,
                actor=command_line(SAMPLE_ACTOR),
                note="Sample data built from the board report.",
                after_version=0,
            )
        except VersionConflict:  # another process loaded it meanwhile
            continue
        loaded[parsed.workstream.key] = upload.id
    return loaded


def _checked_sample(workstream: Workstream) -> tuple[ParsedUpload, bytes]:
    path = SAMPLES_DIR / workstream.sample_file
    data = path.read_bytes()
    # The shipped samples are the product's own files, not a visitor's: they are read by the
    # same reader and checked by the same code as an upload, but in this process rather than
    # in the isolated child that guards against hostile files, whose start-up was most of a
    # fresh server's wait for its first page.
    parsed = check_bytes(
        data, path.name, workstream=workstream, register=load_register(), isolate=False
    )
    if not parsed.ok:
        problems = "; ".join(str(p) for p in parsed.errors[:5])
        raise RuntimeError(f"The shipped sample {path.name} does not load: {problems}")
    return parsed, data
