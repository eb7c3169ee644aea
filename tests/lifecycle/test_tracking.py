"""Tracking tables on a real database: pgmt's shape, upgrades, rows, the advisory lock."""

from __future__ import annotations

import threading

import psycopg
import pytest

from pgmt_git.config import TrackingTable
from pgmt_git.errors import ConfigError
from pgmt_git.migrate.records import SectionStatus
from pgmt_git.pg import tracking
from pgmt_git.pg.locking import lock_holders, lock_key, migration_lock
from pgmt_git.pg.tracking import TrackingError, TrackingTables
from pgmt_git.project.migrations import read_migration
from pgmt_git.project.sections import parse_sections

TABLES = TrackingTables("public", "pgmt_migrations")
TWO = ('-- pgmt:section name="first"\nCREATE TABLE b (id int);\n\n'
       '-- pgmt:section name="second" mode="non-transactional"\n'
       "CREATE INDEX CONCURRENTLY b_id ON b (id);\n")


def columns(conn: psycopg.Connection, table: str) -> list[tuple[str, str, bool, str | None]]:
    return [tuple(r) for r in conn.execute(  # type: ignore[misc]
        "SELECT a.attname::text, format_type(a.atttypid, a.atttypmod), a.attnotnull, "
        "pg_get_expr(d.adbin, d.adrelid) FROM pg_attribute a LEFT JOIN pg_attrdef d "
        "ON d.adrelid = a.attrelid AND d.adnum = a.attnum WHERE a.attrelid = %s::regclass "
        "AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum", (table,))]


def primary_key(conn: psycopg.Connection, table: str) -> str:
    row = conn.execute("SELECT pg_get_constraintdef(oid) FROM pg_constraint "
                       "WHERE conrelid = %s::regclass AND contype = 'p'", (table,)).fetchone()
    assert row is not None
    return str(row[0])


def test_lock_key_is_pgmts() -> None:
    # pgmt pins this value: MD5('"public"."pgmt_migrations"'), first 8 bytes, big-endian.
    assert lock_key(TABLES) == 4779231646775632092
    assert lock_key(TrackingTables("app", "pgmt_migrations")) != lock_key(TABLES)


def test_tracking_names_must_be_plain_identifiers() -> None:
    with pytest.raises(ConfigError, match="plain identifier"):
        TrackingTables.from_config(TrackingTable(schema='we"ird', name="t"))


def test_created_as_pgmt_defines_them(target_conn: psycopg.Connection) -> None:
    tracking.ensure_tables(target_conn, TABLES)
    tracking.ensure_tables(target_conn, TABLES)  # idempotent
    assert columns(target_conn, "public.pgmt_migrations") == [
        ("version", "bigint", True, None),
        ("description", "text", True, None),
        ("applied_at", "timestamp with time zone", False, "CURRENT_TIMESTAMP"),
        ("checksum", "text", True, None),
        ("applied_by", "text", False, "CURRENT_USER"),
        ("is_baseline", "boolean", True, None),
    ]
    assert primary_key(target_conn, "public.pgmt_migrations") == \
        "PRIMARY KEY (version, is_baseline)"
    names = [c[0] for c in columns(target_conn, "public.pgmt_migrations_sections")]
    assert names == ["migration_version", "is_baseline", "section_name", "section_order",
                     "status", "started_at", "completed_at", "attempts", "last_error",
                     "rows_affected", "duration_ms", "checksum", "mode", "module",
                     "applied_by", "pgmt_version"]
    assert primary_key(target_conn, "public.pgmt_migrations_sections") == \
        "PRIMARY KEY (migration_version, is_baseline, section_name)"
    index = target_conn.execute(
        "SELECT indexdef FROM pg_indexes WHERE indexname = "
        "'idx_public_pgmt_migrations_sections_status'").fetchone()
    assert index is not None and "(migration_version, status)" in index[0]


def test_missing_schema_is_reported(target_conn: psycopg.Connection) -> None:
    with pytest.raises(TrackingError, match="schema deploy"):
        tracking.ensure_tables(target_conn, TrackingTables("deploy", "pgmt_migrations"))


def test_old_tables_are_upgraded_and_old_rows_count_as_applied(
        target_conn: psycopg.Connection) -> None:
    # The shape of the oldest pgmt tables: no applied_by, no is_baseline, key (version).
    target_conn.execute(
        "CREATE TABLE public.pgmt_migrations (version BIGINT PRIMARY KEY, "
        "description TEXT NOT NULL, applied_at TIMESTAMPTZ DEFAULT now(), "
        "checksum TEXT NOT NULL)")
    target_conn.execute("INSERT INTO public.pgmt_migrations (version, description, checksum) "
                        "VALUES (1, 'first', 'abc')")
    tracking.ensure_tables(target_conn, TABLES)
    assert primary_key(target_conn, "public.pgmt_migrations") == \
        "PRIMARY KEY (version, is_baseline)"
    state = tracking.read_state(target_conn, TABLES)
    (row,) = state.migrations
    assert (row.version, row.is_baseline, row.description) == (1, False, "first")
    (section,) = state.sections
    assert (section.name, section.status, section.checksum) == (
        "default", SectionStatus.COMPLETED, None)
    assert state.is_applied(1)


def test_old_sections_table_gains_columns_and_key(target_conn: psycopg.Connection) -> None:
    tracking.ensure_tables(target_conn, TABLES)
    target_conn.execute("DROP TABLE public.pgmt_migrations_sections")
    target_conn.execute(
        "CREATE TABLE public.pgmt_migrations_sections (migration_version BIGINT NOT NULL, "
        "section_name TEXT NOT NULL, section_order INT NOT NULL, status TEXT NOT NULL, "
        "started_at TIMESTAMPTZ, completed_at TIMESTAMPTZ, attempts INT DEFAULT 0, "
        "last_error TEXT, rows_affected BIGINT, duration_ms BIGINT, "
        "PRIMARY KEY (migration_version, section_name))")
    target_conn.execute("INSERT INTO public.pgmt_migrations_sections VALUES "
                        "(7, 'a', 0, 'completed', now(), now(), 1, NULL, 0, 5)")
    tracking.ensure_tables(target_conn, TABLES)
    assert primary_key(target_conn, "public.pgmt_migrations_sections") == \
        "PRIMARY KEY (migration_version, is_baseline, section_name)"
    (section,) = tracking.read_state(target_conn, TABLES).sections
    assert (section.version, section.is_baseline, section.checksum) == (7, False, None)


def test_register_and_progress_rows(target_conn: psycopg.Connection) -> None:
    tracking.ensure_tables(target_conn, TABLES)
    migration = read_migration("migrations/V42_two.sql", TWO)
    sections = parse_sections(TWO)
    tracking.register_start(target_conn, TABLES, migration, sections)
    tracking.mark_running(target_conn, TABLES, 42, False, "first")
    tracking.mark_completed(target_conn, TABLES, 42, False, "first", duration_ms=3,
                            rows_affected=None)
    tracking.mark_running(target_conn, TABLES, 42, False, "second")
    tracking.mark_failed(target_conn, TABLES, 42, False, "second", "boom")
    state = tracking.read_state(target_conn, TABLES)
    (row,) = state.migrations
    assert (row.version, row.description, row.checksum) == (42, "two", migration.checksum)
    assert row.applied_by
    first, second = state.sections
    assert (first.status, first.attempts, first.duration_ms) == (SectionStatus.COMPLETED, 1, 3)
    assert (second.status, second.last_error, second.mode) == (
        SectionStatus.FAILED, "boom", "non-transactional")
    assert second.pgmt_version == tracking.WRITER
    assert not state.is_applied(42)


def test_lock_waits_and_names_the_holder(target_db, target_conn: psycopg.Connection) -> None:  # type: ignore[no-untyped-def]
    holder = psycopg.connect(target_db.conninfo, autocommit=True,
                             application_name="the holder")
    holder.execute("SELECT pg_advisory_lock(%s)", (lock_key(TABLES),))
    holder_pid = holder.info.backend_pid
    told = threading.Event()
    seen: list[object] = []
    got_it = threading.Event()

    def waiting(holders: object) -> None:
        seen.append(holders)
        told.set()

    def wait() -> None:
        with psycopg.connect(target_db.conninfo, autocommit=True) as conn:
            with migration_lock(conn, TABLES, on_wait=waiting):
                got_it.set()

    thread = threading.Thread(target=wait)
    thread.start()
    try:
        assert told.wait(60)
        assert not got_it.is_set()
        holders = lock_holders(target_conn, TABLES)
        assert [h.application for h in holders] == ["the holder"]
        assert holders[0].pid == holder_pid
    finally:
        holder.close()
    thread.join(timeout=60)
    assert got_it.is_set()
    (reported,) = seen
    assert [h.pid for h in reported] == [holder_pid]  # type: ignore[attr-defined]
    assert "the holder" in reported[0].describe()  # type: ignore[index]
