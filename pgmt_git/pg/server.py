"""Which shadow server: an explicit URL, or else the embedded one; how to connect to it.

The URL comes from ``--shadow-url`` / ``PGMT_SHADOW_URL`` / ``databases.shadow.url``; the
caller resolves that precedence and passes the winner (or None) to :func:`resolve_server`.
"""

from __future__ import annotations

from dataclasses import dataclass

import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from pgmt_git.errors import ServerError, UsageError
from pgmt_git.pg import MIN_SERVER_VERSION
from pgmt_git.pg.embedded import (
    MAINTENANCE_DB,
    PORT,
    SUPERUSER,
    ServerInfo,
    ensure_embedded_server,
    purge_server,
    server_status,
    stop_server,
)

__all__ = [
    "Server",
    "ServerInfo",
    "connect",
    "embedded_server",
    "ensure_embedded_server",
    "resolve_server",
    "purge_server",
    "server_status",
    "stop_server",
]

APPLICATION_NAME = "pgmt-git"


@dataclass(frozen=True)
class Server:
    """How to reach a server; the database is chosen per connection.

    ``params`` are libpq keywords without ``dbname``, sorted (so equal servers compare equal).
    ``maintenance_db`` is where pgmt-git connects to create and drop its databases.
    """

    params: tuple[tuple[str, str], ...]
    maintenance_db: str = MAINTENANCE_DB
    embedded: bool = False

    @classmethod
    def from_url(cls, url: str) -> Server:
        """A server from a postgresql:// URL or a libpq key=value string."""
        try:
            params = conninfo_to_dict(url)
        except psycopg.ProgrammingError as exc:
            raise UsageError(f"invalid shadow server URL: {exc}") from exc
        dbname = str(params.pop("dbname", None) or MAINTENANCE_DB)
        return cls(params=_sorted(params), maintenance_db=dbname)

    def conninfo(self, dbname: str | None = None) -> str:
        """A libpq connection string for ``dbname`` (default: the maintenance database)."""
        params = dict(self.params)
        params.setdefault("application_name", APPLICATION_NAME)
        params.setdefault("connect_timeout", "10")
        return make_conninfo(**params, dbname=dbname or self.maintenance_db)

    def describe(self) -> str:
        """For messages: where the server is, never the password."""
        params = dict(self.params)
        where = params.get("host") or "localhost"
        if "port" in params:
            where += f":{params['port']}"
        user = f"{params['user']}@" if "user" in params else ""
        kind = "embedded server" if self.embedded else "server"
        return f"{kind} {user}{where}"


def resolve_server(url: str | None) -> Server:
    """The server at ``url``, else the embedded server (started if needed)."""
    if url:
        return Server.from_url(url)
    return embedded_server(ensure_embedded_server())


def embedded_server(info: ServerInfo) -> Server:
    params = {"host": str(info.socket_dir), "port": str(PORT), "user": SUPERUSER}
    return Server(params=_sorted(params), maintenance_db=MAINTENANCE_DB, embedded=True)


def connect(server: Server, dbname: str | None = None, *, autocommit: bool = True,
            options: str | None = None) -> psycopg.Connection:
    """A connection; failures become ServerError naming the server (never its password).

    No server-side prepared statements: DDL gains nothing from them, and ``DISCARD ALL``
    between replayed files would invalidate them under psycopg's feet.
    """
    extra = {"options": options} if options else {}
    try:
        conn = psycopg.connect(server.conninfo(dbname), autocommit=autocommit,
                               prepare_threshold=None, **extra)
    except psycopg.OperationalError as exc:
        raise ServerError(
            f"cannot connect to the shadow {server.describe()}"
            f"{'' if dbname is None else f' (database {dbname})'}: {_first_line(exc)}",
            hint="check --shadow-url / PGMT_SHADOW_URL, or see `pgmt-git shadow status`",
        ) from exc
    if conn.info.server_version < MIN_SERVER_VERSION:
        conn.close()
        raise ServerError(f"the shadow {server.describe()} runs PostgreSQL "
                          f"{conn.info.server_version}; pgmt-git needs 14 or later")
    return conn


def _sorted(params: dict[str, object]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((key, str(value)) for key, value in params.items() if value is not None))


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
