"""Break-glass repairs of the tracking rows: ``migrate resolve`` and ``migrate mark-applied``.

Each one changes one migration (or one section), under the migration lock, and says what it
changed. None of them runs a migration's SQL.
"""

from __future__ import annotations

from collections.abc import Callable

from pgmt_git.errors import CheckFailed, UsageError
from pgmt_git.migrate.assess import file_sections
from pgmt_git.migrate.records import SectionRow, TrackingState
from pgmt_git.pg import tracking
from pgmt_git.pg.deploy import DeployReporter
from pgmt_git.pg.locking import migration_lock
from pgmt_git.pg.replay import Progress
from pgmt_git.pg.target import Target, connect_target
from pgmt_git.pg.tracking import TrackingTables
from pgmt_git.project.migrations import MigrationFile
from pgmt_git.project.sections import Section, section_checksum
from pgmt_git.project.source import Project, ReplayInput


def parse_coordinate(text: str) -> tuple[int, str | None]:
    """``VERSION`` or ``VERSION/SECTION``."""
    version_text, _, section = text.partition("/")
    if not version_text.isdigit():
        raise UsageError(f"{text!r}: expected VERSION or VERSION/SECTION",
                         hint="e.g. 1700000000 or 1700000000/create_index")
    return int(version_text), section or None


class _Session:
    def __init__(self, target: Target, project: Project, reporter: DeployReporter,
                 purpose: str) -> None:
        self.target = target
        self.project = project
        self.reporter = reporter
        self.purpose = purpose
        self.tables = TrackingTables.from_config(project.config.migration.tracking_table)

    def run(self, body: Callable[..., list[str]]) -> list[str]:
        with connect_target(self.target, purpose=self.purpose) as conn:
            with migration_lock(conn, self.tables, on_wait=self.reporter.waiting):
                tracking.ensure_tables(conn, self.tables)
                return body(conn, tracking.read_state(conn, self.tables))


def _file(project: Project, version: int, is_baseline: bool) -> MigrationFile | None:
    files = project.chain.baselines if is_baseline else project.chain.migrations
    return next((f for f in files if f.version == version), None)


def _kind(is_baseline: bool) -> str:
    return "baseline" if is_baseline else "migration"


def _rows(state: TrackingState, version: int, is_baseline: bool,
          section: str | None) -> tuple[SectionRow, ...]:
    if state.row(version, baseline=is_baseline) is None:
        raise CheckFailed(f"{_kind(is_baseline)} {version} is not recorded on the target",
                          hint="resolve only changes existing rows; `pgmt-git migrate apply` "
                               "registers a migration when it starts it")
    rows = state.sections_of(version, baseline=is_baseline)
    if section is None:
        return rows
    chosen = tuple(r for r in rows if r.name == section)
    if not chosen:
        names = ", ".join(r.name for r in rows) or "none"
        raise CheckFailed(f"{_kind(is_baseline)} {version} has no section '{section}' "
                          f"recorded (recorded: {names})")
    return chosen


def mark_completed(target: Target, project: Project, version: int, section: str | None,
                   is_baseline: bool, *, reporter: DeployReporter) -> list[str]:
    session = _Session(target, project, reporter, "migrate resolve")

    def body(conn, state: TrackingState) -> list[str]:  # type: ignore[no-untyped-def]
        rows = [r for r in _rows(state, version, is_baseline, section)
                if not r.status.covered]
        if not rows:
            raise CheckFailed(f"nothing to mark: every selected section of {_kind(is_baseline)} "
                              f"{version} is already completed")
        migration = _file(project, version, is_baseline)
        sections = {s.name: s for s in file_sections(migration)} if migration else {}
        lines = []
        for row in rows:
            tracking.mark_completed_by_hand(conn, session.tables, version, is_baseline,
                                            sections.get(row.name), row.name)
            lines.append(f"{_kind(is_baseline)} {version}, section '{row.name}': "
                         f"{row.status.value} -> completed (not run)")
        return lines

    return session.run(body)


def restamp(target: Target, project: Project, version: int, section: str | None,
            is_baseline: bool, *, reporter: DeployReporter) -> list[str]:
    session = _Session(target, project, reporter, "migrate resolve")
    migration = _file(project, version, is_baseline)
    if migration is None:
        raise CheckFailed(f"no {_kind(is_baseline)} file has version {version}",
                          hint="--restamp recomputes checksums from the file")

    def body(conn, state: TrackingState) -> list[str]:  # type: ignore[no-untyped-def]
        rows = _rows(state, version, is_baseline, section)
        sections = {s.name: s for s in file_sections(migration)}
        lines = []
        for row in rows:
            if not row.status.covered or row.checksum is None and row.name not in sections:
                continue
            current = sections.get(row.name)
            if current is None:
                raise CheckFailed(f"section '{row.name}' of {migration.path} ran but is no "
                                  "longer in the file; it cannot be re-stamped")
            _restamp_section(conn, session.tables, row, current)
            lines.append(f"{migration.path}, section '{row.name}': checksum "
                         f"{row.checksum or '(none)'} -> {section_checksum(current)}")
        tracking.apply_checksum_updates(conn, session.tables, [_file_update(migration)])
        lines.append(f"{migration.path}: file checksum -> {migration.checksum}")
        return lines

    return session.run(body)


def _restamp_section(conn, tables: TrackingTables, row: SectionRow,  # type: ignore[no-untyped-def]
                     section: Section) -> None:
    from pgmt_git.migrate.assess import ChecksumUpdate

    tracking.apply_checksum_updates(conn, tables, [ChecksumUpdate(
        row.version, row.is_baseline, row.name, row.checksum, section_checksum(section),
        section.mode.value, section.module)])


def _file_update(migration: MigrationFile):  # type: ignore[no-untyped-def]
    from pgmt_git.migrate.assess import ChecksumUpdate

    return ChecksumUpdate(migration.version, migration.is_baseline, None, None,
                          migration.checksum)


def mark_applied(target: Target, project: Project, migration: MigrationFile, *, check: bool,
                 reporter: DeployReporter,
                 progress: Callable[[], Progress | None]) -> list[str]:
    lines = []
    if check:
        lines.append(_check_effect(target, project, migration, progress))
    session = _Session(target, project, reporter, "migrate mark-applied")

    def body(conn, state: TrackingState) -> list[str]:  # type: ignore[no-untyped-def]
        if state.row(migration.version) is not None:
            raise CheckFailed(f"{migration.path} is already recorded on the target",
                              hint="see `pgmt-git migrate status --sections`; unfinished "
                                   "sections are marked with `migrate resolve "
                                   "--mark-completed`")
        tracking.record_applied(conn, session.tables, migration, file_sections(migration))
        return [f"recorded {migration.path} as applied (not run)"]

    return lines + session.run(body)


def _check_effect(target: Target, project: Project, migration: MigrationFile,
                  progress: Callable[[], Progress | None]) -> str:
    from pgmt_git.diff import diff_catalogs, render_sql
    from pgmt_git.pg.states import StateReader, migration_effect, missing_effects

    reader = StateReader(project, progress=progress)
    source = ReplayInput(migration.path, migration.text, "migration")
    after, effect = migration_effect(reader, migration.version, source)
    if not effect:
        return (f"{migration.path} changes no schema object; nothing to check on the target "
                "(its data changes cannot be checked)")
    with connect_target(target, purpose="migrate mark-applied") as conn:
        actual = reader.load(conn)
    missing = missing_effects(effect, diff_catalogs(actual, after,
                                                    options=project.config.git.diff_options))
    if missing:
        raise CheckFailed(
            f"the target does not have the effect of {migration.path}; this would still be "
            f"needed:\n{render_sql(missing).rstrip()}",
            hint="apply it with `pgmt-git migrate apply`, or pass --force to record it anyway")
    return f"the target has the effect of {migration.path} ({len(effect)} changes checked)"
