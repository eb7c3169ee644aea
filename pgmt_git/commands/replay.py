"""pgmt-git replay: replay a project state into a shadow database and report what ran.

PostgreSQL modules are imported inside the command: importing the CLI must stay cheap.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from pgmt_git.commands.context import AppContext, pass_app
from pgmt_git.commands.sources import SOURCE_HELP, SourceSpec, StateKind, parse_source_spec

if TYPE_CHECKING:
    from pgmt_git.pg.server import Server
    from pgmt_git.project.source import Project


@dataclass(frozen=True)
class ReplayReport:
    source: str
    origin: str
    files: int
    files_replayed: int
    statements_executed: int
    databases_created: int
    cached_files: int
    database: str
    seconds: float

    def as_json(self) -> dict[str, Any]:
        return {**self.__dict__, "seconds": round(self.seconds, 3)}

    def as_text(self) -> str:
        where = f"{self.source} ({self.origin})"
        if self.files_replayed == 0 and self.cached_files:
            what = f"cached state of {self.files} files, nothing replayed"
        else:
            what = f"replayed {self.files_replayed} of {self.files} files, " \
                   f"{self.statements_executed} statements"
            if self.cached_files:
                what += f" on a cached state of the first {self.cached_files}"
        return f"{where}: {what} ({self.seconds:.2f} s, database {self.database})"


@click.command(help=f"""Replay project files into a shadow database and report what ran.

\b
{SOURCE_HELP}
Default: schema. Replayed states are cached on the shadow server (pgmt_git_cache_*
databases): asking again for the same state replays nothing, and a chain that extends a
cached one replays only the new files. Exit 1 when PostgreSQL refuses a statement (the
message names the file and line).""")
@click.argument("sources", nargs=-1, metavar="[SRC]...")
@click.option("--shadow-url", metavar="URL",
              help="Replay on this server instead of databases.shadow.url / PGMT_SHADOW_URL "
                   "/ the embedded one.")
@click.option("--no-cache", is_flag=True, help="Replay from scratch into a throwaway database.")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]),
              default="text", show_default=True)
@pass_app
def replay(app: AppContext, sources: tuple[str, ...], shadow_url: str | None,
           no_cache: bool, output_format: str) -> None:
    specs = [parse_source_spec(s) for s in sources or ("schema",)]
    overrides = {"databases.shadow.url": shadow_url}
    reports = []
    server: Server | None = None
    for spec in specs:
        project = _load(app, spec, overrides)
        if server is None:
            server = _server(app, project)
        reports.append(replay_spec(app, server, spec, project, cache=not no_cache))
    if output_format == "json":
        click.echo(json.dumps([r.as_json() for r in reports], indent=2))
    else:
        for report in reports:
            click.echo(report.as_text())


def _load(app: AppContext, spec: SourceSpec, overrides: dict[str, object]) -> Project:
    from pgmt_git.project.source import load_project

    return load_project(spec.source, start_dir=Path.cwd(), config_file=app.config_file,
                        overrides=overrides)


def _server(app: AppContext, project: Project) -> Server:
    from pgmt_git.pg.server import resolve_server

    url = project.config.databases.shadow_url
    if url is None:
        app.debug("shadow server: the embedded PostgreSQL (starting it if needed)")
    return resolve_server(url)


def replay_spec(app: AppContext, server: Server, spec: SourceSpec, project: Project, *,
                cache: bool) -> ReplayReport:
    from pgmt_git.pg.cache import replayed_state

    inputs = project.schema_inputs() if spec.state is StateKind.SCHEMA else project.chain_inputs()
    started = time.monotonic()
    with replayed_state(server, inputs, cache=cache, limits=project.config.git.cache,
                        progress=app.replay_progress()) as state:
        dbname = state.dbname
        stats = state.stats
    return ReplayReport(
        source=spec.text,
        origin=project.origin,
        files=len(inputs),
        files_replayed=stats.files_replayed,
        statements_executed=stats.statements_executed,
        databases_created=stats.databases_created,
        cached_files=stats.cached_files,
        database=dbname,
        seconds=time.monotonic() - started,
    )
