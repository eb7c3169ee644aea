"""baseline create|list, migrate provision, and apply's refusal on an unprovisioned target."""

from __future__ import annotations

import json
from pathlib import Path

import psycopg

from pgmt_git.pg.target import Target
from tests.lifecycle.conftest import write_project
from tests.lifecycle.helpers import pgmt_git

ONE = "CREATE TABLE users (id int PRIMARY KEY, email text);\n"
TWO = ('-- pgmt:section name="index" mode="non-transactional"\n'
       "CREATE INDEX CONCURRENTLY users_email ON users (email);\n")
THREE = "CREATE TABLE orders (id int, user_id int REFERENCES users (id));\n"


def test_baseline_then_provision_a_new_database(
        tmp_path: Path, target_db: Target, target_conn: psycopg.Connection,
        shadow_env: None) -> None:
    root = write_project(tmp_path / "p", {"migrations/V100_users.sql": ONE,
                                          "migrations/V200_index.sql": TWO})
    created = pgmt_git(root, "baseline", "create")
    assert "wrote schema_baselines/baseline_200.sql" in created.stdout
    assert "covers 2 migrations" in created.stdout
    text = (root / "schema_baselines/baseline_200.sql").read_text()
    assert "CREATE TABLE public.users" in text and "users_email" in text
    listed = json.loads(pgmt_git(root, "baseline", "list", "--format", "json").stdout)
    assert listed["baselines"][0]["version"] == 200 and listed["baselines"][0]["latest"]
    again = pgmt_git(root, "baseline", "create", check=1)
    assert "exists already" in again.stderr

    (root / "migrations/V300_orders.sql").write_text(THREE)
    url = target_db.conninfo
    refused = pgmt_git(root, "migrate", "apply", "--target-url", url, check=1)
    assert "pgmt-git migrate provision" in refused.stderr
    dry = pgmt_git(root, "migrate", "provision", "--target-url", url, "--dry-run")
    assert dry.stdout.splitlines() == ["would apply schema_baselines/baseline_200.sql",
                                       "would apply migrations/V300_orders.sql"]
    provisioned = pgmt_git(root, "migrate", "provision", "--target-url", url)
    assert "applied 2 migrations" in provisioned.stdout
    rows = target_conn.execute("SELECT version, is_baseline FROM pgmt_migrations "
                               "ORDER BY version").fetchall()
    assert rows == [(200, True), (300, False)]
    report = json.loads(pgmt_git(root, "migrate", "status", "--target-url", url,
                                 "--format", "json").stdout)
    assert report["baseline"] == 200
    assert report["covered_by_baseline"] == ["migrations/V100_users.sql",
                                             "migrations/V200_index.sql"]
    assert [m["version"] for m in report["applied"]] == [300]
    assert "nothing to apply" in pgmt_git(root, "migrate", "provision", "--target-url",
                                          url).stdout
    assert "nothing to apply" in pgmt_git(root, "migrate", "apply", "--target-url", url).stdout


def test_provision_without_baseline_runs_every_migration(
        tmp_path: Path, target_db: Target, target_conn: psycopg.Connection) -> None:
    root = write_project(tmp_path / "p", {"migrations/V100_users.sql": ONE,
                                          "migrations/V300_orders.sql": THREE})
    pgmt_git(root, "migrate", "provision", "--target-url", target_db.conninfo)
    assert target_conn.execute("SELECT to_regclass('public.orders')").fetchone() == ("orders",)


def test_baseline_needs_migrations(tmp_path: Path, shadow_env: None) -> None:
    root = write_project(tmp_path / "p", {})
    assert "no migrations" in pgmt_git(root, "baseline", "create", check=1).stderr
    assert pgmt_git(root, "baseline", "list").stdout == "no baselines\n"
