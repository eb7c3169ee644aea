"""The hooks as the pre-commit framework runs them: `pre-commit try-repo` against this
repository's .pre-commit-hooks.yaml, from a temporary repository.

The framework builds the hook environment itself (`language: python`: a virtualenv and
`pip install` of this repository and its dependencies from PyPI), in a PRE_COMMIT_HOME of
the test's own; without PyPI the test is skipped.
"""

from __future__ import annotations

import shutil
import socket
import sys
from pathlib import Path

import pytest

from pgmt_git.pg.server import Server
from tests.git.conftest import Workspace, init_project, new_repo, run

REPO_ROOT = Path(__file__).resolve().parents[2]
PRE_COMMIT = Path(sys.executable).parent / "pre-commit"


def _pypi_reachable() -> bool:
    try:
        socket.create_connection(("pypi.org", 443), timeout=5).close()
    except OSError:
        return False
    return True


pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not PRE_COMMIT.exists() and shutil.which("pre-commit") is None,
                       reason="the pre-commit framework is not installed"),
    pytest.mark.skipif(not (REPO_ROOT / ".git").exists(),
                       reason="try-repo needs this project as a git repository"),
]


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The framework's own cache, shared by this module's tests: one hook environment."""
    if not _pypi_reachable():
        pytest.skip("building the hook environment needs PyPI")
    return tmp_path_factory.mktemp("pre-commit-home")


def try_repo(ws: Workspace, home: Path, *args: str, env: dict[str, str] | None = None
             ) -> tuple[int, str]:
    """``pre-commit try-repo`` of this repository's hooks (all, or the id and options in
    ``args``) in the workspace."""
    command = str(PRE_COMMIT) if PRE_COMMIT.exists() else "pre-commit"
    result = run(ws.path, command, "try-repo", str(REPO_ROOT), *args, "--verbose",
                 env={"PRE_COMMIT_HOME": str(home), "PIP_DISABLE_PIP_VERSION_CHECK": "1",
                      **(env or {})})
    return result.returncode, result.stdout + result.stderr


def test_try_repo_runs_the_published_hooks(tmp_path: Path, home: Path) -> None:
    ws = Workspace(new_repo(tmp_path / "target"))
    init_project(ws)
    ws.git("add", "-A")
    ws.git("commit", "-q", "-m", "project")  # local main: published without a remote
    ws.git("checkout", "-q", "-b", "feature")

    ws.write("migrations/V100_create_users.sql", "-- edited\n")
    ws.write("migrations/V150_late.sql", "SELECT 1;\n")
    ws.git("add", "-A")
    code, out = try_repo(ws, home)
    assert code == 1, out
    assert "published migrations are unchanged" in out
    assert "new migrations sort after published ones" in out
    assert "migrations/V100_create_users.sql" in out
    assert "published on main, but the index changes line 1" in out
    assert "new migration with version 150, not above version 200" in out
    assert "no conflict markers in schema and migration files" in out

    ws.git("reset", "-q", "--hard")
    ws.git("rm", "-q", "migrations/V200_add_email.sql")  # a deletion alone
    code, out = try_repo(ws, home)
    assert code == 1, out
    assert "published on main, but the index deletes it" in out

    ws.git("reset", "-q", "--hard")
    ws.write("migrations/V300_next.sql", "SELECT 3;\n")
    ws.git("add", "-A")
    code, out = try_repo(ws, home)
    assert code == 0, out
    assert "Failed" not in out


def pushed_project(tmp_path: Path, origin: Path) -> Workspace:
    """A clone whose origin/main publishes the project; on a feature branch."""
    ws = Workspace(new_repo(tmp_path / "target"))
    ws.git("remote", "add", "origin", str(origin))
    init_project(ws)
    ws.git("add", "-A")
    ws.git("commit", "-q", "-m", "project")
    ws.git("push", "-q", "--no-verify", "-u", "origin", "main")
    ws.git("checkout", "-q", "-b", "feature")
    return ws


def test_push_guards_check_the_pushed_commits(tmp_path: Path, origin: Path, home: Path
                                              ) -> None:
    ws = pushed_project(tmp_path, origin)
    ws.write("migrations/V300_next.sql", "SELECT 3;\n")
    ws.git("add", "-A")
    ws.git("commit", "-q", "--no-verify", "-m", "a new migration")
    push = ("pgmt-push-guards", "--hook-stage", "pre-push", "--remote-name", "origin",
            "--from-ref", "origin/main", "--to-ref", "HEAD")
    code, out = try_repo(ws, home, *push)
    assert code == 0, out
    assert "Passed" in out

    ws.write("migrations/V100_create_users.sql", "-- edited\n")
    ws.git("add", "-A")
    ws.git("commit", "-q", "--no-verify", "-m", "an edit of a published migration")
    code, out = try_repo(ws, home, *push)
    assert code == 1, out
    assert "push refused" in out
    assert "an edit of a published migration" in out  # the commit that has the problem
    assert "published on origin/main, but commit" in out


def test_pgmt_check_runs_at_the_manual_stage(tmp_path: Path, origin: Path, home: Path,
                                             pg_server: Server) -> None:
    ws = pushed_project(tmp_path, origin)
    ws.git("remote", "set-head", "origin", "main")  # check's default base
    env_url = {"PGMT_SHADOW_URL": pg_server.conninfo()}
    check = ("pgmt-check", "--hook-stage", "manual")
    ws.write("migrations/V300_next.sql", "ALTER TABLE users ADD COLUMN next int;\n")
    ws.git("add", "-A")
    ws.git("commit", "-q", "--no-verify", "-m", "a migration without its schema change")
    code, out = try_repo(ws, home, *check, env=env_url)
    assert code == 1, out
    assert "check failed: 1 problem with migrations" in out
    assert "public.users.next" in out

    ws.write("schema/users.sql", ws.read("schema/users.sql").replace(
        "email text", "email text, next int"))
    ws.git("add", "-A")
    ws.git("commit", "-q", "--no-verify", "-m", "the schema change")
    code, out = try_repo(ws, home, *check, env=env_url)
    assert code == 0, out
    assert "check passed" in out
