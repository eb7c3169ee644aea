"""Two branches that each add a migration: the post-merge hook and `pgmt-git check` say the
chain forked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.git.conftest import Workspace, pgmt_git, publish_clone, run


def merge(ws: Workspace, branch: str, *options: str) -> str:
    result = run(ws.path, "git", "merge", "--no-edit", *options, branch)
    assert result.returncode == 0, result.stderr
    return result.stderr


def main_adds(ws: Workspace, name: str) -> None:
    ws.git("checkout", "-q", "main")
    ws.write(f"migrations/{name}", "ALTER TABLE users ADD COLUMN main_note text;\n")
    ws.must_commit("main adds a migration")
    ws.git("push", "-q", "origin", "main")
    ws.git("checkout", "-q", "feature")


def test_a_merge_of_two_new_migrations_warns_of_the_fork(tmp_path: Path, origin: Path) -> None:
    ws = publish_clone(tmp_path, origin)
    main_adds(ws, "V250_main_note.sql")
    ws.write("migrations/V300_feature_note.sql", "ALTER TABLE users ADD COLUMN note text;\n")
    ws.must_commit("feature adds a migration")
    output = merge(ws, "main")
    feature = ws.git("rev-parse", "--short", "HEAD^1").strip()
    main = ws.git("rev-parse", "--short", "HEAD^2").strip()
    assert (f"pgmt-git: warning: the migration chain in migrations forked: {feature} "
            f"(feature adds a migration) adds migrations/V300_feature_note.sql and {main} "
            "(main adds a migration) adds migrations/V250_main_note.sql, each written "
            "without the other; run `pgmt-git migrate rebase` to put this branch's "
            "migrations on top") in output


def test_a_merge_with_new_migrations_on_one_side_only_is_quiet(tmp_path: Path,
                                                               origin: Path) -> None:
    ws = publish_clone(tmp_path, origin)
    main_adds(ws, "V250_main_note.sql")
    ws.write("schema/more.sql", "CREATE TABLE more (id int);\n")
    ws.must_commit("feature adds a schema file")
    assert "forked" not in merge(ws, "main")


# ------------------------------------------------------------------ pgmt-git check


def adds_table(ws: Workspace, branch: str, version: str, name: str) -> str:
    """``branch`` gains a table: a hand-written migration and its schema file."""
    ws.git("checkout", "-q", branch)
    ws.write(f"schema/{name}.sql", f"CREATE TABLE {name} (id int);\n")
    path = f"migrations/V{version}_{name}.sql"
    ws.write(path, f"CREATE TABLE {name} (id int);\n")
    ws.must_commit(f"{branch} adds {name}")
    return path


def forked_clone(tmp_path: Path, origin: Path, unique: str) -> tuple[Workspace, str, str]:
    """main (pushed) and feature each add a hand-written migration: (clone, main's, feature's)."""
    ws = publish_clone(tmp_path, origin)
    mine = adds_table(ws, "main", "250", f"main_{unique}")
    ws.git("push", "-q", "origin", "main")
    return ws, mine, adds_table(ws, "feature", "300", f"feature_{unique}")


def merge_ref(ws: Workspace) -> str:
    """What CI checks out for a pull request: the feature merged into origin/main, always
    as a merge commit."""
    ws.git("checkout", "-q", "--detach", "origin/main")
    return merge(ws, "feature", "--no-ff")


def check(ws: Workspace) -> tuple[int, dict]:
    result = pgmt_git(ws.path, "check", "--base", "origin/main", "--format", "json")
    assert result.returncode in (0, 1), result.stderr
    return result.returncode, json.loads(result.stdout)


@pytest.mark.usefixtures("replays")
def test_check_notes_a_hand_written_migration_on_top_of_a_forked_chain(
        tmp_path: Path, origin: Path, unique: str) -> None:
    """It runs after the other side's: the replay proves the chain, the fork is noted."""
    ws, mine, theirs = forked_clone(tmp_path, origin, unique)
    assert "the migration chain in migrations forked" in merge_ref(ws)
    code, report = check(ws)
    assert code == 0, report["failures"]
    main = ws.git("rev-parse", "--short", "HEAD^1").strip()
    feature = ws.git("rev-parse", "--short", "HEAD^2").strip()
    assert (f"the migration chain in migrations forked: {main} (main adds main_{unique}) adds "
            f"{mine} and {feature} (feature adds feature_{unique}) adds {theirs}, each written "
            f"without the other: {theirs}, written by hand, runs after the other side's "
            "migrations and is kept as it is") in " ".join(report["notes"])
    assert report["projects"][0]["checks"]["replay"] == "passed"


@pytest.mark.usefixtures("replays")
def test_check_fails_a_hand_written_migration_below_the_other_side(
        tmp_path: Path, origin: Path, unique: str) -> None:
    """Two branches neither of which is the base: the guard's order rule, judged against
    the base, cannot see that the merged one sorts below the other branch's migration."""
    ws, _, first = forked_clone(tmp_path, origin, unique)
    ws.git("checkout", "-q", "-b", "other", "origin/main")
    later = adds_table(ws, "other", "350", f"other_{unique}")
    ws.git("checkout", "-q", "feature")
    assert "forked" in merge(ws, "other")
    code, report = check(ws)
    assert code == 1
    [failure] = report["failures"]
    assert (failure["rule"], failure["path"]) == ("migration-order", first)
    assert failure["problem"].endswith(f"each written without the other, and {first} sorts "
                                       f"below {later}")
    assert "pgmt-git migrate rebase" in failure["fix"]
    assert report["projects"][0]["checks"]["order"] == "failed"


@pytest.mark.usefixtures("replays")
def test_check_after_merging_main_into_the_branch(tmp_path: Path, origin: Path,
                                                  unique: str) -> None:
    """A hand-written migration that sorts below main's fails on the guard's order rule
    once, not twice; after `migrate rebase` the branch passes."""
    ws = publish_clone(tmp_path, origin)
    adds_table(ws, "main", "250", f"main_{unique}")
    early = adds_table(ws, "feature", "240", f"feature_{unique}")  # before main is pushed
    ws.git("push", "-q", "origin", "main")
    assert "forked" in merge(ws, "main")
    code, report = check(ws)
    assert code == 1
    assert [(f["rule"], f["path"]) for f in report["failures"]] == [
        ("migration-order", early)]
    rebased = pgmt_git(ws.path, "migrate", "rebase")
    assert rebased.returncode == 0, rebased.stdout + rebased.stderr
    code, report = check(ws)
    assert code == 0, report["failures"]


@pytest.mark.usefixtures("replays")
def test_check_leaves_a_generated_migration_to_its_from_hash(tmp_path: Path, origin: Path,
                                                             unique: str) -> None:
    ws = publish_clone(tmp_path, origin)
    adds_table(ws, "main", "250", f"main_{unique}")
    ws.git("push", "-q", "origin", "main")
    ws.git("checkout", "-q", "feature")
    ws.write(f"schema/feature_{unique}.sql", f"CREATE TABLE feature_{unique} (id int);\n")
    generated = pgmt_git(ws.path, "migrate", "new", "feature table")
    assert generated.returncode == 0, generated.stderr
    ws.must_commit("feature adds a generated migration")
    assert "forked" in merge_ref(ws)
    code, report = check(ws)
    assert code == 1
    [failure] = report["failures"]
    assert failure["rule"] == "stale-from-hash"
    assert "generated against a state that no longer exists" in failure["problem"]
