"""migrate diff/verify/pull against a live target; apply to a development database."""

from __future__ import annotations

import json
import signal
from pathlib import Path

import psycopg

from pgmt_git.pg.target import Target
from tests.lifecycle.conftest import write_project
from tests.lifecycle.helpers import pgmt_git

USERS = "CREATE TABLE users (id int PRIMARY KEY, email text);\n"


def test_index_added_by_hand_is_found_fixed_and_pulled(
        tmp_path: Path, target_db: Target, target_conn: psycopg.Connection,
        shadow_env: None) -> None:
    root = write_project(tmp_path / "p", {"migrations/V1_users.sql": USERS,
                                          "schema/users.sql": USERS})
    url = target_db.conninfo
    pgmt_git(root, "migrate", "apply", "--target-url", url)
    assert pgmt_git(root, "migrate", "diff", "--target-url", url).stdout == ""
    target_conn.execute("CREATE INDEX users_email_by_hand ON users (email)")

    drift = pgmt_git(root, "migrate", "diff", "--target-url", url, check=1)
    assert "DROP INDEX public.users_email_by_hand" in drift.stdout
    summary = pgmt_git(root, "migrate", "diff", "--target-url", url, "--against", "schema",
                       "--format", "summary", check=1)
    assert "users_email_by_hand" in summary.stdout
    changes = json.loads(pgmt_git(root, "migrate", "diff", "--target-url", url, "--format",
                                  "json", check=1).stdout)["changes"]
    assert [c["action"] for c in changes] == ["drop_index"]
    target_conn.execute(drift.stdout)  # the remediation SQL
    pgmt_git(root, "migrate", "diff", "--target-url", url)

    target_conn.execute("CREATE INDEX users_email_by_hand ON users (email)")
    verify = pgmt_git(root, "migrate", "verify", "--target-url", url, check=1)
    assert verify.stdout.strip() == "index public.users.users_email_by_hand"
    pulled = pgmt_git(root, "migrate", "pull", "--target-url", url)
    (path,) = (root / "schema/_pulled").glob("*.sql")
    assert f"wrote schema/_pulled/{path.name}" in pulled.stdout
    text = path.read_text()
    assert "-- require: users.sql" in text
    assert "CREATE INDEX users_email_by_hand ON public.users USING btree (email);" in text
    pgmt_git(root, "migrate", "verify", "--target-url", url)
    assert "nothing to pull" in pgmt_git(root, "migrate", "pull", "--target-url", url).stdout


def test_diff_compares_with_the_chain_unless_told_the_schema(
        tmp_path: Path, target_db: Target, shadow_env: None) -> None:
    """The schema files are ahead of the chain (a migration not generated yet): the target
    matches what the chain produces, so only --against schema shows the difference."""
    notes = "CREATE TABLE notes (id int PRIMARY KEY);\n"
    root = write_project(tmp_path / "p", {"migrations/V1_users.sql": USERS,
                                          "schema/users.sql": USERS,
                                          "schema/notes.sql": notes})
    url = target_db.conninfo
    pgmt_git(root, "migrate", "apply", "--target-url", url)
    assert pgmt_git(root, "migrate", "diff", "--target-url", url).stdout == ""
    assert pgmt_git(root, "migrate", "diff", "--target-url", url, "--against", "chain"
                    ).stdout == ""
    ahead = pgmt_git(root, "migrate", "diff", "--target-url", url, "--against", "schema",
                     check=1)
    assert "CREATE TABLE public.notes" in ahead.stdout


def test_dev_apply_refuses_hazards_unless_allowed(
        tmp_path: Path, target_db: Target, target_conn: psycopg.Connection,
        shadow_env: None) -> None:
    root = write_project(tmp_path / "p", {"schema/users.sql": USERS})
    url = target_db.conninfo
    first = pgmt_git(root, "apply", "--dev-url", url)
    assert "applied 2 changes" in first.stdout and "in one transaction" in first.stdout
    target_conn.execute("INSERT INTO users VALUES (1, 'a@example.com')")
    assert "already matches" in pgmt_git(root, "apply", "--dev-url", url).stdout

    (root / "schema/users.sql").write_text("CREATE TABLE users (id int PRIMARY KEY);\n")
    dry = pgmt_git(root, "apply", "--dev-url", url, "--dry-run")
    assert "DROP COLUMN email" in dry.stdout
    refused = pgmt_git(root, "apply", "--dev-url", url, check=1)
    assert "refusing hazardous changes" in refused.stderr
    assert "--allow-hazards data_loss" in refused.stderr
    assert target_conn.execute("SELECT count(*) FROM information_schema.columns WHERE "
                               "table_name = 'users'").fetchone() == (2,)
    pgmt_git(root, "apply", "--dev-url", url, "--allow-hazards", "data_loss")
    assert target_conn.execute("SELECT count(*) FROM information_schema.columns WHERE "
                               "table_name = 'users'").fetchone() == (1,)
    bad = pgmt_git(root, "apply", "--dev-url", url, "--allow-hazards", "nope", check=2)
    assert "unknown hazard kind" in bad.stderr


def test_dev_apply_commits_a_new_enum_value_before_using_it(
        tmp_path: Path, target_db: Target, target_conn: psycopg.Connection,
        shadow_env: None) -> None:
    root = write_project(tmp_path / "p", {"schema/a.sql": "CREATE TYPE mood AS ENUM ('a');\n"})
    url = target_db.conninfo
    pgmt_git(root, "apply", "--dev-url", url)
    (root / "schema/a.sql").write_text("CREATE TYPE mood AS ENUM ('a', 'b');\n"
                                       "CREATE TABLE t (m mood DEFAULT 'b');\n")
    result = pgmt_git(root, "apply", "--dev-url", url, "--allow-hazards", "all")
    assert "in 2 transactions" in result.stdout
    assert target_conn.execute("SELECT to_regclass('public.t')").fetchone() == ("t",)


def test_watch_applies_every_saved_change(tmp_path: Path, target_db: Target,
                                          target_conn: psycopg.Connection,
                                          shadow_env: None) -> None:
    from tests.lifecycle.helpers import start
    from tests.lifecycle.test_crash_and_lock import wait_for

    root = write_project(tmp_path / "p", {"schema/users.sql": USERS})
    watcher = start(root, "apply", "--dev-url", target_db.conninfo, "--watch")
    try:
        wait_for(lambda: target_conn.execute("SELECT to_regclass('public.users')").fetchone()
                 == ("users",), "the first apply")
        (root / "schema/orders.sql").write_text("CREATE TABLE orders (id int);\n")
        wait_for(lambda: target_conn.execute("SELECT to_regclass('public.orders')").fetchone()
                 == ("orders",), "the saved change to be applied")
        watcher.send_signal(signal.SIGTERM)
        out, err = watcher.communicate(timeout=60)
    finally:
        if watcher.poll() is None:
            watcher.kill()
            watcher.communicate()
    assert watcher.returncode == 0, err
    assert "stopped watching" in err
    assert out.count("applied 1 change") == 1 and out.count("applied 2 changes") == 1
