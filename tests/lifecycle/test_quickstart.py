"""The README quickstart's steps after the installation, as typed, with this environment's
pgmt-git: a new project from `init`, the example's schema files, its first migration
generated and applied to the embedded server."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from psycopg import sql

from pgmt_git.pg.server import connect, embedded_server, ensure_embedded_server
from tests.lifecycle.helpers import cli_env, console_script, pgmt_git
from tests.test_readme import quickstart_steps

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture
def embedded_name() -> Iterator[str]:
    name = f"lifecycle_test_{uuid.uuid4().hex[:12]}"
    yield name
    with connect(embedded_server(ensure_embedded_server())) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
                      .format(sql.Identifier(name)))


@pytest.mark.skipif(bool(os.environ.get("PGMT_GIT_TEST_DSN")),
                    reason="the quickstart always runs on the embedded server")
def test_the_quickstart_steps_deploy_the_example(tmp_path: Path, embedded_name: str) -> None:
    shutil.copytree(EXAMPLES, tmp_path / "examples")
    url = f"embedded:{embedded_name}"
    # The steps as the README has them; only the database is one of this test's own.
    script = " && ".join(quickstart_steps()).replace(".venv/bin/pgmt-git", console_script())
    script = script.replace("--target-url embedded:blog", f"--target-url {url}")
    result = subprocess.run(["bash", "-c", script], cwd=tmp_path, env=cli_env(),
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1] == (f"applied 1 migration to the database "
                                              f"{embedded_name} on the embedded server")
    project = tmp_path / "blog"
    again = pgmt_git(project, "migrate", "apply", "--target-url", url)
    assert again.stdout.startswith("nothing to apply")
    report = json.loads(pgmt_git(project, "migrate", "status", "--target-url", url,
                                 "--format", "json").stdout)
    (applied,) = report["applied"]
    assert applied["file"].endswith("_initial.sql") and report["problems"] == []
    pgmt_git(project, "migrate", "validate")
    pgmt_git(project, "migrate", "diff", "--target-url", url, "--against", "schema")


@pytest.mark.skipif(bool(os.environ.get("PGMT_GIT_TEST_DSN")),
                    reason="the example's roles are made on the embedded server")
def test_the_examples_own_history_deploys_too(embedded_name: str) -> None:
    example = EXAMPLES / "blog"
    url = f"embedded:{embedded_name}"
    first = pgmt_git(example, "migrate", "apply", "--target-url", url)
    assert first.stdout == f"applied 2 migrations to the database {embedded_name} on the " \
                           "embedded server\n"
    again = pgmt_git(example, "migrate", "apply", "--target-url", url)
    assert again.stdout.startswith("nothing to apply")
    report = json.loads(pgmt_git(example, "migrate", "status", "--target-url", url,
                                 "--format", "json").stdout)
    assert [m["version"] for m in report["applied"]] == [1767225600, 1767312000]
    assert report["problems"] == []
