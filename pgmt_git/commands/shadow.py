"""pgmt-git shadow status|stop|clean: the shadow server and pgmt-git's databases on it.

PostgreSQL modules are imported inside the commands: importing the CLI must stay cheap.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from pgmt_git.commands.context import AppContext, pass_app

if TYPE_CHECKING:
    from pgmt_git.pg.databases import ManagedDatabase
    from pgmt_git.pg.server import Server, ServerInfo

SHADOW_URL_ENV = "PGMT_SHADOW_URL"

_shadow_url_option = click.option(
    "--shadow-url",
    metavar="URL",
    help="Use this server instead of databases.shadow.url / PGMT_SHADOW_URL / the embedded one.",
)


@click.group()
def shadow() -> None:
    """Manage the shadow server and its throwaway databases."""


@shadow.command()
@_shadow_url_option
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@pass_app
def status(app: AppContext, shadow_url: str | None, output_format: str) -> None:
    """Show the shadow server and pgmt-git's databases on it (never starts a server)."""
    report = status_report(shadow_url_for(app, shadow_url))
    if output_format == "json":
        click.echo(json.dumps(report, indent=2, sort_keys=True))
    else:
        click.echo(_render_status(report))


@shadow.command()
@click.option("--purge", is_flag=True,
              help="Also delete the server's files, with every cached replay state.")
@pass_app
def stop(app: AppContext, purge: bool) -> None:
    """Stop the embedded shadow server (it starts again when next needed)."""
    from pgmt_git.pg.server import purge_server, stop_server

    if purge:
        removed = purge_server()
        app.info(f"stopped the embedded shadow server and removed {removed}"
                 if removed else "the embedded shadow server has no files to remove")
        return
    if stop_server():
        app.info("stopped the embedded shadow server")
    else:
        app.info("the embedded shadow server is not running")


@shadow.command()
@_shadow_url_option
@click.option("--cache", "include_cache", is_flag=True,
              help="Also drop every cached replay state (pgmt_git_cache_*) not in use.")
@pass_app
def clean(app: AppContext, shadow_url: str | None, include_cache: bool) -> None:
    """Drop shadow databases left behind by killed processes (and, with --cache, the cache)."""
    from pgmt_git.pg.shadow import clean_leftovers

    server = _existing_server(shadow_url_for(app, shadow_url))
    if server is None:
        app.info("the embedded shadow server is not running: nothing to clean")
        return
    result = clean_leftovers(server, include_cache=include_cache)
    for name in (*result.shadow_dropped, *result.cache_dropped):
        app.debug(f"dropped {name}")
    click.echo(f"dropped {_count(len(result.shadow_dropped), 'leftover shadow database')}")
    if include_cache or result.cache_dropped:
        click.echo(f"dropped {_count(len(result.cache_dropped), 'cache database')}")
    if result.skipped:
        app.info(f"kept {_count(len(result.skipped), 'cache database')} in use")


def shadow_url_for(app: AppContext, flag: str | None) -> str | None:
    """The shadow server URL: the flag, else PGMT_SHADOW_URL, else databases.shadow.url of
    the project's pgmt.yaml when there is one; None means the embedded server."""
    if flag:
        return flag
    if os.environ.get(SHADOW_URL_ENV):
        return os.environ[SHADOW_URL_ENV]
    from pgmt_git.config import CONFIG_FILE_ENV, find_config_file, load_config
    from pgmt_git.errors import ConfigError

    if app.config_file is None and not os.environ.get(CONFIG_FILE_ENV):
        try:
            find_config_file(Path.cwd())
        except ConfigError:
            return None  # outside a project: the embedded server
    loaded = load_config(start_dir=Path.cwd(), config_file=app.config_file)
    return loaded.config.databases.shadow_url


def status_report(url: str | None) -> dict[str, Any]:
    """What `shadow status` shows, as plain data (sorted, JSON-ready)."""
    from pgmt_git.pg.server import Server, server_status

    if url:
        server = Server.from_url(url)
        return {"server": {"embedded": False, "location": server.describe()},
                "databases": _database_rows(server)}
    info = server_status()
    report: dict[str, Any] = {"server": _embedded_row(info), "databases": []}
    if info.running:
        from pgmt_git.pg.server import embedded_server

        report["databases"] = _database_rows(embedded_server(info))
    return report


def _existing_server(url: str | None) -> Server | None:
    """The server to clean: never start the embedded one just to find it empty."""
    from pgmt_git.pg.server import Server, embedded_server, server_status

    if url:
        return Server.from_url(url)
    info = server_status()
    return embedded_server(info) if info.running else None


def _embedded_row(info: ServerInfo) -> dict[str, Any]:
    return {
        "embedded": True,
        "running": info.running,
        "version": info.version,
        "pid": info.pid,
        "data_dir": str(info.data_dir),
        "socket_dir": str(info.socket_dir),
        "log": str(info.log_path),
        "os_user": info.os_user,
    }


def _database_rows(server: Server) -> list[dict[str, Any]]:
    from pgmt_git.pg import databases as dbs
    from pgmt_git.pg.server import connect

    with connect(server) as admin:
        return [_database_row(db) for db in dbs.list_managed(admin, sizes=True)]


def _database_row(db: ManagedDatabase) -> dict[str, Any]:
    meta = db.meta
    return {
        "name": db.name,
        "kind": db.kind.value,
        "size_bytes": db.size_bytes,
        "connections": db.connections,
        "invalid": db.invalid,
        "pid": meta.get("pid"),
        "host": meta.get("host"),
        "started": meta.get("started"),
        "last_used": meta.get("last_used"),
        "files": meta.get("files"),
    }


def _render_status(report: dict[str, Any]) -> str:
    server = report["server"]
    if not server["embedded"]:
        lines = [f"shadow server: {server['location']}"]
    else:
        state = f"running (pid {server['pid']})" if server["running"] else "not running"
        lines = [f"embedded shadow server: {state}, PostgreSQL {server['version']}",
                 f"  data directory: {server['data_dir']}",
                 f"  socket directory: {server['socket_dir']}",
                 f"  log: {server['log']}"]
        if server["os_user"]:
            lines.append(f"  runs as: {server['os_user']}")
    rows = report["databases"]
    for kind in ("shadow", "cache"):
        mine = [row for row in rows if row["kind"] == kind]
        total = sum(row["size_bytes"] or 0 for row in mine)
        lines.append(f"{kind} databases: {len(mine)} ({_size(total)})")
        lines.extend(f"  {row['name']}  {_size(row['size_bytes'] or 0)}" for row in mine)
    return "\n".join(lines)


def _size(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
