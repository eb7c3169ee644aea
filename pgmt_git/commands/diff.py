"""pgmt-git diff: the changes between two database states, as SQL, JSON or a summary.

PostgreSQL, the SQL parser and pygit2 are imported inside the command: importing the CLI
must stay cheap.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from pgmt_git.commands.context import AppContext, pass_app
from pgmt_git.commands.sources import DIFF_SOURCE_HELP, SourceSpec, StateKind, parse_source_spec

if TYPE_CHECKING:
    from pgmt_git.config import Config
    from pgmt_git.diff import Catalog, Change
    from pgmt_git.pg.server import Server
    from pgmt_git.project.source import Project


@click.command(help=f"""Show the changes that turn database state FROM into state TO.

\b
{DIFF_SOURCE_HELP}

Prints the migration SQL (`--format sql`, the default), the changes with their hazards
(`--format json`), or one line per change with its hazards (`--format summary`). Exit 0 when the states
are the same, 1 when they differ.""")
@click.option("--from", "from_text", required=True, metavar="SRC", help="The starting state.")
@click.option("--to", "to_text", required=True, metavar="SRC", help="The desired state.")
@click.option("--format", "output_format", type=click.Choice(["sql", "json", "summary"]),
              default="sql", show_default=True)
@click.option("--shadow-url", metavar="URL",
              help="Replay on this server instead of databases.shadow.url / PGMT_SHADOW_URL "
                   "/ the embedded one.")
@click.option("--no-cache", is_flag=True, help="Replay from scratch into throwaway databases.")
@pass_app
def diff(app: AppContext, from_text: str, to_text: str, output_format: str,
         shadow_url: str | None, no_cache: bool) -> None:
    specs = (parse_source_spec(from_text, allow_databases=True),
             parse_source_spec(to_text, allow_databases=True))
    reader = _CatalogReader(app, shadow_url=shadow_url, cache=not no_cache)
    old, new = reader.read(specs)
    app.keep_until_exit(old, new)
    from pgmt_git.diff import diff_catalogs

    hints: frozenset[Any] = frozenset()
    if specs[1].state is StateKind.SCHEMA:
        # Towards schema files: their -- require: lines order what pg_depend cannot.
        from pgmt_git.project.require_hints import require_hints

        hints = require_hints(reader.project(specs[1]).schema_files, new)
    changes = diff_catalogs(old, new, options=reader.config.git.diff_options, hints=hints)
    click.echo(render(changes, output_format, from_label=specs[0].label,
                      to_label=specs[1].label), nl=False)
    if changes:
        click.get_current_context().exit(1)  # differences found: not an error, no message


def render(changes: tuple[Change, ...], output_format: str, *, from_label: str,
           to_label: str) -> str:
    from pgmt_git.diff import changes_as_data, render_sql, summary_line

    if output_format == "sql":
        return render_sql(changes)
    if output_format == "json":
        report = {"from": from_label, "to": to_label, "changes": changes_as_data(changes)}
        return json.dumps(report, indent=2) + "\n"
    return "".join(f"{summary_line(c)}\n" for c in changes)


class _CatalogReader:
    """Reads the catalog of each SRC: replays for project states, the live database for URLs."""

    def __init__(self, app: AppContext, *, shadow_url: str | None, cache: bool) -> None:
        self._app = app
        self._overrides = {"databases.shadow.url": shadow_url}
        self._cache = cache
        self._server: Server | None = None
        self._projects: dict[str, Project] = {}
        self.config = self._worktree_config()

    def read(self, specs: Sequence[SourceSpec]) -> tuple[Catalog, ...]:
        """The catalogs of ``specs``, in order: every state replayed (or found in the cache)
        first, then all of them read at once, one connection each."""
        from pgmt_git.pg.catalog.loader import load_catalogs

        # The rest of the diff engine loads while the catalogs are read (not before the
        # reading starts: a catalog may be read by a forked process, which needs this one
        # to run no other thread when it forks).
        from pgmt_git.diff import load_in_background

        with ExitStack() as states:
            conninfos = [self._conninfo(states, spec) for spec in specs]
            return load_catalogs(conninfos, objects_filter=self.config.objects,
                                 tracking_table=self.config.migration.tracking_table,
                                 while_reading=load_in_background)

    def _conninfo(self, states: ExitStack, spec: SourceSpec) -> str:
        """Where ``spec``'s state can be read, valid until ``states`` closes."""
        if spec.state is StateKind.DATABASE:
            assert spec.url is not None
            return spec.url
        from pgmt_git.pg.cache import replayed_state

        state = states.enter_context(replayed_state(
            self._shadow_server(), self._inputs(spec), cache=self._cache,
            limits=self.config.git.cache, progress=self._app.replay_progress()))
        self._app.debug(f"{spec.text}: state in {state.dbname}")
        return state.conninfo

    def project(self, spec: SourceSpec) -> Project:
        """The project of ``spec`` (work tree or revision), read once."""
        if spec.text not in self._projects:
            from pgmt_git.project.source import load_project

            self._projects[spec.text] = load_project(
                spec.source, start_dir=Path.cwd(), config_file=self._app.config_file,
                overrides=self._overrides)
        return self._projects[spec.text]

    def _inputs(self, spec: SourceSpec) -> tuple[Any, ...]:
        if spec.state is StateKind.EMPTY:
            return ()
        project = self.project(spec)
        if spec.state is StateKind.SCHEMA:
            return project.schema_inputs()
        return project.chain_inputs()

    def _shadow_server(self) -> Server:
        if self._server is None:
            from pgmt_git.pg.server import resolve_server

            self._server = resolve_server(self.config.databases.shadow_url)
        return self._server

    def _worktree_config(self) -> Config:
        """The work tree's settings (filters, server) for every side; defaults outside a
        project, so two databases can be compared anywhere."""
        from pgmt_git.config import Config, find_config_file, load_config, parse_config_text
        from pgmt_git.errors import ConfigError

        try:
            loaded = load_config(start_dir=Path.cwd(), config_file=self._app.config_file,
                                 overrides=self._overrides)
        except ConfigError:
            if self._app.config_file is not None:
                raise
            try:
                find_config_file(Path.cwd())
            except ConfigError:
                return parse_config_text("", source="<defaults>", overrides=self._overrides)
            raise
        return loaded.config
