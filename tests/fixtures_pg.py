"""PostgreSQL fixtures: the test server, and a check that no shadow database survives.

The server is PGMT_GIT_TEST_DSN when set, else the embedded server (started on demand in the
user's cache directory; PGMT_GIT_CACHE_DIR moves it). Tests use unique SQL (``unique``), so
their cache entries never collide with anybody else's on a shared server; the entries this
session created are dropped at its end.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator

import pytest

from pgmt_git.pg import databases as dbs
from pgmt_git.pg.accounts import pid_alive
from pgmt_git.pg.databases import DatabaseKind, ManagedDatabase
from pgmt_git.pg.server import Server, connect, resolve_server

TEST_DSN_ENV = "PGMT_GIT_TEST_DSN"


def external_server_url() -> str | None:
    """The external test server's URL, or None for the embedded server."""
    return os.environ.get(TEST_DSN_ENV) or None



def managed_databases(server: Server) -> tuple[ManagedDatabase, ...]:
    """Every pgmt-git database on the server."""
    with connect(server) as admin:
        return dbs.list_managed(admin)


def database_names(server: Server, prefix: str = "pgmt_git_") -> set[str]:
    return {db.name for db in managed_databases(server) if db.name.startswith(prefix)}


def database_exists(server: Server, name: str) -> bool:
    with connect(server) as admin:
        row = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
    return row is not None


def shadow_databases_of(server: Server, pid: int) -> list[str]:
    """Shadow databases whose comment names ``pid`` on this host as their creator."""
    host = socket.gethostname()
    return [db.name for db in managed_databases(server)
            if db.kind is DatabaseKind.SHADOW and db.meta.get("pid") == pid
            and db.meta.get("host") == host]


@pytest.fixture(scope="session")
def pg_server() -> Iterator[Server]:
    server = resolve_server(external_server_url())
    before = {db.name for db in managed_databases(server)}
    yield server
    _drop_session_cache_entries(server, before)
    leftovers = _leftover_shadows(server, before)
    if leftovers:
        pytest.fail(f"shadow databases survived the test session: {sorted(leftovers)}",
                    pytrace=False)


@pytest.fixture
def unique() -> str:
    """A token to make a test's SQL (hence its cache keys and object names) its own."""
    return uuid.uuid4().hex[:12]


def _leftover_shadows(server: Server, before: set[str]) -> list[str]:
    """New shadow databases created by this process, or by a dead process of this host (a
    test's subprocess); those of live processes belong to concurrent test sessions."""
    host = socket.gethostname()
    found = []
    for db in managed_databases(server):
        if db.kind is not DatabaseKind.SHADOW or db.name in before:
            continue
        pid = db.meta.get("pid")
        if db.meta.get("host") == host and isinstance(pid, int) and (
                pid == os.getpid() or not pid_alive(pid)):
            found.append(db.name)
    return found


def _drop_session_cache_entries(server: Server, before: set[str]) -> None:
    """Cache entries this process created (their comment names it)."""
    host = socket.gethostname()
    with connect(server) as admin:
        for db in dbs.list_managed(admin):
            if (db.kind is DatabaseKind.CACHE and db.name not in before
                    and db.meta.get("pid") == os.getpid() and db.meta.get("host") == host):
                dbs.drop_unused_cache_entry(admin, db)
