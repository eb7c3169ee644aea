"""The README quickstart ends with the example project deployed to the embedded server."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from psycopg import sql

from pgmt_git.pg.server import connect, embedded_server, ensure_embedded_server
from tests.lifecycle.helpers import pgmt_git
from tests.test_readme import quickstart_commands

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "blog"


def test_quickstart_deploys_the_example() -> None:
    first = quickstart_commands()[0]
    assert first.endswith("pgmt-git -C examples/blog migrate apply --target-url "
                          "embedded:blog_dev")


@pytest.fixture
def embedded_name() -> Iterator[str]:
    name = f"lifecycle_test_{uuid.uuid4().hex[:12]}"
    yield name
    with connect(embedded_server(ensure_embedded_server())) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
                      .format(sql.Identifier(name)))


@pytest.mark.skipif(bool(os.environ.get("PGMT_GIT_TEST_DSN")),
                    reason="the quickstart always runs on the embedded server")
def test_example_goes_to_an_embedded_target(embedded_name: str) -> None:
    url = f"embedded:{embedded_name}"
    first = pgmt_git(EXAMPLE, "migrate", "apply", "--target-url", url)
    assert first.stdout == f"applied 2 migrations to the database {embedded_name} on the " \
                           "embedded server\n"
    again = pgmt_git(EXAMPLE, "migrate", "apply", "--target-url", url)
    assert again.stdout.startswith("nothing to apply")
    report = json.loads(pgmt_git(EXAMPLE, "migrate", "status", "--target-url", url,
                                 "--format", "json").stdout)
    assert [m["version"] for m in report["applied"]] == [1767225600, 1767312000]
    assert report["problems"] == []
