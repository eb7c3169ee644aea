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
    names = _Names(ours_name, theirs_name)
    found: list[Discrepancy] = []
    for oid in sorted({*b, *o, *t, *m}):
        values = b.get(oid), o.get(oid), t.get(oid), m.get(oid)
        if _same_kind(*values):
            found += _field_discrepancies(oid, *values, names)
        else:
            found += _object_discrepancies(oid, *values, names)
    return found


@dataclass(frozen=True)
class _Names:
    ours: str
    theirs: str

    def who(self, before: object, mine: object, other: object) -> str:
        if mine == other:
            return f"both {self.ours} and {self.theirs}"
        return self.ours if before == other else self.theirs


def _same_kind(before: object, mine: object, other: object, result: object) -> bool:
    """All present (the base may not be) and of one dataclass: compared field by field."""
    present = [v for v in (mine, other, result) if v is not None]
    kinds = {type(v) for v in present} | ({type(before)} if before is not None else set())
    return len(present) == 3 and len(kinds) == 1 and dataclasses.is_dataclass(mine)


def _object_discrepancies(oid: ObjectId, before: object, mine: object, other: object,
                          result: object, names: _Names) -> list[Discrepancy]:
    decided, expected = _pick(before, mine, other)
    if not decided:
        return [Discrepancy(oid, f"{names.ours} and {names.theirs} change {oid} differently")]
    if result == expected:
        return []
    return [Discrepancy(oid, _problem(oid, before, expected, result,
                                      names.who(before, mine, other)))]


def _field_discrepancies(oid: ObjectId, before: object, mine: object, other: object,
                         result: object, names: _Names) -> list[Discrepancy]:
    found = []
    for field in dataclasses.fields(mine):  # type: ignore[arg-type]
        name = field.name
        b = _ABSENT if before is None else getattr(before, name)
        o, t, m = (getattr(v, name) for v in (mine, other, result))
        decided, expected = _merge_field(name, b, o, t)
        what = f"the {name.replace('_', ' ')} of {oid}"
        if not decided:
            found.append(Discrepancy(oid, f"{names.ours} and {names.theirs} change {what} "
                                          "differently"))
        elif not _same_field(name, m, expected):
            who = names.who(b, o, t)
            if expected == b:
                found.append(Discrepancy(oid, f"the merged schema changes {what}, which "
                                              "neither side changes"))
            else:
                found.append(Discrepancy(oid, f"{who} changes {what}, but the merged schema "
                                              "has it otherwise"))
    return found


_ABSENT = object()
# Fields that are sets written as tuples: two sides granting to different roles combine.
_SET_FIELDS = frozenset({"acl", "granted", "revoked", "tags"})


def _pick(before: object, mine: object, other: object) -> tuple[bool, object]:
    if mine == other or before == other:
        return True, mine
    if before == mine:
        return True, other
    return False, None


def _merge_field(name: str, before: object, mine: object, other: object
                 ) -> tuple[bool, object]:
    decided, value = _pick(before, mine, other)
    if decided or name not in _SET_FIELDS:
        return decided, value
    sets = [v for v in (before, mine, other) if isinstance(v, tuple)]
    if len(sets) != 3:
        return False, None
    b, o, t = (set(v) for v in sets)
    return True, tuple(sorted((b & o & t) | (o - b) | (t - b), key=repr))


def _same_field(name: str, actual: object, expected: object) -> bool:
    if name in _SET_FIELDS and isinstance(actual, tuple) and isinstance(expected, tuple):
        return set(actual) == set(expected)
    return actual == expected


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
