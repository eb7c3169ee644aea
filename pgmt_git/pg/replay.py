"""Replay project files into a database: one connection, one transaction per unit (plan.py).

Fast path: a transaction's statements go out as one simple-query string (psycopg sends a
query without parameters as is, and PostgreSQL runs every statement in it), COPY data through
the COPY protocol. Only when PostgreSQL refuses something is the transaction rolled back and
re-run statement by statement, to name the failing statement's file and line exactly.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TextIO

import psycopg
from psycopg import errors

from pgmt_git.errors import ReplayError, ServerError
from pgmt_git.pg.plan import (
    DEFAULT_MAX_STATEMENTS,
    PlannedStatement,
    ReplaySource,
    Unit,
    UnitMode,
    plan_file,
)
from pgmt_git.pg.server import Server, connect

# progress(k, n, path): file k of n is about to be replayed.
Progress = Callable[[int, int, str], None]

# Session defaults; DISCARD ALL between files returns to these, not to the server's.
# synchronous_commit=off: nothing in a shadow database must survive a crash of the server.
SESSION_OPTIONS = "-c synchronous_commit=off -c client_min_messages=warning"
_STATEMENT_SHOWN_CHARS = 160
_COPY_CONTEXT_LINE = re.compile(r"\bCOPY [^,]+, line (\d+)")


@dataclass(frozen=True)
class ReplayCounts:
    files: int = 0
    statements: int = 0


def replay_into(
    server: Server,
    dbname: str,
    files: Sequence[ReplaySource],
    *,
    progress: Progress | None = None,
    first: int = 0,
    total: int | None = None,
    max_statements: int = DEFAULT_MAX_STATEMENTS,
) -> ReplayCounts:
    """Replay ``files`` in order into ``dbname``. ``first``/``total`` place them in a longer
    chain for progress reports. Raises ReplayError naming the file and line on refusal."""
    total = len(files) + first if total is None else total
    statements = 0
    with connect(server, dbname, options=SESSION_OPTIONS) as conn:
        for index, file in enumerate(files):
            if progress is not None:
                progress(first + index + 1, total, file.path)
            if index:
                # Each file starts as in a session of its own: a pg_dump baseline's
                # set_config('search_path', '', false) must not leak into the next file.
                conn.execute("DISCARD ALL")
            statements += replay_file(conn, file, max_statements=max_statements)
    return ReplayCounts(files=len(files), statements=statements)


def terminal_progress(stream: TextIO | None = None) -> Progress | None:
    """A progress callback that rewrites one "replaying file k/N" line on stderr, or None
    when stderr is not a terminal (progress never goes to logs or pipes)."""
    out = sys.stderr if stream is None else stream
    if not out.isatty():
        return None

    def report(k: int, n: int, path: str) -> None:
        out.write(f"\r\033[Kreplaying file {k}/{n}: {path}")
        if k == n:
            out.write("\r\033[K")
        out.flush()

    return report


def replay_file(conn: psycopg.Connection, file: ReplaySource, *,
                max_statements: int = DEFAULT_MAX_STATEMENTS) -> int:
    """Replay one file on an autocommit connection; returns the statements executed."""
    executed = 0
    for unit in plan_file(file, max_statements=max_statements):
        executed += _run_unit(conn, file, unit)
    return executed


def _run_unit(conn: psycopg.Connection, file: ReplaySource, unit: Unit) -> int:
    if unit.mode is UnitMode.AUTOCOMMIT:
        for statement in unit.statements:
            _execute_located(conn, file, statement)
        return len(unit.statements)
    if unit.mode is UnitMode.ROLES:
        return _run_roles(conn, file, unit.statements)
    return _run_transaction(conn, file, unit.statements)


def _run_transaction(conn: psycopg.Connection, file: ReplaySource,
                     statements: tuple[PlannedStatement, ...]) -> int:
    if len(statements) == 1:
        with _transaction(conn, file, statements[0]):
            _execute_located(conn, file, statements[0])
        return 1
    try:
        with conn.transaction():
            for batch in _batches(statements):
                _send(conn, batch)
        return len(statements)
    except psycopg.Error as exc:
        _require_usable(conn, exc)
        if isinstance(exc, errors.OutOfMemory):
            # "out of shared memory": the server's lock table is shared with every other
            # session, so even a capped transaction can fill it; halve and go on.
            half = len(statements) // 2
            return (_run_transaction(conn, file, statements[:half])
                    + _run_transaction(conn, file, statements[half:]))
        return _run_one_by_one(conn, file, statements)


def _run_one_by_one(conn: psycopg.Connection, file: ReplaySource,
                    statements: tuple[PlannedStatement, ...]) -> int:
    """The slow path after a failed batch: same statements, same transaction boundaries, one
    at a time, so the error names its statement. Should they all succeed now (a transient
    failure), the transaction commits and the replay goes on."""
    with _transaction(conn, file, statements[-1]):
        for statement in statements:
            _execute_located(conn, file, statement)
    return len(statements)


def _run_roles(conn: psycopg.Connection, file: ReplaySource,
               statements: tuple[PlannedStatement, ...]) -> int:
    with _transaction(conn, file, statements[-1]):
        for statement in statements:
            try:
                with conn.transaction():  # a savepoint per statement
                    _execute(conn, statement)
            except (errors.DuplicateObject, errors.UniqueViolation) as exc:
                # Roles are cluster-wide: on a shared server an earlier replay (or a
                # concurrent one: then the catalog's unique index reports it) made it already.
                if statement.node != "CreateRoleStmt":
                    raise replay_error(file, statement, exc) from exc
            except psycopg.Error as exc:
                _require_usable(conn, exc)
                raise replay_error(file, statement, exc) from exc
    return len(statements)


@contextmanager
def _transaction(conn: psycopg.Connection, file: ReplaySource,
                 last: PlannedStatement) -> Iterator[None]:
    """A transaction whose statements raise located errors themselves; what can still fail
    is COMMIT (a deferred constraint), placed at the transaction's last statement."""
    try:
        with conn.transaction():
            yield
    except psycopg.Error as exc:
        _require_usable(conn, exc)
        raise replay_error(file, last, exc, at_commit=True) from exc


def _execute_located(conn: psycopg.Connection, file: ReplaySource,
                     statement: PlannedStatement) -> None:
    try:
        _execute(conn, statement)
    except psycopg.Error as exc:
        _require_usable(conn, exc)
        raise replay_error(file, statement, exc) from exc


def _execute(conn: psycopg.Connection, statement: PlannedStatement) -> None:
    if statement.copy_data is not None:
        _copy(conn, statement)
    else:
        conn.execute(statement.text)  # type: ignore[arg-type]  # the file's own SQL, verbatim


def _batches(statements: Sequence[PlannedStatement]) -> Iterator[Sequence[PlannedStatement]]:
    """Runs of plain statements, each COPY ... FROM stdin on its own."""
    start = 0
    for index, statement in enumerate(statements):
        if statement.copy_data is not None:
            if index > start:
                yield statements[start:index]
            yield statements[index:index + 1]
            start = index + 1
    if start < len(statements):
        yield statements[start:]


def _send(conn: psycopg.Connection, batch: Sequence[PlannedStatement]) -> None:
    if batch[0].copy_data is not None:
        _copy(conn, batch[0])
        return
    text = "\n".join(s.text if s.text.rstrip().endswith(";") else s.text + ";" for s in batch)
    conn.execute(text)  # type: ignore[arg-type]  # no parameters: sent as a simple query


def _copy(conn: psycopg.Connection, statement: PlannedStatement) -> None:
    with conn.cursor() as cursor, cursor.copy(statement.text) as copy:  # type: ignore[arg-type]
        copy.write(copy_payload(statement.copy_data or ""))


def copy_payload(data: str) -> str:
    """COPY data without the end-of-data marker: the protocol ends the data, and the server
    may take a ``\\.`` line for data."""
    lines = data.split("\n")
    for index, line in enumerate(lines):
        if line.rstrip("\r") == "\\.":
            return "".join(f"{kept}\n" for kept in lines[:index])
    return data


def replay_error(file: ReplaySource, statement: PlannedStatement, exc: psycopg.Error,
                 *, at_commit: bool = False) -> ReplayError:
    """PostgreSQL's refusal, placed at the statement (or the exact spot it points at)."""
    diag = exc.diag
    line, column = _error_position(statement, diag)
    primary = diag.message_primary or str(exc).strip() or type(exc).__name__
    label = "at commit, after statement" if at_commit else "statement"
    parts = [f"{primary} [{diag.sqlstate or exc.sqlstate or '?'}]",
             f"  {label}: {shorten(statement.text)}"]
    if diag.message_detail:
        parts.append(f"  detail: {diag.message_detail}")
    if diag.context and statement.copy_data is not None:
        parts.append(f"  context: {diag.context.strip()}")
    hint = diag.message_hint or f"fix {file.path} (line {line}) and run again"
    return ReplayError("\n".join(parts), path=file.path, line=line, column=column, hint=hint)


def _error_position(statement: PlannedStatement, diag: psycopg.errors.Diagnostic) -> tuple[int, int]:
    if diag.statement_position:
        try:
            return statement.position(int(diag.statement_position) - 1)
        except ValueError:
            pass
    if statement.copy_data is not None and diag.context:
        found = _COPY_CONTEXT_LINE.search(diag.context)
        if found:
            return statement.copy_data_line + int(found.group(1)) - 1, 1
    return statement.line, statement.column


def shorten(text: str, limit: int = _STATEMENT_SHOWN_CHARS) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


def _require_usable(conn: psycopg.Connection, exc: psycopg.Error) -> None:
    if conn.broken or conn.closed:
        raise ServerError(f"lost the connection to the shadow server: {exc}",
                          hint="see `pgmt-git shadow status`") from exc
