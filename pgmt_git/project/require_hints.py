"""Schema files' ``-- require:`` lines as ordering hints for the diff engine.

pgmt's rule: when file A requires file B, every object A creates depends on every object B
creates. pg_depend knows nothing of what a function body reads (unless it is a
``BEGIN ATOMIC`` body), yet PostgreSQL checks a SQL body when the function is created; the
hints carry what the schema's author said instead.

An object "created" by a file is one a statement of it creates (CREATE ..., and ALTER TABLE
... ADD CONSTRAINT, which creates a constraint); statements that alter, comment on or grant
on an object another file creates do not count, or a file that comments on a table it
requires would make the table depend on its own dependents. A required table stands for its
columns too, so a column added to it comes before what needs it. Unqualified names are
resolved as the replay resolves them: through the file's ``SET search_path``, by default
``public``. Objects the catalog does not hold (filtered out, or kinds the model does not
have) give no hint, and neither does a pair against a recorded dependency (a file that sets
a default of a required table to its own function: the table needs the function).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence

from pgmt_git.diff.model import Catalog, Kind, ObjectId, Table, column_id
from pgmt_git.project.schema_files import SchemaFile
from pgmt_git.project.sqlobjects import Json, ObjectRef

Hint = tuple[ObjectId, ObjectId]

# Statements that create the object sqlobjects names for them.
_CREATING = frozenset({
    "CreateStmt", "CreateTableAsStmt", "ViewStmt", "IndexStmt", "CreateSeqStmt",
    "CreateFunctionStmt", "DefineStmt", "CompositeTypeStmt", "CreateEnumStmt",
    "CreateRangeStmt", "CreateDomainStmt", "CreateSchemaStmt", "CreateExtensionStmt",
    "CreateTrigStmt", "CreateEventTrigStmt", "CreatePolicyStmt", "AlterTableStmt",
})
# Statement kinds (sqlobjects' words) as the namespace the model's ids share.
_GROUP_OF_REF = {
    **dict.fromkeys(("table", "view", "materialized view", "sequence", "index"), "relation"),
    **dict.fromkeys(("type", "domain"), "type"),
    **dict.fromkeys(("function", "procedure", "aggregate"), "routine"),
    **{word: word for word in ("schema", "extension", "event trigger", "collation",
                               "trigger", "policy", "constraint")},
}
_GROUP_OF_KIND = {
    **dict.fromkeys((Kind.TABLE, Kind.VIEW, Kind.MATERIALIZED_VIEW, Kind.SEQUENCE, Kind.INDEX),
                    "relation"),
    **dict.fromkeys((Kind.ENUM, Kind.COMPOSITE, Kind.DOMAIN, Kind.RANGE), "type"),
    **dict.fromkeys((Kind.FUNCTION, Kind.PROCEDURE, Kind.AGGREGATE), "routine"),
    **{kind: kind.value for kind in (Kind.SCHEMA, Kind.EXTENSION, Kind.EVENT_TRIGGER,
                                     Kind.COLLATION, Kind.TRIGGER, Kind.POLICY,
                                     Kind.CONSTRAINT)},
}
_DEFAULT_SEARCH_PATH = ("public",)

# (group, schema, parent relation name or "", name)
_Key = tuple[str, str, str, str]
# A created object and the search path its statement ran with.
_Created = tuple[ObjectRef, tuple[str, ...]]
# A qualified type name: a schema (quoted or not), a dot, the rest.
_QUALIFIED = re.compile(r'(?:"(?:[^"]|"")*"|[^".]+)\.(.+)')


def require_hints(files: Sequence[SchemaFile], catalog: Catalog) -> frozenset[Hint]:
    """(dependent, referenced) pairs of ``catalog`` (the schema files' state) that the
    files' ``-- require:`` lines imply. Only files that require or are required are read."""
    requiring = [f for f in files if f.requires]
    if not requiring:
        return frozenset()
    required = {r.target for f in requiring for r in f.requires}
    index = _CatalogIndex(catalog)
    created = {f.name: index.resolve_all(_created_refs(f))
               for f in files if f.requires or f.name in required}
    # A file required by many is expanded once.
    referenced = {name: _with_columns(created.get(name, ()), catalog) for name in required}
    hints: set[Hint] = set()
    for f in requiring:
        for a in created[f.name]:
            needing = _needing(a, catalog)
            for requirement in f.requires:
                hints.update((a, b) for b in referenced[requirement.target]
                             if a != b and not (needing and _owner(b) in needing))
    return frozenset(hints)


def _needing(oid: ObjectId, catalog: Catalog) -> set[ObjectId]:
    """What recorded dependencies say needs ``oid`` (a column as its relation): a file that
    sets a default of a required table to its own function must not have the function wait
    for that table, which would be a cycle."""
    return {_owner(d) for d in catalog.dependents(oid)}


def _owner(oid: ObjectId) -> ObjectId:
    return oid.parent if oid.kind is Kind.COLUMN and oid.parent is not None else oid


def _with_columns(ids: Iterable[ObjectId], catalog: Catalog) -> tuple[ObjectId, ...]:
    found: list[ObjectId] = []
    for oid in ids:
        found.append(oid)
        table = catalog.get(oid)
        if isinstance(table, Table):
            found.extend(column_id(oid, c.name) for c in table.columns)
    return tuple(found)


def _created_refs(file: SchemaFile) -> Iterator[_Created]:
    """The objects the file's statements create, each with the search path in effect."""
    from pgmt_git.project.sqltext import defined_object, split_statements, statement_tree

    search_path = _DEFAULT_SEARCH_PATH
    for statement in split_statements(file.text, path=file.path):
        if statement.node == "VariableSetStmt":
            search_path = _search_path(statement_tree(statement), search_path)
        elif statement.node in _CREATING:
            ref = defined_object(statement)
            if ref is None or (statement.node == "AlterTableStmt" and ref.kind != "constraint"):
                continue
            yield ref, search_path


def _search_path(tree: Json, current: tuple[str, ...]) -> tuple[str, ...]:
    """The search path after a SET statement. ``$user`` is left out: replays run as a
    role that owns no schema of its name."""
    if tree.get("name") != "search_path":
        return current
    if tree.get("kind") != "VAR_SET_VALUE":  # DEFAULT, RESET
        return _DEFAULT_SEARCH_PATH
    values = [a.get("A_Const", {}).get("sval", {}).get("sval") for a in tree.get("args", [])]
    return tuple(v for v in values if v and v != "$user")


class _CatalogIndex:
    """The catalog's ids by namespace and name, for the kinds a statement can create."""

    def __init__(self, catalog: Catalog) -> None:
        self._ids: dict[_Key, list[ObjectId]] = {}
        for oid in catalog:
            group = _GROUP_OF_KIND.get(oid.kind)
            if group is not None:
                parent = oid.parent.name if oid.parent is not None and group != "relation" else ""
                self._ids.setdefault((group, oid.schema, parent, oid.name), []).append(oid)

    def resolve_all(self, refs: Iterable[_Created]) -> tuple[ObjectId, ...]:
        found: dict[ObjectId, None] = {}
        for ref, search_path in refs:
            found.update(dict.fromkeys(self.resolve(ref, search_path)))
        return tuple(found)

    def resolve(self, ref: ObjectRef, search_path: tuple[str, ...]) -> list[ObjectId]:
        group = _GROUP_OF_REF.get(ref.kind)
        if group is None:
            return []
        if group in ("schema", "extension", "event trigger"):
            return self._ids.get((group, "", "", ref.name), [])
        attached = group in ("trigger", "policy", "constraint")
        qualifier = ref.parent if attached and ref.parent is not None else ref
        schemas = (qualifier.schema,) if qualifier.schema is not None else search_path
        parent = ref.parent.name if attached and ref.parent is not None else ""
        for schema in schemas:
            ids = self._ids.get((group, schema, parent, ref.name))
            if ids:
                return _matching_args(ids, ref.args) if group == "routine" else ids
        return []


def _matching_args(ids: list[ObjectId], args: tuple[str, ...] | None) -> list[ObjectId]:
    """The overloads whose argument types are ``args`` (as sqlobjects spells them: a type
    qualified only when written qualified, so schemas are left out of the comparison)."""
    if args is None:
        return ids
    wanted = [_unqualified(a) for a in args]
    return [oid for oid in ids if _same_types(wanted, _catalog_args(oid.args))]


def _catalog_args(text: str) -> list[str]:
    # format_type output joined with ", ": type names hold no comma outside parentheses,
    # and identity argument types carry no type modifiers.
    return [_unqualified(a.strip()) for a in text.split(",")] if text else []


def _same_types(wanted: list[str], have: list[str]) -> bool:
    return len(wanted) == len(have) and all(
        w == h or w.endswith("%type") for w, h in zip(wanted, have))


def _unqualified(type_text: str) -> str:
    """``public.mood[]`` -> ``mood[]``; built-in type names have no dot."""
    match = _QUALIFIED.fullmatch(type_text)
    return match.group(1) if match else type_text
