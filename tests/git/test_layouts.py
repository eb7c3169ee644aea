"""The guards in the repository shapes teams have: worktrees, projects in subdirectories or
side by side, no remote, shallow clones, CRLF checkouts, merge commits."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import git
from tests.git.conftest import (
    USERS,
    Workspace,
    init_project,
    new_repo,
    publish_clone,
    run,
)


def test_a_linked_worktree_is_guarded_by_the_shared_hooks(work: Workspace,
                                                          tmp_path: Path) -> None:
    linked = Workspace(tmp_path / "linked")
    work.git("worktree", "add", "-q", "-b", "other", str(linked.path), "origin/main")
    linked.write("migrations/V100_create_users.sql", "-- edited in a worktree\n")
    result = linked.commit()
    assert result.returncode == 1
    assert "migrations/V100_create_users.sql" in result.stderr
    assert "published on origin/main" in result.stderr
    linked.git("reset", "-q", "--hard")
    linked.write("migrations/V300_worktree.sql", "SELECT 1;\n")
    linked.must_commit()


def test_a_project_in_a_subdirectory(tmp_path: Path, origin: Path) -> None:
    ws = publish_clone(tmp_path, origin, project="db")
    ws.write("migrations/V200_add_email.sql", "-- edited\n")
    result = ws.commit()
    assert result.returncode == 1
    assert "db/migrations/V200_add_email.sql" in result.stderr
    assert "git restore --source=origin/main --staged --worktree db/migrations/" in (
        result.stderr)
    ws.git("reset", "-q", "--hard")
    ws.write("migrations/V300_next.sql", "SELECT 1;\n")
    ws.must_commit()
    # Files outside the project are not the project's, whatever their name.
    (ws.path / "migrations").mkdir()
    (ws.path / "migrations/V1_elsewhere.sql").write_text("SELECT 1;\n")
    ws.must_commit()


def test_two_projects_in_one_repository(tmp_path: Path, origin: Path) -> None:
    path = new_repo(tmp_path / "mono")
    first, second = Workspace(path, "billing"), Workspace(path, "accounts")
    init_project(first)
    init_project(second, migrations={"V500_accounts.sql": USERS})
    first.git("add", "-A")
    first.git("commit", "-q", "-m", "two projects")
    first.git("remote", "add", "origin", str(origin))
    first.git("push", "-q", "-u", "origin", "main")
    first.install("--hooks")
    first.git("checkout", "-q", "-b", "feature")
    # Versions are per project: 300 is fine in billing though accounts published 500.
    first.write("migrations/V300_invoices.sql", "SELECT 1;\n")
    first.must_commit()
    second.write("migrations/V500_accounts.sql", "-- edited\n")
    second.write("migrations/V400_late.sql", "SELECT 1;\n")
    result = second.commit()
    assert result.returncode == 1
    assert "accounts/migrations/V500_accounts.sql" in result.stderr
    assert "accounts/migrations/V400_late.sql" in result.stderr
    assert "not above version 500" in result.stderr
    assert "billing/" not in result.stderr


def test_a_project_added_in_this_commit(tmp_path: Path, origin: Path) -> None:
    ws = publish_clone(tmp_path, origin)
    extra = Workspace(ws.path, "extra")
    init_project(extra)
    extra.write("schema/users.sql", "<<<<<<< HEAD\n")
    result = extra.commit()
    assert result.returncode == 1
    assert "extra/schema/users.sql" in result.stderr


def test_no_remote_local_main_is_protected(tmp_path: Path) -> None:
    ws = Workspace(new_repo(tmp_path / "local"))
    init_project(ws)
    ws.git("add", "-A")
    ws.git("commit", "-q", "-m", "project")
    ws.install("--hooks")
    ws.git("checkout", "-q", "-b", "feature")
    ws.write("migrations/V300_next.sql", "SELECT 1;\n")
    ws.must_commit()
    ws.write("migrations/V100_create_users.sql", "-- edited\n")
    result = ws.commit()
    assert result.returncode == 1
    assert "published on main" in result.stderr
    assert "git restore --source=main --staged --worktree" in result.stderr


def test_no_protected_ref_at_all_says_so_once_and_passes(tmp_path: Path) -> None:
    path = tmp_path / "fresh"
    path.mkdir()
    git(path, "init", "-q", "-b", "trunk")
    ws = Workspace(path)
    ws.install("--hooks")
    init_project(ws)
    first = ws.commit()
    assert first.returncode == 0, first.stderr
    assert first.stderr.count("no protected ref") == 1
    assert "set git.protected_refs" in first.stderr
    ws.write("migrations/V100_create_users.sql", "-- edited\n")
    assert ws.commit().returncode == 0


def test_a_configured_protected_ref_that_does_not_exist(tmp_path: Path, origin: Path) -> None:
    ws = publish_clone(tmp_path, origin)
    ws.write("pgmt.yaml", "git:\n  protected_refs: [origin/release]\n")
    ws.write("migrations/V100_create_users.sql", "-- edited\n")
    result = ws.commit()
    assert result.returncode == 0
    assert "none of the protected refs of pgmt.yaml exists (origin/release)" in result.stderr


def test_a_configured_protected_ref(tmp_path: Path, origin: Path) -> None:
    ws = publish_clone(tmp_path, origin)
    ws.git("checkout", "-q", "main")
    ws.write("migrations/V300_release.sql", "SELECT 3;\n")
    ws.git("add", "-A")
    ws.git("commit", "-q", "-m", "release")
    ws.git("push", "-q", "origin", "main:release")
    ws.git("checkout", "-q", "feature")
    ws.write("pgmt.yaml", "git:\n  protected_refs: [origin/release]\n"
                          "migration:\n  filename_prefix: V\n")
    ws.write("migrations/V250_mine.sql", "SELECT 1;\n")
    result = ws.commit()
    assert result.returncode == 1
    assert "not above version 300 published on origin/release" in result.stderr


def test_a_shallow_clone(tmp_path: Path, origin: Path, work: Workspace) -> None:
    work.git("push", "-q", "origin", "feature")
    shallow = Workspace(tmp_path / "shallow")
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{origin}", str(shallow.path))
    shallow.install("--hooks")
    shallow.git("checkout", "-q", "-b", "topic")
    shallow.write("migrations/V300_next.sql", "SELECT 1;\n")
    shallow.must_commit()
    shallow.write("migrations/V200_add_email.sql", "-- edited\n")
    result = shallow.commit()
    assert result.returncode == 1
    assert "published on origin/main" in result.stderr


def test_a_shallow_clone_cut_above_the_merge_base(tmp_path: Path, origin: Path,
                                                  work: Workspace) -> None:
    """Without the merge base, a migration main published after the branch point cannot be
    told from one the branch deleted: deletions are left to the checks with the history
    (`pgmt-git check`), and the rest is still checked."""
    work.git("push", "-q", "origin", "feature")
    work.git("checkout", "-q", "main")
    work.write("migrations/V250_later.sql", "SELECT 250;\n")
    work.git("add", "-A")
    work.git("commit", "-q", "-m", "later on main")
    work.git("push", "-q", "origin", "main")
    shallow = Workspace(tmp_path / "shallow")
    git(tmp_path, "clone", "-q", "--depth", "1", "--no-single-branch", f"file://{origin}",
        str(shallow.path))
    shallow.install("--hooks")
    shallow.git("checkout", "-q", "-b", "topic", "origin/feature")
    shallow.write("schema/users.sql", "CREATE TABLE users (id int PRIMARY KEY, name text);\n")
    result = shallow.commit()
    assert result.returncode == 0, result.stderr
    assert "V250_later.sql" not in result.stderr
    assert "no merge base" in result.stderr and "--unshallow" in result.stderr
    shallow.write("migrations/V200_add_email.sql", "-- edited\n")
    result = shallow.commit()
    assert result.returncode == 1
    assert "published on origin/main" in result.stderr


def test_a_crlf_checkout_is_not_an_edit(tmp_path: Path, origin: Path, work: Workspace) -> None:
    crlf = Workspace(tmp_path / "crlf")
    git(tmp_path, "clone", "-q", "-c", "core.autocrlf=true", str(origin), str(crlf.path))
    assert b"\r\n" in (crlf.path / "migrations/V100_create_users.sql").read_bytes()
    crlf.install("--hooks")
    crlf.git("checkout", "-q", "-b", "topic")
    # Rewrite every file as it is (CRLF), stage everything again: nothing changed.
    for file in (crlf.path / "migrations").iterdir():
        file.write_bytes(file.read_bytes())
    crlf.git("add", "--renormalize", ".")
    crlf.write("migrations/V300_next.sql", "SELECT 1;\r\n")
    crlf.must_commit()
    crlf.write("migrations/V100_create_users.sql", "CREATE TABLE users (id bigint);\r\n")
    result = crlf.commit()
    assert result.returncode == 1
    assert "the index changes line 1" in result.stderr


def test_a_crlf_blob_with_the_same_text_is_not_an_edit(work: Workspace) -> None:
    # Without autocrlf, CRLF reaches the blob: compared as LF, it is the published text.
    work.git("config", "core.autocrlf", "false")
    work.write("migrations/V100_create_users.sql", USERS.replace("\n", "\r\n"))
    work.must_commit()


def test_a_merge_commit_with_conflict_markers_is_refused(work: Workspace) -> None:
    work.write("schema/users.sql", "CREATE TABLE users (id int PRIMARY KEY, phone text);\n")
    work.must_commit("phone")
    work.git("checkout", "-q", "main")
    work.write("schema/users.sql", "CREATE TABLE users (id int PRIMARY KEY, fax text);\n")
    work.git("add", "-A")
    work.git("commit", "-q", "-m", "fax")
    work.git("push", "-q", "origin", "main")
    work.git("checkout", "-q", "feature")
    merged = run(work.path, "git", "merge", "-q", "origin/main")
    assert merged.returncode != 0  # a textual conflict in schema/users.sql
    result = work.commit("merge", "--no-edit")
    assert result.returncode == 1
    assert "schema/users.sql" in result.stderr
    assert "conflict marker left at line 1" in result.stderr
    work.write("schema/users.sql",
               "CREATE TABLE users (id int PRIMARY KEY, phone text, fax text);\n")
    work.must_commit("merge")
    assert len(work.git("log", "-1", "--format=%P").split()) == 2


def test_a_merge_commit_that_edits_a_published_migration_is_refused(work: Workspace) -> None:
    work.write("migrations/V300_mine.sql", "SELECT 1;\n")
    work.must_commit()
    work.git("checkout", "-q", "main")
    work.write("migrations/V250_main.sql", "SELECT 2;\n")
    work.git("add", "-A")
    work.git("commit", "-q", "-m", "main")
    work.git("push", "-q", "origin", "main")
    work.git("checkout", "-q", "feature")
    assert run(work.path, "git", "merge", "-q", "--no-commit", "origin/main").returncode == 0
    work.write("migrations/V250_main.sql", "SELECT 'edited while merging';\n")
    result = work.commit("merge", "--no-edit")
    assert result.returncode == 1
    assert "migrations/V250_main.sql" in result.stderr
    work.write("migrations/V250_main.sql", "SELECT 2;\n")
    work.must_commit("merge")


def test_deleting_a_whole_project_is_refused(work: Workspace) -> None:
    for name in ("pgmt.yaml", "migrations/V100_create_users.sql",
                 "migrations/V200_add_email.sql", "schema/users.sql"):
        (work.path / name).unlink()
    result = work.commit()
    assert result.returncode == 1
    assert "2 problems with migrations" in result.stderr
    assert "migrations/V100_create_users.sql" in result.stderr
    # and at push time, for a commit that skipped the hook
    work.commit("gone", "--no-verify")
    pushed = work.push("origin", "feature")
    assert pushed.returncode == 1
    assert "migrations/V200_add_email.sql" in pushed.stderr
