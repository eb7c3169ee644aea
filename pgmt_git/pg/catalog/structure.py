"""Dependencies a catalog has without pg_depend saying so."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from collections.abc import Set as AbstractSet

from pgmt_git.diff.model import DbObject, Kind, ObjectId, Schema

__all__ = ["Edge", "structural_edges"]

Edge = tuple[ObjectId, ObjectId]  # (dependent, referenced)


def structural_edges(objects: Iterable[DbObject], left_out: AbstractSet[ObjectId],
                     ) -> Iterator[Edge]:
    """What pg_depend leaves implicit: a child needs its parent, an object its schema (the
    built-in public schema's OID is below the user range; a schema that was not read,
    pg_catalog say, is not managed). A column needs no edge to its relation: ordering
    covers a column by its relation when no change names it. ``objects``: all those read,
    ``left_out`` among them."""
    objects = list(objects)
    schemas = {obj.name: obj.id for obj in objects
               if isinstance(obj, Schema) and obj.id not in left_out}
    for obj in objects:
        oid = obj.id
        if oid in left_out or (oid.parent is not None and oid.parent in left_out):
            continue
        if oid.parent is not None:
            yield oid, oid.parent
            continue
        schema = obj.schema if oid.kind is Kind.EXTENSION else oid.schema  # type: ignore[union-attr]
        if schema in schemas:
            yield oid, schemas[schema]
