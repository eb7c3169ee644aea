"""migrate status (when, by whom, and every problem), migrate validate --format json, and
migrate resolve on a whole migration or one section, with its errors."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import psycopg

from pgmt_git.pg.target import Target
from tests.lifecycle.conftest import write_project
from tests.lifecycle.helpers import pgmt_git
from tests.lifecycle.test_repair import sections

USERS = "CREATE TABLE users (id int PRIMARY KEY, name text);\n"


def applied_rows(conn: psycopg.Connection) -> dict[int, tuple[datetime, str]]:
    return {r[0]: (r[1], r[2]) for r in conn.execute(
        "SELECT version, applied_at, applied_by FROM pgmt_migrations")}


def status(root: Path, target: Target, *args: str) -> str:
    return pgmt_git(root, "migrate", "status", "--target-url", target.conninfo, *args).stdout


def test_status_says_when_and_by_whom_and_names_every_problem(
        tmp_path: Path, target_db: Target, target_conn: psycopg.Connection) -> None:
    root = write_project(tmp_path / "p", {"migrations/V1_users.sql": USERS,
                                          "migrations/V2_t.sql": "CREATE TABLE t (a int);\n",
                                          "migrations/V4_u.sql": "CREATE TABLE u (a int);\n"})
    pgmt_git(root, "migrate", "apply", "--target-url", target_db.conninfo)
    rows = applied_rows(target_conn)
    (root / "migrations/V1_users.sql").unlink()
    (root / "migrations/V2_t.sql").write_text("CREATE TABLE t (a bigint);\n")
    (root / "migrations/V3_late.sql").write_text("CREATE TABLE late (a int);\n")

    report = json.loads(status(root, target_db, "--format", "json"))
    listed = report["applied"] + report["deleted"]
    assert [(m["version"], m["file"]) for m in listed] == [
        (2, "migrations/V2_t.sql"), (4, "migrations/V4_u.sql"), (1, None)]
    for item in listed:
        assert (datetime.fromisoformat(item["applied_at"]), item["applied_by"]) == \
            rows[item["version"]]
    assert [m["file"] for m in report["pending"]] == ["migrations/V3_late.sql"]
    assert [(p["kind"], p["version"], p["file"]) for p in report["problems"]] == [
        ("modified", 2, "migrations/V2_t.sql"), ("deleted", 1, None),
        ("out_of_order", 3, "migrations/V3_late.sql")]
    modified, deleted, late = (p["message"] for p in report["problems"])
    assert modified.startswith("migrations/V2_t.sql was modified after it was applied: "
                               "section 'default' had checksum ")
    assert deleted.startswith("migration 1 (users) was applied on ")
    assert f" by {rows[1][1]}, but its file is no longer in the migrations directory" in deleted
    assert late.startswith("migrations/V3_late.sql is pending but older than migration 4")

    lines = status(root, target_db).splitlines()
    for item in report["applied"]:
        when = datetime.fromisoformat(item["applied_at"]).strftime("%Y-%m-%d %H:%M:%S %Z")
        assert f"  {item['version']}  {item['file']}  {when} by {item['applied_by']}" in lines
    assert "  3  migrations/V3_late.sql" in lines
    for problem in report["problems"]:
        assert f"  {problem['message']}" in lines
        assert f"    hint: {problem['hint']}" in lines


def test_validate_as_json(tmp_path: Path, shadow_env: None) -> None:
    root = write_project(tmp_path / "p", {"migrations/V1_users.sql": USERS,
                                          "schema/users.sql": USERS})
    clean = pgmt_git(root, "migrate", "validate", "--format", "json")
    assert json.loads(clean.stdout) == {"valid": True, "changes": []}

    (root / "schema/users.sql").write_text("CREATE TABLE users (id int PRIMARY KEY);\n"
                                           "CREATE TABLE t (a int);\n")
    failing = pgmt_git(root, "migrate", "validate", "--format", "json", check=1)
    report = json.loads(failing.stdout)
    assert report["valid"] is False
    changes = {(c["action"], c["object"]): c for c in report["changes"]}
    assert set(changes) == {("create_table", "public.t"), ("drop_column", "public.users.name")}
    assert [h["kind"] for h in changes["drop_column", "public.users.name"]["hazards"]] == [
        "data_loss"]
    assert changes["drop_column", "public.users.name"]["sql"] == [
        "ALTER TABLE public.users DROP COLUMN name"]
    assert changes["create_table", "public.t"]["hazards"] == []


# ---------------------------------------------------------------------------- resolve


THREE = """-- pgmt:section name="table"
CREATE TABLE t (id int);

-- pgmt:section name="broken"
SELECT 1/0;

-- pgmt:section name="after"
CREATE TABLE after_broken (id int);
"""
TWO = """-- pgmt:section name="first"
CREATE TABLE a (id int);

-- pgmt:section name="second"
CREATE TABLE b (id int);
"""


def resolve(root: Path, target: Target, *args: str,
            check: int = 0) -> tuple[list[str], str]:
    result = pgmt_git(root, "migrate", "resolve", "--target-url", target.conninfo, *args,
                      check=check)
    return result.stdout.splitlines(), result.stderr


def test_mark_completed_a_whole_migration(tmp_path: Path, target_db: Target,
                                          target_conn: psycopg.Connection) -> None:
    root = write_project(tmp_path / "p", {"migrations/V100_three.sql": THREE})
    pgmt_git(root, "migrate", "apply", "--target-url", target_db.conninfo, check=1)
    assert sections(target_conn, 100) == [("table", "completed"), ("broken", "failed"),
                                          ("after", "pending")]
    lines, _ = resolve(root, target_db, "--mark-completed", "100")
    assert lines == ["migration 100, section 'broken': failed -> completed (not run)",
                     "migration 100, section 'after': pending -> completed (not run)"]
    assert sections(target_conn, 100) == [("table", "completed"), ("broken", "completed"),
                                          ("after", "completed")]
    # Recorded, not run.
    assert target_conn.execute("SELECT to_regclass('public.after_broken')").fetchone() == (
        None,)
    assert "nothing to apply" in pgmt_git(root, "migrate", "apply", "--target-url",
                                          target_db.conninfo).stdout
    report = json.loads(status(root, target_db, "--format", "json"))
    assert [m["version"] for m in report["applied"]] == [100]
    assert report["problems"] == [] and report["incomplete"] == []
    _, again = resolve(root, target_db, "--mark-completed", "100", check=1)
    assert "nothing to mark: every selected section of migration 100 is already completed" \
        in again


def test_restamp_one_section(tmp_path: Path, target_db: Target,
                             target_conn: psycopg.Connection) -> None:
    root = write_project(tmp_path / "p", {"migrations/V100_two.sql": TWO})
    pgmt_git(root, "migrate", "apply", "--target-url", target_db.conninfo)
    stored = dict(target_conn.execute(
        "SELECT section_name, checksum FROM pgmt_migrations_sections").fetchall())
    (root / "migrations/V100_two.sql").write_text(TWO.replace("b (id int)", "b (id integer)"))
    refused = pgmt_git(root, "migrate", "apply", "--target-url", target_db.conninfo, check=1)
    assert "section 'second' had checksum" in refused.stderr

    # Re-stamping the other section changes nothing that matters: still refused.
    lines, _ = resolve(root, target_db, "--restamp", "100/first")
    assert lines[0] == (f"migrations/V100_two.sql, section 'first': checksum {stored['first']}"
                        f" -> {stored['first']}")
    pgmt_git(root, "migrate", "apply", "--target-url", target_db.conninfo, check=1)

    lines, _ = resolve(root, target_db, "--restamp", "100/second")
    assert len(lines) == 2
    assert lines[0].startswith(f"migrations/V100_two.sql, section 'second': checksum "
                               f"{stored['second']} -> ")
    assert lines[1].startswith("migrations/V100_two.sql: file checksum -> ")
    now = dict(target_conn.execute(
        "SELECT section_name, checksum FROM pgmt_migrations_sections").fetchall())
    assert now["first"] == stored["first"] and now["second"] != stored["second"]
    assert lines[0].endswith(f" -> {now['second']}")
    assert "nothing to apply" in pgmt_git(root, "migrate", "apply", "--target-url",
                                          target_db.conninfo).stdout


def test_resolve_errors_name_what_is_missing(tmp_path: Path, target_db: Target,
                                             target_conn: psycopg.Connection) -> None:
    root = write_project(tmp_path / "p", {"migrations/V100_two.sql": TWO})
    pgmt_git(root, "migrate", "apply", "--target-url", target_db.conninfo)
    (root / "migrations/V200_later.sql").write_text("CREATE TABLE later (id int);\n")
    before = sections(target_conn, 100)
    cases = [
        (("--mark-completed", "999"), 1, "error: migration 999 is not recorded on the target"),
        (("--restamp", "999"), 1, "error: no migration file has version 999"),
        (("--restamp", "200"), 1, "error: migration 200 is not recorded on the target"),
        (("--mark-completed", "100/nosuch"), 1,
         "error: migration 100 has no section 'nosuch' recorded (recorded: first, second)"),
        (("--restamp", "100/nosuch"), 1,
         "error: migration 100 has no section 'nosuch' recorded (recorded: first, second)"),
        (("--mark-completed", "100"), 1,
         "error: nothing to mark: every selected section of migration 100 is already "
         "completed"),
        (("--restamp", "first"), 2, "error: 'first': expected VERSION or VERSION/SECTION"),
    ]
    for args, code, message in cases:
        lines, err = resolve(root, target_db, *args, check=code)
        assert lines == [] and err.splitlines()[0] == message, (args, err)
    assert sections(target_conn, 100) == before
    assert sections(target_conn, 200) == []
