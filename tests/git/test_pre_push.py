"""The pre-push hook checks every commit being pushed; post-rewrite and post-merge warn."""

from __future__ import annotations

from pathlib import Path

from tests.git.conftest import Workspace, pgmt_git, run


def skip_hooks_commit(ws: Workspace, message: str) -> None:
    ws.git("add", "-A")
    ws.git("commit", "-q", "--no-verify", "-m", message)


def test_a_push_of_good_commits_passes_silently(work: Workspace) -> None:
    work.write("migrations/V300_next.sql", "SELECT 1;\n")
    work.must_commit()
    result = work.push("-u", "origin", "feature")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_a_commit_that_skipped_pre_commit_is_caught_at_push(work: Workspace) -> None:
    work.write("migrations/V300_next.sql", "SELECT 1;\n")
    work.must_commit("fine")
    work.write("migrations/V100_create_users.sql", "-- edited\n")
    skip_hooks_commit(work, "sneaky edit")
    work.write("schema/users.sql", "CREATE TABLE users (id int);\n")
    skip_hooks_commit(work, "later")
    bad = work.git("rev-parse", "--short=7", "HEAD~1").strip()
    result = work.push("origin", "feature")
    assert result.returncode == 1
    assert "push refused: 1 problem with migrations" in result.stderr
    assert "migrations/V100_create_users.sql" in result.stderr
    assert f"in commit {bad} (sneaky edit)" in result.stderr  # the first commit with it
    assert "PGMT_GIT_SKIP=1 git push" in result.stderr
    assert run(work.path, "git", "ls-remote", "origin", "feature").stdout == ""


def test_an_intermediate_commit_is_checked_too(work: Workspace) -> None:
    work.write("migrations/V100_create_users.sql", "-- edited\n")
    skip_hooks_commit(work, "edit")
    work.git("checkout", "-q", "origin/main", "--", "migrations/V100_create_users.sql")
    skip_hooks_commit(work, "undo")
    result = work.push("origin", "feature")
    assert result.returncode == 1
    assert "edit)" in result.stderr


def test_pushing_the_protected_branch_itself(work: Workspace) -> None:
    work.git("checkout", "-q", "main")
    (work.path / "migrations/V200_add_email.sql").unlink()
    skip_hooks_commit(work, "drop a published migration")
    result = work.push("origin", "main")
    assert result.returncode == 1
    assert "published on origin/main, but commit" in result.stderr
    assert "deletes it" in result.stderr


def test_a_merge_commit_is_pushed_and_checked(work: Workspace) -> None:
    work.write("migrations/V250_mine.sql", "SELECT 1;\n")
    work.must_commit("mine")  # above every published version when written
    work.git("checkout", "-q", "main")
    work.write("migrations/V300_main.sql", "SELECT 3;\n")
    skip_hooks_commit(work, "main moves on")
    work.git("push", "-q", "origin", "main")
    work.git("checkout", "-q", "feature")
    merged = run(work.path, "git", "merge", "-q", "--no-edit", "origin/main")
    assert merged.returncode == 0, merged.stderr
    assert "migrations/V250_mine.sql" in merged.stderr  # post-merge warns
    assert "pgmt-git migrate rebase" in merged.stderr
    result = work.push("origin", "feature")
    assert result.returncode == 1
    assert "new migration with version 250, not above version 300" in result.stderr


def test_post_rewrite_renumbers_after_a_rebase(work: Workspace) -> None:
    work.write("migrations/V250_mine.sql", "SELECT 1;\n")
    work.must_commit()
    work.git("checkout", "-q", "main")
    work.write("migrations/V300_main.sql", "SELECT 3;\n")
    skip_hooks_commit(work, "main")
    work.git("push", "-q", "origin", "main")
    work.git("checkout", "-q", "feature")
    rebased = run(work.path, "git", "rebase", "-q", "origin/main")
    assert rebased.returncode == 0
    # The hook regenerates (here: renumbers a hand-written file) before its checks, so
    # nothing is left to warn about (tests/rebase covers regeneration itself).
    assert "migrations/V250_mine.sql -> migrations/V301_mine.sql" in rebased.stderr
    assert "warning: after this rewrite" not in rebased.stderr


def test_pgmt_git_skip_pushes_with_a_warning(work: Workspace) -> None:
    work.write("migrations/V100_create_users.sql", "-- edited\n")
    skip_hooks_commit(work, "edit")
    result = work.push("origin", "feature", env={"PGMT_GIT_SKIP": "1"})
    assert result.returncode == 0
    assert "PGMT_GIT_SKIP is set: pre-push checks" in result.stderr


def test_deleting_a_remote_branch_is_not_checked(work: Workspace) -> None:
    work.write("migrations/V300_next.sql", "SELECT 1;\n")
    work.must_commit()
    assert work.push("origin", "feature").returncode == 0
    assert work.push("origin", ":feature").returncode == 0


def test_the_pre_commit_frameworks_variables(work: Workspace) -> None:
    work.write("migrations/V100_create_users.sql", "-- edited\n")
    skip_hooks_commit(work, "edit")
    env = {"PRE_COMMIT_FROM_REF": work.git("rev-parse", "origin/main").strip(),
           "PRE_COMMIT_TO_REF": work.git("rev-parse", "HEAD").strip(),
           "PRE_COMMIT_REMOTE_NAME": "origin"}
    result = pgmt_git(work.path, "hook", "pre-push", env=env)
    assert result.returncode == 1
    assert "migrations/V100_create_users.sql" in result.stderr


def test_hook_help_and_unknown_hooks(tmp_path: Path) -> None:
    helped = pgmt_git(tmp_path, "hook", "--help")
    assert helped.returncode == 0
    assert "pre-commit" in helped.stderr
    unknown = pgmt_git(tmp_path, "hook", "pre-rebase")
    assert unknown.returncode == 2
    assert "unknown hook 'pre-rebase'" in unknown.stderr
    outside = pgmt_git(tmp_path, "hook", "pre-commit")
    assert outside.returncode == 1
    assert "not inside a git repository" in outside.stderr


def test_hook_through_click_with_a_directory(work: Workspace, tmp_path: Path) -> None:
    work.write("migrations/V100_create_users.sql", "-- edited\n")
    work.git("add", "-A")
    result = pgmt_git(tmp_path, "-C", str(work.path), "hook", "pre-commit")
    assert result.returncode == 1
    assert "migrations/V100_create_users.sql" in result.stderr
