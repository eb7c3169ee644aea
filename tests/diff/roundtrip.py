"""The round-trip proof of a diff: build both states, diff, apply, diff again, compare dumps.

States are replayed through the cache, so a state shared by several cases (or by both
directions of one case) is replayed once; the database the SQL is applied to is a copy of
its own.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import pgserver
import psycopg

from pgmt_git.diff import (
    Change,
    DiffOptions,
    Statement,
    diff_catalogs,
    render_sql,
    render_statements,
)
from pgmt_git.diff.model import Catalog
from pgmt_git.pg.cache import replayed_state, shadow_copy
from pgmt_git.pg.catalog import load_catalog
from pgmt_git.pg.server import Server, connect
from pgmt_git.project.source import ReplayInput

PG_DUMP = Path(pgserver.__file__).parent / "pginstall" / "bin" / "pg_dump"


def state_files(sql: str, roles: str = "") -> list[ReplayInput]:
    files = [ReplayInput("roles.sql", roles, "roles")] if roles.strip() else []
    if sql.strip():
        files.append(ReplayInput("schema/state.sql", sql, "schema"))
    return files


@dataclass(frozen=True)
class Outcome:
    sql: str
    changes: tuple[Change, ...]
    second_diff: str
    migrated_dump: str
    target_dump: str


@lru_cache(maxsize=None)
def read_state(server: Server, sql: str, roles: str = "", owners: bool = False
               ) -> tuple[Catalog, str]:
    """The catalog and the normalised schema dump of the state ``sql`` builds."""
    with replayed_state(server, state_files(sql, roles)) as state:
        catalog = load_catalog(state.conninfo)
        dump = schema_dump(state.conninfo, owners=owners)
    return catalog, dump


def round_trip(server: Server, start_sql: str, target_sql: str, roles: str = "",
               options: DiffOptions = DiffOptions()) -> Outcome:
    start, _ = read_state(server, start_sql, roles, options.owners)
    target, target_dump = read_state(server, target_sql, roles, options.owners)
    changes = diff_catalogs(start, target, options=options)
    sql = render_sql(changes)
    with shadow_copy(server, state_files(start_sql, roles)) as migrated:
        apply(server, migrated.dbname, changes, sql)
        migrated_catalog = load_catalog(migrated.conninfo)
        migrated_dump = schema_dump(migrated.conninfo, owners=options.owners)
    second = render_sql(diff_catalogs(migrated_catalog, target, options=options))
    return Outcome(sql, changes, second, migrated_dump, target_dump)


class ApplyFailed(AssertionError):
    pass


def apply(server: Server, dbname: str, changes: tuple[Change, ...], sql: str) -> None:
    """Run the statements in one transaction, committing after those that need it; those
    that cannot run in a transaction (CONCURRENTLY) run on their own."""
    statements = render_statements(changes)
    with connect(server, dbname) as conn:
        index = 0
        while index < len(statements):
            if not statements[index].transactional:
                _execute(conn, statements[index], sql)
                index += 1
                continue
            with conn.transaction():
                while index < len(statements) and statements[index].transactional:
                    statement = statements[index]
                    index += 1
                    _execute(conn, statement, sql)
                    if statement.commit_after:
                        break


def migrated_rows(server: Server, start: str, target: str, query: str) -> list[tuple[Any, ...]]:
    """Diff ``start`` (which inserts rows) -> ``target``, apply it to a copy of ``start``,
    and return what ``query`` reads there."""
    changes = diff_catalogs(read_state(server, start)[0], read_state(server, target)[0])
    with shadow_copy(server, state_files(start)) as migrated:
        apply(server, migrated.dbname, changes, render_sql(changes))
        with connect(server, migrated.dbname) as conn:
            return conn.execute(query).fetchall()  # type: ignore[arg-type]


def _execute(conn: psycopg.Connection, statement: Statement, sql: str) -> None:
    try:
        conn.execute(statement.sql)  # type: ignore[arg-type]
    except Exception as exc:
        raise ApplyFailed(f"statement failed: {statement.sql}\n{exc}\n--- whole script:\n"
                          f"{sql}") from exc


_DROPPED_LINES = re.compile(r"^(--|SET |SELECT pg_catalog\.set_config|\\(un)?restrict )")


def schema_dump(conninfo: str, *, owners: bool = False) -> str:
    """``owners``: keep OWNER TO lines (compared only when ownership is managed)."""
    command = [str(PG_DUMP), "--schema-only", "-d", conninfo]
    if not owners:
        command.insert(2, "--no-owner")
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise AssertionError(f"pg_dump failed: {result.stderr}")
    return normalise_dump(result.stdout)


# Some servers stamp every new column with an attribute option of their own, different on
# each creation (seen: pg_attver=<n> on a PostgreSQL 15 build); it is not schema.
_SERVER_STAMP = re.compile(r"\bpg_attver=\d+(, )?")
_EMPTY_SET = re.compile(r"^ALTER TABLE ONLY .* ALTER COLUMN .* SET \(\);$")


def normalise_dump(text: str) -> str:
    """Without comments, session settings, blank lines and server stamps. The one thing
    reordered: a run of GRANT/REVOKE lines, whose order follows the ACL's entries, which
    follow the order grants were made in, not what they grant."""
    lines: list[str] = []
    grants: list[str] = []
    for line in text.splitlines():
        line = _SERVER_STAMP.sub("", line).replace(", )", ")")
        if not line.strip() or _DROPPED_LINES.match(line) or _EMPTY_SET.match(line):
            continue
        if line.startswith(("GRANT ", "REVOKE ")):
            grants.append(line)
            continue
        lines.extend(sorted(grants))
        grants = []
        lines.append(line)
    lines.extend(sorted(grants))
    return "\n".join(lines) + "\n"
