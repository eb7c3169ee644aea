"""Targets for the lifecycle tests: databases these tests create, with unique names, on the
test server (PGMT_GIT_TEST_DSN or the embedded server), dropped afterwards."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from pgmt_git.pg.server import Server, connect
from pgmt_git.pg.target import Target
from tests.fixtures_pg import external_server_url

TARGET_PREFIX = "lifecycle_test_"


def new_database(server: Server) -> str:
    name = f"{TARGET_PREFIX}{uuid.uuid4().hex[:12]}"
    with connect(server) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return name


def drop_database(server: Server, name: str) -> None:
    assert name.startswith(TARGET_PREFIX)
    with connect(server) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
                      .format(sql.Identifier(name)))


@pytest.fixture
def target_db(pg_server: Server) -> Iterator[Target]:
    name = new_database(pg_server)
    try:
        yield Target(pg_server.conninfo(name), f"database {name}")
    finally:
        drop_database(pg_server, name)


@pytest.fixture
def target_conn(target_db: Target) -> Iterator[psycopg.Connection]:
    with psycopg.connect(target_db.conninfo, autocommit=True) as conn:
        yield conn


@pytest.fixture
def shadow_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Commands replay on the test server too."""
    url = external_server_url()
    if url:
        monkeypatch.setenv("PGMT_SHADOW_URL", url)


def target_url(target: Target) -> str:
    """A postgresql:// URL for the CLI (libpq accepts a key=value string as well)."""
    return target.conninfo


def write_project(root: Path, files: dict[str, str], *, config: str = "") -> Path:
    """A project directory: pgmt.yaml plus ``files`` (path -> text)."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "pgmt.yaml").write_text(config or "migration:\n  filename_prefix: V\n",
                                    encoding="utf-8")
    for path, text in files.items():
        full = root / path
        full.parent.mkdir(parents=True, exist_ok=True)
        full.write_text(text, encoding="utf-8")
    for directory in ("schema", "migrations", "schema_baselines"):
        (root / directory).mkdir(exist_ok=True)
    return root
