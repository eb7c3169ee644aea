"""Running the real CLI against a project directory."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.fixtures_pg import external_server_url


def cli_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PGMT_")
           or k in ("PGMT_GIT_CACHE_DIR", "PGMT_GIT_TEST_DSN")}
    url = external_server_url()
    if url:
        env["PGMT_SHADOW_URL"] = url
    return env


def command(project: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "pgmt_git", "-C", str(project), *args]


def pgmt_git(project: Path, *args: str, check: int | None = 0,
             timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """Run ``pgmt-git -C project ARGS`` in a process of its own."""
    result = subprocess.run(command(project, *args), capture_output=True, text=True,
                            env=cli_env(), timeout=timeout)
    if check is not None and result.returncode != check:
        raise AssertionError(f"pgmt-git {' '.join(args)} exited {result.returncode}, "
                             f"expected {check}:\n{result.stdout}\n{result.stderr}")
    return result


def start(project: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(command(project, *args), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=cli_env())
