"""Throwaway shadow databases: created for one job, always dropped afterwards.

"Always" includes Ctrl-C and SIGTERM (the CLI turns SIGTERM into KeyboardInterrupt, so the
``finally`` below runs). A process killed outright (SIGKILL, power loss) leaves its database
behind; :func:`clean_leftovers` recognises those by the creator recorded in the comment.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import psycopg
from psycopg import errors

from pgmt_git.errors import ServerError
from pgmt_git.pg import databases as dbs
from pgmt_git.pg.accounts import pid_alive
from pgmt_git.pg.databases import DatabaseKind, ManagedDatabase
from pgmt_git.pg.server import Server, connect

# A creator on another host cannot be checked; after this long its database is abandoned.
FOREIGN_HOST_TTL_S = 24 * 3600
# A shadow database without a readable comment (its creator died between CREATE DATABASE and
# COMMENT) is abandoned once nothing is connected and its files are this old.
UNLABELLED_TTL_S = 3600


class TemplateUnavailable(ServerError):
    """The database to clone is in use (PostgreSQL copies only templates nobody is connected
    to), gone, or not ours to copy."""


@dataclass(frozen=True)
class ShadowDatabase:
    server: Server
    dbname: str

    @property
    def conninfo(self) -> str:
        return self.server.conninfo(self.dbname)


@dataclass(frozen=True)
class CleanResult:
    shadow_dropped: tuple[str, ...] = ()
    cache_dropped: tuple[str, ...] = ()
    skipped: tuple[str, ...] = ()  # cache entries in use, left alone


@contextmanager
def shadow_database(server: Server, *, template: str | None = None) -> Iterator[ShadowDatabase]:
    """A new ``pgmt_git_shadow_*`` database (a clone of ``template`` if given), dropped on exit.

    Raises TemplateUnavailable when the template cannot be cloned right now.
    """
    name = dbs.new_shadow_name()
    try:
        with connect(server) as admin:
            _create(admin, name, template, file_copy=server.embedded)
            dbs.set_meta(admin, name, dbs.creator_meta(DatabaseKind.SHADOW))
        yield ShadowDatabase(server=server, dbname=name)
    finally:
        drop_shadow(server, name)


def _create(admin: psycopg.Connection, name: str, template: str | None, *,
            file_copy: bool) -> None:
    try:
        dbs.create_database(admin, name, template=template, file_copy=file_copy)
    except (errors.ObjectInUse, errors.InvalidCatalogName, errors.InsufficientPrivilege) as exc:
        if template is None:
            raise ServerError(f"cannot create a shadow database: {exc}",
                              hint="the shadow server's role needs CREATEDB") from exc
        raise TemplateUnavailable(f"cannot clone {template}: {exc}") from exc
    except psycopg.Error as exc:
        raise ServerError(f"cannot create a shadow database: {exc}") from exc


def drop_shadow(server: Server, name: str) -> None:
    """Drop one of our shadow databases (a fresh connection: after Ctrl-C the one in use may
    be mid-query)."""
    if dbs.database_kind(name) is not DatabaseKind.SHADOW:
        raise ValueError(f"not a shadow database name: {name!r}")
    with connect(server) as admin:
        dbs.drop_database(admin, name, force=True)


def clean_leftovers(server: Server, *, include_cache: bool = False,
                    now: float | None = None) -> CleanResult:
    """Drop shadow databases whose creator is gone; with ``include_cache``, every unused cache
    entry too. Databases pgmt-git did not create are never considered."""
    now = time.time() if now is None else now
    host = socket.gethostname()
    shadow: list[str] = []
    cache: list[str] = []
    skipped: list[str] = []
    with connect(server) as admin:
        for database in dbs.list_managed(admin):
            if database.kind is DatabaseKind.SHADOW:
                age = None if database.meta else _files_age(admin, database, now)
                if is_leftover(database, now=now, host=host, files_age_s=age):
                    dbs.drop_database(admin, database.name, force=True)
                    shadow.append(database.name)
            elif include_cache or database.invalid:
                if dbs.drop_unused_cache_entry(admin, database):
                    cache.append(database.name)
                else:
                    skipped.append(database.name)
    return CleanResult(tuple(shadow), tuple(cache), tuple(skipped))


def is_leftover(database: ManagedDatabase, *, now: float, host: str,
                files_age_s: float | None = None) -> bool:
    """Whether a shadow database was abandoned by the process that created it."""
    if database.kind is not DatabaseKind.SHADOW:
        return False
    if database.invalid:
        return True  # a DROP DATABASE was interrupted: only dropping it again is possible
    meta = database.meta
    pid, creator_host, started = meta.get("pid"), meta.get("host"), meta.get("started")
    if isinstance(pid, int) and creator_host == host:
        return not pid_alive(pid)
    if isinstance(started, (int, float)) and isinstance(creator_host, str):
        return now - started > FOREIGN_HOST_TTL_S
    return database.connections == 0 and files_age_s is not None and (
        files_age_s > UNLABELLED_TTL_S)


def _files_age(admin: psycopg.Connection, database: ManagedDatabase, now: float) -> float | None:
    """Seconds since the database directory changed; None where the role may not look
    (pg_stat_file needs superuser or pg_read_server_files)."""
    try:
        row = admin.execute(
            "SELECT extract(epoch FROM (pg_stat_file('base/' || %s::text, true)).modification)",
            (database.oid,),
        ).fetchone()
    except psycopg.Error:
        return None
    if not row or row[0] is None:
        return None
    return now - float(row[0])
