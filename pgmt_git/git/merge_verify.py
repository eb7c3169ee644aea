"""Does a merged catalog realise both sides' changes, and nothing else? Pure.

The four catalogs (base, ours, theirs, merged) are cut into facets: every catalog object,
with a table's columns as facets of their own (two branches adding different columns to
one table changed different facets) and a view's columns left out (its definition says
them). Per facet, the merged value must be what the three-way rule gives: unchanged on one
side takes the other's value, the same value on both is that value. A facet both sides
changed differently has no right value: that is a conflict whatever the merge wrote.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass

from pgmt_git.diff.model import (
    Catalog,
    Column,
    CompositeType,
    MaterializedView,
    ObjectId,
    Table,
    View,
    column_id,
)

Facets = Mapping[ObjectId, object]


@dataclass(frozen=True)
class Discrepancy:
    """A facet of the merged catalog that is not what the two sides' changes make it."""

    id: ObjectId
    problem: str


@dataclass(frozen=True)
class SideChange:
    """What one side did to a facet since the base: ``verb`` is adds, drops or changes."""

    id: ObjectId
    verb: str

    def __str__(self) -> str:
        return f"{self.verb} {self.id}"


def facets(catalog: Catalog) -> dict[ObjectId, object]:
    found: dict[ObjectId, object] = {}
    for oid, obj in catalog.objects.items():
        if isinstance(obj, Table):
            found[oid] = dataclasses.replace(obj, columns=())
            found.update(_columns(oid, obj.columns))
        elif isinstance(obj, CompositeType):
            found[oid] = dataclasses.replace(obj, attributes=())
            found.update(_columns(oid, obj.attributes))
        elif isinstance(obj, (View, MaterializedView)):
            found[oid] = dataclasses.replace(obj, columns=())
        else:
            found[oid] = obj
    return found


def _columns(relation: ObjectId, columns: tuple[Column, ...]) -> dict[ObjectId, Column]:
    return {column_id(relation, c.name): c for c in columns if not c.inherited}


def side_changes(base: Facets, side: Facets) -> list[SideChange]:
    """Every facet a side adds, drops or changes, sorted."""
    changes = []
    for oid in sorted({*base, *side}):
        before, after = base.get(oid), side.get(oid)
        if before != after:
            verb = "adds" if before is None else "drops" if after is None else "changes"
            changes.append(SideChange(oid, verb))
    return changes


def discrepancies(base: Catalog, ours: Catalog, theirs: Catalog, merged: Catalog, *,
                  ours_name: str = "ours", theirs_name: str = "theirs") -> list[Discrepancy]:
    """Every facet of ``merged`` that differs from the three-way merge of the others."""
    b, o, t, m = (facets(c) for c in (base, ours, theirs, merged))
    found = []
    for oid in sorted({*b, *o, *t, *m}):
        before, mine, other, result = b.get(oid), o.get(oid), t.get(oid), m.get(oid)
        if mine == other:
            expected, who = mine, f"both {ours_name} and {theirs_name}"
        elif before == other:
            expected, who = mine, ours_name
        elif before == mine:
            expected, who = other, theirs_name
        else:
            found.append(Discrepancy(oid, f"{ours_name} and {theirs_name} change {oid} "
                                          "differently"))
            continue
        if result == expected:
            continue
        found.append(Discrepancy(oid, _problem(oid, before, expected, result, who)))
    return found


def _problem(oid: ObjectId, before: object, expected: object, result: object, who: str
             ) -> str:
    if expected == before:  # neither side touched it
        if result is None:
            return f"the merged schema loses {oid}, which neither side drops"
        if before is None:
            return f"the merged schema has {oid}, which neither side adds"
        return f"the merged schema changes {oid}, which neither side changes"
    if result is None:
        verb = "adds" if before is None else "changes"
        return f"{who} {verb} {oid}, but the merged schema does not have it"
    if expected is None:
        return f"the merged schema still has {oid}, which {who} drops"
    if result == before:
        return f"{who} changes {oid}, but the merged schema has it as it was"
    return f"the merged schema has {oid} other than {who} makes it"
