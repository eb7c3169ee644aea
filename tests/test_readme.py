"""The README's Quickstart is honest: two commands, CI runs the second, the first works: from
`pgmt-git init` to `migrate apply` of the bundled example on the embedded server."""

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


def quickstart_steps() -> list[str]:
    """What the first command runs once pgmt-git is installed: what a new user types."""
    steps = quickstart_commands()[0].split(" && ")
    assert steps[:2] == ["python3 -m venv .venv", ".venv/bin/pip install -q ."]
    return steps[2:]


def test_quickstart_goes_from_init_to_migrate_apply_on_the_example() -> None:
    steps = quickstart_steps()
    assert steps == [
        "mkdir blog",
        ".venv/bin/pgmt-git -C blog init",
        "cp -R examples/blog/schema examples/blog/roles.sql blog/",
        ".venv/bin/pgmt-git -C blog migrate new initial",
        ".venv/bin/pgmt-git -C blog migrate apply --target-url embedded:blog",
    ]


@pytest.mark.slow
@pytest.mark.skipif(
    bool(os.environ.get("PGMT_GIT_TEST_DSN")),
    reason="the quickstart always runs on the embedded server; checked in the embedded run",
)
def test_first_quickstart_command_works_in_a_fresh_copy(tmp_path: Path) -> None:
    """Install into a new virtual environment from a copy of the sources and run the first
    command verbatim, on an embedded server of its own (a new cache directory): the
    database it deploys to is then surely new, and nobody else's is touched."""
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
    env["PGMT_GIT_CACHE_DIR"] = str(tmp_path / "cache")
    try:
        result = subprocess.run(
            ["bash", "-c", quickstart_commands()[0]], cwd=copy, env=env,
            capture_output=True, text=True, timeout=900,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        again = subprocess.run(
            [".venv/bin/pgmt-git", "-C", "blog", "migrate", "apply", "--target-url",
             "embedded:blog"], cwd=copy, env=env, capture_output=True, text=True, timeout=300)
    finally:
        if (copy / ".venv/bin/pgmt-git").exists():
            subprocess.run([".venv/bin/pgmt-git", "shadow", "stop", "--purge"], cwd=copy,
                           env=env, capture_output=True, timeout=300)
    assert "created pgmt.yaml" in result.stderr
    (migration,) = (copy / "blog" / "migrations").glob("*_initial.sql")
    wrote, applied = result.stdout.splitlines()
    assert re.fullmatch(rf"wrote migrations/{re.escape(migration.name)} \(\d+ changes\)", wrote)
    assert applied == "applied 1 migration to the database blog on the embedded server"
    assert again.stdout == "nothing to apply: the database blog on the embedded server is " \
                           "up to date\n"
