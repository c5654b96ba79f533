"""Schema migrations: the newest revision is what the models declare, and upgrades lose nothing."""

import datetime as dt
import json
import multiprocessing
import shutil

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlmodel import SQLModel

from lgadata import audit, auth, migrations, queries
from lgadata.bootstrap import ensure_database, load_samples
from lgadata.cli import main
from lgadata.db import get_engine, make_engine
from lgadata.migrations import (
    FIRST_REVISION,
    REVISION_COMMAND,
    SchemaError,
    current_revision,
    head_revision,
    migrate,
)
from lgadata.models import MailOutbox, User
from lgadata.settings import get_settings
from lgadata.store import rollback
from lgadata.workstreams import PROGRAMME, WORKSTREAMS

ADMIN = auth.command_line("migration test")
TODAY = dt.date(2026, 11, 25)
OLD_KEY_TABLES = ("upload", "workstream_state", "period_state", "period_change", "mail_outbox")
MODELS_CHANGED = (
    f"lgadata/models.py and the migrations differ; write a revision: {REVISION_COMMAND}"
)


@pytest.fixture
def engine(database_url):
    """An engine on a new, empty database: no tables at all."""
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


def released_tables() -> tuple[str, ...]:
    return migrations._script().get_revision(FIRST_REVISION).module.TABLES


def make_released_database(engine: sa.Engine) -> None:
    """Build the schema as the first release did: create_all, with no alembic_version table."""
    with engine.begin() as conn:
        command.upgrade(migrations.config(connection=conn), FIRST_REVISION)
        conn.exec_driver_sql("DROP TABLE alembic_version")


def schema(engine: sa.Engine) -> dict:
    """Describe every table as the database reports it: columns, keys and indexes."""
    inspector = sa.inspect(engine)
    return {
        table: {
            "columns": [
                (c["name"], str(c["type"]), c["nullable"], c.get("default"))
                for c in inspector.get_columns(table)
            ],
            "primary key": inspector.get_pk_constraint(table)["constrained_columns"],
            "foreign keys": sorted(
                (tuple(k["constrained_columns"]), k["referred_table"], tuple(k["referred_columns"]))
                for k in inspector.get_foreign_keys(table)
            ),
            "indexes": sorted(
                (i["name"], tuple(i["column_names"]), bool(i["unique"]))
                for i in inspector.get_indexes(table)
            ),
            "unique": sorted(
                tuple(u["column_names"]) for u in inspector.get_unique_constraints(table)
            ),
        }
        for table in inspector.get_table_names()
        if table != "alembic_version"
    }


def rows(engine: sa.Engine, tables: dict[str, sa.Table]) -> dict[str, list]:
    """Return every row of every table, in a stable order."""
    with engine.connect() as conn:
        return {
            name: sorted(conn.execute(sa.select(table)).all(), key=repr)
            for name, table in tables.items()
        }


def copy_rows(source: sa.Engine, target: sa.Engine) -> dict[str, sa.Table]:
    """Copy every row of the released tables from source to target; return target's tables.

    Only the released columns are read and written, so this keeps working when later
    revisions add columns to the models.
    """
    released = sa.MetaData()
    released.reflect(target, only=released_tables())
    with source.connect() as read, target.begin() as write:
        for name in released_tables():
            live, old = SQLModel.metadata.tables[name], released.tables[name]
            columns = [live.c[c.name] for c in old.columns]
            found = read.execute(sa.select(*columns).order_by(*live.primary_key.columns))
            values = [dict(r._mapping) for r in found]
            if values:
                write.execute(sa.insert(old), values)
    return dict(released.tables)


def test_migrating_an_empty_database_gives_the_schema_the_models_declare(engine):
    assert migrate(engine) == head_revision()
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        differences = compare_metadata(context, SQLModel.metadata)
    assert differences == [], MODELS_CHANGED


def test_the_migrated_schema_is_the_one_create_all_makes(engine):
    migrate(engine)
    migrated = schema(engine)
    SQLModel.metadata.drop_all(engine)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE alembic_version")
    SQLModel.metadata.create_all(engine)
    assert schema(engine) == migrated, MODELS_CHANGED


def test_a_database_made_by_the_released_code_is_upgraded_and_keeps_every_row(engine, tmp_path):
    current = make_engine(f"sqlite:///{tmp_path / 'current.db'}")
    ensure_database(engine=current, seed_samples=True)
    auth.save_user(engine=current, by=ADMIN, email="officer@example.gov.uk", role=auth.Role.OFFICER)
    rollback(engine=current, upload_id=1, actor=ADMIN, note="undo the first sample")
    load_samples(engine=current)
    expected = queries.metrics(engine=current, today=TODAY)

    make_released_database(engine)
    tables = copy_rows(current, engine)
    before = rows(engine, tables)
    assert all(before[name] for name in ("upload", "upload_file", "user", "audit_event", "council"))

    ensure_database(engine=engine, seed_samples=True)

    assert current_revision(engine) == head_revision()
    assert rows(engine, tables) == before
    released = released_workstreams()
    assert released, "no workstream's tables were in the released database"
    after = queries.metrics(engine=engine, today=TODAY)
    assert {k: after[k] for k in released} == {k: expected[k] for k in released}
    current.dispose()


def released_workstreams() -> list[str]:
    """Return the workstreams whose every table was in the released database: a workstream
    added since then has no rows there to keep."""
    tables = set(released_tables())
    return [
        key for key, w in WORKSTREAMS.items() if all(sheet.table in tables for sheet in w.sheets)
    ]


def test_starting_up_twice_changes_nothing_the_second_time(engine):
    first = ensure_database(engine=engine, seed_samples=True)
    tables = {name: SQLModel.metadata.tables[name] for name in released_tables()}
    after_first = (schema(engine), rows(engine, tables))
    assert first

    assert ensure_database(engine=engine, seed_samples=True) == {}
    assert (schema(engine), rows(engine, tables)) == after_first
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").all() == [
            (head_revision(),)
        ]


def _start_up(url: str, barrier, results) -> None:
    """Migrate url in a process of its own, as a second app server starting would."""
    engine = make_engine(url)
    barrier.wait(timeout=60)
    try:
        results.put(migrate(engine))
    except Exception as error:  # reported to the parent, which names every failure
        results.put(repr(error))
    engine.dispose()


def test_eight_processes_starting_at_once_migrate_once_without_error(database_url):
    # Eight, not two: a new SQLite file's switch to WAL refused all but one at once until
    # the connection set-up learnt to wait for it.
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(8), context.Queue()
    processes = [
        context.Process(target=_start_up, args=(database_url, barrier, results)) for _ in range(8)
    ]
    for process in processes:
        process.start()
    outcomes = [results.get(timeout=120) for _ in processes]
    for process in processes:
        process.join(timeout=30)

    assert outcomes == [head_revision()] * 8
    engine = make_engine(database_url)
    with engine.connect() as conn:
        versions = conn.exec_driver_sql("SELECT version_num FROM alembic_version").all()
    assert versions == [(head_revision(),)]
    assert set(released_tables()) <= set(sa.inspect(engine).get_table_names())
    engine.dispose()


def test_a_database_with_only_some_of_the_released_tables_is_refused(engine):
    make_released_database(engine)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE audit_event")
    with pytest.raises(SchemaError, match="but not audit_event"):
        migrate(engine)
    assert current_revision(engine) is None


SECOND_REVISION = '''"""Let an upload have no note."""

import sqlalchemy as sa
from alembic import op

revision = "9999"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("upload") as batch:
        batch.alter_column("note", existing_type=sa.Text(), nullable=True)


def downgrade() -> None:
    with op.batch_alter_table("upload") as batch:
        batch.alter_column("note", existing_type=sa.Text(), nullable=False)
'''


def test_a_later_revision_that_rebuilds_a_referenced_table_keeps_every_row(
    engine, tmp_path, monkeypatch
):
    ensure_database(engine=engine, seed_samples=True)
    rollback(engine=engine, upload_id=1, actor=ADMIN)
    tables = {name: SQLModel.metadata.tables[name] for name in released_tables()}
    before = rows(engine, tables)

    scripts = tmp_path / "migrations"
    shutil.copytree(migrations.MIGRATIONS_DIR, scripts)
    (scripts / "versions" / "9999_note_optional.py").write_text(
        SECOND_REVISION.format(head=head_revision()), encoding="utf-8"
    )
    monkeypatch.setattr(migrations, "MIGRATIONS_DIR", scripts)
    migrations._script.cache_clear()
    try:
        assert migrate(engine) == "9999"
    finally:
        migrations._script.cache_clear()

    assert rows(engine, tables) == before
    note = next(c for c in sa.inspect(engine).get_columns("upload") if c["name"] == "note")
    assert note["nullable"]
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


@pytest.fixture
def cli(database_url, monkeypatch, capsys):
    """Run `python -m lgadata ARGS` against a fresh database; return (status, output)."""
    monkeypatch.setenv("LGADATA_DATABASE_URL", database_url)
    monkeypatch.setenv("LGADATA_SEED_SAMPLES", "false")
    get_settings.cache_clear()
    get_engine.cache_clear()

    def run(*args: str) -> tuple[int, str]:
        status = main(list(args))
        return status, capsys.readouterr().out

    yield run
    get_engine.cache_clear()
    get_settings.cache_clear()


def test_undoing_the_upload_reason_keeps_every_upload_and_its_rows(engine):
    ensure_database(engine=engine, seed_samples=True)
    with engine.connect() as conn:
        before = conn.execute(sa.text("SELECT id, workstream, version FROM upload")).all()
    # The revision before the one that adds the reason, whatever its number by then.
    adds = next(r for r in migrations._script().walk_revisions() if "upload_reason" in r.path)
    with engine.begin() as conn:
        command.downgrade(migrations.config(connection=conn), adds.down_revision)
    assert "reason" not in {c["name"] for c in sa.inspect(engine).get_columns("upload")}
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT id, workstream, version FROM upload")).all() == before
    migrate(engine)
    assert queries.history(engine=engine)[0]["reason"] == ""


def test_init_says_which_revision_the_schema_is_at(cli):
    status, text = cli("init")
    assert status == 0 and f"Schema at revision {head_revision()}." in text.splitlines()
    status, output = cli("init", "--json")
    assert status == 0 and json.loads(output)["schema_revision"] == head_revision()


def test_migrate_sql_prints_the_upgrade_for_the_configured_database_and_runs_nothing(cli):
    status, sql = cli("migrate", "--sql")
    assert status == 0 and "CREATE TABLE upload (" in sql and "INSERT INTO alembic_version" in sql
    engine = get_engine()
    assert sa.inspect(engine).get_table_names() == []
    assert cli("migrate") == (0, f"Schema at revision {head_revision()}.\n")
    assert current_revision(engine) == head_revision()


def test_a_database_upgraded_by_a_newer_version_is_refused_with_a_reason(engine):
    migrate(engine)
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(SchemaError, match="at revision 9999, which this version"):
        migrate(engine)


def at_revision_0005_with_the_old_programme_key(engine: sa.Engine) -> None:
    """Make the database the code before 0006 left: samples, an officer keeping the
    programme workbook, a reminder sent and an upload logged, all under "programme"."""
    ensure_database(engine=engine, seed_samples=True)
    auth.save_user(
        engine=engine,
        by=ADMIN,
        email="officer@example.gov.uk",
        role=auth.Role.OFFICER,
        workstreams=("ebulletin", PROGRAMME.key),
    )
    with engine.begin() as conn:
        command.downgrade(migrations.config(connection=conn), "0005")
        conn.execute(
            sa.insert(MailOutbox.__table__).values(
                key="reminder|programme|due 2013-06-30|2013-W26|officer@example.gov.uk",
                kind="reminder",
                recipient="officer@example.gov.uk",
                workstream="programme",
                last_error="",
                attachment="",
            )
        )
        audit.record(conn, actor="Jo Officer", action="upload", upload_id=5, workstream="programme")


def test_data_stored_under_the_old_programme_key_is_carried_over(engine):
    at_revision_0005_with_the_old_programme_key(engine)
    with engine.connect() as conn:
        before = {
            table: conn.execute(
                sa.text(f"SELECT count(*) FROM {table} WHERE workstream = 'programme'")
            ).scalar()
            for table in OLD_KEY_TABLES
        }
    assert all(before.values()), before

    assert migrate(engine) == head_revision()

    with engine.connect() as conn:
        for table, count in before.items():
            by_key = dict(
                conn.execute(
                    sa.text(f"SELECT workstream, count(*) FROM {table} GROUP BY workstream")
                ).all()
            )
            assert "programme" not in by_key and by_key[PROGRAMME.key] == count, table
        [reminder] = conn.execute(sa.select(MailOutbox.key)).scalars()
        [kept] = conn.execute(
            sa.select(User.workstreams).where(User.email == "officer@example.gov.uk")
        ).scalars()
    assert reminder.startswith(f"reminder|{PROGRAMME.key}|due 2013-06-30|")
    assert kept == f"ebulletin,{PROGRAMME.key}"
    assert queries.metrics(engine=engine, today=TODAY)[PROGRAMME.key]["milestones"] == 23
    [upload] = queries.history(engine=engine, workstream=PROGRAMME.key)
    assert upload["title"] == PROGRAMME.title
    # The log is kept as it was written; the event it names is found under the new key.
    [logged] = [e for e in audit.events(engine=engine) if e["actor"] == "Jo Officer"]
    assert logged["detail"] == {"upload_id": 5, "workstream": "programme"}


def test_undoing_0006_gives_the_old_programme_key_back(engine):
    at_revision_0005_with_the_old_programme_key(engine)
    before = rows(engine, {"user": User.__table__, "mail_outbox": MailOutbox.__table__})
    migrate(engine)
    with engine.begin() as conn:
        command.downgrade(migrations.config(connection=conn), "0005")
    assert rows(engine, {"user": User.__table__, "mail_outbox": MailOutbox.__table__}) == before


def test_the_uploads_stored_before_0008_are_summarised_as_the_store_summarises_them(engine):
    ensure_database(engine=engine, seed_samples=True)
    rollback(engine=engine, upload_id=1, actor=ADMIN, note="a rollback summarises nothing new")
    query = sa.text(
        "SELECT upload_id, sheet, period_key, day, rows FROM period_summary ORDER BY 1, 2, 3"
    )
    with engine.connect() as conn:
        stored = conn.execute(query).all()
    sheets = {row.sheet for row in stored}
    assert (
        {"Links", "Arrangements"}
        <= sheets
        <= {s.name for w in WORKSTREAMS.values() for s in w.sheets}
    )
    assert any(row.day for row in stored), "no bulletin's day was kept"
    with engine.begin() as conn:
        command.downgrade(migrations.config(connection=conn), "0007")
    assert "period_summary" not in sa.inspect(engine).get_table_names()
    migrate(engine)
    with engine.connect() as conn:
        assert conn.execute(query).all() == stored
