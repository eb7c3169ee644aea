"""migrate new, and what migrate apply refuses (each refusal with its override)."""

from __future__ import annotations

from pathlib import Path

import psycopg

from pgmt_git.pg.target import Target
from pgmt_git.project.migrations import is_unedited, parse_generated_header
from tests.lifecycle.conftest import write_project
from tests.lifecycle.helpers import pgmt_git

USERS = "CREATE TABLE users (id int PRIMARY KEY, name text);\n"


def migrations(root: Path) -> list[str]:
    return sorted(p.name for p in (root / "migrations").glob("*.sql"))


def test_migrate_new_writes_a_generated_file_once(tmp_path: Path, shadow_env: None) -> None:
    root = write_project(tmp_path / "p", {"schema/users.sql": USERS})
    wrote = pgmt_git(root, "migrate", "new", "create users")
    (name,) = migrations(root)
    assert name.startswith("V") and name.endswith("_create_users.sql")
    assert f"wrote migrations/{name}" in wrote.stdout
    text = (root / "migrations" / name).read_text()
    header = parse_generated_header(text)
    assert header is not None and header.from_hash.startswith("c1-") and is_unedited(text)
    assert "CREATE TABLE public.users" in text
    again = pgmt_git(root, "migrate", "new", "more")
    assert again.stdout.startswith("no changes")
    assert migrations(root) == [name]
    assert "valid" in pgmt_git(root, "migrate", "validate").stdout


def test_version_is_above_every_existing_one_and_empty_migrations(
        tmp_path: Path, shadow_env: None) -> None:
    root = write_project(tmp_path / "p", {"migrations/V9999999999_first.sql": USERS,
                                          "schema/users.sql": USERS})
    pgmt_git(root, "migrate", "new", "by hand", "--empty")
    assert migrations(root) == ["V10000000000_by_hand.sql", "V9999999999_first.sql"]
    text = (root / "migrations/V10000000000_by_hand.sql").read_text()
    assert parse_generated_header(text) is not None
    assert "-- by hand: write this migration's SQL here." in text


def test_validate_fails_with_the_missing_changes(tmp_path: Path, shadow_env: None) -> None:
    root = write_project(tmp_path / "p", {"migrations/V1_users.sql": USERS,
                                          "schema/users.sql": USERS + "CREATE TABLE t (a int);\n"})
    result = pgmt_git(root, "migrate", "validate", check=1)
    assert "CREATE TABLE public.t" in result.stdout
    assert "pgmt-git migrate new" in result.stderr


def test_modified_applied_migration(tmp_path: Path, target_db: Target) -> None:
    root = write_project(tmp_path / "p", {"migrations/V1_users.sql": USERS})
    url = target_db.conninfo
    pgmt_git(root, "migrate", "apply", "--target-url", url)
    (root / "migrations/V1_users.sql").write_text(USERS.replace("text", "varchar"))
    refused = pgmt_git(root, "migrate", "apply", "--target-url", url, check=1)
    assert "migrations/V1_users.sql was modified after it was applied" in refused.stderr
    assert refused.stderr.count(" has ") == 1 and "had checksum" in refused.stderr
    pgmt_git(root, "migrate", "resolve", "--target-url", url, "--restamp", "1")
    pgmt_git(root, "migrate", "apply", "--target-url", url)


def test_deleted_applied_migration(tmp_path: Path, target_db: Target) -> None:
    root = write_project(tmp_path / "p", {"migrations/V1_users.sql": USERS,
                                          "migrations/V2_t.sql": "CREATE TABLE t (a int);\n"})
    url = target_db.conninfo
    pgmt_git(root, "migrate", "apply", "--target-url", url)
    (root / "migrations/V1_users.sql").unlink()
    (root / "migrations/V3_u.sql").write_text("CREATE TABLE u (a int);\n")
    refused = pgmt_git(root, "migrate", "apply", "--target-url", url, check=1)
    assert "migration 1 (users) was applied" in refused.stderr
    assert "no longer in the migrations directory" in refused.stderr
    status = pgmt_git(root, "migrate", "status", "--target-url", url).stdout
    assert "migration 1 (users) was applied" in status
    pgmt_git(root, "migrate", "apply", "--target-url", url, "--allow-deleted")


def test_out_of_order_late_file(tmp_path: Path, target_db: Target,
                                target_conn: psycopg.Connection) -> None:
    root = write_project(tmp_path / "p", {"migrations/V1_users.sql": USERS,
                                          "migrations/V3_t.sql": "CREATE TABLE t (a int);\n"})
    url = target_db.conninfo
    pgmt_git(root, "migrate", "apply", "--target-url", url)
    (root / "migrations/V2_late.sql").write_text("CREATE TABLE late (a int);\n")
    refused = pgmt_git(root, "migrate", "apply", "--target-url", url, check=1)
    assert "migrations/V2_late.sql is pending but older than migration 3" in refused.stderr
    assert target_conn.execute("SELECT to_regclass('public.late')").fetchone() == (None,)
    pgmt_git(root, "migrate", "apply", "--target-url", url, "--allow-out-of-order")
    assert target_conn.execute("SELECT to_regclass('public.late')").fetchone() == ("late",)


def test_drifted_target_is_refused(tmp_path: Path, target_db: Target,
                                   target_conn: psycopg.Connection, shadow_env: None) -> None:
    root = write_project(tmp_path / "p", {"schema/users.sql": USERS})
    url = target_db.conninfo
    pgmt_git(root, "migrate", "new", "users")
    pgmt_git(root, "migrate", "apply", "--target-url", url)  # from= matches: accepted
    (root / "schema/users.sql").write_text(USERS + "CREATE TABLE t (a int);\n")
    pgmt_git(root, "migrate", "new", "t")
    target_conn.execute("ALTER TABLE users ADD COLUMN by_hand int")
    refused = pgmt_git(root, "migrate", "apply", "--target-url", url, check=1)
    assert "was generated against a database state" in refused.stderr
    assert "--force-after-drift" in refused.stderr
    assert target_conn.execute("SELECT to_regclass('public.t')").fetchone() == (None,)
    forced = pgmt_git(root, "migrate", "apply", "--target-url", url, "--force-after-drift")
    assert "applying anyway (--force-after-drift)" in forced.stderr
    assert target_conn.execute("SELECT to_regclass('public.t')").fetchone() == ("t",)


def test_generated_sections_apply_on_a_live_table(tmp_path: Path, target_db: Target,
                                                  target_conn: psycopg.Connection,
                                                  shadow_env: None) -> None:
    before = "CREATE TYPE mood AS ENUM ('happy');\n" + USERS
    root = write_project(tmp_path / "p", {"schema/a.sql": before})
    url = target_db.conninfo
    pgmt_git(root, "migrate", "new", "start")
    pgmt_git(root, "migrate", "apply", "--target-url", url)
    target_conn.execute("INSERT INTO users SELECT g, 'n' || g FROM generate_series(1, 50) g")
    (root / "schema/a.sql").write_text(
        "CREATE TYPE mood AS ENUM ('happy', 'meh');\n" + USERS
        + "CREATE INDEX users_name ON users (name);\n"
        + "CREATE TABLE moods (m mood DEFAULT 'meh');\n")
    wrote = pgmt_git(root, "migrate", "new", "index and mood")
    assert "long_lock" not in wrote.stderr and "irreversible" in wrote.stderr
    (name,) = [n for n in migrations(root) if n.endswith("_index_and_mood.sql")]
    text = (root / "migrations" / name).read_text()
    assert "CREATE INDEX CONCURRENTLY users_name ON public.users" in text
    assert 'mode="non-transactional"' in text
    applied = pgmt_git(root, "migrate", "apply", "--target-url", url)
    assert "section 3/3 create_index_users_name: done" in applied.stderr
    assert target_conn.execute("SELECT indisvalid FROM pg_index WHERE indexrelid = "
                               "'public.users_name'::regclass").fetchone() == (True,)
    pgmt_git(root, "migrate", "diff", "--target-url", url, "--against", "schema")


def test_a_tracking_schema_of_its_own_is_not_drift(tmp_path: Path, target_db: Target,
                                                   target_conn: psycopg.Connection,
                                                   shadow_env: None) -> None:
    config = "migration:\n  filename_prefix: V\n  tracking_table:\n    schema: deploy\n"
    root = write_project(tmp_path / "p", {"schema/users.sql": USERS}, config=config)
    url = target_db.conninfo
    missing = pgmt_git(root, "migrate", "apply", "--target-url", url, check=1)
    assert "schema deploy for the tracking tables does not exist" in missing.stderr
    target_conn.execute("CREATE SCHEMA deploy")
    pgmt_git(root, "migrate", "new", "users")
    pgmt_git(root, "migrate", "apply", "--target-url", url)
    (root / "schema/users.sql").write_text(USERS + "CREATE TABLE t (a int);\n")
    pgmt_git(root, "migrate", "new", "t")
    pgmt_git(root, "migrate", "apply", "--target-url", url)  # its from= matches the target
    assert target_conn.execute("SELECT count(*) FROM deploy.pgmt_migrations").fetchone() == (2,)
    pgmt_git(root, "migrate", "diff", "--target-url", url)
    pgmt_git(root, "migrate", "verify", "--target-url", url)
