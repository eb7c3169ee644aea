"""git.diff.* settings reach every diff of the lifecycle, not only migrate new: drift,
mark-applied's effect check and baselines see ownership when owners are managed."""

from __future__ import annotations

from pathlib import Path

import psycopg

from pgmt_git.pg.target import Target
from tests.lifecycle.conftest import write_project
from tests.lifecycle.helpers import pgmt_git

# One fixed role (roles are cluster-wide; replays tolerate an existing one).
ROLE = "pgmt_git_test_owner"
CONFIG = "migration:\n  filename_prefix: V\ngit:\n  diff:\n    owners: true\n"
CREATE = "CREATE TABLE t (id int);\n"
OWN = f"ALTER TABLE t OWNER TO {ROLE};\n"
FILES = {
    "roles.sql": f"CREATE ROLE {ROLE} NOLOGIN;\n",
    "migrations/V100_t.sql": CREATE,
    "migrations/V200_owner.sql": OWN,
    "schema/t.sql": CREATE + OWN,
}


def owned_by_someone_else(conn: psycopg.Connection) -> None:
    conn.execute(f"DO $$ BEGIN CREATE ROLE {ROLE} NOLOGIN; "
                 "EXCEPTION WHEN duplicate_object THEN NULL; END $$")
    conn.execute(CREATE)


def test_drift_in_ownership(tmp_path: Path, target_db: Target,
                            target_conn: psycopg.Connection, shadow_env: None) -> None:
    root = write_project(tmp_path / "p", FILES, config=CONFIG)
    owned_by_someone_else(target_conn)
    for against in ("chain", "schema"):
        drift = pgmt_git(root, "migrate", "diff", "--target-url", target_db.conninfo,
                         "--against", against, check=1)
        assert f"ALTER TABLE public.t OWNER TO {ROLE};" in drift.stdout


def test_mark_applied_checks_a_change_of_owner(tmp_path: Path, target_db: Target,
                                               target_conn: psycopg.Connection,
                                               shadow_env: None) -> None:
    root = write_project(tmp_path / "p", FILES, config=CONFIG)
    owned_by_someone_else(target_conn)
    url = target_db.conninfo
    pgmt_git(root, "migrate", "mark-applied", "migrations/V100_t.sql", "--target-url", url)
    refused = pgmt_git(root, "migrate", "mark-applied", "migrations/V200_owner.sql",
                       "--target-url", url, check=1)
    assert "does not have the effect of migrations/V200_owner.sql" in refused.stderr
    assert f"OWNER TO {ROLE}" in refused.stderr


def test_a_baseline_keeps_the_owners(tmp_path: Path, shadow_env: None) -> None:
    root = write_project(tmp_path / "p", FILES, config=CONFIG)
    pgmt_git(root, "baseline", "create")
    text = (root / "schema_baselines/baseline_200.sql").read_text()
    assert f"ALTER TABLE public.t OWNER TO {ROLE};" in text
