"""Run a migration's sections against a target, recording progress in the tracking tables.

- transactional: every statement and the section's ``completed`` row in one transaction, so
  the row says completed exactly when the statements committed; a crash leaves nothing
  half-applied;
- non-transactional and autocommit: statement by statement, each committed on its own. pgmt
  sends such a section as one string, which PostgreSQL runs as one implicit transaction, so
  ``DROP INDEX CONCURRENTLY ...; CREATE INDEX CONCURRENTLY ...`` fails there; here it works.
  A retry resumes at the statement that failed; a later run starts the section again, so
  write these sections to be re-runnable (``IF EXISTS``, ``IF NOT EXISTS``);
- ``statement_timeout`` and ``lock_timeout`` are set on the connection that runs the SQL
  (pgmt sets them through a pool, on whichever connection it gets);
- a ``CREATE INDEX CONCURRENTLY`` that fails leaves an INVALID index behind; before a retry
  it is dropped, after the last attempt the error names it with the exact DROP to run, and
  before a statement builds an index whose name an invalid one holds, that one is dropped
  (unless a build of it is still in progress elsewhere).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

import psycopg
from psycopg import sql

from pgmt_git.errors import ServerError, SourceError
from pgmt_git.migrate.retry import FailureKind, classify, retry_delay_ms, should_retry
from pgmt_git.pg.plan import PlannedStatement
from pgmt_git.pg.replay import copy_payload, shorten
from pgmt_git.pg.tracking import (
    TrackingTables,
    mark_completed,
    mark_failed,
    mark_running,
)
from pgmt_git.project.migrations import MigrationFile
from pgmt_git.project.sections import Section, SectionMode

_OWN_TRANSACTION_CONTROL = re.compile(r"(?i)(BEGIN|START|COMMIT|END)\b")


class ApplyError(SourceError):
    """PostgreSQL refused a migration's statement on the target (after any retries)."""


class Reporter(Protocol):
    """Where the applier tells what it does (the command prints it)."""

    def section_start(self, position: int, total: int, section: Section) -> None: ...

    def attempt_failed(self, position: int, total: int, section: Section, attempt: int,
                       failure: str, delay_ms: int | None) -> None: ...

    def section_done(self, position: int, total: int, section: Section,
                     duration_ms: int) -> None: ...

    def notice(self, message: str) -> None: ...


@dataclass(frozen=True)
class IndexBuild:
    """What a CREATE INDEX CONCURRENTLY statement builds: the table as written, the index
    name when given (PostgreSQL picks one otherwise)."""

    table: str
    name: str | None


@dataclass(frozen=True)
class RunStatement:
    planned: PlannedStatement
    index_build: IndexBuild | None = None


# ---------------------------------------------------------------------------- statements


def section_statements(migration: MigrationFile, section: Section) -> tuple[RunStatement, ...]:
    """The statements of a section, located in the file. A transactional section's own
    BEGIN/COMMIT are left out: the section is the transaction."""
    from pgmt_git.project.sqltext import needs_autocommit, split_statements, statement_tree

    parts = [(section.preamble, 0)] if section.preamble else []
    parts.append((section.body, section.body_offset))
    out = []
    for text, offset in parts:
        for statement in split_statements(text, path=migration.path):
            if (section.mode is SectionMode.TRANSACTIONAL and statement.node == "TransactionStmt"
                    and _OWN_TRANSACTION_CONTROL.match(statement.text)):
                continue
            line, column = _position(migration.text, offset + statement.start)
            planned = PlannedStatement(
                text=_command_text(statement.text, statement.copy_data), line=line,
                column=column, node=statement.node, copy_data=statement.copy_data,
                needs_autocommit=needs_autocommit(statement))
            build = None
            if statement.node == "IndexStmt":
                build = _index_build(statement_tree(statement))
            out.append(RunStatement(planned, build))
    return tuple(out)


def _index_build(tree: dict[str, object]) -> IndexBuild | None:
    if not tree.get("concurrent"):
        return None
    relation = tree.get("relation") or {}
    assert isinstance(relation, dict)
    names = [relation.get("schemaname"), relation.get("relname")]
    table = ".".join(sql.Identifier(n).as_string(None) for n in names if n)
    name = tree.get("idxname")
    return IndexBuild(table, str(name) if name else None)


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _command_text(text: str, copy_data: str | None) -> str:
    if copy_data and text.endswith(copy_data):
        return text[: len(text) - len(copy_data)].rstrip()
    return text


# ---------------------------------------------------------------------------- running


class _StatementFailed(Exception):
    def __init__(self, index: int, error: psycopg.Error) -> None:
        super().__init__(str(error))
        self.index = index
        self.error = error


class SectionRunner:
    """Runs sections on one autocommit connection that holds the migration lock."""

    def __init__(self, conn: psycopg.Connection, tables: TrackingTables, reporter: Reporter,
                 *, sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._conn = conn
        self._tables = tables
        self._reporter = reporter
        self._sleep = sleep
        self._clock = clock

    def run(self, migration: MigrationFile, section: Section, *, position: int,
            total: int) -> None:
        statements = section_statements(migration, section)
        self._reporter.section_start(position, total, section)
        start = self._clock()
        resume = 0
        attempt = 0
        while True:
            attempt += 1
            self._mark(mark_running, migration, section)
            try:
                if section.mode is SectionMode.TRANSACTIONAL:
                    self._transaction(migration, section, statements, start)
                else:
                    resume = self._one_by_one(migration, section, statements, resume, start)
            except _StatementFailed as failed:
                resume = failed.index
                failure = classify(failed.error.sqlstate)
                leftovers = self._invalid_leftovers(statements, failed)
                if should_retry(section, attempt, failure):
                    delay = retry_delay_ms(section, attempt)
                    self._reporter.attempt_failed(position, total, section, attempt,
                                                  _describe(failure, failed.error), delay)
                    self._drop_indexes(section, leftovers)
                    self._sleep(delay / 1000)
                    continue
                self._reporter.attempt_failed(position, total, section, attempt,
                                              _describe(failure, failed.error), None)
                where = statements[failed.index] if statements else None
                text, hint = _failure(section, where, failed.error, attempt, leftovers)
                self._mark(mark_failed, migration, section, text)
                line = where.planned.line if where is not None else section.header_line
                raise ApplyError(text, path=migration.path, line=line,
                                 hint=hint) from failed.error
            except KeyboardInterrupt:
                self._interrupted(migration, section)
                raise
            duration = int((self._clock() - start) * 1000)
            self._reporter.section_done(position, total, section, duration)
            return

    # -- transactional

    def _transaction(self, migration: MigrationFile, section: Section,
                     statements: Sequence[RunStatement], start: float) -> None:
        conn = self._conn
        rows: int | None = None
        index = 0
        try:
            with conn.transaction():
                _set_timeouts(conn, section, local=True)
                for index, statement in enumerate(statements):
                    rows = _add_rows(rows, self._execute(statement))
                duration = int((self._clock() - start) * 1000)
                mark_completed(conn, self._tables, migration.version, migration.is_baseline,
                               section.name, duration_ms=duration, rows_affected=rows)
        except psycopg.Error as exc:
            self._require_usable(exc)
            raise _StatementFailed(min(index, max(len(statements) - 1, 0)), exc) from exc

    # -- one statement at a time

    def _one_by_one(self, migration: MigrationFile, section: Section,
                    statements: Sequence[RunStatement], resume: int, start: float) -> int:
        conn = self._conn
        rows: int | None = None
        _set_timeouts(conn, section, local=False)
        try:
            for index in range(resume, len(statements)):
                statement = statements[index]
                try:
                    if statement.index_build is not None:
                        self._clear_invalid_index(section, statement.index_build)
                    rows = _add_rows(rows, self._execute(statement))
                except psycopg.Error as exc:
                    self._require_usable(exc)
                    raise _StatementFailed(index, exc) from exc
        finally:
            if not conn.broken:
                _reset_timeouts(conn)
        duration = int((self._clock() - start) * 1000)
        mark_completed(conn, self._tables, migration.version, migration.is_baseline,
                       section.name, duration_ms=duration, rows_affected=rows)
        return len(statements)

    def _execute(self, statement: RunStatement) -> int | None:
        planned = statement.planned
        with self._conn.cursor() as cursor:
            if planned.copy_data is not None:
                with cursor.copy(planned.text) as copy:  # type: ignore[arg-type]
                    copy.write(copy_payload(planned.copy_data))
            else:
                cursor.execute(planned.text)  # type: ignore[arg-type]  # the file's own SQL
            return cursor.rowcount if cursor.rowcount >= 0 else None

    # -- invalid indexes left by CREATE INDEX CONCURRENTLY

    def _clear_invalid_index(self, section: Section, build: IndexBuild) -> None:
        """An invalid index holding the name the statement builds: a failed earlier build.
        Dropped first, unless another session is building it right now."""
        if build.name is None:
            return
        found = _named_index(self._conn, build)
        if found is None or found[2]:
            return
        oid, qualified, _ = found
        builder = self._conn.execute(
            "SELECT pid FROM pg_stat_progress_create_index WHERE index_relid = %s",
            (oid,)).fetchone()
        if builder is not None:
            raise psycopg.errors.ObjectInUse(
                f"index {qualified} is being built by the session with pid {builder[0]}; "
                "wait for it to finish")
        self._reporter.notice(f"dropping the invalid index {qualified} that an earlier "
                              "failed build left behind")
        self._conn.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {qualified}")  # type: ignore[arg-type]

    def _invalid_leftovers(self, statements: Sequence[RunStatement],
                           failed: _StatementFailed) -> tuple[str, ...]:
        build = statements[failed.index].index_build if statements else None
        if build is None or self._conn.broken:
            return ()
        if build.name is not None:
            found = _named_index(self._conn, build)
            return (found[1],) if found is not None and not found[2] else ()
        # An unnamed build: PostgreSQL chose the name; take the table's invalid indexes
        # nobody is building.
        rows = self._conn.execute(_INVALID_ON_TABLE, (build.table,)).fetchall()
        return tuple(r[0] for r in rows)

    def _drop_indexes(self, section: Section, names: Sequence[str]) -> None:
        for name in names:
            self._reporter.notice(f"dropping the invalid index {name} the failed attempt "
                                  "left behind")
            _set_timeouts(self._conn, section, local=False)
            try:
                self._conn.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")  # type: ignore[arg-type]
            except psycopg.Error as exc:
                self._require_usable(exc)
                self._reporter.notice(f"could not drop {name}: {_first_line(exc)}")
            finally:
                _reset_timeouts(self._conn)

    # -- tracking and failures

    def _mark(self, mark: Callable[..., None], migration: MigrationFile, section: Section,
              *args: object) -> None:
        mark(self._conn, self._tables, migration.version, migration.is_baseline, section.name,
             *args)

    def _interrupted(self, migration: MigrationFile, section: Section) -> None:
        try:
            if not self._conn.broken:
                self._mark(mark_failed, migration, section, "interrupted")
        except (psycopg.Error, KeyboardInterrupt):
            pass  # the row stays 'running': the next apply runs the section again

    def _require_usable(self, exc: psycopg.Error) -> None:
        if self._conn.broken or self._conn.closed:
            raise ServerError(
                f"lost the connection to the target: {_first_line(exc)}",
                hint="run `pgmt-git migrate apply` again: it resumes at the unfinished "
                     "section") from exc


_NAMED_INDEX = """
SELECT c.oid, quote_ident(n.nspname) || '.' || quote_ident(c.relname), i.indisvalid
FROM pg_class c
JOIN pg_index i ON i.indexrelid = c.oid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relname = %s
  AND c.relnamespace = (SELECT relnamespace FROM pg_class WHERE oid = to_regclass(%s))
"""

_INVALID_ON_TABLE = """
SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname)
FROM pg_index i
JOIN pg_class c ON c.oid = i.indexrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE i.indrelid = to_regclass(%s) AND NOT i.indisvalid
  AND NOT EXISTS (SELECT 1 FROM pg_stat_progress_create_index p
                  WHERE p.index_relid = i.indexrelid)
ORDER BY 1
"""


def _named_index(conn: psycopg.Connection, build: IndexBuild) -> tuple[int, str, bool] | None:
    row = conn.execute(_NAMED_INDEX, (build.name, build.table)).fetchone()
    return None if row is None else (int(row[0]), str(row[1]), bool(row[2]))


def _set_timeouts(conn: psycopg.Connection, section: Section, *, local: bool) -> None:
    conn.execute("SELECT set_config('statement_timeout', %s, %s)",
                 (f"{section.timeout_ms}ms", local))
    if section.lock_timeout_ms is not None:
        conn.execute("SELECT set_config('lock_timeout', %s, %s)",
                     (f"{section.lock_timeout_ms}ms", local))
    elif not local:
        conn.execute("RESET lock_timeout")


def _reset_timeouts(conn: psycopg.Connection) -> None:
    conn.execute("RESET statement_timeout")
    conn.execute("RESET lock_timeout")


def _add_rows(total: int | None, rows: int | None) -> int | None:
    if rows is None:
        return total
    return rows if total is None else total + rows


def _describe(failure: FailureKind, error: psycopg.Error) -> str:
    text = _first_line(error)
    return text if failure is FailureKind.OTHER else f"{failure.value}: {text}"


def _failure(section: Section, statement: RunStatement | None, error: psycopg.Error,
             attempts: int, leftovers: Sequence[str]) -> tuple[str, str]:
    """The failure's text (what the sections row keeps as last_error) and a hint."""
    diag = error.diag
    primary = diag.message_primary or _first_line(error)
    tries = f" (after {attempts} attempts)" if attempts > 1 else ""
    parts = [f"section '{section.name}' failed{tries}: {primary} "
             f"[{diag.sqlstate or error.sqlstate or '?'}]"]
    if statement is not None:
        parts.append(f"  statement: {shorten(statement.planned.text)}")
    if diag.message_detail:
        parts.append(f"  detail: {diag.message_detail}")
    for name in leftovers:
        parts.append(f"  CREATE INDEX CONCURRENTLY left the invalid index {name} behind; "
                     f"drop it before building it again:\n"
                     f"    DROP INDEX CONCURRENTLY IF EXISTS {name};")
        if statement is not None and statement.index_build is not None and (
                statement.index_build.name is not None):
            parts.append("  (the next `pgmt-git migrate apply` drops it itself before "
                         "building the index)")
    hint = diag.message_hint or (
        f"fix the cause, then run `pgmt-git migrate apply` again: it resumes at section "
        f"'{section.name}'")
    return "\n".join(parts), hint


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
