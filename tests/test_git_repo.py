"""Protected refs and revision resolution on real repositories."""

from __future__ import annotations

from pathlib import Path

from pgmt_git.git.repo import default_protected_refs, open_repo, protected_refs
from tests.conftest import git


def commit(repo: Path, name: str) -> None:
    (repo / name).write_text(name)
    git(repo, "add", name)
    git(repo, "commit", "-q", "-m", name)


def test_no_branch_at_all_means_no_protected_ref(repo: Path) -> None:
    assert default_protected_refs(open_repo(repo)) == ()


def test_local_main_or_master_without_a_remote(repo: Path) -> None:
    commit(repo, "a")
    assert default_protected_refs(open_repo(repo)) == ("main",)
    git(repo, "branch", "-m", "main", "master")
    assert default_protected_refs(open_repo(repo)) == ("master",)


def test_remote_default_branch_wins(repo: Path, tmp_path: Path) -> None:
    commit(repo, "a")
    git(repo, "branch", "-m", "main", "trunk")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(repo), str(clone))
    git(clone, "branch", "main")  # a local main must not win over origin's default branch
    assert default_protected_refs(open_repo(clone)) == ("origin/trunk",)


def test_remote_without_head_falls_back_to_origin_main(repo: Path, tmp_path: Path) -> None:
    commit(repo, "a")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(repo), str(clone))
    git(clone, "remote", "set-head", "origin", "-d")
    assert default_protected_refs(open_repo(clone)) == ("origin/main",)


def test_configured_refs_are_kept_when_they_exist(repo: Path) -> None:
    commit(repo, "a")
    git(repo, "branch", "release")
    assert protected_refs(open_repo(repo), ("release", "missing")) == ("release",)
