"""pgmt-git check --base REF: the guard rules, chain replay == schema files, fresh from= hashes.

Each test's SQL names its tables after ``unique``, so its replays and cache entries are its
own on a shared server. check runs in-process, so the cache entries it makes are dropped at
the end of the session like every other test's.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pgmt_git.cli import run
from pgmt_git.config import parse_config_text
from pgmt_git.git.oracle import Oracle, catalog_hash, comparable
from pgmt_git.pg.server import Server
from pgmt_git.project.migrations import build_chain, with_generated_header
from pgmt_git.project.source import Project
from tests.git.conftest import Workspace, new_repo


def chain_files(u: str) -> dict[str, str]:
    return {
        "V100_create.sql": f"CREATE TABLE t_{u} (id int PRIMARY KEY);\n",
        "V200_email.sql": f"ALTER TABLE t_{u} ADD COLUMN email text;\n",
    }


def schema_text(u: str, *extra: str) -> str:
    columns = ", ".join(["id int PRIMARY KEY", "email text", *extra])
    return f"CREATE TABLE t_{u} ({columns});\n"


@pytest.fixture
def ws(tmp_path: Path, origin: Path, unique: str, pg_server: Server,
       monkeypatch: pytest.MonkeyPatch) -> Workspace:
    """origin/main holds a consistent project; the feature branch is checked out."""
    ws = Workspace(new_repo(tmp_path / "work"))
    ws.git("remote", "add", "origin", str(origin))
    ws.write("pgmt.yaml", "migration:\n  filename_prefix: V\n")
    ws.write("schema/t.sql", schema_text(unique))
    for name, text in chain_files(unique).items():
        ws.write(f"migrations/{name}", text)
    ws.git("add", "-A")
    ws.git("commit", "-q", "-m", "project")
    ws.git("push", "-q", "-u", "origin", "main")
    ws.git("checkout", "-q", "-b", "feature")
    monkeypatch.chdir(ws.path)
    return ws


def commit(ws: Workspace, message: str = "change") -> None:
    ws.git("add", "-A")
    ws.git("commit", "-q", "--no-verify", "-m", message)


def check_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict]:
    code = run(["check", "--base", "origin/main", "--format", "json", *args])
    return code, json.loads(capsys.readouterr().out)


def add_column(ws: Workspace, unique: str, version: int, column: str, *, header: str = ""
               ) -> str:
    body = f"ALTER TABLE t_{unique} ADD COLUMN {column} int;\n"
    ws.write(f"migrations/V{version}_{column}.sql", header + body if header else body)
    return body


def state_before(version: int, files: dict[str, str], server: Server) -> str:
    """The catalog hash of the chain just before ``version``, as a generator would record."""
    config = parse_config_text("", source="test")
    chain = build_chain([(f"migrations/{n}", t) for n, t in files.items()])
    project = Project(config=config, schema_files=(), chain=chain, roles=None)
    return Oracle(server, config).state_hash(project.chain_inputs(before=version))


# ------------------------------------------------------------------------------ passing


def test_a_consistent_branch_passes(ws: Workspace, unique: str,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    add_column(ws, unique, 300, "age")
    ws.write("schema/t.sql", schema_text(unique, "age int"))
    commit(ws)
    code, report = check_json(capsys)
    assert code == 0, report
    assert report["ok"] is True
    assert report["base"] == "origin/main"
    assert report["head"] == ws.git("rev-parse", "HEAD").strip()
    [project] = report["projects"]
    assert project["config"] == "pgmt.yaml"
    assert project["branch_migrations"] == ["migrations/V300_age.sql"]
    assert project["checks"] == {"published": "passed", "order": "passed",
                                 "conflicts": "passed", "replay": "passed",
                                 "from-hashes": "passed"}
    assert report["failures"] == []


def test_text_report(ws: Workspace, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["check", "--base", "origin/main"]) == 0
    out = capsys.readouterr().out
    assert "against origin/main" in out
    assert "pgmt.yaml: published passed" in out
    assert out.rstrip().endswith("check passed")


def test_base_defaults_to_the_protected_ref(ws: Workspace, capsys: pytest.CaptureFixture[str]
                                            ) -> None:
    ws.git("remote", "set-head", "origin", "main")
    assert run(["check", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["base"] == "origin/main"


# ------------------------------------------------------------------------------ failing


def test_schema_change_without_migration_fails(ws: Workspace, unique: str,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    ws.write("schema/t.sql", schema_text(unique, "age int"))
    commit(ws)
    code, report = check_json(capsys)
    assert code == 1
    [failure] = report["failures"]
    assert failure["rule"] == "chain-differs-from-schema"
    assert failure["path"] == "migrations"
    assert failure["details"] == [f"add_column public.t_{unique}.age"]
    assert "pgmt-git diff --from migrations --to schema" in failure["fix"]
    assert report["projects"][0]["checks"]["replay"] == "failed"


def test_drift_lists_the_differences_in_text(ws: Workspace, unique: str,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    ws.write("schema/t.sql", schema_text(unique, "age int"))
    commit(ws)
    assert run(["check", "--base", "origin/main"]) == 1
    out = capsys.readouterr().out
    assert "check failed: 1 problem with migrations" in out
    assert f"add_column public.t_{unique}.age" in out


def test_guard_rules_are_checked_even_when_hooks_were_skipped(
        ws: Workspace, unique: str, capsys: pytest.CaptureFixture[str]) -> None:
    ws.write("migrations/V100_create.sql", f"CREATE TABLE t_{unique} (id bigint PRIMARY KEY);\n")
    add_column(ws, unique, 150, "late")
    commit(ws)
    code, report = check_json(capsys)
    assert code == 1
    rules = {f["path"]: f["rule"] for f in report["failures"]}
    assert rules["migrations/V100_create.sql"] == "published-modified"
    assert rules["migrations/V150_late.sql"] == "migration-order"
    assert rules["migrations"] == "chain-differs-from-schema"
    checks = report["projects"][0]["checks"]
    assert checks["published"] == "failed" and checks["order"] == "failed"


def test_a_version_two_published_migrations_share_fails_until_renumbered(
        ws: Workspace, unique: str, capsys: pytest.CaptureFixture[str]) -> None:
    # Merged on main without the hooks: two migrations with version 200.
    ws.git("checkout", "-q", "main")
    add_column(ws, unique, 200, "age")
    ws.write("schema/t.sql", schema_text(unique, "age int"))
    commit(ws)
    ws.git("push", "-q", "--no-verify", "origin", "main")
    code, report = check_json(capsys)
    assert code == 1
    [failure] = report["failures"]
    # Either may be the one no database has run: the first by name is kept.
    assert (failure["rule"], failure["path"]) == ("duplicate-version",
                                                  "migrations/V200_email.sql")
    assert "migrations/V200_age.sql" in failure["problem"]
    assert report["projects"][0]["checks"]["order"] == "failed"
    # Here the new one is renumbered (it must run after the other anyway).
    ws.git("mv", "migrations/V200_age.sql", "migrations/V201_age.sql")
    commit(ws)
    code, report = check_json(capsys)
    assert code == 0, report


def test_pgmt_git_skip_does_not_skip_check(ws: Workspace, unique: str,
                                           monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("PGMT_GIT_SKIP", "1")
    (ws.path / "migrations/V200_email.sql").unlink()
    commit(ws)
    code, report = check_json(capsys)
    assert code == 1
    assert {"rule": "published-deleted", "path": "migrations/V200_email.sql"}.items() <= (
        report["failures"][0].items())


def test_a_failing_replay_names_the_file(ws: Workspace, unique: str,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    ws.write("migrations/V300_broken.sql", f"ALTER TABLE t_{unique} ADD COLUMN x no_such_type;\n")
    commit(ws)
    code, report = check_json(capsys)
    assert code == 1
    [failure] = report["failures"]
    assert failure["rule"] == "replay-failed"
    assert failure["path"] == "migrations/V300_broken.sql"
    assert "no_such_type" in failure["problem"]
    assert report["projects"][0]["checks"]["from-hashes"] == "skipped"


def test_an_unreadable_project_is_a_failure(ws: Workspace, capsys: pytest.CaptureFixture[str]
                                            ) -> None:
    ws.write("migrations/notes.sql", "-- not a migration name\n")
    commit(ws)
    code, report = check_json(capsys)
    assert code == 1
    [failure] = report["failures"]
    assert failure["rule"] == "project-unreadable"
    assert failure["path"] == "migrations/notes.sql"
    assert report["projects"][0]["checks"]["replay"] == "skipped"


def test_unknown_base_is_a_usage_error(ws: Workspace, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["check", "--base", "origin/nope"]) == 2
    assert "fetch-depth: 0" in capsys.readouterr().err


# ------------------------------------------------------------------------------ from= hashes


def test_from_hashes_fresh_and_stale(ws: Workspace, unique: str, pg_server: Server,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    files = chain_files(unique)
    body = f"ALTER TABLE t_{unique} ADD COLUMN age int;\n"
    files["V300_age.sql"] = body
    fresh = state_before(300, files, pg_server)
    assert comparable(fresh)
    ws.write("migrations/V300_age.sql", with_generated_header(body, fresh))
    ws.write("schema/t.sql", schema_text(unique, "age int"))
    commit(ws, "generated")
    code, report = check_json(capsys)
    assert code == 0, report["failures"]
    assert report["projects"][0]["checks"]["from-hashes"] == "passed"

    # Main moves on: V250 is published, the branch rebases onto it, V300 is now generated
    # against a state that no longer comes before it.
    ws.git("checkout", "-q", "main")
    add_column(ws, unique, 250, "score")
    ws.write("schema/t.sql", schema_text(unique, "score int"))
    commit(ws, "score")
    ws.git("push", "-q", "origin", "main")
    ws.git("checkout", "-q", "feature")
    ws.write("schema/t.sql", schema_text(unique, "age int"))
    ws.git("rebase", "-q", "-X", "theirs", "origin/main")
    ws.write("schema/t.sql", schema_text(unique, "score int", "age int"))
    commit(ws, "schema")
    code, report = check_json(capsys)
    assert code == 1
    [failure] = report["failures"]
    assert failure["rule"] == "stale-from-hash"
    assert failure["path"] == "migrations/V300_age.sql"
    assert "generated against a state that no longer exists" in failure["problem"]
    assert "pgmt-git migrate rebase" in failure["fix"]


def test_a_hash_of_another_recipe_is_noted_not_failed(ws: Workspace, unique: str,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    body = add_column(ws, unique, 300, "age")
    ws.write("migrations/V300_age.sql", with_generated_header(body, "x9-" + "0" * 64))
    ws.write("schema/t.sql", schema_text(unique, "age int"))
    commit(ws)
    code, report = check_json(capsys)
    assert code == 0, report["failures"]
    assert any("another catalog hash recipe" in note for note in report["notes"])


def test_catalog_hash_is_deterministic_and_names_the_state(ws: Workspace, unique: str,
                                                           pg_server: Server) -> None:
    files = chain_files(unique)
    config = parse_config_text("", source="test")
    oracle = Oracle(pg_server, config)
    chain = build_chain([(f"migrations/{n}", t) for n, t in files.items()])
    project = Project(config=config, schema_files=(), chain=chain, roles=None)
    first = oracle.catalog(project.chain_inputs())
    assert catalog_hash(first) == catalog_hash(oracle.catalog(project.chain_inputs()))
    assert catalog_hash(first) != catalog_hash(oracle.catalog(project.chain_inputs(before=200)))


# ------------------------------------------------------------------------------ layouts


def test_projects_in_subdirectories_are_all_checked(tmp_path: Path, origin: Path, unique: str,
                                                    pg_server: Server,
                                                    monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    path = new_repo(tmp_path / "mono")
    for name in ("a", "b"):
        ws = Workspace(path, name)
        ws.write("pgmt.yaml", "migration:\n  filename_prefix: V\n")
        ws.write("schema/t.sql", schema_text(f"{unique}{name}"))
        for file, text in chain_files(f"{unique}{name}").items():
            ws.write(f"migrations/{file}", text)
    ws.git("add", "-A")
    ws.git("commit", "-q", "-m", "two projects")
    ws.git("remote", "add", "origin", str(origin))
    ws.git("push", "-q", "-u", "origin", "main")
    ws.git("checkout", "-q", "-b", "feature")
    Workspace(path, "b").write("schema/t.sql", schema_text(f"{unique}b", "age int"))
    commit(ws)
    monkeypatch.chdir(path)
    code, report = check_json(capsys)
    assert code == 1
    assert [p["config"] for p in report["projects"]] == ["a/pgmt.yaml", "b/pgmt.yaml"]
    [failure] = report["failures"]
    assert failure["path"] == "b/migrations"


def test_a_deleted_project_fails(ws: Workspace, capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("pgmt.yaml", "schema/t.sql", "migrations/V100_create.sql",
                 "migrations/V200_email.sql"):
        (ws.path / name).unlink()
    commit(ws)
    code, report = check_json(capsys)
    assert code == 1
    assert report["projects"] == []
    assert {f["rule"] for f in report["failures"]} == {"published-deleted"}


def test_a_migration_from_migrate_new_has_a_fresh_hash_until_main_moves(
        ws: Workspace, unique: str, capsys: pytest.CaptureFixture[str]) -> None:
    ws.write("schema/t.sql", schema_text(unique, "age int"))
    assert run(["migrate", "new", "add age"]) == 0
    capsys.readouterr()
    [generated] = [p.name for p in (ws.path / "migrations").iterdir()
                   if p.name not in chain_files(unique)]
    commit(ws, "generated")
    code, report = check_json(capsys)
    assert code == 0, report["failures"]
    assert report["projects"][0]["branch_migrations"] == [f"migrations/{generated}"]

    ws.git("checkout", "-q", "main")
    add_column(ws, unique, 250, "score")
    ws.write("schema/t.sql", schema_text(unique, "score int"))
    commit(ws, "score")
    ws.git("push", "-q", "origin", "main")
    ws.git("checkout", "-q", "feature")
    ws.git("rebase", "-q", "-X", "theirs", "origin/main")
    ws.write("schema/t.sql", schema_text(unique, "score int", "age int"))
    commit(ws, "schema")
    code, report = check_json(capsys)
    assert code == 1
    assert [(f["rule"], f["path"]) for f in report["failures"]] == [
        ("stale-from-hash", f"migrations/{generated}")]
