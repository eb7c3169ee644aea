"""pgmt's tracking tables on a target database: create or upgrade them, read and write rows.

The tables, columns, keys and index are exactly pgmt's, so pgmt and pgmt-git can take turns
on one database: each reads the rows the other wrote.

``<name>`` has a row per migration or baseline that was started; ``<name>_sections`` a row
per section: ``pending`` when the migration starts (inserted in the same transaction as the
main row), ``running`` while it runs, then ``completed`` or ``failed``. Older pgmt versions
made tables without ``applied_by``/``is_baseline`` and with narrower primary keys; they are
upgraded in place the way pgmt upgrades them, each step in one transaction, and only the
steps a table needs (a routine apply takes no ACCESS EXCLUSIVE lock on them).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import psycopg
from psycopg import sql
from psycopg.rows import dict_row

from pgmt_git import __version__
from pgmt_git.config import TrackingTable
from pgmt_git.errors import ConfigError, PgmtGitError
from pgmt_git.migrate.assess import ChecksumUpdate
from pgmt_git.migrate.records import MigrationRow, SectionRow, SectionStatus, TrackingState
from pgmt_git.project.migrations import MigrationFile
from pgmt_git.project.sections import Section, section_checksum

# What the sections table's pgmt_version column records for rows pgmt-git writes.
WRITER = f"pgmt-git {__version__}"
_SECTION_COLUMNS = ("checksum", "mode", "module", "applied_by", "pgmt_version")


class TrackingError(PgmtGitError):
    """The tracking tables cannot be created, read or written."""


@dataclass(frozen=True)
class TrackingTables:
    schema: str
    name: str

    @classmethod
    def from_config(cls, table: TrackingTable) -> "TrackingTables":
        for what, value in (("schema", table.schema), ("name", table.name)):
            if not _plain_identifier(value):
                raise ConfigError(
                    f"migration.tracking_table.{what} {value!r} is not a plain identifier",
                    hint="use letters, digits, _ and $, starting with a letter or _ "
                         "(pgmt derives its lock key from the name and accepts nothing else)")
        return cls(table.schema, table.name)

    @property
    def quoted_name(self) -> str:
        """``"schema"."name"``, as pgmt formats it (its advisory lock key hashes this)."""
        return f'"{self.schema}"."{self.name}"'

    @property
    def sections_name(self) -> str:
        return f"{self.name}_sections"

    @property
    def main(self) -> sql.Composable:
        return sql.Identifier(self.schema, self.name)

    @property
    def sections(self) -> sql.Composable:
        return sql.Identifier(self.schema, self.sections_name)

    @property
    def index_name(self) -> str:
        # pgmt writes idx_<schema>_<name>_sections_status unquoted: PostgreSQL folds it.
        return f"idx_{self.schema}_{self.sections_name}_status".translate(_ASCII_LOWER)


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _plain_identifier(name: str) -> bool:
    return bool(name) and (name[0].isalpha() or name[0] == "_") and all(
        c.isalnum() or c in "_$" for c in name)


# ---------------------------------------------------------------------------- DDL

_MAIN_DDL = """
CREATE TABLE IF NOT EXISTS {table} (
    version BIGINT NOT NULL,
    description TEXT NOT NULL,
    applied_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP,
    checksum TEXT NOT NULL,
    applied_by TEXT DEFAULT CURRENT_USER,
    is_baseline BOOLEAN NOT NULL,
    PRIMARY KEY (version, is_baseline)
)"""

_SECTIONS_DDL = """
CREATE TABLE IF NOT EXISTS {table} (
    migration_version BIGINT NOT NULL,
    is_baseline BOOLEAN NOT NULL,
    section_name TEXT NOT NULL,
    section_order INT NOT NULL,
    status TEXT NOT NULL,
    started_at TIMESTAMP WITH TIME ZONE,
    completed_at TIMESTAMP WITH TIME ZONE,
    attempts INT DEFAULT 0,
    last_error TEXT,
    rows_affected BIGINT,
    duration_ms BIGINT,
    checksum TEXT,
    mode TEXT,
    module TEXT,
    applied_by TEXT,
    pgmt_version TEXT,
    PRIMARY KEY (migration_version, is_baseline, section_name)
)"""

# Rows of a pgmt that predates section tracking mean "applied": when the sections table is
# introduced, each gets a completed 'default' section, so applied-ness is read from section
# rows alone from then on (pgmt does the same, once).
_BACKFILL = """
INSERT INTO {sections}
    (migration_version, is_baseline, section_name, section_order, status, completed_at,
     attempts)
SELECT m.version, m.is_baseline, 'default', 0, 'completed', m.applied_at, 0
FROM {main} m
WHERE NOT EXISTS (SELECT 1 FROM {sections} s
                  WHERE s.migration_version = m.version AND s.is_baseline = m.is_baseline)"""


def ensure_tables(conn: psycopg.Connection, tables: TrackingTables) -> None:
    """Create both tables, or bring older ones up to pgmt's current shape. Call it holding
    the migration lock."""
    _require_schema(conn, tables)
    try:
        conn.execute(sql.SQL(_MAIN_DDL).format(table=tables.main))
        _upgrade_main(conn, tables)
        if _exists(conn, tables.schema, tables.sections_name):
            _upgrade_sections(conn, tables)
        else:
            with conn.transaction():
                conn.execute(sql.SQL(_SECTIONS_DDL).format(table=tables.sections))
                conn.execute(sql.SQL(_BACKFILL).format(sections=tables.sections,
                                                       main=tables.main))
        conn.execute(sql.SQL("CREATE INDEX IF NOT EXISTS {} ON {} (migration_version, status)")
                     .format(sql.Identifier(tables.index_name), tables.sections))
    except psycopg.Error as exc:
        raise TrackingError(f"cannot create or upgrade the tracking tables "
                            f"{tables.quoted_name}: {_first_line(exc)}") from exc


def _require_schema(conn: psycopg.Connection, tables: TrackingTables) -> None:
    row = conn.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s",
                       (tables.schema,)).fetchone()
    if row is None:
        raise TrackingError(
            f"schema {tables.schema} for the tracking tables does not exist in the target",
            hint=f"create it (CREATE SCHEMA {sql.Identifier(tables.schema).as_string(conn)}) or "
                 "set migration.tracking_table.schema")


def _exists(conn: psycopg.Connection, schema: str, name: str) -> bool:
    row = conn.execute(
        "SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = %s AND c.relname = %s AND c.relkind IN ('r', 'p')",
        (schema, name)).fetchone()
    return row is not None


def _columns(conn: psycopg.Connection, table: sql.Composable) -> set[str]:
    rows = conn.execute(sql.SQL(
        "SELECT attname::text FROM pg_attribute WHERE attrelid = {}::regclass "
        "AND attnum > 0 AND NOT attisdropped").format(sql.Literal(table.as_string(conn))))
    return {r[0] for r in rows}


def _upgrade_main(conn: psycopg.Connection, tables: TrackingTables) -> None:
    columns = _columns(conn, tables.main)
    if "applied_by" not in columns:
        conn.execute(sql.SQL("ALTER TABLE {} ADD COLUMN applied_by TEXT DEFAULT CURRENT_USER")
                     .format(tables.main))
    if "is_baseline" not in columns:
        _add_is_baseline(conn, tables.main)
    _ensure_primary_key(conn, tables.main, ("version", "is_baseline"))


def _upgrade_sections(conn: psycopg.Connection, tables: TrackingTables) -> None:
    columns = _columns(conn, tables.sections)
    if "is_baseline" not in columns:
        _add_is_baseline(conn, tables.sections)
    for column in _SECTION_COLUMNS:
        if column not in columns:
            conn.execute(sql.SQL("ALTER TABLE {} ADD COLUMN {} TEXT")
                         .format(tables.sections, sql.Identifier(column)))
    _ensure_primary_key(conn, tables.sections,
                        ("migration_version", "is_baseline", "section_name"))


def _add_is_baseline(conn: psycopg.Connection, table: sql.Composable) -> None:
    # Every row before the column existed is a migration; no default, as in pgmt.
    with conn.transaction():
        conn.execute(sql.SQL("ALTER TABLE {} ADD COLUMN is_baseline BOOLEAN").format(table))
        conn.execute(sql.SQL("UPDATE {} SET is_baseline = FALSE").format(table))
        conn.execute(sql.SQL("ALTER TABLE {} ALTER COLUMN is_baseline SET NOT NULL")
                     .format(table))


def _ensure_primary_key(conn: psycopg.Connection, table: sql.Composable,
                        columns: tuple[str, ...]) -> None:
    regclass = table.as_string(conn)
    current = tuple(r[0] for r in conn.execute(
        "SELECT a.attname::text FROM pg_index i JOIN pg_attribute a "
        "ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey) "
        "WHERE i.indrelid = %s::regclass AND i.indisprimary "
        "ORDER BY array_position(i.indkey, a.attnum)", (regclass,)))
    if current == columns:
        return
    name = conn.execute("SELECT conname::text FROM pg_constraint WHERE conrelid = %s::regclass "
                        "AND contype = 'p'", (regclass,)).fetchone()
    with conn.transaction():
        if name is not None:
            conn.execute(sql.SQL("ALTER TABLE {} DROP CONSTRAINT {}")
                         .format(table, sql.Identifier(name[0])))
        conn.execute(sql.SQL("ALTER TABLE {} ADD PRIMARY KEY ({})").format(
            table, sql.SQL(", ").join(map(sql.Identifier, columns))))


# ---------------------------------------------------------------------------- reading


def read_state(conn: psycopg.Connection, tables: TrackingTables) -> TrackingState:
    """Every row of both tables; empty when they do not exist (nothing applied yet).
    Tables of older pgmt versions, not upgraded yet, are read as they are."""
    if not _exists(conn, tables.schema, tables.name):
        return TrackingState()
    with conn.cursor(row_factory=dict_row) as cursor:
        cursor.execute(sql.SQL("SELECT * FROM {} ORDER BY version").format(tables.main))
        migrations = tuple(_migration_row(r) for r in cursor.fetchall())
        sections: tuple[SectionRow, ...] = ()
        if _exists(conn, tables.schema, tables.sections_name):
            cursor.execute(sql.SQL("SELECT * FROM {} ORDER BY migration_version, section_order")
                           .format(tables.sections))
            sections = tuple(_section_row(r) for r in cursor.fetchall())
    return TrackingState(migrations, sections)


def _migration_row(r: dict[str, object]) -> MigrationRow:
    return MigrationRow(
        version=int(r["version"]),  # type: ignore[call-overload]
        is_baseline=bool(r.get("is_baseline") or False),
        description=str(r.get("description") or ""),
        checksum=str(r.get("checksum") or ""),
        applied_at=r.get("applied_at"),  # type: ignore[arg-type]
        applied_by=r.get("applied_by"),  # type: ignore[arg-type]
    )


def _section_row(r: dict[str, object]) -> SectionRow:
    return SectionRow(
        version=int(r["migration_version"]),  # type: ignore[call-overload]
        is_baseline=bool(r.get("is_baseline") or False),
        name=str(r["section_name"]),
        order=int(r.get("section_order") or 0),  # type: ignore[call-overload]
        status=SectionStatus.parse(str(r["status"])),
        attempts=int(r.get("attempts") or 0),  # type: ignore[call-overload]
        checksum=r.get("checksum"),  # type: ignore[arg-type]
        mode=r.get("mode"),  # type: ignore[arg-type]
        module=r.get("module"),  # type: ignore[arg-type]
        started_at=r.get("started_at"),  # type: ignore[arg-type]
        completed_at=r.get("completed_at"),  # type: ignore[arg-type]
        last_error=r.get("last_error"),  # type: ignore[arg-type]
        rows_affected=r.get("rows_affected"),  # type: ignore[arg-type]
        duration_ms=r.get("duration_ms"),  # type: ignore[arg-type]
        applied_by=r.get("applied_by"),  # type: ignore[arg-type]
        pgmt_version=r.get("pgmt_version"),  # type: ignore[arg-type]
    )


# ---------------------------------------------------------------------------- writing


def register_start(conn: psycopg.Connection, tables: TrackingTables,
                   migration: MigrationFile, sections: Sequence[Section]) -> None:
    """The main row and a pending row per section, in one transaction, before anything
    runs: a crash can never leave the main row without its sections. A baseline may be
    registered again (a resumed provision): its main row is then left as it is."""
    conflict = sql.SQL(" ON CONFLICT (version, is_baseline) DO NOTHING"
                       if migration.is_baseline else "")
    with conn.transaction():
        conn.execute(sql.SQL(
            "INSERT INTO {} (version, description, checksum, is_baseline) "
            "VALUES (%s, %s, %s, %s){}").format(tables.main, conflict),
            (migration.version, migration.description, migration.checksum,
             migration.is_baseline))
        insert_pending(conn, tables, migration.version, migration.is_baseline, sections)


def insert_pending(conn: psycopg.Connection, tables: TrackingTables, version: int,
                   is_baseline: bool, sections: Iterable[Section]) -> None:
    """Pending rows for sections not registered yet (existing rows are kept)."""
    for section in sections:
        conn.execute(sql.SQL(
            "INSERT INTO {} (migration_version, is_baseline, section_name, section_order, "
            "status, attempts, checksum, mode, module, pgmt_version) "
            "VALUES (%s, %s, %s, %s, 'pending', 0, %s, %s, %s, %s) "
            "ON CONFLICT (migration_version, is_baseline, section_name) DO NOTHING")
            .format(tables.sections),
            (version, is_baseline, section.name, section.order, section_checksum(section),
             section.mode.value, section.module, WRITER))


def mark_running(conn: psycopg.Connection, tables: TrackingTables, version: int,
                 is_baseline: bool, name: str) -> None:
    _update_section(conn, tables, version, is_baseline, name,
                    "status = 'running', started_at = now(), attempts = attempts + 1, "
                    "applied_by = current_user")


def mark_completed(conn: psycopg.Connection, tables: TrackingTables, version: int,
                   is_baseline: bool, name: str, *, duration_ms: int,
                   rows_affected: int | None) -> None:
    """For a transactional section, call it inside the section's transaction: the row says
    completed exactly when the section's statements committed."""
    _update_section(conn, tables, version, is_baseline, name,
                    "status = 'completed', completed_at = now(), last_error = NULL, "
                    "rows_affected = %s, duration_ms = %s", (rows_affected, duration_ms))


def mark_failed(conn: psycopg.Connection, tables: TrackingTables, version: int,
                is_baseline: bool, name: str, error: str) -> None:
    _update_section(conn, tables, version, is_baseline, name,
                    "status = 'failed', last_error = %s", (error,))


def mark_completed_by_hand(conn: psycopg.Connection, tables: TrackingTables, version: int,
                           is_baseline: bool, section: Section | None, name: str) -> None:
    """``resolve --mark-completed``: completed without running, checksum from the file."""
    if section is None:
        _update_section(conn, tables, version, is_baseline, name,
                        "status = 'completed', completed_at = now(), last_error = NULL, "
                        "applied_by = current_user")
        return
    _update_section(conn, tables, version, is_baseline, name,
                    "status = 'completed', completed_at = now(), last_error = NULL, "
                    "applied_by = current_user, checksum = %s, mode = %s, module = %s",
                    (section_checksum(section), section.mode.value, section.module))


def record_applied(conn: psycopg.Connection, tables: TrackingTables, migration: MigrationFile,
                   sections: Sequence[Section]) -> None:
    """``mark-applied``: the main row and every section completed, in one transaction."""
    with conn.transaction():
        register_start(conn, tables, migration, sections)
        for section in sections:
            mark_completed_by_hand(conn, tables, migration.version, migration.is_baseline,
                                   section, section.name)


def apply_checksum_updates(conn: psycopg.Connection, tables: TrackingTables,
                           updates: Iterable[ChecksumUpdate]) -> None:
    for update in updates:
        if update.section is None:
            conn.execute(sql.SQL("UPDATE {} SET checksum = %s WHERE version = %s "
                                 "AND is_baseline = %s").format(tables.main),
                         (update.new, update.version, update.is_baseline))
        else:
            _update_section(conn, tables, update.version, update.is_baseline, update.section,
                            "checksum = %s, mode = %s, module = %s",
                            (update.new, update.mode, update.module))


def _update_section(conn: psycopg.Connection, tables: TrackingTables, version: int,
                    is_baseline: bool, name: str, assignments: str,
                    params: tuple[object, ...] = ()) -> None:
    conn.execute(sql.SQL("UPDATE {} SET " + assignments + " WHERE migration_version = %s "
                         "AND is_baseline = %s AND section_name = %s").format(tables.sections),
                 (*params, version, is_baseline, name))


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
