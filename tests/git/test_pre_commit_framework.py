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


def try_repo(ws: Workspace, home: Path) -> tuple[int, str]:
    command = str(PRE_COMMIT) if PRE_COMMIT.exists() else "pre-commit"
    result = run(ws.path, command, "try-repo", str(REPO_ROOT), "--verbose",
                 env={"PRE_COMMIT_HOME": str(home), "PIP_DISABLE_PIP_VERSION_CHECK": "1"})
    return result.returncode, result.stdout + result.stderr


def test_try_repo_runs_the_published_hooks(tmp_path: Path) -> None:
    if not _pypi_reachable():
        pytest.skip("building the hook environment needs PyPI")
    ws = Workspace(new_repo(tmp_path / "target"))
    init_project(ws)
    ws.git("add", "-A")
    ws.git("commit", "-q", "-m", "project")  # local main: published without a remote
    ws.git("checkout", "-q", "-b", "feature")
    home = tmp_path / "pre-commit-home"

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
