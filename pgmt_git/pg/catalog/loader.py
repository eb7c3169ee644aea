"""Read a database's catalog into a :class:`~pgmt_git.diff.model.Catalog`.

One query per object kind (the ``.sql`` files next to this module), all in one read-only
repeatable-read transaction, so every query sees the same snapshot. ``search_path`` is
empty while reading: ``format_type``, ``pg_get_expr`` and the other deparsers then
schema-qualify every name outside pg_catalog, so the texts mean the same in any session.

OIDs are used only here, to join rows and to map pg_depend to object ids; they never leave.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from collections.abc import Set as AbstractSet
from collections.abc import Sequence as SequenceOf
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

import psycopg
from psycopg.rows import namedtuple_row, tuple_row

from pgmt_git.config import Objects, TrackingTable
from pgmt_git.diff.collector import collector_paused
from pgmt_git.diff.model import (
    Acl,
    Catalog,
    Collation,
    Column,
    CompositeType,
    Constraint,
    ConstraintType,
    DbObject,
    DefaultPrivileges,
    Domain,
    DomainConstraint,
    EnumType,
    EventTrigger,
    Extension,
    ForeignKey,
    Function,
    FunctionKind,
    Identity,
    Index,
    Kind,
    MaterializedView,
    ObjectId,
    Policy,
    Privilege,
    RangeType,
    ReplicaIdentity,
    Schema,
    Sequence,
    SequenceOptions,
    Table,
    Trigger,
    View,
    column_id,
)
from pgmt_git.diff.quoting import qualified, quote_ident, quote_literal
from pgmt_git.errors import ServerError
from pgmt_git.pg.catalog.filtering import managed_objects
from pgmt_git.pg.catalog.forked import ForkedRead, Handover, forking_allowed
from pgmt_git.pg.catalog.structure import Edge, structural_edges
from pgmt_git.pg import MIN_SERVER_VERSION

__all__ = ["QUERY_NAMES", "load_catalog", "load_catalogs", "query_text"]

# In the order the server runs them, which is the order the builder first needs them in
# (columns before the relations made of them), so it waits as little as possible.
QUERY_NAMES = ("schemas", "extensions", "enums", "collations", "ranges", "domains",
               "sequences", "identities", "columns", "composites", "tables", "views",
               "constraints", "index_support", "indexes", "functions", "aggregates",
               "triggers", "event_triggers", "default_privileges", "policies", "depends",
               "aliases")

# (catalog table's OID, oid, sub-object id): how pg_depend names an object.
CatalogKey = tuple[int, int, int]
# The catalog tables that name objects in pg_depend, by OID: fixed by PostgreSQL's catalog
# headers, the same in every version (a test checks them against the server). Read as OIDs,
# not as names: casting two regclass values to text for each dependency row cost the server
# half of that query's time.
PG_TYPE, PG_PROC, PG_CLASS = 1247, 1255, 1259
PG_CONSTRAINT, PG_NAMESPACE, PG_TRIGGER = 2606, 2615, 2620
PG_EXTENSION, PG_POLICY, PG_COLLATION, PG_EVENT_TRIGGER = 3079, 3256, 3456, 3466
_UNRESOLVED = ObjectId(Kind.SCHEMA, "", "")  # a key not looked up yet
_EDGE_BATCH = 4096  # dependencies handed over at a time


_QUERIES = Path(__file__).parent  # the package is installed as files (importlib.resources
# would cost a tenth of a second of imports on every command that reads a catalog)


def query_text(name: str) -> str:
    return (_QUERIES / f"{name}.sql").read_text(encoding="utf-8")


def load_catalog(conn_or_conninfo: psycopg.Connection | str, *,
                 objects_filter: Objects | None = None,
                 tracking_table: TrackingTable | None = None) -> Catalog:
    """The catalog of a database: a connection (idle, not inside a transaction) or a libpq
    connection string. ``objects_filter`` defaults to pgmt's (every schema but ``pg_*`` and
    information_schema); the migration tracking tables are always left out."""
    return Catalog(*_read(conn_or_conninfo, objects_filter, tracking_table))


def _read(conn_or_conninfo: psycopg.Connection | str, objects_filter: Objects | None,
          tracking_table: TrackingTable | None, receiver: Receiver | None = None,
          ) -> tuple[dict[ObjectId, DbObject], frozenset[Edge]]:
    """A catalog's managed objects and dependencies, or, with a ``receiver``, nothing (it is
    handed the parts, :func:`_built`)."""
    objects_filter = Objects() if objects_filter is None else objects_filter
    tracking_table = TrackingTable() if tracking_table is None else tracking_table
    if isinstance(conn_or_conninfo, str):
        try:
            conn = psycopg.connect(conn_or_conninfo, autocommit=True, prepare_threshold=None)
        except psycopg.OperationalError as exc:
            raise ServerError(f"cannot connect to read the catalog: {exc}") from exc
        with conn, collector_paused():
            return _load(conn, objects_filter, tracking_table, receiver)
    with collector_paused():
        return _load(conn_or_conninfo, objects_filter, tracking_table, receiver)


def load_catalogs(conns_or_conninfos: SequenceOf[psycopg.Connection | str], *,
                  objects_filter: Objects | None = None,
                  tracking_table: TrackingTable | None = None,
                  while_reading: Callable[[], None] | None = None) -> tuple[Catalog, ...]:
    """The catalogs of several databases, in the order given, read at the same time: one
    connection and one read-only repeatable-read transaction per database. On Linux the
    first connection string is read by a forked process (:mod:`.forked`) while this one
    reads the rest; otherwise each database has a thread of its own (psycopg releases the
    GIL while it waits for the server, so one database's queries run while the other's
    rows become objects). ``while_reading`` is called once the reading has started (a
    command can import what it needs next meanwhile). Same arguments as
    :func:`load_catalog`; an error reading any of them is raised here."""

    def read(conn: psycopg.Connection | str) -> Catalog:
        return load_catalog(conn, objects_filter=objects_filter, tracking_table=tracking_table)

    def read_handing_over(conninfo: str, handover: Handover) -> None:
        _read(conninfo, objects_filter, tracking_table, handover)

    first = conns_or_conninfos[0] if conns_or_conninfos else None
    if len(conns_or_conninfos) == 2 and isinstance(first, str) and forking_allowed():
        forked = ForkedRead.start(first, read_handing_over)
        try:
            if while_reading is not None:
                while_reading()
            parts = _read(conns_or_conninfos[1], objects_filter, tracking_table)
            # This catalog is put in order while the child finishes its own.
            own: list[Catalog] = []
            handed = forked.result(meanwhile=lambda: own.append(Catalog(*parts)))
            return handed, own[0]
        finally:
            forked.close()
    if len(conns_or_conninfos) < 2:
        if while_reading is not None:
            while_reading()
        return tuple(read(c) for c in conns_or_conninfos)
    results: list[Catalog | BaseException | None] = [None] * len(conns_or_conninfos)

    def read_into(index: int, conn: psycopg.Connection | str) -> None:
        try:
            results[index] = read(conn)
        except BaseException as exc:  # handed to the caller's thread  # noqa: BLE001
            results[index] = exc

    # Paused here, not in each thread: the collector's switch is process-wide, and threads
    # pausing and resuming it in turn could leave it off.
    with collector_paused():
        # Daemons: Ctrl-C in the main thread ends the process without waiting for them.
        threads = [threading.Thread(target=read_into, args=(i, c),
                                    name=f"pgmt-git-catalog-{i}", daemon=True)
                   for i, c in enumerate(conns_or_conninfos)]
        for thread in threads:
            thread.start()
        if while_reading is not None:
            while_reading()
        for thread in threads:
            thread.join()
    for result in results:
        if isinstance(result, BaseException):
            raise result
    return tuple(results)  # type: ignore[arg-type]  # every slot holds a Catalog now


# Rows are read as named tuples (half the cost of a dict per row to make, and less memory),
# but the dependencies' as plain tuples (the largest results, read by position).
_TUPLE_QUERIES = frozenset({"depends", "aliases"})


def _load(conn: psycopg.Connection, objects_filter: Objects, tracking_table: TrackingTable,
          receiver: Receiver | None) -> tuple[dict[ObjectId, DbObject], frozenset[Edge]]:
    """Every query is sent at once (pipeline mode: one round trip, the server runs them back
    to back). psycopg hands out the first result only once the last has arrived, so the
    builder starts when the server is done; with two catalogs read at once, the other
    catalog's work fills that time (docs/diff.md, Performance)."""
    version = conn.info.server_version
    if version < MIN_SERVER_VERSION:
        raise ServerError(f"cannot read the catalog of {conn.info.dbname}: it runs PostgreSQL "
                          f"{version // 10000}, and pgmt-git needs {MIN_SERVER_VERSION // 10000} "
                          "or later")
    with conn.transaction():
        with conn.pipeline():
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            conn.execute("SELECT pg_catalog.set_config('search_path', '', true)")
            # Sorts and hashes of tens of thousands of catalog rows fit in memory with
            # this, rather than spilling to disk at the default 4MB.
            conn.execute("SELECT pg_catalog.set_config('work_mem', '64MB', true)")
            cursors = {}
            for name in QUERY_NAMES:
                factory = tuple_row if name in _TUPLE_QUERIES else namedtuple_row
                cursor = conn.cursor(row_factory=factory)  # type: ignore[arg-type]
                cursor.execute(query_text(name))  # type: ignore[arg-type]  # our own files
                cursors[name] = cursor
            return _built(_Results(conn, cursors), objects_filter, tracking_table, receiver)


class _Results(Mapping[str, Any]):
    """Each query's rows, fetched when the builder asks for them and then forgotten (with
    the cursor's copy): the builder reads each result once, and a catalog's rows need not
    outlive the objects made of them."""

    def __init__(self, conn: psycopg.Connection, cursors: Mapping[str, psycopg.Cursor[Any]],
                 ) -> None:
        self._conn = conn
        self._cursors = cursors

    def index_definitions(self, oids: SequenceOf[int]) -> dict[int, str]:
        """pg_get_indexdef of these indexes, in the reading's transaction."""
        found = self._conn.execute(
            "SELECT i, pg_catalog.pg_get_indexdef(i)"
            "  FROM pg_catalog.unnest(%s::pg_catalog.oid[]) AS i", (list(oids),))
        return dict(found.fetchall())

    def __getitem__(self, name: str) -> list[Any]:
        cursor = self._cursors[name]
        rows = cursor.fetchall()
        cursor.close()
        return rows

    def __iter__(self) -> Iterator[str]:
        return iter(self._cursors)

    def __len__(self) -> int:
        return len(self._cursors)


def build_catalog(rows: Mapping[str, Iterable[Any]], objects_filter: Objects | None = None,
                  tracking_table: TrackingTable | None = None) -> Catalog:
    """The catalog from the rows of every query (pure: no database needed), filtered: named
    tuples, but plain tuples for ``depends`` and ``aliases``. Each
    result is asked for once, so ``rows`` may hand each out only once."""
    return Catalog(*_built(rows, objects_filter, tracking_table))


def _built(rows: Mapping[str, Iterable[Any]], objects_filter: Objects | None,
           tracking_table: TrackingTable | None, receiver: Receiver | None = None,
           ) -> tuple[dict[ObjectId, DbObject], frozenset[Edge]]:
    """The managed objects and their dependencies; or, with a ``receiver``, nothing: it is
    handed the parts as they are made, and puts them together itself."""
    with collector_paused():
        builder = _Builder(receiver)
        builder.add_all(rows)
        found = {obj.id: obj for obj in builder.objects}
        if len(found) != len(builder.objects):
            Catalog.build(builder.objects)  # names the duplicate
        kept = managed_objects(found, objects_filter or Objects(),
                               tracking_table or TrackingTable())
        left_out = found.keys() - kept.keys()
        batches = builder.edge_batches(rows["depends"], rows["aliases"], left_out)
        if receiver is not None:
            receiver.left_out(left_out)
            for batch in batches:
                receiver.edges(batch)
            return {}, frozenset()
        edges = {edge for batch in batches for edge in batch}
        edges.update(structural_edges(builder.objects, left_out))
        return kept, frozenset(edges)


class Receiver(Protocol):
    """Who is handed a catalog's parts as they are made: every object read, in batches;
    then those the filters leave out; then the dependencies pg_depend holds, in batches
    (some more than once); the rest of them are :func:`structural_edges`."""

    def objects(self, batch: SequenceOf[DbObject]) -> None: ...
    def left_out(self, ids: AbstractSet[ObjectId]) -> None: ...
    def edges(self, batch: SequenceOf[Edge]) -> None: ...


@dataclass
class _Builder:
    receiver: Receiver | None = None
    handed: int = 0  # how many of ``objects`` the receiver was handed
    objects: list[DbObject] = field(default_factory=list)
    ids: dict[CatalogKey, ObjectId] = field(default_factory=dict)
    # relid: attnum: the column's row of columns.sql (its name, type and collation)
    columns: dict[int, dict[int, Any]] = field(default_factory=dict)
    column_owners: dict[int, ObjectId] = field(default_factory=dict)  # relid: its relation

    def add(self, key: CatalogKey, obj: DbObject) -> None:
        self.objects.append(obj)
        self.ids[key] = obj.id

    def hand_over(self) -> None:
        """The objects made since the last call, to the receiver."""
        if self.receiver is not None and self.handed < len(self.objects):
            self.receiver.objects(self.objects[self.handed:])
            self.handed = len(self.objects)

    def relation(self, oid: int) -> ObjectId | None:
        return self.ids.get((PG_CLASS, oid, 0))

    def add_all(self, rows: Mapping[str, Any]) -> None:
        for row in rows["schemas"]:
            self.add((PG_NAMESPACE, row.oid, 0), Schema(
                row.name, row.comment, row.owner, _acl(row.acl)))
        for row in rows["extensions"]:
            self.add((PG_EXTENSION, row.oid, 0), Extension(
                row.name, row.schema, row.version, row.relocatable, row.comment))
        for row in rows["enums"]:
            self.add((PG_TYPE, row.oid, 0), EnumType(
                row.schema, row.name, tuple(row.labels), row.comment, row.owner,
                _acl(row.acl)))
        for row in rows["collations"]:
            self.add((PG_COLLATION, row.oid, 0), Collation(
                row.schema, row.name, row.provider, row.locale, row.lc_collate,
                row.lc_ctype, row.deterministic, row.rules, row.comment,
                row.owner))
        for row in rows["ranges"]:
            self.add((PG_TYPE, row.oid, 0), RangeType(
                row.schema, row.name, row.subtype, row.subtype_opclass,
                row.collation, row.canonical, row.subtype_diff, row.multirange,
                row.comment, row.owner, _acl(row.acl)))
            if row.multirange_oid:
                self.ids[(PG_TYPE, row.multirange_oid, 0)] = self.objects[-1].id
        for row in rows["domains"]:
            domain = _domain(row)
            self.add((PG_TYPE, row.oid, 0), domain)
            for constraint in row.constraints:
                self.ids[(PG_CONSTRAINT, constraint[4], 0)] = domain.id
        for row in rows["sequences"]:
            self.add((PG_CLASS, row.oid, 0), _sequence(row))
        identities = {(row.relid, row.attnum): row for row in rows["identities"]}
        columns = _columns_by_relation(rows["columns"])
        self.columns = {relid: {c.attnum: c for c in found} for relid, found in columns.items()}

        def columns_of(relid: int) -> tuple[Column, ...]:
            return _columns(columns.get(relid, ()), identities)

        for row in rows["composites"]:
            composite = CompositeType(row.schema, row.name, columns_of(row.relid),
                                      row.comment, row.owner, _acl(row.acl))
            self.add((PG_TYPE, row.oid, 0), composite)
            self._register_columns(row.relid, composite.id)
        for row in rows["tables"]:
            self._add_relation(row.oid, _table(row, columns_of(row.oid)))
        self.hand_over()
        for row in rows["views"]:
            self._add_relation(row.oid, _view(row, columns_of(row.oid)))
        for row in rows["constraints"]:
            self._add_constraint(row)
        self.hand_over()
        self._add_indexes(rows)
        for row in rows["functions"]:
            self.add((PG_PROC, row.oid, 0), _function(row))
        for row in rows["aggregates"]:
            self.add((PG_PROC, row.oid, 0), _aggregate(row))
        for row in rows["triggers"]:
            parent = self.relation(row.relid)
            if parent is not None:
                self.add((PG_TRIGGER, row.oid, 0), Trigger(
                    parent, row.name, row.definition, row.enabled, row.comment))
        for row in rows["event_triggers"]:
            function = self.ids.get((PG_PROC, row.function_oid, 0))
            if function is not None:
                self.add((PG_EVENT_TRIGGER, row.oid, 0), EventTrigger(
                    row.name, row.event, function, tuple(row.tags), row.enabled,
                    row.comment))
        for row in rows["default_privileges"]:
            self.objects.append(_default_privileges(row))
        for row in rows["policies"]:
            parent = self.relation(row.relid)
            if parent is not None:
                self.add((PG_POLICY, row.oid, 0), Policy(
                    parent, row.name, row.permissive, row.command,
                    tuple(row.roles), row.using, row.with_check, row.comment))
        self.hand_over()

    def _add_indexes(self, rows: Mapping[str, Any]) -> None:
        """Indexes: a plain one's definition written here (indexes.sql), the others' by the
        server, in the query or, for candidates that turn out not to be plain, after it."""
        support = rows["index_support"][0]
        keywords = frozenset(support.keywords)
        default_opclasses = dict(zip(support.default_opclasses, support.default_opclass_types))
        pending = []
        for row in rows["indexes"]:
            parent = self.relation(row.relid)
            if parent is None:
                continue
            definition = row.definition
            if definition is None:
                definition = plain_index_definition(row, parent, self.columns.get(row.relid, {}),
                                                    keywords, default_opclasses)
                if definition is None:
                    pending.append((row, parent))
                    continue
            self._add_index(row, parent, definition)
        if pending:
            if not isinstance(rows, _Results):
                raise ValueError("index definitions the server must write, and no server")
            definitions = rows.index_definitions([row.oid for row, _ in pending])
            for row, parent in pending:
                self._add_index(row, parent, definitions[row.oid])

    def _add_index(self, row: Any, parent: ObjectId, definition: str) -> None:
        self.add((PG_CLASS, row.oid, 0), Index(parent, row.name, definition, row.unique,
                                               row.method, row.predicate, row.comment))

    def _add_relation(self, oid: int, obj: DbObject) -> None:
        self.add((PG_CLASS, oid, 0), obj)
        self._register_columns(oid, obj.id)

    def _register_columns(self, oid: int, relation: ObjectId) -> None:
        """Make the relation's columns resolvable (their ids are made when first asked for:
        most columns appear in no dependency)."""
        self.ids[(PG_CLASS, oid, 0)] = relation
        self.column_owners[oid] = relation

    def _add_constraint(self, row: Any) -> None:
        parent = self.relation(row.relid)
        if parent is None:
            return
        kind = ConstraintType(row.type)
        columns = self._names(row.relid, row.columns)
        foreign_key = None
        if kind is ConstraintType.FOREIGN_KEY:
            foreign_key = ForeignKey(
                ObjectId(Kind.TABLE, row.ref_schema, row.ref_table), columns,
                self._names(row.ref_relid, row.ref_columns), row.on_update,
                row.on_delete, row.match)
        definition = row.definition
        if row.index_options:
            definition = with_storage_parameters(definition, row.index_options)
        constraint = Constraint(
            parent, row.name, kind, definition, columns,
            row.validated, row.deferrable, row.deferred, foreign_key, row.comment)
        self.add((PG_CONSTRAINT, row.oid, 0), constraint)
        if constraint.has_index and row.index_oid:
            self.ids[(PG_CLASS, row.index_oid, 0)] = constraint.id

    def _names(self, relid: int, attnums: list[int] | None) -> tuple[str, ...]:
        """Column names of a relation from attribute numbers (a constraint's keys)."""
        found = self.columns.get(relid, {})
        return tuple(found[attnum].name for attnum in attnums or ())

    def edge_batches(self, depends: Iterable[tuple[Any, ...]],
                     aliases: Iterable[tuple[Any, ...]], left_out: AbstractSet[ObjectId],
                     ) -> Iterator[list[Edge]]:
        """Dependencies from the rows of ``depends.sql`` and ``aliases.sql`` (tuples in their
        columns' order) between objects not ``left_out`` (top-level objects the filters
        leave out; their children go with them), a few thousand at a time, some more than
        once; those pg_depend leaves implicit are :func:`structural_edges`'."""
        alias = {(cls, objid, objsubid): (tocls, toid, tosubid)
                 for cls, objid, objsubid, tocls, toid, tosubid in aliases}
        # Many rows name the same object (a column its index, constraint and default use):
        # each catalog key is resolved once.
        resolved: dict[CatalogKey, ObjectId | None] = {}
        found: list[Edge] = []
        for cls, objid, objsubid, refcls, refobjid, refobjsubid, deptype in depends:
            key = (cls, objid, objsubid)
            dependent = resolved.get(key, _UNRESOLVED)
            if dependent is _UNRESOLVED:
                dependent = resolved[key] = self._resolve(key, alias, left_out)
            key = (refcls, refobjid, refobjsubid)
            referenced = resolved.get(key, _UNRESOLVED)
            if referenced is _UNRESOLVED:
                referenced = resolved[key] = self._resolve(key, alias, left_out)
            if dependent is None or referenced is None or dependent == referenced:
                continue
            if (dependent.kind is Kind.SEQUENCE and referenced.kind is Kind.COLUMN
                    and deptype == "a"):
                continue  # OWNED BY: an attribute of the sequence, not an ordering need
            found.append((dependent, referenced))
            if len(found) == _EDGE_BATCH:
                yield found
                found = []
        if found:
            yield found

    def _resolve(self, key: CatalogKey, alias: Mapping[CatalogKey, CatalogKey],
                 left_out: AbstractSet[ObjectId]) -> ObjectId | None:
        found = self._resolve_key(key, alias)
        if found is None or found in left_out or (
                found.parent is not None and found.parent in left_out):
            return None
        return found

    def _resolve_key(self, key: CatalogKey,
                     alias: Mapping[CatalogKey, CatalogKey]) -> ObjectId | None:
        for _ in range(5):
            found = self.ids.get(key)
            if found is not None:
                return found
            if key[2] != 0 and key[0] == PG_CLASS and key[1] in self.column_owners:
                column = self.columns[key[1]].get(key[2])
                if column is not None:
                    found = self.ids[key] = column_id(self.column_owners[key[1]], column.name)
                    return found
            if key in alias:
                key = alias[key]
            elif key[2] != 0:
                key = (key[0], key[1], 0)
            else:
                return None
        return None


# --------------------------------------------------------------------------- row -> object


# Equal values (the same column in many tables; in a process that reads both databases of
# a diff, most of the two) are made once and shared: immutable, so sharing is safe; cheaper
# to make than to build again; and compared by identity first, which makes comparisons
# quick. The caches are bounded.


def _acl(value: list[str] | None) -> Acl:
    """An ACL from its ``aclitem[]`` read as text (``grantee=privileges/grantor`` items:
    deparsed by the server in a fraction of what exploding them into rows costs there, and
    parsed here once per distinct ACL, most objects sharing a few)."""
    if value is None:
        return None
    return _parsed_acl(tuple(value))


# aclitem's privilege letters (the server's ACL_ALL_RIGHTS_STR) and aclexplode's names.
_PRIVILEGES = {"a": "INSERT", "r": "SELECT", "w": "UPDATE", "d": "DELETE", "D": "TRUNCATE",
               "x": "REFERENCES", "t": "TRIGGER", "X": "EXECUTE", "U": "USAGE", "C": "CREATE",
               "T": "TEMPORARY", "c": "CONNECT", "s": "SET", "A": "ALTER SYSTEM",
               "m": "MAINTAIN"}


@lru_cache(maxsize=4096)
def _parsed_acl(items: tuple[str, ...]) -> Acl:
    entries = []
    for item in items:
        grantee, at = acl_role(item, 0)  # empty: PUBLIC
        if not item.startswith("=", at):
            raise ServerError(f"cannot read the ACL item {item!r}")
        slash = item.index("/", at)  # not inside a name: those come after it, or quoted
        grantor, _ = acl_role(item, slash + 1)
        privileges = item[at + 1:slash]
        for index, letter in enumerate(privileges):
            if letter != "*":
                entries.append((grantee, _PRIVILEGES[letter],
                                privileges.startswith("*", index + 1), grantor))
    # Sorted as plain tuples (compared in C), in Privilege's own order: its fields'.
    return tuple(Privilege(*entry) for entry in sorted(entries))


def acl_role(item: str, start: int) -> tuple[str, int]:
    """The role name at ``start`` of an ACL item, as the server writes it (double-quoted
    unless made only of letters, digits and underscores; a quote inside doubled), and where
    it ends."""
    if not item.startswith('"', start):
        end = start
        while end < len(item) and item[end] not in "=/":
            end += 1
        return item[start:end], end
    parts = []
    at = start + 1
    while True:
        quote = item.index('"', at)
        parts.append(item[at:quote])
        if not item.startswith('"', quote + 1):
            return '"'.join(parts), quote + 1
        at = quote + 2


# A key's ordering from its indoption bits (DESC 1, NULLS FIRST 2), as pg_get_indexdef
# writes it: only what differs from the default for its direction.
_KEY_ORDER = ("", " DESC NULLS LAST", " NULLS FIRST", " DESC")


def plain_index_definition(row: Any, table: ObjectId, columns: Mapping[int, Any],
                           keywords: AbstractSet[str], default_opclasses: Mapping[int, int],
                           ) -> str | None:
    """pg_get_indexdef's text for an index of indexes.sql whose keys the query sent, written
    here if the index is plain (each key a column with its type's default operator class,
    in the column's collation, ordered only by btree); None if it is not. ``columns``: the
    table's rows of columns.sql by attnum; ``keywords`` and ``default_opclasses`` (opclass:
    the type it is for) from index_support.sql."""
    keys = []
    for attnum, opclass, collation, option in zip(row.keys, row.opclasses, row.collations,
                                                   row.options):
        column = columns.get(attnum)  # none for an expression (0)
        if (column is None or default_opclasses.get(opclass) != column.type_oid
                or collation != column.collation_oid
                or (option != 0 and row.method != "btree")):
            return None
        keys.append(quote_ident(column.name, keywords) + _KEY_ORDER[option & 3])
    unique = "UNIQUE " if row.unique else ""
    where = "" if row.predicate is None else f" WHERE {row.predicate}"
    return (f"CREATE {unique}INDEX {quote_ident(row.name, keywords)} ON "
            f"{quote_ident(table.schema, keywords)}.{quote_ident(table.name, keywords)} "
            f"USING {quote_ident(row.method, keywords)} ({', '.join(keys)}){where}")


_DEFERRABILITY = re.compile(r"( DEFERRABLE)?( INITIALLY DEFERRED)?\Z")


def with_storage_parameters(definition: str, options: list[str]) -> str:
    """``PRIMARY KEY (a) DEFERRABLE`` + [fillfactor=70] ->
    ``PRIMARY KEY (a) WITH (fillfactor='70') DEFERRABLE``."""
    found = _DEFERRABILITY.search(definition)
    cut = found.start() if found else len(definition)
    parameters = ", ".join(f"{name}={quote_literal(value)}"
                           for name, _, value in (o.partition("=") for o in options))
    return f"{definition[:cut]} WITH ({parameters}){definition[cut:]}"


def _default_privileges(row: Any) -> DefaultPrivileges:
    acl = set(_acl(row.acl) or ())
    baseline = set(_acl(row.baseline) or ())
    return DefaultPrivileges(row.role, row.schema, row.object_type,
                             tuple(sorted(acl - baseline)), tuple(sorted(baseline - acl)),
                             tuple(sorted(baseline)))


def _domain(row: Any) -> Domain:
    constraints = tuple(DomainConstraint(name, definition, validated, comment)
                        for name, definition, validated, comment, _ in row.constraints)
    return Domain(row.schema, row.name, row.base_type, row.default,
                  row.not_null, row.collation, constraints, row.comment, row.owner,
                  _acl(row.acl))


def _sequence(row: Any) -> Sequence:
    owned_by = None
    if row.owned_by:
        schema, table, column = row.owned_by
        owned_by = column_id(ObjectId(Kind.TABLE, schema, table), column)
    return Sequence(row.schema, row.name, _sequence_options(row), owned_by, row.unlogged,
                    row.comment, row.owner, _acl(row.acl))


def _sequence_options(row: Any) -> SequenceOptions:
    """From a row of sequences.sql or identities.sql (the same option columns)."""
    return SequenceOptions(row.data_type, row.start, row.increment, row.min_value,
                           row.max_value, row.cache, row.cycle)


def _columns_by_relation(rows: Iterable[Any]) -> dict[int, tuple[Any, ...]]:
    """Rows of ``columns.sql`` (named tuples) by relation."""
    grouped: dict[int, list[Any]] = {}
    for row in rows:
        grouped.setdefault(row.relid, []).append(row)
    return {relid: tuple(found) for relid, found in grouped.items()}


def _columns(rows: Iterable[Any], identities: Mapping[tuple[int, int], Any],
             ) -> tuple[Column, ...]:
    """A relation's columns from its rows of ``columns.sql``, with ``identities.sql``'s rows
    by (relid, attnum)."""
    return tuple(_column(row, identities) for row in rows)


def _column(row: Any, identities: Mapping[tuple[int, int], Any]) -> Column:
    if not row.identity and row.acl is None:  # nearly every column
        return _shared_column(row.name, row.type, row.not_null, row.default, row.collation,
                              row.generated, row.comment, row.inherited)
    identity = None
    if row.identity:
        sequence = identities[(row.relid, row.attnum)]
        identity = Identity(row.identity == "a", sequence.schema, sequence.name,
                            _sequence_options(sequence))
    return Column(row.name, row.type, row.not_null, row.default, row.collation,
                  identity, row.generated, row.comment,
                  None if row.acl is None else _acl(row.acl), row.inherited)


@lru_cache(maxsize=65536)
def _shared_column(name: str, type_: str, not_null: bool, default: str | None,
                   collation: str | None, generated: str | None, comment: str | None,
                   inherited: bool) -> Column:
    return Column(name, type_, not_null, default, collation, None, generated, comment, None,
                  inherited)


def _table(row: Any, columns: tuple[Column, ...]) -> Table:
    parents = tuple(ObjectId(Kind.TABLE, schema, name) for schema, name in row.parents)
    partition_of = parents[0] if row.is_partition and parents else None
    return Table(
        row.schema, row.name, columns, row.unlogged,
        tuple(row.reloptions), row.rls_enabled, row.rls_forced,
        ReplicaIdentity(row.replica_identity), row.replica_identity_index,
        row.partition_key, partition_of, row.partition_bound,
        () if partition_of is not None else parents, row.comment, row.owner,
        _acl(row.acl))


def _view(row: Any, cols: tuple[Column, ...]) -> View | MaterializedView:
    if row.relkind == "m":
        return MaterializedView(row.schema, row.name, row.definition, cols,
                                tuple(row.options), row.populated, row.comment,
                                row.owner, _acl(row.acl))
    return View(row.schema, row.name, row.definition, cols, tuple(row.options),
                row.comment, row.owner, _acl(row.acl))


_FINAL_MODIFY = {"r": "READ_ONLY", "s": "SHAREABLE", "w": "READ_WRITE"}
_PARALLEL = {"s": "SAFE", "r": "RESTRICTED", "u": "UNSAFE"}


def aggregate_definition(row: Any) -> str:
    """CREATE OR REPLACE AGGREGATE text from pg_aggregate's parts (defaults left out)."""
    options = [f"SFUNC = {row.sfunc}", f"STYPE = {row.stype}"]
    if row.sspace:
        options.append(f"SSPACE = {row.sspace}")
    if row.finalfunc:
        options.append(f"FINALFUNC = {row.finalfunc}")
        if row.finalfunc_extra:
            options.append("FINALFUNC_EXTRA")
        default_modify = "r" if row.aggkind == "n" else "w"
        if row.finalfunc_modify != default_modify:
            options.append(f"FINALFUNC_MODIFY = {_FINAL_MODIFY[row.finalfunc_modify]}")
    for key in ("combinefunc", "serialfunc", "deserialfunc"):
        if getattr(row, key):
            options.append(f"{key.upper()} = {getattr(row, key)}")
    if row.initcond is not None:
        options.append(f"INITCOND = {quote_literal(row.initcond)}")
    if row.sortop:
        options.append(f"SORTOP = OPERATOR({row.sortop.split('(')[0]})")
    if row.parallel != "u":
        options.append(f"PARALLEL = {_PARALLEL[row.parallel]}")
    if row.aggkind == "h":
        options.append("HYPOTHETICAL")
    arguments = row.arguments or "*"
    head = f"CREATE OR REPLACE AGGREGATE {qualified(row.schema, row.name)}({arguments})"
    return head + " (\n    " + ",\n    ".join(options) + "\n)"


def _aggregate(row: Any) -> Function:
    return Function(row.schema, row.name, row.args, FunctionKind.AGGREGATE,
                    aggregate_definition(row), row.result, row.arguments, (),
                    row.comment, row.owner, _acl(row.acl))


def _function(row: Any) -> Function:
    return Function(row.schema, row.name, row.args, FunctionKind(row.kind),
                    row.definition, row.result, row.arguments,
                    tuple(row.input_names), row.comment, row.owner, _acl(row.acl))
