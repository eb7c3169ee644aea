"""The databases pgmt-git creates on a shadow server: names, metadata, create, drop, pins.

Two kinds, told apart by name prefix only; pgmt-git never touches a database outside them:

- ``pgmt_git_shadow_<random hex>``: throwaway, owned by one process, dropped when it is done;
- ``pgmt_git_cache_<key>``: a kept replay result (see cache.py), shared by all processes.

Metadata lives in the database's comment as JSON (pg_shdescription: a shared catalog, so it
is readable from the maintenance database and is not copied when a database is cloned).
"""

from __future__ import annotations

import enum
import hashlib
import json
import os
import socket
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import psycopg
from psycopg import errors, sql

SHADOW_PREFIX = "pgmt_git_shadow_"
CACHE_PREFIX = "pgmt_git_cache_"
# Database names are at most 63 bytes (NAMEDATALEN - 1).
MAX_NAME_BYTES = 63
# Advisory-lock namespace ("pgmt" as an int4) for the two-key form, which does not overlap
# the bigint form applications commonly use.
_PIN_NAMESPACE = 0x70676D74


class DatabaseKind(enum.Enum):
    SHADOW = "shadow"
    CACHE = "cache"


@dataclass(frozen=True)
class ManagedDatabase:
    """A pgmt-git database found on the server.

    ``meta`` is the parsed comment ({} when missing or unreadable); ``invalid`` marks a
    database left half-dropped by an interrupted DROP DATABASE (PostgreSQL 15.4+), which can
    only be dropped.
    """

    name: str
    kind: DatabaseKind
    oid: int
    connections: int
    size_bytes: int | None = None
    invalid: bool = False
    meta: Mapping[str, Any] = field(default_factory=dict)

    @property
    def last_used(self) -> float:
        value = self.meta.get("last_used", self.meta.get("started", 0))
        return float(value) if isinstance(value, (int, float)) else 0.0


def database_kind(name: str) -> DatabaseKind | None:
    """The kind of a database pgmt-git created, or None for anybody else's database."""
    if name.startswith(SHADOW_PREFIX):
        return DatabaseKind.SHADOW
    if name.startswith(CACHE_PREFIX):
        return DatabaseKind.CACHE
    return None


def new_shadow_name() -> str:
    return SHADOW_PREFIX + os.urandom(16).hex()


def creator_meta(kind: DatabaseKind, *, now: float | None = None) -> dict[str, Any]:
    """Who made a database and when, so `shadow clean` can tell a leftover from a live one."""
    return {
        "pgmt_git": kind.value,
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "started": time.time() if now is None else now,
    }


def list_managed(conn: psycopg.Connection, *, sizes: bool = False) -> tuple[ManagedDatabase, ...]:
    """Every pgmt-git database on the server, sorted by name; one query."""
    rows = conn.execute(
        """
        SELECT d.datname, d.oid::bigint, shobj_description(d.oid, 'pg_database'),
               (SELECT count(*) FROM pg_stat_activity a WHERE a.datid = d.oid),
               CASE WHEN %(sizes)s AND d.datconnlimit <> -2 THEN pg_database_size(d.oid) END,
               d.datconnlimit = -2
        FROM pg_database d
        WHERE d.datname LIKE 'pgmt\\_git\\_%%'
        ORDER BY d.datname
        """,
        {"sizes": sizes},
    ).fetchall()
    found = []
    for name, oid, comment, connections, size, invalid in rows:
        kind = database_kind(name)
        if kind is not None:
            found.append(ManagedDatabase(name=name, kind=kind, oid=oid, connections=connections,
                                         size_bytes=size, invalid=invalid,
                                         meta=_parse_meta(comment)))
    return tuple(found)


def existing(conn: psycopg.Connection, names: list[str]) -> set[str]:
    """Which of ``names`` exist as usable databases."""
    rows = conn.execute(
        "SELECT datname FROM pg_database WHERE datname = ANY(%s) AND datconnlimit <> -2",
        (names,),
    ).fetchall()
    return {row[0] for row in rows}


def create_database(conn: psycopg.Connection, name: str, *, template: str | None,
                    file_copy: bool = False) -> None:
    """CREATE DATABASE from ``template`` (None: the pristine template0).

    template1 is avoided on purpose: on a shared server it may carry extensions or objects
    that would then appear in every shadow database.

    ``file_copy``: clone with STRATEGY FILE_COPY (PostgreSQL 15+), which copies the files
    instead of writing every page through shared buffers and WAL (15's default, WAL_LOG).
    It costs two checkpoints: cheap on a server without fsync, but a burden to impose on
    someone else's server, so only the embedded server uses it.
    """
    _require_managed(name)
    query = sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
        sql.Identifier(name), sql.Identifier(template or "template0"))
    if file_copy and template is not None:
        query += sql.SQL(" STRATEGY FILE_COPY")
    conn.execute(query)


def drop_database(conn: psycopg.Connection, name: str, *, force: bool) -> None:
    """DROP DATABASE IF EXISTS, only ever for a pgmt-git name.

    ``force`` (PostgreSQL 13+) terminates sessions still connected: right for our own
    throwaway databases, never used for shared cache entries that someone may be reading.
    """
    _require_managed(name)
    query = sql.SQL("DROP DATABASE IF EXISTS {}{}").format(
        sql.Identifier(name), sql.SQL(" WITH (FORCE)") if force else sql.SQL(""))
    conn.execute(query)


def rename_database(conn: psycopg.Connection, old: str, new: str) -> None:
    _require_managed(old)
    _require_managed(new)
    conn.execute(sql.SQL("ALTER DATABASE {} RENAME TO {}").format(
        sql.Identifier(old), sql.Identifier(new)))


def set_meta(conn: psycopg.Connection, name: str, meta: Mapping[str, Any]) -> None:
    _require_managed(name)
    text = json.dumps(dict(meta), sort_keys=True)
    # Utility statements take no bind parameters: the comment is a quoted literal.
    conn.execute(sql.SQL("COMMENT ON DATABASE {} IS {}").format(
        sql.Identifier(name), sql.Literal(text)))


def touch(conn: psycopg.Connection, name: str, *, now: float | None = None) -> None:
    """Record a use (for least-recently-used eviction). Best effort: two processes updating
    the same pg_shdescription row at once can fail with "tuple concurrently updated"."""
    try:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            (name,),
        ).fetchone()
        meta = _parse_meta(row[0] if row else None)
        set_meta(conn, name, {**meta, "last_used": time.time() if now is None else now})
    except (errors.InsufficientPrivilege, errors.InternalError_, errors.UndefinedObject,
            errors.InvalidCatalogName, errors.SerializationFailure):
        pass


def pin(conn: psycopg.Connection, name: str) -> None:
    """Hold a shared pin on a database for the life of ``conn`` (a maintenance connection):
    eviction skips pinned databases. Advisory locks are per database, so pins and their
    checks both live in the maintenance database."""
    conn.execute("SELECT pg_advisory_lock_shared(%s, %s)", (_PIN_NAMESPACE, _pin_key(name)))


def try_claim(conn: psycopg.Connection, name: str) -> bool:
    """Take the exclusive pin if nobody holds a shared one (released by :func:`release`)."""
    row = conn.execute("SELECT pg_try_advisory_lock(%s, %s)",
                       (_PIN_NAMESPACE, _pin_key(name))).fetchone()
    return bool(row and row[0])


def release(conn: psycopg.Connection, name: str) -> None:
    conn.execute("SELECT pg_advisory_unlock(%s, %s)", (_PIN_NAMESPACE, _pin_key(name)))


def drop_unused_cache_entry(conn: psycopg.Connection, database: ManagedDatabase) -> bool:
    """Drop a cache entry unless someone uses it: connected to it (DROP without FORCE fails,
    after PostgreSQL waits up to 5 s, so connected ones are skipped up front) or pinning it."""
    if database.kind is not DatabaseKind.CACHE:
        raise ValueError(f"not a cache database: {database.name!r}")
    if database.connections and not database.invalid:
        return False
    if not try_claim(conn, database.name):
        return False
    try:
        drop_database(conn, database.name, force=False)
    except errors.ObjectInUse:
        return False
    finally:
        release(conn, database.name)
    return True


def _pin_key(name: str) -> int:
    return int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:4], "big", signed=True)


def _parse_meta(comment: str | None) -> dict[str, Any]:
    if not comment:
        return {}
    try:
        value = json.loads(comment)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _require_managed(name: str) -> None:
    # The one guard that keeps pgmt-git away from databases it did not create.
    if database_kind(name) is None or len(name.encode("utf-8")) > MAX_NAME_BYTES:
        raise ValueError(f"not a pgmt-git database name: {name!r}")
