"""``migrate apply`` and ``migrate provision``: validate, lock, then run what is pending.

Order of a run: connect, take the migration lock (waiting, and saying for whom, if another
run holds it), create or upgrade the tracking tables, read them, refuse what must not run
(see migrate/assess.py), check the first pending migration's ``from=`` hash against the
target's catalog, then run each pending migration's unfinished sections in order.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

import psycopg

from pgmt_git.errors import CheckFailed
from pgmt_git.migrate.assess import (
    Assessment,
    FileState,
    FileStatus,
    Finding,
    Overrides,
    SectionProgress,
    assess,
    file_sections,
)
from pgmt_git.migrate.hashing import catalog_hash, comparable
from pgmt_git.migrate.records import TrackingState
from pgmt_git.pg import tracking
from pgmt_git.pg.applier import Reporter, SectionRunner
from pgmt_git.pg.locking import LockHolder, migration_lock
from pgmt_git.pg.target import Target, connect_target
from pgmt_git.pg.tracking import TrackingTables
from pgmt_git.project.migrations import MigrationFile, parse_generated_header
from pgmt_git.project.sections import section_checksum
from pgmt_git.project.source import Project

# A killed pgmt-git must not leave its backend running the section's statements (and
# holding their locks) until they end: PostgreSQL 14+ then checks the client is still
# there while a statement runs.
_CONNECTION_CHECK = "SET client_connection_check_interval = '1s'"


class DeployReporter(Reporter, Protocol):
    def waiting(self, holders: tuple[LockHolder, ...]) -> None: ...

    def migration_start(self, migration: MigrationFile, *, done: int, total: int) -> None: ...

    def section_skipped(self, position: int, total: int, name: str) -> None: ...


@dataclass(frozen=True)
class DeployOptions:
    overrides: Overrides = Overrides()
    force_after_drift: bool = False
    dry_run: bool = False


@dataclass(frozen=True)
class DeployResult:
    applied: tuple[MigrationFile, ...] = ()
    would_apply: tuple[MigrationFile, ...] = ()  # --dry-run


class Deployment:
    """One run against one target, on one connection that holds the migration lock."""

    def __init__(self, conn: psycopg.Connection, project: Project,
                 reporter: DeployReporter) -> None:
        self.conn = conn
        self.project = project
        self.tables = TrackingTables.from_config(project.config.migration.tracking_table)
        self.reporter = reporter
        self.runner = SectionRunner(conn, self.tables, reporter)

    def read(self) -> TrackingState:
        return tracking.read_state(self.conn, self.tables)

    def assess(self, options: DeployOptions) -> Assessment:
        result = assess(self.project.chain, self.read())
        refuse(result.blocking(options.overrides))
        return result

    def sync_checksums(self, result: Assessment) -> None:
        for update in result.checksum_updates:
            what = f"section '{update.section}'" if update.section else "the file"
            self.reporter.notice(f"migration {update.version}: {what} changed where it has "
                                 "not run yet; its stored checksum is updated")
        tracking.apply_checksum_updates(self.conn, self.tables, result.checksum_updates)

    def check_drift(self, status: FileStatus, options: DeployOptions) -> None:
        header = parse_generated_header(status.migration.text)
        if header is None or status.state is not FileState.PENDING:
            return
        if not comparable(header.from_hash):
            self.reporter.notice(f"{status.migration.path}: its from= hash is of another "
                                 "pgmt-git version; the target's state is not checked")
            return
        from pgmt_git.pg.states import load_managed

        actual = catalog_hash(load_managed(self.conn, self.project.config))
        if actual == header.from_hash:
            return
        message = (f"{status.migration.path} was generated against a database state "
                   f"({header.from_hash}) that is not the target's ({actual}): the target "
                   "drifted from the migration chain, or the migration was generated on top of "
                   "a chain that has changed since")
        if options.force_after_drift:
            self.reporter.notice(f"{message}; applying anyway (--force-after-drift)")
            return
        raise CheckFailed(message, hint="see the difference with `pgmt-git migrate diff "
                                        "--target-url URL`; regenerate the migration, or pass "
                                        "--force-after-drift to apply it anyway")

    def run_file(self, status: FileStatus) -> None:
        migration = status.migration
        sections = [p.section for p in status.sections]
        if status.row is None:
            tracking.register_start(self.conn, self.tables, migration, sections)
        else:
            missing = [p.section for p in status.sections if p.row is None]
            tracking.insert_pending(self.conn, self.tables, migration.version,
                                    migration.is_baseline, missing)
        total = len(status.sections)
        done = sum(1 for p in status.sections if p.done)
        self.reporter.migration_start(migration, done=done, total=total)
        for position, progress in enumerate(status.sections, start=1):
            if progress.done:
                self.reporter.section_skipped(position, total, progress.section.name)
                continue
            self.runner.run(migration, progress.section, position=position, total=total)

    def run_pending(self, options: DeployOptions) -> DeployResult:
        result = self.assess(options)
        pending = result.pending
        if options.dry_run:
            return DeployResult(would_apply=tuple(f.migration for f in pending))
        self.sync_checksums(result)
        if pending:
            self.check_drift(pending[0], options)
        for status in pending:
            self.run_file(status)
        return DeployResult(applied=tuple(f.migration for f in pending))


def refuse(findings: Sequence[Finding]) -> None:
    if not findings:
        return
    message = "\n".join(f"{f.message}\n  hint: {f.hint}" for f in findings)
    count = f"{len(findings)} problems" if len(findings) > 1 else "a problem"
    raise CheckFailed(f"refusing to apply: {count} with the migrations\n{message}")


def _session(target: Target, purpose: str) -> psycopg.Connection:
    conn = connect_target(target, purpose=purpose)
    if conn.info.server_version >= 140000:
        try:
            conn.execute(_CONNECTION_CHECK)
        except psycopg.Error:
            pass  # a platform where PostgreSQL cannot watch the socket (it refuses the value)
    return conn


def _run(target: Target, project: Project, reporter: DeployReporter, options: DeployOptions,
         purpose: str, body: Callable[[Deployment], DeployResult]) -> DeployResult:
    with _session(target, purpose) as conn:
        deployment = Deployment(conn, project, reporter)
        if options.dry_run:
            return body(deployment)
        with migration_lock(conn, deployment.tables, on_wait=reporter.waiting):
            tracking.ensure_tables(conn, deployment.tables)
            return body(deployment)


def apply_migrations(target: Target, project: Project, reporter: DeployReporter,
                     options: DeployOptions = DeployOptions()) -> DeployResult:
    """``migrate apply``: run every pending migration on an established target."""
    def body(deployment: Deployment) -> DeployResult:
        if project.chain.baselines and not deployment.read().migrations:
            raise CheckFailed(
                f"the {target.label} has no migrations recorded, and the project has "
                "baselines: a new database starts from the latest baseline",
                hint="run `pgmt-git migrate provision` (it applies the latest baseline, then "
                     "the migrations after it)")
        return deployment.run_pending(options)

    return _run(target, project, reporter, options, "migrate apply", body)


def provision(target: Target, project: Project, reporter: DeployReporter,
              options: DeployOptions = DeployOptions()) -> DeployResult:
    """``migrate provision``: a new database from the latest baseline and the migrations
    after it (or all migrations without a baseline); on an established database, what
    ``migrate apply`` does."""
    def body(deployment: Deployment) -> DeployResult:
        state = deployment.read()
        baseline = project.chain.latest_baseline()
        if baseline is not None and _needs_baseline(state, baseline):
            if options.dry_run:
                later = deployment.run_pending(options).would_apply
                return DeployResult(would_apply=(baseline, *_after(later, baseline)))
            _run_baseline(deployment, state, baseline)
            result = deployment.run_pending(options)
            return DeployResult(applied=(baseline, *result.applied))
        return deployment.run_pending(options)

    return _run(target, project, reporter, options, "migrate provision", body)


def _needs_baseline(state: TrackingState, baseline: MigrationFile) -> bool:
    """A fresh target, or one whose provision from this baseline did not finish."""
    if state.row(baseline.version, baseline=True) is not None:
        return not state.is_applied(baseline.version, baseline=True)
    return not state.migrations


def _after(files: Sequence[MigrationFile], baseline: MigrationFile) -> tuple[MigrationFile, ...]:
    return tuple(f for f in files if f.version > baseline.version)


def _run_baseline(deployment: Deployment, state: TrackingState,
                  baseline: MigrationFile) -> None:
    row = state.row(baseline.version, baseline=True)
    if row is not None and row.checksum != baseline.checksum:
        raise CheckFailed(
            f"{baseline.path} changed after a provision started applying it (checksum "
            f"{row.checksum} then, {baseline.checksum} now)",
            hint="restore the baseline as it was to resume, or provision a new database")
    rows = {r.name: r for r in state.sections_of(baseline.version, baseline=True)}
    sections = tuple(SectionProgress(s, section_checksum(s), rows.get(s.name))
                     for s in file_sections(baseline))
    file_state = FileState.PENDING if row is None else FileState.PARTIAL
    deployment.run_file(FileStatus(baseline, file_state, row, sections))
