"""pgmt-git apply: bring a development database to the schema files, directly.

No migration file, no tracking rows: the dev database's catalog is diffed with the schema
files' and the changes run, in one transaction when every step allows it. Changes with
hazards (data loss, rewrites, long locks, ...) run only when allowed, or confirmed at a
terminal. PostgreSQL and the diff engine are imported inside the command.
"""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING, Any

import click

from pgmt_git.commands.context import AppContext, pass_app
from pgmt_git.commands.migrate import load, state_reader, warn_hazards
from pgmt_git.errors import CheckFailed, PgmtGitError, UsageError

if TYPE_CHECKING:
    from pgmt_git.diff import Change
    from pgmt_git.pg.target import Target
    from pgmt_git.project.source import Project

_WATCH_INTERVAL_S = 0.5


@click.command("apply")
@click.option("--dev-url", metavar="URL",
              help="The development database (default: databases.dev_url / PGMT_DEV_URL); "
                   "`embedded:NAME` is database NAME on the embedded server.")
@click.option("--dry-run", is_flag=True, help="Print the SQL; change nothing.")
@click.option("--allow-hazards", metavar="KIND,...", default="",
              help="Hazard kinds to run without asking (data_loss, table_rewrite, long_lock, "
                   "may_fail, recreates_dependents, irreversible; `all` for every one).")
@click.option("--watch", is_flag=True, help="Apply again whenever a schema file changes.")
@click.option("--shadow-url", metavar="URL",
              help="Replay on this server instead of databases.shadow.url / PGMT_SHADOW_URL "
                   "/ the embedded one.")
@pass_app
def apply(app: AppContext, dev_url: str | None, dry_run: bool, allow_hazards: str,
          watch: bool, shadow_url: str | None) -> None:
    """Apply the schema files to the development database (no migration is written)."""
    allowed = parse_hazard_kinds(allow_hazards)
    overrides = {"dev_url": dev_url, "shadow.url": shadow_url}
    if not watch:
        _apply_once(app, load(app, **overrides), allowed, dry_run=dry_run)
        return
    _watch(app, overrides, allowed, dry_run=dry_run)


def parse_hazard_kinds(text: str) -> frozenset[Any]:
    from pgmt_git.diff.hazards import HazardKind

    names = [n.strip() for n in text.split(",") if n.strip()]
    if "all" in names:
        return frozenset(HazardKind)
    try:
        return frozenset(HazardKind(n) for n in names)
    except ValueError:
        known = ", ".join(k.value for k in HazardKind)
        raise UsageError(f"unknown hazard kind in {text!r}", hint=f"known: {known}") from None


def dev_target(project: Project) -> Target:
    from pgmt_git.commands.migrate import _create_roles
    from pgmt_git.pg.target import resolve_target

    target = resolve_target(project.config.databases.dev_url, option="--dev-url",
                            setting="databases.dev_url", env="PGMT_DEV_URL")
    if target.embedded:
        _create_roles(project, target)
    return target


def _apply_once(app: AppContext, project: Project, allowed: frozenset[Any], *,
                dry_run: bool) -> None:
    from pgmt_git.diff import render_sql
    from pgmt_git.pg.states import diff_to_schema
    from pgmt_git.pg.target import connect_target

    target = dev_target(project)
    reader = state_reader(app, project)
    desired = reader.schema()
    with connect_target(target, purpose="apply") as conn:
        changes = diff_to_schema(reader.load(conn), desired, project)
        if not changes:
            click.echo(f"the {target.label} already matches the schema files")
            return
        if dry_run:
            click.echo(render_sql(changes), nl=False)
            warn_hazards(app, changes)
            return
        _check_hazards(app, changes, allowed)
        transactions = run_changes(conn, changes)
    count = len(changes)
    how = "in one transaction" if transactions == 1 else f"in {transactions} transactions"
    click.echo(f"applied {count} change{'' if count == 1 else 's'} to the {target.label} {how}")


def _check_hazards(app: AppContext, changes: tuple[Change, ...],
                   allowed: frozenset[Any]) -> None:

    refused = [(c, h) for c in changes for h in c.hazards if h.kind not in allowed]
    if not refused:
        return
    lines = [f"  {h.kind.value}: {c.id.qualified_text()}: {h.message}" for c, h in refused]
    kinds = ",".join(sorted({h.kind.value for _, h in refused}))
    if sys.stdin.isatty() and sys.stderr.isatty():
        app.info("these changes are hazardous:\n" + "\n".join(lines))
        if _confirm("apply them?"):
            return
    raise CheckFailed("refusing hazardous changes:\n" + "\n".join(lines),
                      hint=f"review them (`pgmt-git apply --dry-run`), then pass "
                           f"--allow-hazards {kinds}")


def _confirm(question: str) -> bool:
    """Ask at the terminal (default no). Ctrl-C or Ctrl-D aborts the command, on a line of
    its own: click leaves the cursor after the question."""
    try:
        return click.confirm(question, default=False, err=True)
    except click.Abort:
        click.echo(err=True)
        raise


def run_changes(conn: Any, changes: tuple[Change, ...]) -> int:
    """Run the changes' statements; one transaction, cut only after a statement whose
    effect must be committed before later ones can use it (enum ADD VALUE). Returns the
    number of transactions."""
    from pgmt_git.diff import render_statements

    groups: list[list[Any]] = [[]]
    for statement in render_statements(changes):
        groups[-1].append(statement)
        if statement.commit_after:
            groups.append([])
    groups = [g for g in groups if g]
    for group in groups:
        with conn.transaction():
            for statement in group:
                _execute(conn, statement)
    return len(groups)


def _execute(conn: Any, statement: Any) -> None:
    import psycopg

    try:
        conn.execute(statement.sql)
    except psycopg.Error as exc:
        raise CheckFailed(f"the dev database refused a statement (nothing of this apply was "
                          f"kept): {str(exc).strip()}\n  statement: {statement.sql}") from exc


def _watch(app: AppContext, overrides: dict[str, str | None], allowed: frozenset[Any], *,
           dry_run: bool) -> None:
    app.info("watching the schema files; Ctrl-C stops")
    seen: object = None
    try:
        while True:
            try:
                project = load(app, **overrides)
                contents = _contents(project)
                if contents != seen:
                    seen = contents
                    _apply_once(app, project, allowed, dry_run=dry_run)
            except PgmtGitError as exc:
                app.info(f"error: {exc}")
            time.sleep(_WATCH_INTERVAL_S)
    except KeyboardInterrupt:
        app.info("stopped watching")


def _contents(project: Project) -> tuple[tuple[str, str], ...]:
    """What a change of the schema files (or roles file) changes."""
    files = [(f.path, f.text) for f in project.schema_files]
    if project.roles is not None:
        files.append((project.roles.path, project.roles.text))
    return tuple(files)
