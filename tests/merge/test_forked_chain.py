"""Two branches that each add a migration: the post-merge hook says the chain forked."""

from __future__ import annotations

from pathlib import Path

from tests.git.conftest import Workspace, publish_clone, run


def merge(ws: Workspace, branch: str) -> str:
    result = run(ws.path, "git", "merge", "--no-edit", branch)
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
