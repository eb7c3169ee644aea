"""The migration lock: the session advisory lock pgmt takes, on the same key, so pgmt and
pgmt-git runs against one database exclude each other.

The key is the first 8 bytes, big-endian, of the MD5 of the tracking table's quoted
``"schema"."name"``, as a signed 64-bit integer (pgmt's derivation). pgmt holds it on a
connection of its own; pgmt-git holds it on the connection that runs the migration's SQL.
Then the lock lives exactly as long as the session doing the work: if the pgmt-git process is
killed while PostgreSQL is still running one of its statements, that backend keeps the lock
until it has rolled back, and the next apply waits for it instead of racing it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

import psycopg

from pgmt_git.pg.tracking import TrackingTables

_HOLDERS = """
SELECT a.pid, a.usename::text, a.application_name, host(a.client_addr) AS client,
       a.backend_start, a.state, a.query
FROM pg_locks l
LEFT JOIN pg_stat_activity a ON a.pid = l.pid
WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
  AND l.classid = %s::bigint::oid AND l.objid = %s::bigint::oid
ORDER BY a.backend_start
"""


def lock_key(tables: TrackingTables) -> int:
    digest = hashlib.md5(tables.quoted_name.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


@dataclass(frozen=True)
class LockHolder:
    """A session holding the lock, as far as this role may see it."""

    pid: int
    user: str | None = None
    application: str | None = None
    client: str | None = None
    since: datetime | None = None
    state: str | None = None
    query: str | None = None

    def describe(self) -> str:
        parts = [f"pid {self.pid}"]
        if self.user:
            parts.append(f"user {self.user}")
        if self.application:
            parts.append(f'application "{self.application}"')
        if self.client:
            parts.append(f"from {self.client}")
        if self.since is not None:
            parts.append(f"connected since {self.since:%Y-%m-%d %H:%M:%S %Z}".rstrip())
        if self.state:
            parts.append(self.state)
        return ", ".join(parts)


def lock_holders(conn: psycopg.Connection, tables: TrackingTables) -> tuple[LockHolder, ...]:
    """Who holds the migration lock now (pg_locks joined with pg_stat_activity)."""
    key = lock_key(tables)
    high, low = (key >> 32) & 0xFFFFFFFF, key & 0xFFFFFFFF
    rows = conn.execute(_HOLDERS, (high, low)).fetchall()
    return tuple(LockHolder(*row) for row in rows)


@contextmanager
def migration_lock(conn: psycopg.Connection, tables: TrackingTables, *,
                   on_wait: Callable[[tuple[LockHolder, ...]], None]) -> Iterator[None]:
    """Hold the lock on ``conn`` (autocommit) for the block. When another session holds it,
    ``on_wait`` is told who, then this waits as long as it takes."""
    key = lock_key(tables)
    acquired = conn.execute("SELECT pg_try_advisory_lock(%s)", (key,)).fetchone()
    if not (acquired and acquired[0]):
        on_wait(lock_holders(conn, tables))
        # A role or database default statement_timeout must not end the wait.
        conn.execute("SET statement_timeout = 0")
        conn.execute("SELECT pg_advisory_lock(%s)", (key,))
        conn.execute("RESET statement_timeout")
    try:
        yield
    finally:
        if not conn.closed and not conn.broken:
            try:
                conn.execute("SELECT pg_advisory_unlock(%s)", (key,))
            except psycopg.Error:
                pass  # the session ending releases it as well
