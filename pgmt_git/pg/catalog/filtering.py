"""Which objects pgmt-git manages: ``objects.include/exclude`` globs, as pgmt applies them.

Schema globs apply to every object's schema (an extension's schema too); table globs match
the bare name of tables, views and materialized views. Children (columns, constraints,
indexes, triggers, policies) go with their relation. The migration tracking tables
(``<name>`` and ``<name>_sections`` in the tracking schema) are never managed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from fnmatch import fnmatchcase

from pgmt_git.config import Objects, TrackingTable
from pgmt_git.diff.model import DbObject, Extension, Kind, ObjectId

__all__ = ["managed_objects", "schema_included", "table_included"]

_TABLE_LIKE = (Kind.TABLE, Kind.VIEW, Kind.MATERIALIZED_VIEW)


def _matches(patterns: tuple[str, ...], name: str) -> bool:
    return any(fnmatchcase(name, pattern) for pattern in patterns)


def schema_included(objects: Objects, schema: str) -> bool:
    if _matches(objects.exclude.schemas, schema):
        return False
    return not objects.include.schemas or _matches(objects.include.schemas, schema)


def table_included(objects: Objects, tracking: TrackingTable, schema: str, name: str) -> bool:
    return schema_included(objects, schema) and _name_included(objects, tracking, schema, name)


def _name_included(objects: Objects, tracking: TrackingTable, schema: str, name: str) -> bool:
    """table_included, the schema aside."""
    if schema == tracking.schema and name in (tracking.name, f"{tracking.name}_sections"):
        return False
    if _matches(objects.exclude.tables, name):
        return False
    return not objects.include.tables or _matches(objects.include.tables, name)


def managed_objects(found: Mapping[ObjectId, DbObject], objects: Objects,
                    tracking: TrackingTable) -> dict[ObjectId, DbObject]:
    """The managed part of ``found`` (children go with their relation)."""
    schemas: dict[str, bool] = {}  # asked once per schema, not once per object

    def schema_kept(schema: str) -> bool:
        if schema not in schemas:
            schemas[schema] = schema_included(objects, schema)
        return schemas[schema]

    return {oid: obj for oid, obj in found.items()
            if _included(oid, obj, objects, tracking, schema_kept)}


def _included(oid: ObjectId, obj: DbObject, objects: Objects, tracking: TrackingTable,
              schema_kept: Callable[[str], bool]) -> bool:
    top = oid if oid.parent is None else oid.parent
    if top.kind in _TABLE_LIKE:
        return schema_kept(top.schema) and _name_included(objects, tracking, top.schema,
                                                          top.name)
    if top.kind is Kind.SCHEMA:
        return schema_kept(top.name)
    if isinstance(obj, Extension):
        return schema_kept(obj.schema)
    if not top.schema:
        return True
    return schema_kept(top.schema)
