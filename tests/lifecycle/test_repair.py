"""migrate resolve and migrate mark-applied: repairs of tracking rows, under the lock."""

from __future__ import annotations

from pathlib import Path

import psycopg

from pgmt_git.pg.target import Target
from tests.lifecycle.conftest import write_project
from tests.lifecycle.helpers import pgmt_git

TWO = """-- pgmt:section name="table"
CREATE TABLE t (id int);

-- pgmt:section name="broken"
SELECT 1/0;
"""


def sections(conn: psycopg.Connection, version: int) -> list[tuple[str, str]]:
    return [tuple(r) for r in conn.execute(  # type: ignore[misc]
        "SELECT section_name, status FROM pgmt_migrations_sections "
        "WHERE migration_version = %s ORDER BY section_order", (version,))]


def test_mark_completed_skips_a_section(tmp_path: Path, target_db: Target,
                                        target_conn: psycopg.Connection) -> None:
    root = write_project(tmp_path / "p", {"migrations/V100_two.sql": TWO})
    url = target_db.conninfo
    pgmt_git(root, "migrate", "apply", "--target-url", url, check=1)
    assert sections(target_conn, 100) == [("table", "completed"), ("broken", "failed")]
    refused = pgmt_git(root, "migrate", "resolve", "--target-url", url,
                       "--mark-completed", "100/table", check=1)
    assert "already completed" in refused.stderr
    done = pgmt_git(root, "migrate", "resolve", "--target-url", url,
                    "--mark-completed", "100/broken")
    assert "section 'broken': failed -> completed (not run)" in done.stdout
    assert sections(target_conn, 100) == [("table", "completed"), ("broken", "completed")]
    assert "nothing to apply" in pgmt_git(root, "migrate", "apply", "--target-url", url).stdout


def test_restamp_accepts_a_deliberate_edit(tmp_path: Path, target_db: Target) -> None:
    root = write_project(tmp_path / "p", {"migrations/V100_t.sql": "CREATE TABLE t (id int);\n"})
    url = target_db.conninfo
    pgmt_git(root, "migrate", "apply", "--target-url", url)
    (root / "migrations/V100_t.sql").write_text("CREATE TABLE t (id integer);\n")
    refused = pgmt_git(root, "migrate", "apply", "--target-url", url, check=1)
    assert "migrations/V100_t.sql was modified after it was applied" in refused.stderr
    assert "--restamp 100" in refused.stderr
    restamped = pgmt_git(root, "migrate", "resolve", "--target-url", url, "--restamp", "100")
    assert "section 'default': checksum" in restamped.stdout
    assert "nothing to apply" in pgmt_git(root, "migrate", "apply", "--target-url", url).stdout


def test_resolve_needs_exactly_one_action(tmp_path: Path, target_db: Target) -> None:
    root = write_project(tmp_path / "p", {})
    result = pgmt_git(root, "migrate", "resolve", "--target-url", target_db.conninfo, check=2)
    assert "exactly one of --mark-completed and --restamp" in result.stderr


def test_mark_applied_checks_the_effect(tmp_path: Path, target_db: Target,
                                        target_conn: psycopg.Connection,
                                        shadow_env: None) -> None:
    root = write_project(tmp_path / "p", {
        "migrations/V100_t.sql": "CREATE TABLE t (id int);\n",
        "migrations/V200_u.sql": "ALTER TABLE t ADD COLUMN name text;\n"})
    url = target_db.conninfo
    target_conn.execute("CREATE TABLE t (id int)")
    recorded = pgmt_git(root, "migrate", "mark-applied", "migrations/V100_t.sql",
                        "--target-url", url)
    assert "the target has the effect of migrations/V100_t.sql" in recorded.stdout
    refused = pgmt_git(root, "migrate", "mark-applied", "migrations/V200_u.sql",
                       "--target-url", url, check=1)
    assert "does not have the effect of migrations/V200_u.sql" in refused.stderr
    assert "ADD COLUMN name text" in refused.stderr
    pgmt_git(root, "migrate", "mark-applied", "migrations/V200_u.sql", "--target-url", url,
             "--force")
    assert sections(target_conn, 200) == [("default", "completed")]
    again = pgmt_git(root, "migrate", "mark-applied", "migrations/V100_t.sql", "--force",
                     "--target-url", url, check=1)
    assert "already recorded" in again.stderr
    assert target_conn.execute("SELECT count(*) FROM information_schema.columns "
                               "WHERE table_name = 't'").fetchone() == (1,)
