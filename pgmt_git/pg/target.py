"""The databases migrations are applied to: a URL, or a database on the embedded server.

``embedded:NAME`` names database NAME on pgmt-git's embedded server (created when missing):
a place to try migrations on a machine with nothing else installed. pgmt-git's own
shadow and cache databases are not valid names there.
"""

from __future__ import annotations

from dataclasses import dataclass

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from pgmt_git.errors import ServerError, UsageError
from pgmt_git.pg.databases import database_kind
from pgmt_git.pg import MIN_SERVER_VERSION
from pgmt_git.pg.server import Server, connect, ensure_embedded_server
from pgmt_git.pg.server import embedded_server as _embedded_server

EMBEDDED_PREFIX = "embedded:"


@dataclass(frozen=True)
class Target:
    """A database to apply to. ``label`` is for messages (never shows a password)."""

    conninfo: str
    label: str
    embedded: bool = False

    @property
    def dbname(self) -> str:
        return str(conninfo_to_dict(self.conninfo).get("dbname") or "")


def resolve_target(url: str | None, *, option: str, setting: str, env: str) -> Target:
    """The target named by ``url``; a UsageError naming where to give one when None."""
    if not url:
        raise UsageError("no database to work on",
                         hint=f"pass {option} URL, set {env}, or set {setting} in pgmt.yaml "
                              f"(`{EMBEDDED_PREFIX}NAME` is a database on the embedded server)")
    if url.startswith(EMBEDDED_PREFIX):
        return _embedded_target(url[len(EMBEDDED_PREFIX):])
    server = Server.from_url(url)  # a UsageError for a malformed URL
    return Target(make_conninfo(url), f"database {server.maintenance_db} on {server.describe()}")


def _embedded_target(name: str) -> Target:
    if not name or database_kind(name) is not None:
        raise UsageError(f"{EMBEDDED_PREFIX}{name!r} is not a usable database name",
                         hint=f"e.g. {EMBEDDED_PREFIX}myapp_dev")
    server = _embedded_server(ensure_embedded_server())
    with connect(server) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if exists is None:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return Target(server.conninfo(name), f"database {name} on the embedded server",
                  embedded=True)


def connect_target(target: Target, *, purpose: str) -> psycopg.Connection:
    """An autocommit connection that names itself ``pgmt-git <purpose>`` (what others see
    in pg_stat_activity while it holds the migration lock)."""
    try:
        conn = psycopg.connect(target.conninfo, autocommit=True, prepare_threshold=None,
                               application_name=f"pgmt-git {purpose}")
    except psycopg.OperationalError as exc:
        raise ServerError(f"cannot connect to the {target.label}: {_first_line(exc)}",
                          hint="check the URL, the server and the credentials") from exc
    if conn.info.server_version < MIN_SERVER_VERSION:
        conn.close()
        raise ServerError(f"the {target.label} runs PostgreSQL {conn.info.server_version}; "
                          "pgmt-git needs 14 or later")
    return conn


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
