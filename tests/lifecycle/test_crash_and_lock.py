"""Processes killed for real, and two applies at once."""

from __future__ import annotations

import signal
import time
from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest

from pgmt_git.pg.locking import lock_key
from pgmt_git.pg.target import Target
from pgmt_git.pg.tracking import TrackingTables
from tests.lifecycle.conftest import write_project
from tests.lifecycle.helpers import pgmt_git, start

SETUP = "CREATE TABLE log (note text);\nCREATE SEQUENCE runs;\n"
LONG = """-- pgmt:section name="first"
INSERT INTO log VALUES ('first');

-- pgmt:section name="long"
INSERT INTO log VALUES ('long');
CREATE TABLE made_by_long (id int);
-- The first run sleeps (and is killed); a sequence is not rolled back, so the next does not.
SELECT pg_sleep(CASE WHEN nextval('runs') = 1 THEN 600 ELSE 0 END);
INSERT INTO log VALUES ('after sleep');
"""


def wait_for(condition: Callable[[], bool], what: str, limit: float = 120) -> None:
    """Poll until ``condition`` holds (bounded, so a broken test ends)."""
    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.05)


def notes(conn: psycopg.Connection) -> list[str]:
    return [r[0] for r in conn.execute("SELECT note FROM log ORDER BY note")]


@pytest.mark.slow
def test_sigkill_inside_a_transactional_section(
        tmp_path: Path, target_db: Target, target_conn: psycopg.Connection) -> None:
    root = write_project(tmp_path / "p", {"migrations/V100_setup.sql": SETUP,
                                          "migrations/V200_long.sql": LONG})
    process = start(root, "migrate", "apply", "--target-url", target_db.conninfo)
    try:
        wait_for(lambda: target_conn.execute(
            "SELECT 1 FROM pg_stat_activity WHERE state = 'active' AND query LIKE "
            "'%pg_sleep(CASE%' AND application_name = 'pgmt-git migrate apply'").fetchone()
            is not None, "the long section to sleep")
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate()
    # Nothing of the killed section is visible; the section before it is.
    assert notes(target_conn) == ["first"]
    assert target_conn.execute("SELECT to_regclass('public.made_by_long')").fetchone() == (None,)
    statuses = target_conn.execute(
        "SELECT section_name, status FROM pgmt_migrations_sections WHERE migration_version = 200 "
        "ORDER BY section_order").fetchall()
    assert statuses == [("first", "completed"), ("long", "running")]
    wait_for(lambda: target_conn.execute(
        "SELECT 1 FROM pg_stat_activity WHERE application_name = 'pgmt-git migrate apply'"
    ).fetchone() is None, "the killed run's session to end")
    status = pgmt_git(root, "migrate", "status", "--target-url", target_db.conninfo).stdout
    assert "section 2/2 long interrupted" in status

    rerun = pgmt_git(root, "migrate", "apply", "--target-url", target_db.conninfo)
    assert "resuming migrations/V200_long.sql (1/2 sections already completed)" in rerun.stderr
    assert notes(target_conn) == ["after sleep", "first", "long"]
    assert target_conn.execute("SELECT to_regclass('public.made_by_long')").fetchone() == (
        "made_by_long",)
    assert target_conn.execute("SELECT count(*) FROM pgmt_migrations").fetchone() == (2,)


@pytest.mark.slow
def test_two_applies_at_once_apply_everything_exactly_once(
        tmp_path: Path, target_db: Target, target_conn: psycopg.Connection) -> None:
    root = write_project(tmp_path / "p", {
        "migrations/V100_setup.sql": SETUP,
        "migrations/V200_rows.sql": "INSERT INTO log VALUES ('once');\n"})
    key = lock_key(TrackingTables("public", "pgmt_migrations"))
    holder = psycopg.connect(target_db.conninfo, autocommit=True,
                             application_name="release manager")
    holder.execute("SELECT pg_advisory_lock(%s)", (key,))
    first = start(root, "migrate", "apply", "--target-url", target_db.conninfo)
    second = start(root, "migrate", "apply", "--target-url", target_db.conninfo)
    try:
        wait_for(lambda: target_conn.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
        ).fetchone() == (2,), "both applies to wait for the lock")
        holder.close()
        outputs = [p.communicate(timeout=300) for p in (first, second)]
    finally:
        for process in (first, second):
            if process.poll() is None:
                process.kill()
                process.communicate()
        holder.close()
    assert [p.returncode for p in (first, second)] == [0, 0]
    stdout = sorted(out for out, _ in outputs)
    assert stdout[0].startswith("applied 2 migrations")
    assert stdout[1].startswith("nothing to apply")
    for _, err in outputs:
        assert "waiting for the migration lock" in err
        assert 'application "release manager"' in err
    assert notes(target_conn) == ["once"]
    assert target_conn.execute(
        "SELECT version, count(*) FROM pgmt_migrations GROUP BY version ORDER BY version"
    ).fetchall() == [(100, 1), (200, 1)]
    assert target_conn.execute(
        "SELECT sum(attempts) FROM pgmt_migrations_sections").fetchone() == (2,)
