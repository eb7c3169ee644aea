"""What the tracking tables say about the project's migration files. Pure.

For every migration file: applied, partly applied (a run stopped inside it), pending, or
covered by the baseline the database was provisioned from. Along the way, what must stop an
apply:

- an applied section whose text, position, mode or module changed (pgmt's rule: the
  section is the unit of immutability, so whitespace between sections or an edit of a
  section that has not run yet is fine), or, for rows an older pgmt wrote without section
  checksums, any change of the file;
- an applied migration whose file is gone (unless a baseline file now covers it);
- a pending file older than the newest applied migration: it was merged late, and running
  it now applies changes in an order no other database saw;
- a baseline that a provision left half-applied.

pgmt misses the last three; the first is pgmt's own behaviour.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

from pgmt_git.migrate.records import MigrationRow, SectionRow, TrackingState
from pgmt_git.project.migrations import MigrationChain, MigrationFile
from pgmt_git.project.sections import Section, parse_sections, section_checksum


class FileState(str, enum.Enum):
    APPLIED = "applied"
    PARTIAL = "partial"  # started; some section not completed (failed, interrupted)
    PENDING = "pending"
    COVERED = "covered"  # at or below the baseline the database was provisioned from


class FindingKind(str, enum.Enum):
    MODIFIED = "modified"
    DELETED = "deleted"
    OUT_OF_ORDER = "out_of_order"
    INCOMPLETE_BASELINE = "incomplete_baseline"


@dataclass(frozen=True)
class Finding:
    kind: FindingKind
    version: int
    path: str | None
    message: str
    hint: str


@dataclass(frozen=True)
class SectionProgress:
    """A section of the file with its tracking row (None: not registered yet)."""

    section: Section
    checksum: str
    row: SectionRow | None

    @property
    def done(self) -> bool:
        return self.row is not None and self.row.status.covered


@dataclass(frozen=True)
class FileStatus:
    migration: MigrationFile
    state: FileState
    row: MigrationRow | None
    sections: tuple[SectionProgress, ...]
    # Section rows whose name the file no longer has.
    orphans: tuple[SectionRow, ...] = ()

    @property
    def to_run(self) -> tuple[SectionProgress, ...]:
        if self.state not in (FileState.PENDING, FileState.PARTIAL):
            return ()
        return tuple(p for p in self.sections if not p.done)


@dataclass(frozen=True)
class ChecksumUpdate:
    """A stored checksum to bring up to date: a section that has not run yet was edited
    (``section`` set), or the file changed outside its applied sections (``section`` None)."""

    version: int
    is_baseline: bool
    section: str | None
    old: str | None
    new: str
    mode: str | None = None
    module: str | None = None


@dataclass(frozen=True)
class Overrides:
    allow_out_of_order: bool = False
    allow_deleted: bool = False


@dataclass(frozen=True)
class Assessment:
    files: tuple[FileStatus, ...]
    deleted: tuple[MigrationRow, ...]
    findings: tuple[Finding, ...]
    checksum_updates: tuple[ChecksumUpdate, ...]
    watermark: int | None

    @property
    def pending(self) -> tuple[FileStatus, ...]:
        return tuple(f for f in self.files if f.state in (FileState.PENDING, FileState.PARTIAL))

    def blocking(self, overrides: Overrides = Overrides()) -> tuple[Finding, ...]:
        """The findings that stop an apply given the overrides."""
        allowed = set()
        if overrides.allow_out_of_order:
            allowed.add(FindingKind.OUT_OF_ORDER)
        if overrides.allow_deleted:
            allowed.add(FindingKind.DELETED)
        return tuple(f for f in self.findings if f.kind not in allowed)


def file_sections(migration: MigrationFile) -> tuple[Section, ...]:
    return parse_sections(migration.text, path=migration.path)


def assess(chain: MigrationChain, state: TrackingState) -> Assessment:
    watermark = state.baseline_watermark
    files = tuple(_file_status(m, state, watermark) for m in chain.migrations)
    findings: list[Finding] = []
    updates: list[ChecksumUpdate] = []
    for status in files:
        found, fixes = _check_applied(status)
        findings += found
        updates += fixes
    deleted = _deleted(chain, state)
    findings += [_deleted_finding(row) for row in deleted]
    findings += _out_of_order(files, state)
    findings += _incomplete_baselines(state)
    return Assessment(files, deleted, tuple(findings), tuple(updates), watermark)


def _file_status(migration: MigrationFile, state: TrackingState,
                 watermark: int | None) -> FileStatus:
    row = state.row(migration.version)
    rows = {r.name: r for r in state.sections_of(migration.version)}
    sections = tuple(SectionProgress(s, section_checksum(s), rows.get(s.name))
                     for s in file_sections(migration))
    names = {p.section.name for p in sections}
    orphans = tuple(r for r in rows.values() if r.name not in names)
    if row is None:
        covered = watermark is not None and migration.version <= watermark
        return FileStatus(migration, FileState.COVERED if covered else FileState.PENDING,
                          None, sections, orphans)
    if _legacy(rows.values()):
        # Written by a pgmt that recorded migrations only once they had run (its section
        # rows, if any, were filled in when section tracking arrived): applied.
        return FileStatus(migration, FileState.APPLIED, row, sections)
    done = all(p.done for p in sections)
    state_ = FileState.APPLIED if done else FileState.PARTIAL
    return FileStatus(migration, state_, row, sections, orphans)


def _legacy(rows: Iterable[SectionRow]) -> bool:
    return all(r.checksum is None and r.status.covered for r in rows)


def _check_applied(status: FileStatus) -> tuple[list[Finding], list[ChecksumUpdate]]:
    row = status.row
    if row is None:
        return [], []
    migration = status.migration
    recorded = [p for p in status.sections if p.row is not None and p.row.checksum is not None]
    if not recorded and not any(r.checksum for r in status.orphans):
        # Only the whole-file checksum to go by (a pgmt older than section checksums).
        if row.checksum != migration.checksum:
            return [_modified(migration, row.checksum, migration.checksum)], []
        return [], []
    findings = [f for p in status.sections if (f := _section_changed(migration, p))]
    findings += _sections_gone(status)
    if findings:
        return findings, []
    updates = [ChecksumUpdate(migration.version, False, p.section.name, p.row.checksum,
                              p.checksum, p.section.mode.value, p.section.module)
               for p in recorded if not p.done and p.row.checksum != p.checksum]
    if row.checksum != migration.checksum:
        updates.append(ChecksumUpdate(migration.version, False, None, row.checksum,
                                      migration.checksum))
    return [], updates


def _section_changed(migration: MigrationFile, progress: SectionProgress) -> Finding | None:
    row = progress.row
    if row is None or not progress.done or row.checksum is None:
        return None
    section = progress.section
    name = f"section '{section.name}'"
    if row.checksum != progress.checksum:
        return _modified(migration, row.checksum, progress.checksum, section=section.name)
    if row.order != section.order:
        what = f"{name} moved from position {row.order + 1} to {section.order + 1}"
    elif row.mode is not None and row.mode != section.mode.value:
        what = f"{name} changed mode from {row.mode} to {section.mode.value}"
    elif row.module != section.module:
        what = f"{name} changed module from {row.module or '(none)'} to {section.module or '(none)'}"
    else:
        return None
    return Finding(FindingKind.MODIFIED, migration.version, migration.path,
                   f"{migration.path} was modified after it was applied: {what}",
                   _hint(migration))


def _sections_gone(status: FileStatus) -> list[Finding]:
    migration = status.migration
    return [Finding(FindingKind.MODIFIED, migration.version, migration.path,
                    f"{migration.path} was modified after it was applied: section "
                    f"'{row.name}' ran but is no longer in the file", _hint(migration))
            for row in sorted(status.orphans, key=lambda r: r.order)
            if row.status.covered and row.checksum is not None]


_IMMUTABLE_HINT = (
    "applied migrations are immutable: restore the file (e.g. `git checkout -- <file>`) and "
    "put further changes in a new migration (`pgmt-git migrate new`); if the edit is "
    "deliberate and the database already matches it, re-stamp the checksum with "
    "`pgmt-git migrate resolve --restamp VERSION`"
)


def _hint(migration: MigrationFile) -> str:
    return _IMMUTABLE_HINT.replace("<file>", migration.path).replace(
        "VERSION", str(migration.version))


def _modified(migration: MigrationFile, recorded: str, current: str, *,
              section: str | None = None) -> Finding:
    what = f"section '{section}'" if section else "the file"
    return Finding(
        FindingKind.MODIFIED, migration.version, migration.path,
        f"{migration.path} was modified after it was applied: {what} had checksum "
        f"{recorded} when it ran, it has {current} now",
        _hint(migration))


def _deleted(chain: MigrationChain, state: TrackingState) -> tuple[MigrationRow, ...]:
    on_disk = {m.version for m in chain.migrations}
    newest_baseline = max((b.version for b in chain.baselines), default=None)
    return tuple(
        row for row in sorted(state.migrations, key=lambda r: r.version)
        if not row.is_baseline and row.version not in on_disk
        and (newest_baseline is None or row.version > newest_baseline))


def _deleted_finding(row: MigrationRow) -> Finding:
    when = f" on {row.applied_at:%Y-%m-%d %H:%M:%S %Z}".rstrip() if row.applied_at else ""
    who = f" by {row.applied_by}" if row.applied_by else ""
    return Finding(
        FindingKind.DELETED, row.version, None,
        f"migration {row.version} ({row.description}) was applied{when}{who}, but its file "
        "is no longer in the migrations directory",
        "restore the file from git (`git log --diff-filter=D -- <migrations dir>` finds it); "
        "if removing it was deliberate, pass --allow-deleted")


def _out_of_order(files: tuple[FileStatus, ...], state: TrackingState) -> list[Finding]:
    applied = [r.version for r in state.migrations if not r.is_baseline]
    if not applied:
        return []
    newest = max(applied)
    return [
        Finding(FindingKind.OUT_OF_ORDER, f.migration.version, f.migration.path,
                f"{f.migration.path} is pending but older than migration {newest}, which is "
                "already applied: it was added after newer migrations ran here",
                "give it a version above the newest applied one (regenerate it with "
                "`pgmt-git migrate new` on top of the current chain), or pass "
                "--allow-out-of-order to apply it anyway")
        for f in files if f.state is FileState.PENDING and f.migration.version < newest]


def _incomplete_baselines(state: TrackingState) -> list[Finding]:
    return [
        Finding(FindingKind.INCOMPLETE_BASELINE, row.version, None,
                f"baseline {row.version} is only partly applied: a `migrate provision` did "
                "not finish", "finish it with `pgmt-git migrate provision`")
        for row in state.migrations
        if row.is_baseline and not state.is_applied(row.version, baseline=True)]
