"""A project read from the work tree, the index and git revisions (real repositories)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pgmt_git.errors import GitError, SourceError
from pgmt_git.project.source import ProjectSource, load_project
from tests.conftest import git

CONFIG = """\
databases:
  dev_url: postgres://localhost/app_dev
directories:
  schema_dir: schema
  migrations_dir: migrations
"""


def write(root: Path, files: dict[str, str | bytes]) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="")


def commit_all(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


@pytest.fixture
def history(repo: Path) -> Path:
    """Four commits that change schema files, migrations, baselines and roles."""
    write(repo, {
        "pgmt.yaml": CONFIG,
        "roles.sql": "CREATE ROLE app_reader;\n",
        "schema/01_base.sql": "CREATE SCHEMA app;\n",
        "schema/tables/users.sql": "-- require: 01_base\nCREATE TABLE app.users (id int);\n",
        "migrations/V100_init.sql": "CREATE SCHEMA app;\n",
    })
    commit_all(repo, "one")
    write(repo, {
        "schema/tables/posts.sql": "-- require: tables/users\r\nCREATE TABLE app.posts (id int);\r\n",
        "migrations/V200_posts.sql": "CREATE TABLE app.posts (id int);\n",
        "schema_baselines/baseline_150.sql": "CREATE SCHEMA app;\n",
    })
    commit_all(repo, "two")
    write(repo, {"schema/tables/users.sql": "-- require: 01_base\nCREATE TABLE app.users (id bigint);\n"})
    (repo / "migrations/V100_init.sql").unlink()
    commit_all(repo, "three")
    write(repo, {"schema/views.sql": "CREATE VIEW app.v AS SELECT 1;\n"})
    commit_all(repo, "four")
    return repo


def checkout_copy(repo: Path, rev: str, where: Path) -> Path:
    """The commit checked out for real, in a linked worktree."""
    git(repo, "worktree", "add", "-q", "--detach", str(where), rev)
    return where


@pytest.mark.parametrize("rev", ["HEAD~2", "HEAD~1", "HEAD", "main~3"])
def test_revision_equals_the_same_commit_checked_out(history: Path, tmp_path: Path, rev: str) -> None:
    from_git = load_project(ProjectSource.revision(rev), start_dir=history)
    copy = checkout_copy(history, rev, tmp_path / "checkout")
    from_disk = load_project(ProjectSource.worktree(), start_dir=copy)
    assert from_git == from_disk
    assert "(" in from_git.origin  # "HEAD~2 (1a2b3c4)"


def test_revision_content_is_that_of_the_revision(history: Path) -> None:
    old = load_project(ProjectSource.revision("HEAD~2"), start_dir=history)
    names = [f.path for f in old.schema_files]
    assert names == ["schema/01_base.sql", "schema/tables/users.sql", "schema/tables/posts.sql"]
    assert "id int" in old.schema_files[1].text
    assert [m.version for m in old.chain.migrations] == [100, 200]
    assert [b.path for b in old.chain.baselines] == ["schema_baselines/baseline_150.sql"]
    # Baseline 150 covers V100; the chain replays roles, the baseline, then V200.
    assert [(i.path, i.kind) for i in old.chain_inputs()] == [
        ("roles.sql", "roles"),
        ("schema_baselines/baseline_150.sql", "baseline"),
        ("migrations/V200_posts.sql", "migration"),
    ]
    assert [i.path for i in old.chain_inputs(before=200)] == [
        "roles.sql",
        "schema_baselines/baseline_150.sql",
    ]
    assert old.roles is not None and old.roles.text == "CREATE ROLE app_reader;\n"
    # CRLF is kept as stored: checksums are computed over the text as read.
    assert old.schema_files[2].text.endswith("(id int);\r\n")
    head = load_project(ProjectSource.revision("HEAD"), start_dir=history)
    assert head != old
    assert [m.path for m in head.chain.migrations] == ["migrations/V200_posts.sql"]


def test_revision_by_commit_id_and_branch(history: Path) -> None:
    commit_id = git(history, "rev-parse", "HEAD~1").strip()
    git(history, "branch", "feature", "HEAD~1")
    by_id = load_project(ProjectSource.revision(commit_id), start_dir=history)
    by_branch = load_project(ProjectSource.revision("feature"), start_dir=history)
    assert by_id == by_branch


def test_index_holds_staged_content_only(history: Path) -> None:
    write(history, {"schema/staged.sql": "CREATE TABLE staged ();\n"})
    git(history, "add", "schema/staged.sql")
    write(history, {"schema/unstaged.sql": "CREATE TABLE unstaged ();\n"})
    staged = load_project(ProjectSource.index(), start_dir=history)
    paths = [f.path for f in staged.schema_files]
    assert "schema/staged.sql" in paths
    assert "schema/unstaged.sql" not in paths
    git(history, "add", "-A")
    assert load_project(ProjectSource.index(), start_dir=history) == load_project(start_dir=history)


def test_project_in_a_subdirectory_and_two_projects_in_one_repository(repo: Path, tmp_path: Path) -> None:
    write(repo, {
        "services/a/pgmt.yaml": CONFIG,
        "services/a/schema/a.sql": "CREATE TABLE a ();\n",
        "services/b/pgmt.yaml": CONFIG.replace("schema_dir: schema", "schema_dir: db/schema"),
        "services/b/db/schema/b.sql": "CREATE TABLE b ();\n",
    })
    commit_all(repo, "two projects")
    a = load_project(ProjectSource.revision("HEAD"), start_dir=repo / "services/a/schema")
    b = load_project(ProjectSource.revision("HEAD"), start_dir=repo / "services/b")
    assert [f.path for f in a.schema_files] == ["schema/a.sql"]
    assert [f.path for f in b.schema_files] == ["db/schema/b.sql"]
    assert a == load_project(start_dir=repo / "services/a")
    assert b == load_project(start_dir=repo / "services/b")


def test_symlinked_schema_file_reads_the_same_from_git_and_disk(repo: Path, tmp_path: Path) -> None:
    write(repo, {"pgmt.yaml": CONFIG, "shared/common.sql": "CREATE TABLE common ();\n"})
    (repo / "schema").mkdir()
    os.symlink("../shared/common.sql", repo / "schema/common.sql")
    commit_all(repo, "symlink")
    from_git = load_project(ProjectSource.revision("HEAD"), start_dir=repo)
    assert [f.text for f in from_git.schema_files] == ["CREATE TABLE common ();\n"]
    assert from_git == load_project(start_dir=repo)


def test_unknown_revision_is_a_git_error(history: Path) -> None:
    with pytest.raises(GitError, match="unknown revision 'nope'"):
        load_project(ProjectSource.revision("nope"), start_dir=history)


def test_revision_before_the_project_existed(repo: Path) -> None:
    write(repo, {"README": "x\n"})
    commit_all(repo, "before")
    write(repo, {"pgmt.yaml": CONFIG})
    commit_all(repo, "project")
    with pytest.raises(Exception, match="pgmt.yaml does not exist in HEAD~1"):
        load_project(ProjectSource.revision("HEAD~1"), start_dir=repo)


def test_not_utf8_names_the_file(repo: Path) -> None:
    write(repo, {"pgmt.yaml": CONFIG, "schema/bad.sql": b"-- caf\xe9\nCREATE TABLE t ();\n"})
    with pytest.raises(SourceError, match=r"schema/bad.sql:1: not valid UTF-8"):
        load_project(start_dir=repo)


def test_outside_a_repository_revisions_are_refused(tmp_path: Path) -> None:
    write(tmp_path, {"pgmt.yaml": CONFIG})
    with pytest.raises(GitError, match="not inside a git repository"):
        load_project(ProjectSource.revision("HEAD"), start_dir=tmp_path)


def test_index_is_the_one_git_index_file_names(history: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`git commit -a` hands hooks a temporary index through GIT_INDEX_FILE."""
    write(history, {"schema/temp.sql": "CREATE TABLE temp ();\n"})
    other_index = history / ".git" / "other-index"
    env_git = {"GIT_INDEX_FILE": str(other_index)}
    import subprocess

    subprocess.run(["git", "read-tree", "HEAD"], cwd=history, env={**os.environ, **env_git}, check=True)
    subprocess.run(["git", "add", "schema/temp.sql"], cwd=history, env={**os.environ, **env_git},
                   check=True)
    assert "schema/temp.sql" not in [f.path for f in load_project(ProjectSource.index(), start_dir=history).schema_files]
    monkeypatch.setenv("GIT_INDEX_FILE", str(other_index))
    staged = load_project(ProjectSource.index(), start_dir=history)
    assert "schema/temp.sql" in [f.path for f in staged.schema_files]
