"""The post-rewrite hook as the pre-commit framework runs it: no list of rewritten commits
on stdin, `PRE_COMMIT_REWRITE_COMMAND=rebase` instead. The branch as it was before the
rebase comes from ORIG_HEAD and the reflog; a hand edit's merge needs it (its base is the
text the migration was generated with, against the state before the rebase).

First the hook with an empty stdin after a real `git pull --rebase`, with ORIG_HEAD as git
left it and with ORIG_HEAD gone (the reflog alone); then the published hook of
.pre-commit-hooks.yaml, installed with `pre-commit install --hook-type post-rewrite` and run
by git through the framework: built by the framework from this checkout (needs PyPI), and
its definition as a `language: system` hook that runs the pgmt-git under test."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from tests.conftest import git
from tests.git.conftest import PGMT_GIT, run
from tests.git.test_pre_commit_framework import PRE_COMMIT, REPO_ROOT, _pypi_reachable
from tests.rebase.conftest import Dev
from tests.rebase.test_hand_edits import branch_adds_b_and_c, only_migration_of, upstream_adds

HOOK_ID = "pgmt-regenerate-migrations"
REGENERATED = "Regenerate migrations after rebase onto origin/main"


def backfill_and_upstream(alice: Dev, bob: Dev, u: str) -> None:
    """bob's migration adds c and b and has a hand-added backfill; upstream adds c. bob's
    version is above upstream's: after the rebase, the chain before it holds upstream's
    migration, and only the branch before the rebase knows the state it was generated
    against."""
    path = branch_adds_b_and_c(bob, u, "backfill")
    bob.move_far_up(path.rsplit("/", 1)[1])
    upstream_adds(alice, u, first=("c int",))


def assert_backfill_merged(bob: Dev, u: str, output: str) -> None:
    assert "merged hand edits" in output, output
    assert "could not be rebuilt" not in output  # the base came from before the rebase
    text = only_migration_of(bob, "_add_b_c.sql")
    assert f"UPDATE t_{u} SET b = 0 WHERE b IS NULL;" in text
    assert "ADD COLUMN b integer" in text and "ADD COLUMN c" not in text
    assert bob.subject() == REGENERATED
    assert bob.git("status", "--porcelain") == ""
    check = bob.pgmt("check", "--base", "origin/main")
    assert check.returncode == 0, check.stdout + check.stderr


@pytest.mark.parametrize("orig_head", ["as git left it", "gone"])
def test_the_hook_with_no_list_of_commits_rebuilds_the_base_of_a_hand_edit(
        team: tuple[Dev, Dev], unique: str, orig_head: str) -> None:
    alice, bob = team
    backfill_and_upstream(alice, bob, unique)
    assert bob.rebase_pull("-c", "core.hooksPath=/dev/null").returncode == 0
    if orig_head == "gone":
        bob.git("update-ref", "-d", "ORIG_HEAD")

    result = bob.pgmt("hook", "post-rewrite", env={"PRE_COMMIT_REWRITE_COMMAND": "rebase"})

    assert result.returncode == 0, result.stderr
    assert_backfill_merged(bob, unique, result.stderr)


# ------------------------------------------------------------------------------ the framework


def published_hook() -> dict[str, object]:
    manifest = yaml.safe_load((REPO_ROOT / ".pre-commit-hooks.yaml").read_text())
    found = [hook for hook in manifest if hook["id"] == HOOK_ID]
    assert len(found) == 1 and found[0]["stages"] == ["post-rewrite"]
    return found[0]


def this_checkout(tmp_path: Path) -> dict[str, object]:
    """The published hook from this repository, for the framework to clone and build: the
    work tree's changes to tracked files committed in a clone (as `pre-commit try-repo`
    does). Building it needs PyPI."""
    if not _pypi_reachable():
        pytest.skip("building the hook environment needs PyPI")
    head = git(REPO_ROOT, "rev-parse", "HEAD").strip()
    repo, rev = str(REPO_ROOT), head
    if git(REPO_ROOT, "status", "--porcelain", "--untracked-files=no").strip():
        shadow = tmp_path / "shadow-repo"
        git(tmp_path, "clone", "-q", "--no-checkout", str(REPO_ROOT), str(shadow))
        git(shadow, "checkout", "-q", head)
        gitdir = shadow / ".git"
        into_shadow = {"GIT_INDEX_FILE": str(gitdir / "index"),
                       "GIT_OBJECT_DIRECTORY": str(gitdir / "objects")}
        added = run(REPO_ROOT, "git", "add", "-u", env=into_shadow)
        assert added.returncode == 0, added.stderr
        git(shadow, "-c", "user.name=test", "-c", "user.email=test@example.com", "commit",
            "-q", "--no-verify", "-m", "the work tree's changes")
        repo, rev = str(shadow), git(shadow, "rev-parse", "HEAD").strip()
    return {"repo": repo, "rev": rev, "hooks": [{"id": HOOK_ID, "verbose": True}]}


def this_interpreter(tmp_path: Path) -> dict[str, object]:
    """The published hook's definition as a local hook running the pgmt-git under test
    (`language: system`): the framework's way of calling it, without building anything."""
    hook = {**published_hook(), "language": "system", "verbose": True}
    hook.pop("minimum_pre_commit_version", None)
    return {"repo": "local", "hooks": [hook]}


def install_framework(bob: Dev, tmp_path: Path, repo: dict[str, object]) -> dict[str, str]:
    """pgmt-git's own hooks out, the framework's post-rewrite hook in (its configuration
    outside the work tree; `verbose` shows the hook's report); the environment the
    framework runs with."""
    removed = run(bob.path, PGMT_GIT, "uninstall", "--hooks")
    assert removed.returncode == 0, removed.stderr
    config = tmp_path / "pre-commit-config.yaml"
    config.write_text(yaml.safe_dump({"repos": [repo]}, sort_keys=False))
    env = {"PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
           "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    for step in (("install", "--hook-type", "post-rewrite"), ("install-hooks",)):
        done = run(bob.path, str(PRE_COMMIT), *step, "--config", str(config), env=env)
        assert done.returncode == 0, done.stdout + done.stderr
    return env


@pytest.mark.skipif(not PRE_COMMIT.exists(), reason="the pre-commit framework is not installed")
@pytest.mark.parametrize("hook_repo", [
    pytest.param(this_interpreter, id="local"),
    pytest.param(this_checkout, id="published", marks=pytest.mark.slow),
])
def test_the_framework_runs_the_hook_after_a_rebase(
        team: tuple[Dev, Dev], unique: str, tmp_path: Path,
        hook_repo: Callable[[Path], dict[str, object]]) -> None:
    alice, bob = team
    backfill_and_upstream(alice, bob, unique)
    env = install_framework(bob, tmp_path, hook_repo(tmp_path))
    assert "pre-commit" in (bob.path / ".git" / "hooks" / "post-rewrite").read_text()

    result = run(bob.path, "git", "pull", "-q", "--rebase", "origin", "main", env=env)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "regenerate the branch's migrations after a rebase" in result.stdout + result.stderr
    assert_backfill_merged(bob, unique, result.stdout + result.stderr)
