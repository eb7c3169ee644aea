"""The text of a generated migration: statements cut into sections where PostgreSQL needs
it. Pure: changes and the starting catalog in, file text out.

One transactional section (a file without section headers) is the norm. A file is cut
where one transaction cannot hold everything:

- an index on a table that already exists is built with ``CREATE INDEX CONCURRENTLY``, in a
  non-transactional section of its own, so writes to the table go on while it builds
  (PostgreSQL refuses CONCURRENTLY inside a transaction block; a table created by the same
  migration has no rows and nobody writing to it, so its indexes stay in the transaction);
- ``ALTER TYPE ... ADD VALUE`` ends its section: the new label cannot be used before it is
  committed, and a later statement may use it.

Sections of a cut file get timeouts a production deploy wants: a short ``lock_timeout`` with
retries, so a migration waiting for a lock does not queue every other query behind it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pgmt_git.diff import Change, Statement
from pgmt_git.diff.changes import CreateIndex
from pgmt_git.diff.hazards import Hazard, HazardKind
from pgmt_git.diff.model import Catalog, Table
from pgmt_git.project.migrations import sanitize_description
from pgmt_git.project.sections import (
    DEFAULT_TIMEOUT_MS,
    OnLockTimeout,
    RetryBackoff,
    Section,
    SectionMode,
    render_section_header,
)

_CREATE_INDEX = re.compile(r"^CREATE (UNIQUE )?INDEX ")


@dataclass(frozen=True)
class SectionPolicy:
    """The settings of one kind of generated section."""

    timeout_ms: int = DEFAULT_TIMEOUT_MS
    lock_timeout_ms: int | None = None
    retry_attempts: int = 1
    retry_delay_ms: int = 0
    retry_backoff: RetryBackoff = RetryBackoff.NONE
    on_lock_timeout: OnLockTimeout = OnLockTimeout.FAIL


# Waiting 5 s for a lock, five times, beats holding every query on the table in the lock
# queue behind an ALTER for minutes.
TRANSACTIONAL_POLICY = SectionPolicy(lock_timeout_ms=5_000, retry_attempts=5,
                                     retry_delay_ms=1_000, retry_backoff=RetryBackoff.EXPONENTIAL,
                                     on_lock_timeout=OnLockTimeout.RETRY)
# An index build takes as long as the table is big: an hour before giving up.
CONCURRENT_INDEX_POLICY = SectionPolicy(timeout_ms=3_600_000, lock_timeout_ms=10_000,
                                        retry_attempts=5, retry_delay_ms=5_000,
                                        retry_backoff=RetryBackoff.EXPONENTIAL,
                                        on_lock_timeout=OnLockTimeout.RETRY)


@dataclass(frozen=True)
class _Piece:
    sql: str
    change: Change
    concurrent: bool = False
    commit_after: bool = False


@dataclass(frozen=True)
class PlannedSection:
    name: str
    mode: SectionMode
    pieces: tuple[_Piece, ...]
    policy: SectionPolicy


def migration_body(changes: Sequence[Change], statements: Sequence[Statement],
                   old: Catalog) -> str:
    """The migration's text (without the generated-by line). Empty for no statements."""
    if not statements:
        return ""
    sections = plan_sections(changes, statements, old)
    if len(sections) == 1 and sections[0].mode is SectionMode.TRANSACTIONAL:
        return _blocks(sections[0].pieces)
    return "\n".join(_section_text(s, order) for order, s in enumerate(sections))


def plan_sections(changes: Sequence[Change], statements: Sequence[Statement],
                  old: Catalog) -> tuple[PlannedSection, ...]:
    created = {oid for change in changes for oid in change.creates}
    pieces = [_piece(s, old, created) for s in statements]
    runs: list[list[_Piece]] = [[]]
    for piece in pieces:
        if piece.concurrent:
            runs += [[piece], []]
            continue
        runs[-1].append(piece)
        if piece.commit_after:
            runs.append([])
    runs = [run for run in runs if run]
    return _named(runs)


def _piece(statement: Statement, old: Catalog, created: set[object]) -> _Piece:
    change = statement.change
    if isinstance(change, CreateIndex) and _concurrent_candidate(change, old, created):
        match = _CREATE_INDEX.match(statement.sql)
        if match:
            sql = f"{match.group(0)}CONCURRENTLY {statement.sql[match.end():]}"
            return _Piece(sql, change, concurrent=True)
    return _Piece(statement.sql, change, commit_after=statement.commit_after)


def _concurrent_candidate(change: CreateIndex, old: Catalog, created: set[object]) -> bool:
    """An index on a plain table that exists before the migration and is not recreated
    by it (PostgreSQL cannot build a partitioned table's index concurrently)."""
    parent = change.index.parent
    table = old.get(parent)
    return isinstance(table, Table) and table.partition_key is None and parent not in created


def _named(runs: list[list[_Piece]]) -> tuple[PlannedSection, ...]:
    transactional = sum(1 for run in runs if not run[0].concurrent)
    used: set[str] = set()
    sections = []
    count = 0
    for run in runs:
        if run[0].concurrent:
            index = run[0].change
            assert isinstance(index, CreateIndex)
            name = _unique(f"create_index_{sanitize_description(index.index.name)}", used)
            sections.append(PlannedSection(name, SectionMode.NON_TRANSACTIONAL, tuple(run),
                                           CONCURRENT_INDEX_POLICY))
            continue
        count += 1
        base = "changes" if transactional == 1 else f"changes_{count}"
        sections.append(PlannedSection(_unique(base, used), SectionMode.TRANSACTIONAL,
                                       tuple(run), TRANSACTIONAL_POLICY))
    return tuple(sections)


def _unique(name: str, used: set[str]) -> str:
    candidate, n = name, 1
    while candidate in used:
        n += 1
        candidate = f"{name}_{n}"
    used.add(candidate)
    return candidate


def _section_text(section: PlannedSection, order: int) -> str:
    policy = section.policy
    header = render_section_header(Section(
        name=section.name, mode=section.mode, timeout_ms=policy.timeout_ms,
        lock_timeout_ms=policy.lock_timeout_ms, retry_attempts=policy.retry_attempts,
        retry_delay_ms=policy.retry_delay_ms, retry_backoff=policy.retry_backoff,
        on_lock_timeout=policy.on_lock_timeout, description=None, header_lines=(), body="",
        body_line=0, body_offset=0, order=order))
    return header + _blocks(section.pieces)


def _blocks(pieces: Iterable[_Piece]) -> str:
    """Statements of one change together, a blank line between changes, each change's
    hazards as comments above it."""
    blocks: list[str] = []
    last: Change | None = None
    for piece in pieces:
        if piece.change is last:
            blocks[-1] += f"\n{piece.sql};"
            continue
        comments = "".join(f"-- hazard {h.kind.value}: {_one_line(h.message)}\n"
                           for h in piece.change.hazards
                           if not (piece.concurrent and h.kind is HazardKind.LONG_LOCK))
        blocks.append(f"{comments}{piece.sql};")
        last = piece.change
    return "\n\n".join(blocks) + "\n"


def hazards(changes: Sequence[Change], statements: Sequence[Statement],
            old: Catalog) -> tuple[tuple[Change, Hazard], ...]:
    """The hazards of the migration as generated: an index built concurrently does not
    block writes, so its ``long_lock`` is gone."""
    concurrent = {id(p.change) for s in plan_sections(changes, statements, old)
                  for p in s.pieces if p.concurrent}
    return tuple((c, h) for c in changes for h in c.hazards
                 if not (id(c) in concurrent and h.kind is HazardKind.LONG_LOCK))


def _one_line(text: str) -> str:
    return " ".join(text.split())


def default_description(changes: Sequence[Change]) -> str:
    """A description for a migration the user did not name: its first change."""
    if not changes:
        return "empty"
    first = changes[0]
    text = f"{first.action}_{first.id.name}"
    if len(changes) > 1:
        text += "_and_more"
    return sanitize_description(text)[:80] or "migration"


def next_version(now: int, existing: Iterable[int]) -> int:
    """The Unix time, or one above the newest existing version when the clock is behind it
    (a version must be greater than every version already in the chain)."""
    return max([now, *(v + 1 for v in existing)])
