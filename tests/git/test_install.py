"""pgmt-git install / uninstall on real repositories, and the plain hook scripts in hooks/."""

from __future__ import annotations

import shutil
import stat
from pathlib import Path

import pytest

from pgmt_git import cli
from pgmt_git.git.install import HOOK_NAMES, hook_script, merge_driver_command
from tests.conftest import git
from tests.git.conftest import PGMT_GIT, Workspace, init_project, new_repo, pgmt_git, run

REPO_ROOT = Path(__file__).resolve().parents[2]


def in_process(path: Path, *args: str, monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.chdir(path)
    return cli.run(list(args))


def project_repo(tmp_path: Path) -> Workspace:
    ws = Workspace(new_repo(tmp_path / "repo"))
    init_project(ws)
    ws.git("add", "-A")
    ws.git("commit", "-q", "-m", "project")
    return ws


def hooks_of(ws: Workspace) -> Path:
    return ws.path / ".git" / "hooks"


def test_install_registers_the_merge_driver_attributes_and_hooks(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = project_repo(tmp_path)
    assert in_process(ws.path, "install", monkeypatch=monkeypatch) == 0
    err = capsys.readouterr().err
    assert ws.git("config", "merge.pgmt.driver").strip() == merge_driver_command()
    assert ws.git("config", "merge.pgmt.name").strip()
    assert ws.read(".gitattributes") == "schema/**/*.sql merge=pgmt\n"
    assert ws.git("check-attr", "merge", "schema/users.sql").strip().endswith("merge: pgmt")
    assert ws.git("check-attr", "merge", "schema/a/b.sql").strip().endswith("merge: pgmt")
    for name in HOOK_NAMES:
        hook = hooks_of(ws) / name
        assert hook.stat().st_mode & stat.S_IXUSR
        assert f"hook {name}" in hook.read_text()
    assert "installed hooks" in err
    assert "commit it" in err


def test_the_driver_runs_this_pgmt_git_by_absolute_path(tmp_path: Path) -> None:
    ws = project_repo(tmp_path)
    result = pgmt_git(ws.path, "install", "--merge-driver")
    assert result.returncode == 0, result.stderr
    driver = ws.git("config", "merge.pgmt.driver").strip()
    assert driver == f"{PGMT_GIT} merge-driver %O %A %B %L %P"
    assert not (hooks_of(ws) / "pre-commit").exists()


def test_install_twice_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ws = project_repo(tmp_path)
    in_process(ws.path, "install", monkeypatch=monkeypatch)
    in_process(ws.path, "install", monkeypatch=monkeypatch)
    assert ws.read(".gitattributes") == "schema/**/*.sql merge=pgmt\n"
    assert not list(hooks_of(ws).glob("*.legacy"))


def test_flags_choose_a_part(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ws = project_repo(tmp_path)
    assert in_process(ws.path, "install", "--hooks", monkeypatch=monkeypatch) == 0
    assert not (ws.path / ".gitattributes").exists()
    assert run(ws.path, "git", "config", "merge.pgmt.driver").returncode == 1
    assert in_process(ws.path, "install", "--merge-driver", monkeypatch=monkeypatch) == 0
    assert (ws.path / ".gitattributes").exists()


def test_uninstall_undoes_exactly_install(tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    ws = project_repo(tmp_path)
    ws.write(".gitattributes", "*.png binary\n")
    before = {p.name for p in hooks_of(ws).iterdir()}
    in_process(ws.path, "install", monkeypatch=monkeypatch)
    result = pgmt_git(ws.path, "uninstall")
    assert result.returncode == 0, result.stderr
    assert ws.read(".gitattributes") == "*.png binary\n"
    assert run(ws.path, "git", "config", "--get-regexp", "merge.pgmt").stdout == ""
    assert {p.name for p in hooks_of(ws).iterdir()} == before


def test_uninstall_removes_an_attributes_file_it_emptied(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ws = project_repo(tmp_path)
    in_process(ws.path, "install", "--merge-driver", monkeypatch=monkeypatch)
    pgmt_git(ws.path, "uninstall", "--merge-driver")
    assert not (ws.path / ".gitattributes").exists()


def test_uninstall_keeps_an_attributes_line_that_was_there_before(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A clone of a repository whose .gitattributes already has the line (committed by
    # whoever installed first): uninstalling here must not take it from everyone.
    ws = project_repo(tmp_path)
    ws.write(".gitattributes", "schema/**/*.sql merge=pgmt\n")
    ws.git("add", "-A")
    ws.git("commit", "-q", "-m", "attributes")
    in_process(ws.path, "install", "--merge-driver", monkeypatch=monkeypatch)
    in_process(ws.path, "install", "--merge-driver", monkeypatch=monkeypatch)  # again
    result = pgmt_git(ws.path, "uninstall", "--merge-driver")
    assert result.returncode == 0, result.stderr
    assert ws.read(".gitattributes") == "schema/**/*.sql merge=pgmt\n"
    assert "left `schema/**/*.sql merge=pgmt` in .gitattributes" in result.stderr
    assert run(ws.path, "git", "config", "--get-regexp", "merge.pgmt").stdout == ""


def test_uninstall_restores_a_merge_pgmt_driver_that_was_there_before(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ws = project_repo(tmp_path)
    ws.git("config", "merge.pgmt.name", "our own")
    ws.git("config", "merge.pgmt.driver", "our-merge %O %A %B")
    in_process(ws.path, "install", "--merge-driver", monkeypatch=monkeypatch)
    assert ws.git("config", "merge.pgmt.driver").strip() == merge_driver_command()
    in_process(ws.path, "install", "--merge-driver", monkeypatch=monkeypatch)  # again
    result = pgmt_git(ws.path, "uninstall", "--merge-driver")
    assert result.returncode == 0, result.stderr
    assert ws.git("config", "merge.pgmt.driver").strip() == "our-merge %O %A %B"
    assert ws.git("config", "merge.pgmt.name").strip() == "our own"
    assert "restored the earlier merge.pgmt driver" in result.stderr
    assert not (ws.path / ".gitattributes").exists()  # the line install added is gone
    assert not (ws.path / ".git" / "pgmt-git" / "install.json").exists()


def test_uninstall_leaves_a_foreign_merge_pgmt_driver_alone(tmp_path: Path) -> None:
    ws = project_repo(tmp_path)
    ws.git("config", "merge.pgmt.driver", "our-merge %O %A %B")
    result = pgmt_git(ws.path, "uninstall", "--merge-driver")
    assert result.returncode == 0, result.stderr
    assert ws.git("config", "merge.pgmt.driver").strip() == "our-merge %O %A %B"
    assert "left merge.pgmt alone" in result.stderr


def test_a_foreign_hook_is_kept_as_legacy_and_chained(tmp_path: Path) -> None:
    ws = project_repo(tmp_path)
    foreign = hooks_of(ws) / "pre-commit"
    foreign.write_text("#!/bin/sh\necho legacy ran >&2\nexit 0\n")
    foreign.chmod(0o755)
    result = pgmt_git(ws.path, "install", "--hooks")
    assert "kept the existing pre-commit hook as pre-commit.legacy" in result.stderr
    assert (hooks_of(ws) / "pre-commit.legacy").read_text().startswith("#!/bin/sh\necho legacy")
    ws.write("schema/more.sql", "CREATE TABLE more (id int);\n")
    committed = ws.commit()
    assert committed.returncode == 0
    assert "legacy ran" in committed.stderr
    pgmt_git(ws.path, "uninstall", "--hooks")
    assert foreign.read_text().startswith("#!/bin/sh\necho legacy")
    assert not (hooks_of(ws) / "pre-commit.legacy").exists()


def test_a_failing_legacy_hook_still_refuses(tmp_path: Path) -> None:
    ws = project_repo(tmp_path)
    foreign = hooks_of(ws) / "pre-commit"
    foreign.write_text("#!/bin/sh\necho no >&2\nexit 3\n")
    foreign.chmod(0o755)
    pgmt_git(ws.path, "install", "--hooks")
    ws.write("schema/more.sql", "CREATE TABLE more (id int);\n")
    assert ws.commit().returncode != 0


def test_a_legacy_pre_push_hook_gets_the_same_input(tmp_path: Path, origin: Path) -> None:
    ws = project_repo(tmp_path)
    ws.git("remote", "add", "origin", str(origin))
    foreign = hooks_of(ws) / "pre-push"
    foreign.write_text('#!/bin/sh\ncat > "$(dirname "$0")/../pushed"\n')
    foreign.chmod(0o755)
    pgmt_git(ws.path, "install", "--hooks")
    assert ws.push("origin", "main").returncode == 0
    head = ws.git("rev-parse", "HEAD").strip()
    assert f"refs/heads/main {head} refs/heads/main" in (ws.path / ".git/pushed").read_text()


def test_uninstall_leaves_a_foreign_hook_alone(tmp_path: Path) -> None:
    ws = project_repo(tmp_path)
    pgmt_git(ws.path, "install", "--hooks")
    hook = hooks_of(ws) / "post-merge"
    hook.write_text("#!/bin/sh\nexit 0\n")
    result = pgmt_git(ws.path, "uninstall", "--hooks")
    assert "is not pgmt-git's" in result.stderr
    assert hook.read_text() == "#!/bin/sh\nexit 0\n"


def test_core_hooks_path_is_refused_unless_forced(tmp_path: Path) -> None:
    ws = project_repo(tmp_path)
    ws.git("config", "core.hooksPath", "shared-hooks")
    refused = pgmt_git(ws.path, "install", "--hooks")
    assert refused.returncode == 1
    assert "core.hooksPath is set (shared-hooks)" in refused.stderr
    assert "git config --unset core.hooksPath" in refused.stderr
    assert not (ws.path / "shared-hooks").exists()
    forced = pgmt_git(ws.path, "install", "--hooks", "--force")
    assert forced.returncode == 0, forced.stderr
    assert (ws.path / "shared-hooks" / "pre-commit").exists()
    ws.write("migrations/V100_create_users.sql", "-- edited on main, which is protected\n")
    assert ws.commit().returncode == 1


def test_install_from_a_linked_worktree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ws = project_repo(tmp_path)
    linked = tmp_path / "linked"
    ws.git("worktree", "add", "-q", "-b", "feature", str(linked))
    assert in_process(linked, "install", monkeypatch=monkeypatch) == 0
    assert (hooks_of(ws) / "pre-commit").exists()  # hooks are shared by all worktrees
    assert (linked / ".gitattributes").exists()
    assert git(ws.path, "config", "merge.pgmt.driver").strip() == merge_driver_command()
    assert pgmt_git(linked, "uninstall").returncode == 0
    assert not (hooks_of(ws) / "pre-commit").exists()


def test_install_without_a_project_needs_one_for_the_merge_driver(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = new_repo(tmp_path / "plain")
    assert in_process(path, "install", monkeypatch=monkeypatch) == 2
    assert "no pgmt.yaml" in capsys.readouterr().err
    assert not (path / ".git/hooks/pre-commit").exists()  # nothing half done
    assert pgmt_git(path, "install", "--hooks").returncode == 0


def test_uninstall_without_a_project_does_nothing_half(tmp_path: Path) -> None:
    path = new_repo(tmp_path / "plain")
    assert pgmt_git(path, "install", "--hooks").returncode == 0
    result = pgmt_git(path, "uninstall")
    assert result.returncode == 2 and "no pgmt.yaml" in result.stderr
    assert (path / ".git/hooks/pre-commit").exists()  # nothing half done
    assert pgmt_git(path, "uninstall", "--hooks").returncode == 0
    assert not (path / ".git/hooks/pre-commit").exists()


def test_a_project_in_a_subdirectory_gets_its_own_attributes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ws = Workspace(new_repo(tmp_path / "repo"), "db")
    init_project(ws)
    assert in_process(ws.path / "db", "install", "--merge-driver", monkeypatch=monkeypatch) == 0
    assert ws.read(".gitattributes") == "schema/**/*.sql merge=pgmt\n"
    assert git(ws.path, "check-attr", "merge", "db/schema/users.sql").strip().endswith("pgmt")
    assert git(ws.path, "check-attr", "merge", "schema/users.sql").strip().endswith(
        "unspecified")


def test_the_installed_hook_fails_closed_without_pgmt_git(tmp_path: Path) -> None:
    ws = project_repo(tmp_path)
    hook = hooks_of(ws) / "pre-commit"
    hook.write_text(hook_script("pre-commit", str(tmp_path / "gone" / "pgmt-git")))
    hook.chmod(0o755)
    ws.write("schema/more.sql", "CREATE TABLE more (id int);\n")
    env = {"PATH": "/usr/bin:/bin"}
    result = ws.commit(env=env)
    assert result.returncode == 1
    assert "pgmt-git: not found" in result.stderr
    assert ws.commit(env={**env, "PGMT_GIT_SKIP": "1"}).returncode == 0


def test_the_plain_hook_scripts_run_pgmt_git(tmp_path: Path, origin: Path) -> None:
    ws = project_repo(tmp_path)
    ws.git("remote", "add", "origin", str(origin))
    ws.git("push", "-q", "-u", "origin", "main")
    for name in HOOK_NAMES:
        script = REPO_ROOT / "hooks" / name
        assert script.stat().st_mode & stat.S_IXUSR
        assert f'exec pgmt-git hook {name} "$@"' in script.read_text()
        shutil.copy(script, hooks_of(ws) / name)
    ws.git("checkout", "-q", "-b", "feature")
    ws.write("migrations/V100_create_users.sql", "-- edited\n")
    refused = ws.commit()
    assert refused.returncode == 1
    assert "published on origin/main" in refused.stderr
    assert ws.commit("skip", "--no-verify").returncode == 0
    pushed = ws.push("origin", "feature")
    assert pushed.returncode == 1
    assert "push refused" in pushed.stderr
