"""How a replay runs a file: which statements go together in which transaction. Pure.

A replay is not an apply: shadow databases are throwaway, so a file need not be atomic. The
units below are chosen for speed and for PostgreSQL's limits:

- a transactional stretch runs as one transaction, sent as few simple-query batches;
- but at most ``max_statements`` statements per transaction: every relation a transaction
  creates stays locked until it ends (about 14 lock-table entries per table with its
  indexes), and a stock server's shared lock table (max_locks_per_transaction x backends)
  is exhausted long before the end of a few-thousand-table schema file. Committing in
  chunks keeps each transaction well under that whatever the file's size;
- statements PostgreSQL refuses in a transaction block, and whole non-transactional or
  autocommit sections, run one by one in autocommit (pgmt sends such a section as one
  string, which PostgreSQL then runs as one implicit transaction: CONCURRENTLY fails);
- a roles file runs one statement per savepoint: roles are cluster-wide, so on a shared
  server a role may already exist, and CREATE ROLE of an existing role is not an error here.
"""

from __future__ import annotations

import bisect
import enum
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from pgmt_git.errors import SourceError

DEFAULT_MAX_STATEMENTS = 250


class FileKind(str, enum.Enum):
    ROLES = "roles"
    SCHEMA = "schema"
    MIGRATION = "migration"
    BASELINE = "baseline"


class ReplaySource(Protocol):
    """Anything with a path, a text and a kind ("roles", "schema", "migration", "baseline"),
    such as the project's replay inputs. ``path`` is for messages only."""

    @property
    def path(self) -> str: ...

    @property
    def text(self) -> str: ...

    @property
    def kind(self) -> str: ...


@dataclass(frozen=True)
class ReplayFile:
    """One input of a replay. ``path`` is for messages only (never part of a cache key)."""

    path: str
    text: str
    kind: FileKind

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", FileKind(self.kind))


def file_kind(file: ReplaySource) -> FileKind:
    try:
        return FileKind(file.kind)
    except ValueError:
        raise ValueError(f"{file.path}: unknown replay file kind {file.kind!r}") from None


@dataclass(frozen=True)
class PlannedStatement:
    """A statement as sent: ``text`` without COPY data; ``line``/``column`` 1-based in the file."""

    text: str
    line: int
    column: int
    node: str
    copy_data: str | None = None
    needs_autocommit: bool = False

    def position(self, offset: int) -> tuple[int, int]:
        """File line and column of a 0-based character offset into ``text``."""
        before = self.text[:offset]
        newlines = before.count("\n")
        if newlines == 0:
            return self.line, self.column + offset
        return self.line + newlines, offset - before.rfind("\n")

    @property
    def copy_data_line(self) -> int:
        """File line of the first COPY data line (the one after the command)."""
        return self.line + self.text.count("\n") + 1


class UnitMode(enum.Enum):
    TRANSACTION = "transaction"
    AUTOCOMMIT = "autocommit"
    ROLES = "roles"


@dataclass(frozen=True)
class Unit:
    mode: UnitMode
    statements: tuple[PlannedStatement, ...]


def plan_file(file: ReplaySource, *,
              max_statements: int = DEFAULT_MAX_STATEMENTS) -> tuple[Unit, ...]:
    """The units of one file, in order. Raises SourceError for SQL that cannot be split."""
    kind = file_kind(file)
    if kind in (FileKind.MIGRATION, FileKind.BASELINE):
        return _plan_sections(file, max_statements)
    statements = _statements(file, _LineIndex(file.text), file.text, 0)
    if kind is FileKind.ROLES:
        return tuple(Unit(UnitMode.ROLES, chunk) for chunk in _chunks(statements, max_statements))
    return _transactional(statements, max_statements)


def _plan_sections(file: ReplaySource, max_statements: int) -> tuple[Unit, ...]:
    from pgmt_git.project.sections import SectionMode, parse_sections

    units: list[Unit] = []
    lines = _LineIndex(file.text)
    for section in parse_sections(file.text, path=file.path):
        # Text above the first header belongs to the first section (pgmt runs it there).
        statements = _statements(file, lines, section.preamble, 0) if section.preamble else ()
        statements += _statements(file, lines, section.body, section.body_offset)
        if section.mode is SectionMode.TRANSACTIONAL:
            units.extend(_transactional(statements, max_statements))
        else:
            units.extend(Unit(UnitMode.AUTOCOMMIT, (one,)) for one in statements)
    return tuple(units)


def _transactional(statements: Sequence[PlannedStatement],
                   max_statements: int) -> tuple[Unit, ...]:
    """Transactions of at most ``max_statements``, cut around autocommit-only statements."""
    units: list[Unit] = []
    pending: list[PlannedStatement] = []
    for statement in statements:
        if statement.needs_autocommit:
            units.extend(Unit(UnitMode.TRANSACTION, c) for c in _chunks(pending, max_statements))
            units.append(Unit(UnitMode.AUTOCOMMIT, (statement,)))
            pending = []
        else:
            pending.append(statement)
    units.extend(Unit(UnitMode.TRANSACTION, c) for c in _chunks(pending, max_statements))
    return tuple(units)


def _chunks(items: Sequence[PlannedStatement],
            size: int) -> Iterable[tuple[PlannedStatement, ...]]:
    for start in range(0, len(items), max(1, size)):
        yield tuple(items[start:start + max(1, size)])


# A file's own transaction control would end the transaction the replay runs it in.
_OWN_TRANSACTION_CONTROL = re.compile(r"(?i)(BEGIN|START|COMMIT|END)\b")


def _statements(file: ReplaySource, lines: _LineIndex, body: str,
                body_offset: int) -> tuple[PlannedStatement, ...]:
    from pgmt_git.project.sqltext import needs_autocommit, split_statements

    try:
        found = split_statements(body, path=file.path)
    except SourceError as exc:
        raise _relocated(exc, file, lines, body_offset) from exc
    planned = []
    for statement in found:
        if statement.node == "TransactionStmt" and _OWN_TRANSACTION_CONTROL.match(statement.text):
            continue
        line, column = lines.position(body_offset + statement.start)
        text = _command_text(statement.text, statement.copy_data)
        planned.append(PlannedStatement(
            text=text, line=line, column=column, node=statement.node,
            copy_data=statement.copy_data, needs_autocommit=needs_autocommit(statement)))
    return tuple(planned)


def _command_text(text: str, copy_data: str | None) -> str:
    """The COPY command without its inline data (sent separately through the COPY protocol)."""
    if copy_data and text.endswith(copy_data):
        return text[: len(text) - len(copy_data)].rstrip()
    return text


def _relocated(exc: SourceError, file: ReplaySource, lines: _LineIndex,
               body_offset: int) -> SourceError:
    if body_offset == 0 or exc.line is None:
        return exc
    body_line, _ = lines.position(body_offset)
    message = exc.message.split(": ", 1)[-1] if exc.path else exc.message
    return SourceError(message, path=file.path, line=body_line + exc.line - 1,
                       column=exc.column, hint=exc.hint)


class _LineIndex:
    """1-based line and column of character offsets into a text."""

    def __init__(self, text: str) -> None:
        self._starts = [0] + [match.end() for match in re.finditer("\n", text)]

    def position(self, offset: int) -> tuple[int, int]:
        index = bisect.bisect_right(self._starts, offset) - 1
        return index + 1, offset - self._starts[index] + 1
