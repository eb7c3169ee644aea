"""Git starts `pgmt-git hook` on every commit: its path imports neither the database driver,
the SQL parser, nor click (whose import alone costs about what the whole check does).
Imports are asserted, never times; bench/guards.py measures."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.git.conftest import PGMT_GIT, Workspace

HEAVY = ("psycopg", "pglast", "click")


def imported(cwd: object, *args: str) -> set[str]:
    result = subprocess.run([sys.executable, "-X", "importtime", *args], cwd=cwd,
                            capture_output=True, text=True, check=False)
    return {line.rsplit("|", 1)[1].strip() for line in result.stderr.splitlines()
            if line.startswith("import time:") and "|" in line}


@pytest.mark.parametrize("hook", ["pre-commit", "post-merge"])
def test_the_hook_path_stays_light(work: Workspace, hook: str) -> None:
    work.write("migrations/V300_next.sql", "SELECT 1;\n")
    work.git("add", "-A")
    first = imported(work.path, PGMT_GIT, "hook", hook)
    assert "pgmt_git.git.guard" in first  # the check did run
    assert not [m for m in first if m.split(".")[0] in HEAVY]
    # `pgmt-git install` ran the hooks already: pgmt.yaml is parsed once, then cached.
    again = imported(work.path, PGMT_GIT, "hook", hook)
    assert "pgmt_git.git.guard" in again
    assert not {"yaml", "pgmt_git.config_read", "pgmt_git.config_model"} & again


def test_importing_the_cli_does_not_import_click() -> None:
    modules = imported(None, "-c", "import pgmt_git.cli")
    assert not [m for m in modules if m.split(".")[0] in (*HEAVY, "pygit2", "yaml")]
