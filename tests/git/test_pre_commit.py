"""The pre-commit hook, installed by `pgmt-git install`, driven by real `git commit`.

origin/main publishes V100_create_users.sql and V200_add_email.sql; the work tree is on a
feature branch.
"""

from __future__ import annotations

import pytest

from tests.git.conftest import EMAIL, USERS, Workspace, pgmt_git, run

RESTORE = "git restore --source=origin/main --staged --worktree"


def refused(ws: Workspace, message: str = "change") -> str:
    result = ws.commit(message)
    assert result.returncode == 1, result.stderr
    assert "commit refused" in result.stderr
    assert "PGMT_GIT_SKIP=1" in result.stderr
    assert ws.git("rev-parse", "HEAD") == ws.git("rev-parse", "origin/main")  # no commit
    return result.stderr


# ---------------------------------------------------------------------------- refused


def test_editing_a_published_migration_is_refused(work: Workspace) -> None:
    work.write("migrations/V100_create_users.sql", USERS + "CREATE INDEX ON users (id);\n")
    err = refused(work)
    assert "migrations/V100_create_users.sql" in err
    assert "published on origin/main, but the index adds lines after line 1" in err
    assert f"{RESTORE} migrations/V100_create_users.sql" in err
    assert "new migration" in err


def test_changing_a_line_names_it(work: Workspace) -> None:
    work.write("migrations/V100_create_users.sql", "CREATE TABLE users (id bigint);\n")
    assert "the index changes line 1" in refused(work)


def test_the_fix_in_the_message_works(work: Workspace) -> None:
    work.write("migrations/V100_create_users.sql", "CREATE TABLE users (id bigint);\n")
    refused(work)
    work.git("restore", "--source=origin/main", "--staged", "--worktree",
             "migrations/V100_create_users.sql")
    work.write("migrations/V300_widen_id.sql", "ALTER TABLE users ALTER id TYPE bigint;\n")
    work.must_commit()


def test_deleting_a_published_migration_is_refused(work: Workspace) -> None:
    (work.path / "migrations/V200_add_email.sql").unlink()
    err = refused(work)
    assert "migrations/V200_add_email.sql" in err
    assert "published on origin/main, but the index deletes it" in err
    assert f"fix: {RESTORE} migrations/V200_add_email.sql" in err


def test_renaming_a_published_migration_is_refused(work: Workspace) -> None:
    work.git("mv", "migrations/V200_add_email.sql", "migrations/V200_add_user_email.sql")
    err = refused(work)
    assert "renames it to migrations/V200_add_user_email.sql" in err
    assert "fix: git mv migrations/V200_add_user_email.sql migrations/V200_add_email.sql" in err


def test_changing_the_version_of_a_published_migration_is_refused(work: Workspace) -> None:
    work.git("mv", "migrations/V200_add_email.sql", "migrations/V250_add_email.sql")
    assert "(version 200 becomes 250)" in refused(work)


def test_changing_the_filename_prefix_is_refused(work: Workspace) -> None:
    work.git("mv", "migrations/V200_add_email.sql", "migrations/200_add_email.sql")
    assert "(its file name prefix changes)" in refused(work)


def test_moving_a_published_migration_with_an_edit_counts_as_delete(work: Workspace) -> None:
    work.git("mv", "migrations/V200_add_email.sql", "migrations/V300_add_email.sql")
    work.write("migrations/V300_add_email.sql", "ALTER TABLE users ADD COLUMN mail text;\n")
    assert "the index deletes it" in refused(work)


def test_changing_a_section_header_is_refused(work: Workspace) -> None:
    header = '-- pgmt:section name="index" mode="non-transactional"\n'
    body = "CREATE INDEX CONCURRENTLY users_email ON users (email);\n"
    work.git("checkout", "-q", "main")
    work.write("migrations/V300_index.sql", header + body)
    work.git("add", "-A")
    work.git("commit", "-q", "--no-verify", "-m", "index")
    work.git("push", "-q", "origin", "main")
    work.git("checkout", "-q", "-b", "other")
    work.write("migrations/V300_index.sql", header.replace('"index"', '"email_index"') + body)
    result = work.commit()
    assert result.returncode == 1
    assert "the index changes a section header (line 1)" in result.stderr


def test_editing_a_published_baseline_is_refused(work: Workspace) -> None:
    work.git("checkout", "-q", "main")
    work.write("schema_baselines/baseline_200.sql", USERS + EMAIL)
    work.git("add", "-A")
    work.git("commit", "-q", "--no-verify", "-m", "baseline")
    work.git("push", "-q", "--no-verify", "origin", "main")
    work.git("checkout", "-q", "-b", "other")
    work.write("schema_baselines/baseline_200.sql", USERS)
    result = work.commit()
    assert result.returncode == 1, result.stderr
    assert "schema_baselines/baseline_200.sql" in result.stderr
    assert "published on origin/main, but the index changes line 2" in result.stderr
    assert f"{RESTORE} schema_baselines/baseline_200.sql" in result.stderr


def test_a_new_migration_below_a_published_version_is_refused(work: Workspace) -> None:
    work.write("migrations/V150_late.sql", "ALTER TABLE users ADD COLUMN late int;\n")
    err = refused(work)
    assert "migrations/V150_late.sql" in err
    assert "new migration with version 150, not above version 200 published on origin/main" in err
    assert "run `pgmt-git migrate rebase`" in err
    assert "git mv migrations/V150_late.sql migrations/V201_late.sql" in err


def test_a_version_equal_to_a_published_one_is_refused(work: Workspace) -> None:
    work.write("migrations/V200_other.sql", "ALTER TABLE users ADD COLUMN other int;\n")
    err = refused(work)
    assert ("version 200 is also the version of the published "
            "migrations/V200_add_email.sql on origin/main") in err


def test_two_new_migrations_with_one_version_are_refused(work: Workspace) -> None:
    work.write("migrations/V300_a.sql", "ALTER TABLE users ADD COLUMN a int;\n")
    work.write("migrations/V300_b.sql", "ALTER TABLE users ADD COLUMN b int;\n")
    err = refused(work)
    assert "migrations/V300_b.sql" in err
    assert "version 300 is also the version of migrations/V300_a.sql" in err


@pytest.mark.parametrize("path", ["schema/users.sql", "migrations/V300_next.sql"])
def test_conflict_markers_are_refused(work: Workspace, path: str) -> None:
    work.write(path, "<<<<<<< HEAD\nCREATE TABLE a (id int);\n=======\n"
                     "CREATE TABLE b (id int);\n>>>>>>> theirs\n")
    err = refused(work)
    assert path in err
    assert "conflict marker left at line 1" in err
    assert f"`git add {path}`" in err


def test_every_problem_is_listed_at_once(work: Workspace) -> None:
    work.write("migrations/V100_create_users.sql", "-- edited\n")
    (work.path / "migrations/V200_add_email.sql").unlink()
    work.write("migrations/V150_late.sql", "SELECT 1;\n")
    err = refused(work)
    assert "3 problems with migrations" in err



def test_two_published_migrations_with_one_version_refuse_any_commit(work: Workspace) -> None:
    # Two pull requests merged without the hooks both published version 200.
    work.git("checkout", "-q", "main")
    work.write("migrations/V200_add_name.sql", "ALTER TABLE users ADD COLUMN name text;\n")
    work.git("add", "-A")
    work.git("commit", "-q", "--no-verify", "-m", "second 200")
    work.git("push", "-q", "--no-verify", "origin", "main")
    work.git("checkout", "-q", "-b", "fix")
    work.write("schema/notes.sql", "-- a schema-only change\n")
    err = refused(work)
    assert "migrations/V200_add_name.sql" in err
    assert ("version 200 is also the version of migrations/V200_add_email.sql; both "
            "published on origin/main") in err
    assert "git mv migrations/V200_add_name.sql migrations/V201_add_name.sql" in err
    # The fix in the message is accepted: renumbering out of the shared version.
    work.git("mv", "migrations/V200_add_name.sql", "migrations/V201_add_name.sql")
    work.must_commit()

# ---------------------------------------------------------------------------- allowed


def test_adding_a_later_migration_passes_silently(work: Workspace) -> None:
    work.write("migrations/V300_add_name.sql", "ALTER TABLE users ADD COLUMN name text;\n")
    work.must_commit()


def test_editing_an_unpublished_branch_migration_passes(work: Workspace) -> None:
    work.write("migrations/V300_add_name.sql", "ALTER TABLE users ADD COLUMN name text;\n")
    work.must_commit()
    work.write("migrations/V300_add_name.sql", "ALTER TABLE users ADD COLUMN name varchar;\n")
    work.must_commit()
    work.git("mv", "migrations/V300_add_name.sql", "migrations/V310_add_name.sql")
    work.must_commit()
    (work.path / "migrations/V310_add_name.sql").unlink()
    work.must_commit()


def test_schema_only_changes_pass(work: Workspace) -> None:
    work.write("schema/users.sql", "CREATE TABLE users (id int PRIMARY KEY, name text);\n")
    work.write("schema/posts.sql", "CREATE TABLE posts (id int);\n")
    work.must_commit()


def test_other_files_pass(work: Workspace) -> None:
    work.write("README.md", "<<<<<<< not a project file\n")
    work.must_commit()


def test_restoring_an_edit_in_a_later_commit_passes(work: Workspace) -> None:
    work.write("migrations/V100_create_users.sql", "-- edited\n")
    assert work.commit("bad", "--no-verify").returncode == 0
    work.git("restore", "--source=origin/main", "--worktree", "migrations/V100_create_users.sql")
    work.must_commit("restore")


def test_a_branch_behind_its_protected_ref_is_not_deleting_anything(work: Workspace) -> None:
    work.git("checkout", "-q", "main")
    work.write("migrations/V300_on_main.sql", "SELECT 3;\n")
    work.git("add", "-A")
    work.git("commit", "-q", "-m", "on main")
    work.git("push", "-q", "origin", "main")
    work.git("checkout", "-q", "feature")  # does not have V300 yet
    work.write("migrations/V400_mine.sql", "SELECT 4;\n")
    work.must_commit()


def test_commit_with_paths_checks_what_is_committed(work: Workspace) -> None:
    # `git commit <path>` stages into a temporary index (GIT_INDEX_FILE): that is checked.
    work.write("migrations/V100_create_users.sql", "-- edited\n")
    work.write("schema/users.sql", "CREATE TABLE users (id int);\n")
    result = work.commit()  # git add -A, then commit: refused
    assert result.returncode == 1
    work.git("reset", "-q")
    ok = run(work.path, "git", "commit", "-q", "-m", "schema only", "schema/users.sql")
    assert ok.returncode == 0, ok.stderr
    bad = run(work.path, "git", "commit", "-q", "-m", "edit", "migrations/V100_create_users.sql")
    assert bad.returncode == 1
    assert "migrations/V100_create_users.sql" in bad.stderr


def test_commit_all_checks_the_tracked_changes(work: Workspace) -> None:
    work.write("migrations/V100_create_users.sql", "-- edited\n")
    result = run(work.path, "git", "commit", "-q", "-a", "-m", "all")
    assert result.returncode == 1
    assert "migrations/V100_create_users.sql" in result.stderr


# ---------------------------------------------------------------------------- escape hatch


def test_pgmt_git_skip_commits_with_a_warning(work: Workspace) -> None:
    work.write("migrations/V100_create_users.sql", "-- edited\n")
    result = work.commit("skip", env={"PGMT_GIT_SKIP": "1"})
    assert result.returncode == 0
    assert "PGMT_GIT_SKIP is set: pre-commit checks of published migrations skipped" in (
        result.stderr)
    assert "`pgmt-git check` in CI still runs them" in result.stderr


def test_rules_can_be_limited(work: Workspace) -> None:
    work.write("migrations/V150_late.sql", "SELECT 1;\n")
    work.git("add", "-A")
    assert pgmt_git(work.path, "hook", "pre-commit", "--rules", "immutable").returncode == 0
    order = pgmt_git(work.path, "hook", "pre-commit", "--rules=order,conflicts")
    assert order.returncode == 1
    assert "V150_late.sql" in order.stderr
    unknown = pgmt_git(work.path, "hook", "pre-commit", "--rules", "typos")
    assert unknown.returncode == 2
    assert "unknown rule group 'typos'" in unknown.stderr
