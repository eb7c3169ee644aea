"""pgmt-git migrate ...: generate, apply, inspect and repair migrations on a target database.

PostgreSQL, the SQL parser and the diff engine are imported inside the commands: importing
the CLI must stay cheap.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from pgmt_git.commands.context import AppContext, Verbosity, pass_app
from pgmt_git.errors import CheckFailed, UsageError

if TYPE_CHECKING:
    from pgmt_git.pg.locking import LockHolder
    from pgmt_git.pg.target import Target
    from pgmt_git.project.migrations import MigrationFile
    from pgmt_git.project.sections import Section
    from pgmt_git.project.source import Project

TARGET_HELP = ("The database to work on (default: databases.target_url / PGMT_TARGET_URL); "
               "`embedded:NAME` is database NAME on the embedded server.")


def target_option(func: Any) -> Any:
    return click.option("--target-url", metavar="URL", help=TARGET_HELP)(func)


def shadow_option(func: Any) -> Any:
    return click.option("--shadow-url", metavar="URL",
                        help="Replay on this server instead of databases.shadow.url / "
                             "PGMT_SHADOW_URL / the embedded one.")(func)


@click.group()
def migrate() -> None:
    """Generate migrations and apply them, tracked, to a target database."""


# ---------------------------------------------------------------------------- helpers


def load(app: AppContext, **overrides: str | None) -> Project:
    from pgmt_git.project.source import load_project

    settings = {f"databases.{key}": value for key, value in overrides.items()}
    return load_project(start_dir=Path.cwd(), config_file=app.config_file, overrides=settings)


def project_target(project: Project) -> Target:
    from pgmt_git.pg.target import resolve_target

    target = resolve_target(project.config.databases.target_url, option="--target-url",
                            setting="databases.target_url", env="PGMT_TARGET_URL")
    if target.embedded:
        _create_roles(project, target)
    return target


def _create_roles(project: Project, target: Target) -> None:
    """Roles are cluster-wide: on the embedded server, the roles file makes those the
    migrations grant to (existing ones are left alone)."""
    if project.roles is None:
        return
    from pgmt_git.pg.replay import replay_into
    from pgmt_git.pg.server import embedded_server, ensure_embedded_server
    from pgmt_git.project.source import ReplayInput

    server = embedded_server(ensure_embedded_server())
    replay_into(server, target.dbname,
                [ReplayInput(project.roles.path, project.roles.text, "roles")])


class ProgressReporter:
    """Tells what a migration run does, on stderr. On a terminal, the running section
    shows on a line of its own at the bottom, rewritten in place ("Section 2/3: create_index
    ... retrying 3/10"); what is said while it runs (a notice, a -v line) is printed above
    it. Used as a context manager: a run that stops while a section's line is shown leaves
    that line and moves below it, so the error that follows starts a line of its own."""

    def __init__(self, app: AppContext, target: str) -> None:
        self._app = app
        self._target = target
        self._live = app.progress_enabled()
        self._status = ""  # the running section's line, shown on a terminal

    def __enter__(self) -> ProgressReporter:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        # Ctrl-C: click itself ends the line before it says "aborted".
        if self._status and not (kind and issubclass(kind, KeyboardInterrupt)):
            self._write("\n")
        self._status = ""

    @staticmethod
    def _write(text: str) -> None:
        sys.stderr.write(text)
        sys.stderr.flush()

    def _line(self, text: str, *, verbose: bool = False) -> None:
        """A line of its own, above the running section's (shown again below it)."""
        if verbose and self._app.verbosity < Verbosity.VERBOSE:
            return
        if self._status:
            self._write("\r\033[K")
        self._app.info(text)
        if self._status:
            self._write(self._status)

    def _show(self, text: str) -> None:
        if self._live:
            self._status = text
            self._write(f"\r\033[K{text}")

    def _end_section(self) -> None:
        """The running section ended: its line goes."""
        if self._status:
            self._write("\r\033[K")
            self._status = ""

    def waiting(self, holders: tuple[LockHolder, ...]) -> None:
        who = "; ".join(h.describe() for h in holders) or "a session this role cannot see"
        self._line(f"waiting for the migration lock on the {self._target}, held by {who}")

    def migration_start(self, migration: MigrationFile, *, done: int, total: int) -> None:
        if done:
            self._line(f"resuming {migration.path} ({done}/{total} sections already completed)")
        else:
            self._line(f"applying {migration.path}")

    def section_skipped(self, position: int, total: int, name: str) -> None:
        self._app.debug(f"  section {position}/{total} {name}: already completed, skipped")

    def section_start(self, position: int, total: int, section: Section) -> None:
        if self._live:
            self._show(f"Section {position}/{total}: {section.name} ...")
        else:
            self._app.debug(f"  section {position}/{total} {section.name} "
                            f"({section.mode.value}) ...")

    def attempt_failed(self, position: int, total: int, section: Section, attempt: int,
                       failure: str, delay_ms: int | None) -> None:
        tries = f"attempt {attempt}/{section.retry_attempts}"
        if delay_ms is None:
            self._end_section()
            self._line(f"  section {position}/{total} {section.name}: {tries} failed: {failure}")
            return
        # On a terminal, the section's line counts the attempts; each failure is for -v.
        self._line(f"  section {position}/{total} {section.name}: {tries} failed: {failure}; "
                   f"retrying in {delay_ms / 1000:g} s", verbose=self._live)
        self._show(f"Section {position}/{total}: {section.name} ... retrying "
                   f"{attempt + 1}/{section.retry_attempts}")

    def section_done(self, position: int, total: int, section: Section,
                     duration_ms: int) -> None:
        self._end_section()
        self._line(f"  section {position}/{total} {section.name}: done "
                   f"({duration_ms / 1000:.2f} s)")

    def notice(self, message: str) -> None:
        self._line(f"  {message}")


def _overrides(allow_out_of_order: bool, allow_deleted: bool):  # type: ignore[no-untyped-def]
    from pgmt_git.migrate.assess import Overrides

    return Overrides(allow_out_of_order=allow_out_of_order, allow_deleted=allow_deleted)


def _report_result(app: AppContext, result: Any, target: Target, *, dry_run: bool) -> None:
    if dry_run:
        if not result.would_apply:
            click.echo(f"nothing to apply: the {target.label} is up to date")
        for migration in result.would_apply:
            click.echo(f"would apply {migration.path}")
        return
    if not result.applied:
        click.echo(f"nothing to apply: the {target.label} is up to date")
        return
    count = len(result.applied)
    click.echo(f"applied {count} migration{'s' if count > 1 else ''} to the {target.label}")


# ---------------------------------------------------------------------------- apply


@migrate.command("apply")
@target_option
@click.option("--allow-out-of-order", is_flag=True,
              help="Apply pending files older than the newest applied migration.")
@click.option("--allow-deleted", is_flag=True,
              help="Go on when applied migrations are no longer in the migrations directory.")
@click.option("--force-after-drift", is_flag=True,
              help="Apply even when the target is not in the state the first pending "
                   "migration was generated against.")
@click.option("--dry-run", is_flag=True, help="Show what would be applied; change nothing.")
@pass_app
def apply_command(app: AppContext, target_url: str | None, allow_out_of_order: bool,
                  allow_deleted: bool, force_after_drift: bool, dry_run: bool) -> None:
    """Apply pending migrations to the target, section by section, resumably.

    Takes pgmt's advisory lock (waiting, and saying who holds it, when another run does),
    creates or upgrades the tracking tables, refuses modified or deleted applied migrations
    and late files, checks the first pending migration was generated against the target's
    state, then runs what is left to run: a section that failed or was interrupted runs
    again; completed ones are skipped."""
    from pgmt_git.pg.deploy import DeployOptions, apply_migrations

    project = load(app, target_url=target_url)
    target = project_target(project)
    options = DeployOptions(_overrides(allow_out_of_order, allow_deleted), force_after_drift,
                            dry_run)
    with ProgressReporter(app, target.label) as reporter:
        result = apply_migrations(target, project, reporter, options)
    _report_result(app, result, target, dry_run=dry_run)


# ---------------------------------------------------------------------------- status


@migrate.command("status")
@target_option
@click.option("--sections", is_flag=True, help="List every section of every migration.")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@pass_app
def status_command(app: AppContext, target_url: str | None, sections: bool,
                   output_format: str) -> None:
    """Show applied and pending migrations, unfinished sections, and problems (modified,
    deleted or late files). Reads only; takes no lock."""
    from pgmt_git.migrate.assess import assess
    from pgmt_git.migrate.report import status_json, status_text
    from pgmt_git.pg.locking import lock_holders
    from pgmt_git.pg.target import connect_target
    from pgmt_git.pg.tracking import TrackingTables, read_state

    project = load(app, target_url=target_url)
    target = project_target(project)
    tables = TrackingTables.from_config(project.config.migration.tracking_table)
    with connect_target(target, purpose="migrate status") as conn:
        state = read_state(conn, tables)
        holders = lock_holders(conn, tables)
    lock = [{"pid": h.pid, "describe": h.describe()} for h in holders]
    report = status_json(assess(project.chain, state), target=target.label,
                         sections=sections, lock=lock)
    if output_format == "json":
        click.echo(json.dumps(report, indent=2))
    else:
        click.echo(status_text(report, sections=sections), nl=False)


# ---------------------------------------------------------------------------- resolve


@migrate.command("resolve")
@target_option
@click.option("--mark-completed", "mark_completed", metavar="VERSION[/SECTION]",
              help="Record unfinished sections as completed without running them (after "
                   "fixing the database by hand).")
@click.option("--restamp", metavar="VERSION[/SECTION]",
              help="Store the file's current checksums for completed sections (after a "
                   "deliberate edit the database already reflects).")
@click.option("--baseline", "is_baseline", is_flag=True,
              help="VERSION is a baseline's, not a migration's.")
@pass_app
def resolve_command(app: AppContext, target_url: str | None, mark_completed: str | None,
                    restamp: str | None, is_baseline: bool) -> None:
    """Repair tracking rows, one migration (or section) at a time, under the lock."""
    from pgmt_git.pg import repair

    if (mark_completed is None) == (restamp is None):
        raise UsageError("give exactly one of --mark-completed and --restamp",
                         hint="e.g. pgmt-git migrate resolve --mark-completed 1700000000/"
                              "create_index")
    project = load(app, target_url=target_url)
    target = project_target(project)
    coordinate = mark_completed or restamp or ""
    version, section = repair.parse_coordinate(coordinate)
    reporter = ProgressReporter(app, target.label)
    if mark_completed is not None:
        lines = repair.mark_completed(target, project, version, section, is_baseline,
                                      reporter=reporter)
    else:
        lines = repair.restamp(target, project, version, section, is_baseline,
                               reporter=reporter)
    for line in lines:
        click.echo(line)


# ---------------------------------------------------------------------------- mark-applied


@migrate.command("mark-applied")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@target_option
@shadow_option
@click.option("--force", is_flag=True,
              help="Record it without checking that the target has its effect.")
@pass_app
def mark_applied_command(app: AppContext, file: Path, target_url: str | None,
                         shadow_url: str | None, force: bool) -> None:
    """Record FILE as applied without running it, once the target has its effect.

    The check replays the chain up to FILE and FILE itself on the shadow server, and
    requires that every object FILE changes is, on the target, as FILE leaves it."""
    from pgmt_git.pg import repair

    project = load(app, target_url=target_url, **{"shadow.url": shadow_url})
    migration = _migration_named(project, file)
    target = project_target(project)
    reporter = ProgressReporter(app, target.label)
    for line in repair.mark_applied(target, project, migration, check=not force,
                                    reporter=reporter, progress=app.replay_progress):
        click.echo(line)


def _migration_named(project: Project, file: Path) -> MigrationFile:
    for migration in project.chain.migrations:
        if migration.filename == file.name:
            return migration
    raise UsageError(f"{file} is not a migration of this project",
                     hint=f"pass a file of {project.config.directories.migrations_dir}/")


# ---------------------------------------------------------------------------- new


def project_root(app: AppContext) -> Path:
    from pgmt_git.config import load_config

    return load_config(start_dir=Path.cwd(), config_file=app.config_file).root


def write_new_file(root: Path, path: str, text: str) -> None:
    """Write a file that must not exist yet (a generated name never overwrites anything)."""
    full = root / path
    full.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(full, "x", encoding="utf-8", newline="") as handle:
            handle.write(text)
    except FileExistsError:
        raise CheckFailed(f"{path} exists already; nothing was written") from None


def state_reader(app: AppContext, project: Project, *, cache: bool = True) -> Any:
    from pgmt_git.pg.states import StateReader

    return StateReader(project, cache=cache, progress=app.replay_progress)


def warn_hazards(app: AppContext, changes: Any) -> None:
    warn(app, [(change, hazard) for change in changes for hazard in change.hazards])


def warn(app: AppContext, hazards: Any) -> None:

    for change, hazard in hazards:
        app.info(f"warning: {hazard.kind.value}: {change.id.qualified_text()}: {hazard.message}")


@migrate.command("new")
@click.argument("description", required=False)
@click.option("--empty", is_flag=True,
              help="Write a migration without statements (to fill in by hand).")
@shadow_option
@pass_app
def new_command(app: AppContext, description: str | None, empty: bool,
                shadow_url: str | None) -> None:
    """Generate the next migration: from the state the migration chain produces (latest
    baseline plus later migrations, replayed through the cache) to the schema files.

    The file starts with a `-- pgmt-git: generated=... from=...` line: the hash of its text
    and of the state it was generated against. Its version is above every existing one,
    whatever the clock says. Statements PostgreSQL cannot run in one transaction go into
    sections of their own. Prints "no changes" and writes nothing when there is nothing to
    do."""
    import time

    from pgmt_git.pg.generation import new_migration

    project = load(app, **{"shadow.url": shadow_url})
    result = new_migration(state_reader(app, project), description=description, empty=empty,
                           now=int(time.time()))
    if result is None:
        click.echo("no changes: the migration chain already produces the schema files")
        return
    write_new_file(project_root(app), result.path, result.text)
    warn(app, result.hazards)
    count = len(result.changes)
    click.echo(f"wrote {result.path} ({count} change{'' if count == 1 else 's'})")


# ---------------------------------------------------------------------------- validate


@migrate.command("validate")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]),
              default="text", show_default=True)
@shadow_option
@pass_app
def validate_command(app: AppContext, output_format: str, shadow_url: str | None) -> None:
    """CI gate: the migration chain, replayed, must produce exactly the schema files.
    Exit 1 with the difference (what a new migration would contain)."""
    from pgmt_git.diff import changes_as_data, render_sql
    from pgmt_git.pg.states import diff_to_schema

    project = load(app, **{"shadow.url": shadow_url})
    reader = state_reader(app, project)
    changes = diff_to_schema(reader.chain(), reader.schema(), project)
    if output_format == "json":
        click.echo(json.dumps({"valid": not changes,
                               "changes": changes_as_data(changes)}, indent=2))
    elif changes:
        click.echo(render_sql(changes), nl=False)
        app.info(f"the migration chain does not produce the schema files: {len(changes)} "
                 "changes missing (above); generate them with `pgmt-git migrate new`")
    else:
        click.echo("valid: the migration chain produces the schema files")
    if changes:
        click.get_current_context().exit(1)


# ---------------------------------------------------------------------------- drift


@migrate.command("diff")
@target_option
@click.option("--against", type=click.Choice(["chain", "schema"]), default="chain",
              show_default=True,
              help="Compare with the state the migration chain produces, or the schema files.")
@click.option("--format", "output_format", type=click.Choice(["sql", "json", "summary"]),
              default="sql", show_default=True)
@shadow_option
@pass_app
def diff_command(app: AppContext, target_url: str | None, against: str, output_format: str,
                 shadow_url: str | None) -> None:
    """Drift: how the target differs from what it should be. `--format sql` prints the SQL
    that turns the target into the expected state. Exit 1 on drift."""
    from pgmt_git.commands.diff import render
    from pgmt_git.diff import diff_catalogs
    from pgmt_git.pg.states import diff_to_schema

    project = load(app, target_url=target_url, **{"shadow.url": shadow_url})
    target = project_target(project)
    reader = state_reader(app, project)
    expected = reader.chain() if against == "chain" else reader.schema()
    actual = _live_catalog(reader, target)
    if against == "schema":
        changes = diff_to_schema(actual, expected, project)
    else:
        changes = diff_catalogs(actual, expected, options=project.config.git.diff_options)
    label = "the migration chain" if against == "chain" else "the schema files"
    click.echo(render(changes, output_format, from_label=target.label, to_label=label),
               nl=False)
    if changes:
        app.info(f"drift: the {target.label} differs from {label} ({len(changes)} changes)")
        click.get_current_context().exit(1)
    app.info(f"no drift: the {target.label} matches {label}")


def _live_catalog(reader: Any, target: Target) -> Any:
    from pgmt_git.pg.target import connect_target

    with connect_target(target, purpose="migrate diff") as conn:
        return reader.load(conn)


@migrate.command("verify")
@target_option
@click.option("--format", "output_format", type=click.Choice(["text", "json"]),
              default="text", show_default=True)
@shadow_option
@pass_app
def verify_command(app: AppContext, target_url: str | None, output_format: str,
                   shadow_url: str | None) -> None:
    """List live objects on the target that the schema files do not declare. Exit 1 when
    there are any (`pgmt-git migrate pull` writes them to a file for review)."""
    from pgmt_git.pg.generation import undeclared

    project = load(app, target_url=target_url, **{"shadow.url": shadow_url})
    target = project_target(project)
    reader = state_reader(app, project)
    found = undeclared(_live_catalog(reader, target), reader.schema())
    objects = sorted({oid for change in found for oid in change.drops})
    if output_format == "json":
        click.echo(json.dumps({"target": target.label, "undeclared": [
            {"kind": oid.kind.value, "object": oid.qualified_text()} for oid in objects]},
            indent=2))
    else:
        for oid in objects:
            click.echo(f"{oid.kind.value} {oid.qualified_text()}")
        if objects:
            app.info(f"{len(objects)} objects on the {target.label} are not in the schema "
                     "files; `pgmt-git migrate pull` writes them out for review")
        else:
            app.info(f"every object on the {target.label} is declared in the schema files")
    if objects:
        click.get_current_context().exit(1)


@migrate.command("pull")
@target_option
@shadow_option
@pass_app
def pull_command(app: AppContext, target_url: str | None, shadow_url: str | None) -> None:
    """Write the live objects the schema files do not declare to
    `schema/_pulled/<timestamp>.sql`, for review."""
    from datetime import datetime, timezone

    from pgmt_git.pg.generation import pull_file_text, pulled

    project = load(app, target_url=target_url, **{"shadow.url": shadow_url})
    target = project_target(project)
    reader = state_reader(app, project)
    changes = pulled(_live_catalog(reader, target), reader.schema())
    if not changes:
        click.echo("nothing to pull: every object on the target is declared")
        return
    now = datetime.now(timezone.utc)
    schema_dir = project.config.directories.schema_dir
    path = f"{schema_dir}/_pulled/{now:%Y%m%d%H%M%S}.sql" if schema_dir else \
        f"_pulled/{now:%Y%m%d%H%M%S}.sql"
    text = pull_file_text(changes, project, source=f"the {target.label}",
                          when=now.strftime("%Y-%m-%d %H:%M:%S UTC"))
    write_new_file(project_root(app), path, text)
    click.echo(f"wrote {path} ({len(changes)} statements to review)")


# ---------------------------------------------------------------------------- provision


@migrate.command("provision")
@target_option
@click.option("--dry-run", is_flag=True, help="Show what would be applied; change nothing.")
@pass_app
def provision_command(app: AppContext, target_url: str | None, dry_run: bool) -> None:
    """Set up a new database: the latest baseline, then the migrations after it (all
    migrations when there is no baseline). On a database already set up, this is
    `migrate apply`."""
    from pgmt_git.pg.deploy import DeployOptions, provision

    project = load(app, target_url=target_url)
    target = project_target(project)
    with ProgressReporter(app, target.label) as reporter:
        result = provision(target, project, reporter, DeployOptions(dry_run=dry_run))
    _report_result(app, result, target, dry_run=dry_run)
