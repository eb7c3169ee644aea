"""Rows of pgmt's tracking tables, as plain values.

``pgmt_migrations`` has one row per migration or baseline that was started; its
``pgmt_migrations_sections`` rows say how far each section got. A version is applied when
every section of its file is covered (``completed``, or ``satisfied`` for pgmt's modules);
a row without any section rows was written by a pgmt older than section tracking, which
recorded migrations only once they had run, so it counts as applied.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime


class SectionStatus(str, enum.Enum):
    PENDING = "pending"
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"
    SATISFIED = "satisfied"  # pgmt modules: the objects exist under another module's name

    @property
    def covered(self) -> bool:
        return self in (SectionStatus.COMPLETED, SectionStatus.SATISFIED)

    @classmethod
    def parse(cls, value: str) -> "SectionStatus":
        try:
            return cls(value)
        except ValueError:
            raise ValueError(f"unknown section status {value!r} in the tracking table") from None


@dataclass(frozen=True)
class MigrationRow:
    """A row of ``pgmt_migrations``."""

    version: int
    is_baseline: bool
    description: str
    checksum: str
    applied_at: datetime | None = None
    applied_by: str | None = None


@dataclass(frozen=True)
class SectionRow:
    """A row of ``pgmt_migrations_sections``. ``checksum`` None: written by an older pgmt."""

    version: int
    is_baseline: bool
    name: str
    order: int
    status: SectionStatus
    attempts: int = 0
    checksum: str | None = None
    mode: str | None = None
    module: str | None = None
    started_at: datetime | None = None
    completed_at: datetime | None = None
    last_error: str | None = None
    rows_affected: int | None = None
    duration_ms: int | None = None
    applied_by: str | None = None
    pgmt_version: str | None = None


Key = tuple[int, bool]  # (version, is_baseline)


@dataclass(frozen=True)
class TrackingState:
    """Everything the tracking tables hold (empty when they do not exist yet)."""

    migrations: tuple[MigrationRow, ...] = ()
    sections: tuple[SectionRow, ...] = ()

    def row(self, version: int, *, baseline: bool = False) -> MigrationRow | None:
        for row in self.migrations:
            if row.version == version and row.is_baseline == baseline:
                return row
        return None

    def sections_of(self, version: int, *, baseline: bool = False) -> tuple[SectionRow, ...]:
        found = [s for s in self.sections if s.version == version and s.is_baseline == baseline]
        return tuple(sorted(found, key=lambda s: (s.order, s.name)))

    def is_applied(self, version: int, *, baseline: bool = False) -> bool:
        """Started and every recorded section covered (legacy rows have none: applied)."""
        if self.row(version, baseline=baseline) is None:
            return False
        return all(s.status.covered for s in self.sections_of(version, baseline=baseline))

    @property
    def baseline_watermark(self) -> int | None:
        """The newest baseline this database was provisioned from, if complete: it covers
        every migration up to its version."""
        versions = [r.version for r in self.migrations
                    if r.is_baseline and self.is_applied(r.version, baseline=True)]
        return max(versions, default=None)

    @property
    def newest_version(self) -> int | None:
        return max((r.version for r in self.migrations), default=None)
