"""migrate apply runs sections as their modes say, retries, resumes and reports."""

from __future__ import annotations

import json
from pathlib import Path

import psycopg
import pytest

from pgmt_git.pg.target import Target
from tests.lifecycle.conftest import write_project
from tests.lifecycle.helpers import finish, pgmt_git, start
from tests.lifecycle.test_crash_and_lock import wait_for

USERS = """CREATE TABLE users (id int PRIMARY KEY, name text);
INSERT INTO users SELECT g, 'user ' || g FROM generate_series(1, 100) g;
"""
# pgmt's documented three-section example.
STATUS = """-- pgmt:section name="add_column"
ALTER TABLE users ADD COLUMN status TEXT DEFAULT 'active';

-- pgmt:section name="create_index" mode="non-transactional" timeout="2s" retry_attempts="10"
CREATE INDEX CONCURRENTLY idx_users_status ON users(status);

-- pgmt:section name="add_constraint"
ALTER TABLE users ALTER COLUMN status SET NOT NULL;
"""


def project(tmp_path: Path, **migrations: str) -> Path:
    files = {f"migrations/{name}.sql": text for name, text in migrations.items()}
    return write_project(tmp_path / "project", files)


def status(root: Path, target: Target) -> dict:  # type: ignore[type-arg]
    out = pgmt_git(root, "migrate", "status", "--target-url", target.conninfo,
                   "--format", "json", "--sections").stdout
    return json.loads(out)  # type: ignore[no-any-return]


def section_states(report: dict, version: int) -> list[tuple[str, str]]:  # type: ignore[type-arg]
    for item in report["applied"] + report["pending"]:
        if item["version"] == version:
            return [(s["name"], s["status"]) for s in item["sections"]]
    raise AssertionError(f"no migration {version} in {report}")


def attempts(conn: psycopg.Connection, version: int, section: str) -> int:
    """How many times a section was started (0 before the tracking tables exist)."""
    if conn.execute("SELECT to_regclass('public.pgmt_migrations_sections')").fetchone() == (
            None,):
        return 0
    row = conn.execute("SELECT attempts FROM pgmt_migrations_sections WHERE "
                       "migration_version = %s AND section_name = %s",
                       (version, section)).fetchone()
    return 0 if row is None else int(row[0])


def hold_snapshot(target: Target) -> psycopg.Connection:
    """An open repeatable-read transaction holds a snapshot (and its virtual transaction
    id lock): CREATE INDEX CONCURRENTLY waits for it, ALTER TABLE does not."""
    blocker = psycopg.connect(target.conninfo)
    blocker.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
    blocker.execute("SELECT 1")
    return blocker


def index_valid(conn: psycopg.Connection, name: str) -> bool | None:
    row = conn.execute("SELECT i.indisvalid FROM pg_index i JOIN pg_class c "
                       "ON c.oid = i.indexrelid WHERE c.relname = %s", (name,)).fetchone()
    return None if row is None else bool(row[0])


@pytest.mark.slow
def test_three_sections_fail_in_the_middle_and_resume(
        tmp_path: Path, target_db: Target, target_conn: psycopg.Connection) -> None:
    root = project(tmp_path, V100_users=USERS, V200_user_status=STATUS)
    blocker = hold_snapshot(target_db)
    try:
        failed = pgmt_git(root, "migrate", "apply", "--target-url", target_db.conninfo,
                          check=1)
        assert "section 'create_index' failed (after 10 attempts)" in failed.stderr
        assert "canceling statement due to statement timeout" in failed.stderr
        assert "DROP INDEX CONCURRENTLY IF EXISTS public.idx_users_status;" in failed.stderr
        assert "V200_user_status.sql:5:" in failed.stderr
        report = status(root, target_db)
        assert section_states(report, 200) == [("add_column", "completed"),
                                               ("create_index", "failed"),
                                               ("add_constraint", "not started")]
        (incomplete,) = report["incomplete"]
        assert incomplete["resume"] == "pgmt-git migrate apply"
        text = pgmt_git(root, "migrate", "status", "--target-url", target_db.conninfo).stdout
        assert "section 2/3 create_index failed" in text
        assert index_valid(target_conn, "idx_users_status") is False
    finally:
        blocker.close()
    resumed = pgmt_git(root, "migrate", "apply", "--target-url", target_db.conninfo)
    assert "resuming migrations/V200_user_status.sql (1/3 sections already completed)" in \
        resumed.stderr
    assert "section 1/3" not in resumed.stderr
    assert "dropping the invalid index public.idx_users_status" in resumed.stderr
    assert section_states(status(root, target_db), 200) == [
        ("add_column", "completed"), ("create_index", "completed"),
        ("add_constraint", "completed")]
    assert index_valid(target_conn, "idx_users_status") is True
    attempts = target_conn.execute(
        "SELECT section_name, attempts FROM pgmt_migrations_sections "
        "WHERE migration_version = 200 ORDER BY section_order").fetchall()
    assert attempts == [("add_column", 1), ("create_index", 11), ("add_constraint", 1)]


def test_drop_and_create_concurrently_in_one_section(
        tmp_path: Path, target_db: Target, target_conn: psycopg.Connection) -> None:
    rebuild = ('-- pgmt:section name="rebuild_index" mode="non-transactional"\n'
               "DROP INDEX CONCURRENTLY IF EXISTS users_name_idx;\n"
               "CREATE INDEX CONCURRENTLY users_name_idx ON users (name);\n")
    root = project(tmp_path, V100_users=USERS + "CREATE INDEX users_name_idx ON users (id);\n",
                   V200_rebuild=rebuild)
    pgmt_git(root, "migrate", "apply", "--target-url", target_db.conninfo)
    definition = target_conn.execute(
        "SELECT indexdef FROM pg_indexes WHERE indexname = 'users_name_idx'").fetchone()
    assert definition is not None and "(name)" in definition[0]
    assert index_valid(target_conn, "users_name_idx") is True


def test_a_failing_transactional_section_leaves_nothing_and_can_be_fixed(
        tmp_path: Path, target_db: Target, target_conn: psycopg.Connection) -> None:
    broken = "CREATE TABLE a (id int);\nINSERT INTO a VALUES (1);\nSELECT 1/0;\n"
    root = project(tmp_path, V100_a=broken)
    failed = pgmt_git(root, "migrate", "apply", "--target-url", target_db.conninfo, check=1)
    assert "V100_a.sql:3:" in failed.stderr and "division by zero" in failed.stderr
    assert target_conn.execute("SELECT to_regclass('public.a')").fetchone() == (None,)
    assert section_states(status(root, target_db), 100) == [("default", "failed")]
    # A section that did not run may be fixed in place.
    (root / "migrations/V100_a.sql").write_text(broken.replace("SELECT 1/0;\n", ""))
    fixed = pgmt_git(root, "migrate", "apply", "--target-url", target_db.conninfo)
    assert "its stored checksum is updated" in fixed.stderr
    assert target_conn.execute("SELECT count(*) FROM a").fetchone() == (1,)


def test_lock_timeouts_are_retried_on_the_connection_that_runs_the_sql(
        tmp_path: Path, target_db: Target, target_conn: psycopg.Connection) -> None:
    section = ('-- pgmt:section name="add" timeout="3s" lock_timeout="150ms" '
               'retry_attempts="3" on_lock_timeout="retry"\n'
               "INSERT INTO settings SELECT current_setting('lock_timeout'), "
               "current_setting('statement_timeout');\n"
               "ALTER TABLE users ADD COLUMN nickname text;\n")
    root = project(tmp_path, V100_users=USERS + "CREATE TABLE settings (lt text, st text);\n")
    pgmt_git(root, "migrate", "apply", "--target-url", target_db.conninfo)
    (root / "migrations/V200_nick.sql").write_text(section)
    holder = psycopg.connect(target_db.conninfo)
    try:
        holder.execute("LOCK TABLE users IN ACCESS SHARE MODE")
        failed = pgmt_git(root, "migrate", "apply", "--target-url", target_db.conninfo,
                          check=1)
    finally:
        holder.close()
    assert "after 3 attempts" in failed.stderr and "lock timeout" in failed.stderr
    assert target_conn.execute("SELECT attempts FROM pgmt_migrations_sections "
                               "WHERE migration_version = 200").fetchone() == (3,)
    assert target_conn.execute("SELECT count(*) FROM settings").fetchone() == (0,)
    pgmt_git(root, "migrate", "apply", "--target-url", target_db.conninfo)
    assert target_conn.execute("SELECT lt, st FROM settings").fetchall() == [("150ms", "3s")]


def test_lock_timeout_fails_at_once_without_on_lock_timeout_retry(
        tmp_path: Path, target_db: Target, target_conn: psycopg.Connection) -> None:
    section = ('-- pgmt:section name="add" lock_timeout="100ms" retry_attempts="5"\n'
               "ALTER TABLE users ADD COLUMN nickname text;\n")
    root = project(tmp_path, V100_users=USERS)
    pgmt_git(root, "migrate", "apply", "--target-url", target_db.conninfo)
    (root / "migrations/V200_nick.sql").write_text(section)
    holder = psycopg.connect(target_db.conninfo)
    try:
        holder.execute("LOCK TABLE users IN ACCESS SHARE MODE")
        failed = pgmt_git(root, "migrate", "apply", "--target-url", target_db.conninfo,
                          check=1)
    finally:
        holder.close()
    assert "attempts" not in failed.stderr.split("error:")[1].splitlines()[0]
    assert "lock timeout" in failed.stderr


FEELINGS = """CREATE TYPE mood AS ENUM ('happy');
CREATE TABLE feelings (m mood, xact bigint DEFAULT txid_current());
"""
# Each statement must run on its own, outside a transaction block: a new enum label is
# usable only once committed, and VACUUM refuses to run inside a transaction block.
OUTSIDE = """-- pgmt:section name="first"
INSERT INTO feelings (m) VALUES ('happy');

-- pgmt:section name="outside" mode="autocommit"
ALTER TYPE mood ADD VALUE 'meh';
INSERT INTO feelings (m) VALUES ('meh');
INSERT INTO feelings (m) VALUES ('meh');
VACUUM feelings;
"""


def tracking_rows(conn: psycopg.Connection, version: int) -> list[tuple[object, ...]]:
    return [tuple(r) for r in conn.execute(
        "SELECT section_name, mode, status, attempts FROM pgmt_migrations_sections "
        "WHERE migration_version = %s ORDER BY section_order", (version,))]


def test_autocommit_statements_each_run_on_their_own(
        tmp_path: Path, target_db: Target, target_conn: psycopg.Connection) -> None:
    root = project(tmp_path, V100_feelings=FEELINGS, V200_outside=OUTSIDE)
    applied = pgmt_git(root, "migrate", "apply", "--target-url", target_db.conninfo)
    assert "section 2/2 outside: done" in applied.stderr
    rows = target_conn.execute("SELECT m::text, xact FROM feelings ORDER BY xact").fetchall()
    assert [m for m, _ in rows] == ["happy", "meh", "meh"]
    assert len({xact for _, xact in rows}) == 3  # a transaction per statement
    assert tracking_rows(target_conn, 200) == [("first", "transactional", "completed", 1),
                                               ("outside", "autocommit", "completed", 1)]
    assert "nothing to apply" in pgmt_git(root, "migrate", "apply", "--target-url",
                                          target_db.conninfo).stdout


def test_a_failing_autocommit_section_keeps_the_statements_before_it(
        tmp_path: Path, target_db: Target, target_conn: psycopg.Connection) -> None:
    steps = ('-- pgmt:section name="steps" mode="autocommit"\n'
             "INSERT INTO feelings (m) VALUES ('happy');\n"
             "SELECT 1/0;\n")
    root = project(tmp_path, V100_feelings=FEELINGS, V200_steps=steps)
    failed = pgmt_git(root, "migrate", "apply", "--target-url", target_db.conninfo, check=1)
    assert "V200_steps.sql:3:" in failed.stderr and "division by zero" in failed.stderr
    assert target_conn.execute("SELECT m::text FROM feelings").fetchall() == [("happy",)]
    assert tracking_rows(target_conn, 200) == [("steps", "autocommit", "failed", 1)]


@pytest.mark.parametrize(("mode", "backoff", "delays"), [
    # Doubled each time, at most 32 times the delay.
    ("transactional", "exponential", ["0.2", "0.4", "0.8", "1.6", "3.2", "6.4", "6.4", "6.4"]),
    ("non-transactional", "none", ["0.2"] * 8),
])
def test_lock_timeouts_are_retried_after_a_delay_until_the_lock_is_released(
        tmp_path: Path, target_db: Target, target_conn: psycopg.Connection, mode: str,
        backoff: str, delays: list[str]) -> None:
    section = (f'-- pgmt:section name="add" mode="{mode}" lock_timeout="100ms" '
               f'retry_attempts="9" retry_delay="200ms" retry_backoff="{backoff}" '
               'on_lock_timeout="retry"\n'
               "ALTER TABLE users ADD COLUMN nickname text;\n")
    root = project(tmp_path, V100_users=USERS)
    pgmt_git(root, "migrate", "apply", "--target-url", target_db.conninfo)
    (root / "migrations/V200_nick.sql").write_text(section)
    holder = psycopg.connect(target_db.conninfo)
    holder.execute("LOCK TABLE users IN ACCESS SHARE MODE")
    process = start(root, "migrate", "apply", "--target-url", target_db.conninfo)
    try:
        wait_for(lambda: attempts(target_conn, 200, "add") >= 3, "the third attempt")
    finally:
        holder.close()  # the lock goes: the running or the next attempt gets through
        out, err = finish(process)
    assert process.returncode == 0, err
    total = attempts(target_conn, 200, "add")
    assert 3 <= total < 9
    retried = [line for line in err.splitlines() if ": attempt " in line]
    assert retried == [
        f"  section 1/1 add: attempt {k}/9 failed: lock timeout: canceling statement due to "
        f"lock timeout; retrying in {delays[k - 1]} s" for k in range(1, total)]
    assert "  section 1/1 add: done" in err
    assert tracking_rows(target_conn, 200) == [("add", mode, "completed", total)]
    assert target_conn.execute("SELECT count(*) FROM information_schema.columns WHERE "
                               "table_name = 'users' AND column_name = 'nickname'"
                               ).fetchone() == (1,)
