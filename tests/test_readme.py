"""The README's Quickstart is honest: two commands, CI runs the second, the first works."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def quickstart_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    return [block.strip() for block in re.findall(r"```sh\n(.*?)```", section, re.S)]


def test_quickstart_has_exactly_two_commands() -> None:
    commands = quickstart_commands()
    assert len(commands) == 2
    assert all("\n" not in c for c in commands)


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert quickstart_commands()[1] in ci


@pytest.mark.slow
@pytest.mark.skipif(
    bool(os.environ.get("PGMT_GIT_TEST_DSN")),
    reason="the quickstart always runs on the embedded server; checked in the embedded run",
)
def test_first_quickstart_command_works_in_a_fresh_copy(tmp_path: Path) -> None:
    """Install into a new virtual environment from a copy of the sources and run the example."""
    copy = tmp_path / "project"
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT, capture_output=True, check=True,
    ).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            target = copy / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PGMT_", "VIRTUAL_ENV"))}
    if os.environ.get("PGMT_GIT_CACHE_DIR"):
        env["PGMT_GIT_CACHE_DIR"] = os.environ["PGMT_GIT_CACHE_DIR"]
    result = subprocess.run(
        ["bash", "-c", quickstart_commands()[0]], cwd=copy, env=env,
        capture_output=True, text=True, timeout=900,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[0].startswith("schema (work tree): ")
    assert lines[1].startswith("migrations (work tree): ")
