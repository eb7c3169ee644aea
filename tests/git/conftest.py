"""Real repositories for the guards: a bare origin, clones with a pgmt project, pgmt-git's
hooks installed by `pgmt-git install`, and real `git commit` / `git push`."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

import pytest

from tests.conftest import git
from tests.fixtures_pg import external_server_url

# The pgmt-git of the interpreter running the tests; hooks find it on PATH.
BIN = Path(sys.executable).parent
PGMT_GIT = str(BIN / "pgmt-git")

CONFIG = """\
directories:
  schema_dir: schema
  migrations_dir: migrations
migration:
  filename_prefix: V
"""
USERS = "CREATE TABLE users (id int PRIMARY KEY);\n"
EMAIL = "ALTER TABLE users ADD COLUMN email text;\n"


@pytest.fixture(autouse=True)
def _hook_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    monkeypatch.delenv("PGMT_GIT_SKIP", raising=False)
    url = external_server_url()
    if url:
        monkeypatch.setenv("PGMT_SHADOW_URL", url)


def run(cwd: Path, *args: str, env: Mapping[str, str] | None = None,
        stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """A command that may fail: the caller looks at returncode, stdout and stderr."""
    return subprocess.run(list(args), cwd=cwd, capture_output=True, text=True, input=stdin,
                          env={**os.environ, **(env or {})}, check=False)


def pgmt_git(cwd: Path, *args: str, env: Mapping[str, str] | None = None
             ) -> subprocess.CompletedProcess[str]:
    return run(cwd, PGMT_GIT, *args, env=env)


class Workspace:
    """A work tree with helpers; ``project`` is the project root inside it ('' at the top)."""

    def __init__(self, path: Path, project: str = "") -> None:
        self.path = path
        self.project = project

    def p(self, rel: str) -> str:
        """A project path as a repository path."""
        return f"{self.project}/{rel}" if self.project else rel

    def write(self, rel: str, text: str) -> None:
        target = self.path / self.p(rel)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(text.encode())

    def read(self, rel: str) -> str:
        return (self.path / self.p(rel)).read_bytes().decode()

    def git(self, *args: str) -> str:
        return git(self.path, *args)

    def commit(self, message: str = "change", *extra: str,
               env: Mapping[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        """Stage everything and commit with the hooks running."""
        self.git("add", "-A")
        return run(self.path, "git", "commit", "-q", "-m", message, *extra, env=env)

    def must_commit(self, message: str = "change", *extra: str) -> None:
        result = self.commit(message, *extra)
        assert result.returncode == 0, result.stderr
        assert result.stderr == "", result.stderr  # allowed cases pass silently

    def push(self, *args: str, env: Mapping[str, str] | None = None
             ) -> subprocess.CompletedProcess[str]:
        return run(self.path, "git", "push", "-q", *args, env=env)

    def install(self, *args: str) -> subprocess.CompletedProcess[str]:
        result = pgmt_git(self.path / self.project if self.project else self.path,
                          "install", *args)
        assert result.returncode == 0, result.stderr
        return result


def init_project(ws: Workspace, *, migrations: Mapping[str, str] | None = None) -> None:
    ws.write("pgmt.yaml", CONFIG)
    ws.write("schema/users.sql", "CREATE TABLE users (id int PRIMARY KEY, email text);\n")
    chain = {"V100_create_users.sql": USERS, "V200_add_email.sql": EMAIL}
    for name, text in (chain if migrations is None else migrations).items():
        ws.write(f"migrations/{name}", text)


def new_repo(path: Path) -> Path:
    path.mkdir(parents=True)
    git(path, "init", "-q", "-b", "main")
    git(path, "config", "commit.gpgsign", "false")
    return path


@pytest.fixture
def origin(tmp_path: Path) -> Path:
    path = tmp_path / "origin.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(path))
    return path


def publish_clone(tmp_path: Path, origin: Path, name: str = "work", *, project: str = ""
                  ) -> Workspace:
    """A clone whose first commit (the project, two migrations) is pushed to origin/main,
    with pgmt-git's hooks installed and a feature branch checked out."""
    ws = Workspace(new_repo(tmp_path / name), project)
    ws.git("remote", "add", "origin", str(origin))
    init_project(ws)
    ws.git("add", "-A")
    ws.git("commit", "-q", "-m", "project")
    ws.git("push", "-q", "-u", "origin", "main")
    ws.git("remote", "set-head", "origin", "main")
    ws.install("--hooks")
    ws.git("checkout", "-q", "-b", "feature")
    return ws


@pytest.fixture
def work(tmp_path: Path, origin: Path) -> Workspace:
    return publish_clone(tmp_path, origin)
