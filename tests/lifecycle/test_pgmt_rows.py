"""Tracking tables and rows exactly as pgmt writes them are read and extended."""

from __future__ import annotations

from pathlib import Path

import psycopg

from pgmt_git.pg.target import Target
from pgmt_git.pg.tracking import WRITER
from pgmt_git.project.migrations import file_checksum
from pgmt_git.project.sections import parse_sections, section_checksum
from tests.lifecycle.conftest import write_project
from tests.lifecycle.helpers import pgmt_git

# pgmt 0.6.3's DDL for its tracking tables, column for column.
PGMT_DDL = """
CREATE TABLE IF NOT EXISTS "public"."pgmt_migrations" (
    version BIGINT NOT NULL,
    description TEXT NOT NULL,
    applied_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP,
    checksum TEXT NOT NULL,
    applied_by TEXT DEFAULT CURRENT_USER,
    is_baseline BOOLEAN NOT NULL,
    PRIMARY KEY (version, is_baseline)
);
CREATE TABLE IF NOT EXISTS "public"."pgmt_migrations_sections" (
    migration_version BIGINT NOT NULL,
    is_baseline BOOLEAN NOT NULL,
    section_name TEXT NOT NULL,
    section_order INT NOT NULL,
    status TEXT NOT NULL,
    started_at TIMESTAMP WITH TIME ZONE,
    completed_at TIMESTAMP WITH TIME ZONE,
    attempts INT DEFAULT 0,
    last_error TEXT,
    rows_affected BIGINT,
    duration_ms BIGINT,
    checksum TEXT,
    mode TEXT,
    module TEXT,
    applied_by TEXT,
    pgmt_version TEXT,
    PRIMARY KEY (migration_version, is_baseline, section_name)
);
CREATE INDEX IF NOT EXISTS idx_public_pgmt_migrations_sections_status
    ON "public"."pgmt_migrations_sections"(migration_version, status);
"""

FIRST = """-- pgmt:section name="table"
CREATE TABLE users (id int PRIMARY KEY);

-- pgmt:section name="column" timeout="30s"
ALTER TABLE users ADD COLUMN email text;
"""
SECOND = "ALTER TABLE users ADD COLUMN name text;\n"


def pgmt_rows(conn: psycopg.Connection, version: int, text: str, *,
              statuses: tuple[str, ...]) -> None:
    """What pgmt leaves after running (part of) a migration, and the schema it made."""
    conn.execute("INSERT INTO pgmt_migrations (version, description, checksum, is_baseline) "
                 "VALUES (%s, 'first', %s, false)", (version, file_checksum(text)))
    for section, status in zip(parse_sections(text), statuses):
        conn.execute(
            "INSERT INTO pgmt_migrations_sections (migration_version, is_baseline, "
            "section_name, section_order, status, started_at, completed_at, attempts, "
            "rows_affected, duration_ms, checksum, mode, module, applied_by, pgmt_version) "
            "VALUES (%s, false, %s, %s, %s, now(), now(), 1, 0, 3, %s, %s, NULL, "
            "current_user, '0.6.3')",
            (version, section.name, section.order, status, section_checksum(section),
             section.mode.value))


def test_rows_pgmt_wrote_are_read_and_extended(tmp_path: Path, target_db: Target,
                                               target_conn: psycopg.Connection) -> None:
    target_conn.execute(PGMT_DDL)
    target_conn.execute("CREATE TABLE users (id int PRIMARY KEY)")  # pgmt ran section 1
    pgmt_rows(target_conn, 100, FIRST, statuses=("completed", "failed"))
    root = write_project(tmp_path / "p", {"migrations/V100_first.sql": FIRST,
                                          "migrations/V200_second.sql": SECOND})
    url = target_db.conninfo
    status = pgmt_git(root, "migrate", "status", "--target-url", url, "--sections").stdout
    assert "1/2 table: completed" in status and "2/2 column: failed" in status
    result = pgmt_git(root, "migrate", "apply", "--target-url", url)
    assert "resuming migrations/V100_first.sql (1/2 sections already completed)" in \
        result.stderr
    rows = target_conn.execute(
        "SELECT migration_version, section_name, status, pgmt_version "
        "FROM pgmt_migrations_sections ORDER BY 1, section_order").fetchall()
    assert rows == [(100, "table", "completed", "0.6.3"),
                    (100, "column", "completed", "0.6.3"),
                    (200, "default", "completed", WRITER)]
    assert target_conn.execute("SELECT count(*) FROM pgmt_migrations").fetchone() == (2,)
    columns = target_conn.execute("SELECT column_name FROM information_schema.columns WHERE "
                                  "table_name = 'users' ORDER BY ordinal_position").fetchall()
    assert columns == [("id",), ("email",), ("name",)]


def test_a_pgmt_database_from_before_section_tracking(tmp_path: Path, target_db: Target,
                                                      target_conn: psycopg.Connection) -> None:
    target_conn.execute(
        'CREATE TABLE "public"."pgmt_migrations" (version BIGINT PRIMARY KEY, '
        "description TEXT NOT NULL, applied_at TIMESTAMPTZ DEFAULT now(), "
        "checksum TEXT NOT NULL)")
    target_conn.execute("CREATE TABLE users (id int PRIMARY KEY)")
    text = "CREATE TABLE users (id int PRIMARY KEY);\n"
    target_conn.execute("INSERT INTO pgmt_migrations (version, description, checksum) "
                        "VALUES (100, 'users', %s)", (file_checksum(text),))
    root = write_project(tmp_path / "p", {"migrations/V100_users.sql": text,
                                          "migrations/V200_second.sql": SECOND})
    result = pgmt_git(root, "migrate", "apply", "--target-url", target_db.conninfo)
    assert "applying migrations/V200_second.sql" in result.stderr
    assert "V100" not in result.stderr
