"""The order of changes: a dependency graph over both catalogs, sorted topologically.

Edges, "x before y":

1. the same id: dropping it comes before creating or altering it again;
2. target dependencies (a depends on b, in the new catalog): creating or altering b comes
   before creating or altering a (creates dependencies-first); alterations that only take
   something away (DROP DEFAULT) need nothing and wait for nothing here;
3. starting dependencies (a depends on b, in the old catalog): dropping a comes before
   dropping or altering b; altering a so that it no longer needs b comes before dropping b
   (drops dependents-first);
4. a change's own ``requires`` / ``precedes_drop_of``;
5. names: dropping an object comes before creating another one under the same name (a
   table replaced by a view, an index moved to another table).

Ties are broken by phase (drops, alterations, creations, comments), then kind, then id,
then the differ's own order (which puts the steps of one column's change in the order
PostgreSQL needs them): the same changes always come out in the same order. A cycle (which
the rules above should not produce) is broken at the smallest remaining change, still
deterministically.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Sequence

from pgmt_git.diff.changes import Change, Phase
from pgmt_git.diff.model import Catalog, Constraint, Kind, ObjectId

__all__ = ["order_changes"]

# Creation order among changes free to go in any order; drops go the other way round.
_KIND_RANK = {kind: rank for rank, kind in enumerate([
    Kind.SCHEMA, Kind.EXTENSION, Kind.COLLATION, Kind.ENUM, Kind.DOMAIN, Kind.RANGE,
    Kind.COMPOSITE, Kind.SEQUENCE, Kind.TABLE, Kind.COLUMN, Kind.CONSTRAINT, Kind.INDEX,
    Kind.VIEW, Kind.MATERIALIZED_VIEW,
    # pg_depend does not record what a function body uses (except BEGIN ATOMIC bodies),
    # but PostgreSQL checks a SQL body when it is created: routines go after relations
    # unless a recorded dependency (a default, a view) needs one earlier.
    Kind.FUNCTION, Kind.PROCEDURE, Kind.AGGREGATE, Kind.TRIGGER, Kind.POLICY,
    Kind.EVENT_TRIGGER, Kind.DEFAULT_PRIVILEGES,
])}

Slot = tuple[str, ...]


def order_changes(changes: Sequence[Change], old: Catalog, new: Catalog) -> tuple[Change, ...]:
    graph = _Graph(changes, old, new)
    graph.add_edges()
    return tuple(changes[i] for i in graph.sorted())


class _Graph:
    def __init__(self, changes: Sequence[Change], old: Catalog, new: Catalog) -> None:
        self.changes = changes
        self.old = old
        self.new = new
        self.dropping = _index(changes, lambda c: c.drops)
        self.creating = _index(changes, lambda c: c.creates)
        self.altering = _index(changes, lambda c: c.alters)
        self.establishing = _index(changes, lambda c: () if c.only_removes else c.alters)
        self.after: list[set[int]] = [set() for _ in changes]
        self.indegree = [0] * len(changes)

    def edge(self, first: Iterable[int], then: Iterable[int]) -> None:
        then = tuple(then)
        for i in first:
            for j in then:
                if i != j and j not in self.after[i]:
                    self.after[i].add(j)
                    self.indegree[j] += 1

    def add_edges(self) -> None:
        for j, change in enumerate(self.changes):
            for oid in (*change.creates, *change.alters):
                self.edge(self.dropping.get(oid, ()), [j])
            for oid in change.requires:
                self.edge(self._made(oid), [j])
            for oid in change.precedes_drop_of:
                self.edge([j], self._dropped(oid))
        # Edges are a set: the order they are added in does not change the result.
        # Most dependencies join objects no change touches: the first side is looked up
        # alone (in one set, with its parent's: ids are at most two levels deep), and the
        # other only when there is something to order.
        made = self.creating.keys() | self.establishing.keys()
        for a, b in self.new.depends:
            if b in made or (b.parent is not None and b.parent in made):
                made_b = self._made(b)
                if made_b:
                    self.edge(made_b, self._made(a))
        touched = self.dropping.keys() | self.altering.keys()
        for a, b in self.old.depends:
            if not (a in touched or (a.parent is not None and a.parent in touched)):
                continue
            dropped_a = self._dropped(a)
            if dropped_a:
                self.edge(dropped_a, (*self._dropped(b), *self.altering.get(b, ())))
            altering_a = self.altering.get(a)
            if altering_a and (a, b) not in self.new.depends:
                self.edge(altering_a, self._dropped(b))
        self._name_edges()

    def _made(self, oid: ObjectId) -> tuple[int, ...]:
        """Changes creating ``oid`` (or its nearest created ancestor), or altering it into
        its target shape."""
        return (*_covering(self.creating, oid), *self.establishing.get(oid, ()))

    def _dropped(self, oid: ObjectId) -> tuple[int, ...]:
        return _covering(self.dropping, oid)

    def _name_edges(self) -> None:
        released: dict[Slot, list[int]] = {}
        for i, change in enumerate(self.changes):
            for oid in change.drops:
                for slot in self._slots_with_children(oid, self.old):
                    released.setdefault(slot, []).append(i)
        if not released:
            return
        for j, change in enumerate(self.changes):
            for oid in change.creates:
                for slot in _slots(oid, self.new):
                    self.edge(released.get(slot, ()), [j])

    def _slots_with_children(self, oid: ObjectId, catalog: Catalog) -> Iterable[Slot]:
        yield from _slots(oid, catalog)
        for child in catalog.children(oid):
            yield from _slots(child, catalog)

    def _key(self, i: int) -> tuple[object, ...]:
        change = self.changes[i]
        phase = change.phase
        rank = _KIND_RANK.get(change.id.kind, len(_KIND_RANK))
        if phase is Phase.DROP:
            rank = -rank
        return (phase, rank, change.id.sort_key(), i)

    def sorted(self) -> list[int]:
        indegree = list(self.indegree)
        ready = [self._key(i) for i, d in enumerate(indegree) if d == 0]
        heapq.heapify(ready)
        done: list[int] = []
        placed = [False] * len(self.changes)
        while len(done) < len(self.changes):
            if not ready:  # a cycle: take the smallest change still waiting
                i = min((k for k in range(len(self.changes)) if not placed[k]), key=self._key)
                ready.append(self._key(i))
            i = heapq.heappop(ready)[-1]
            if placed[i]:
                continue
            placed[i] = True
            done.append(i)
            for j in sorted(self.after[i]):
                indegree[j] -= 1
                if indegree[j] == 0 and not placed[j]:
                    heapq.heappush(ready, self._key(j))
        return done


def _index(changes: Sequence[Change], ids: object) -> dict[ObjectId, tuple[int, ...]]:
    found: dict[ObjectId, list[int]] = {}
    for i, change in enumerate(changes):
        for oid in ids(change):  # type: ignore[operator]
            found.setdefault(oid, []).append(i)
    return {oid: tuple(indexes) for oid, indexes in found.items()}


def _covering(table: dict[ObjectId, tuple[int, ...]], oid: ObjectId) -> tuple[int, ...]:
    """Changes naming ``oid``, else its nearest ancestor that some change names."""
    current: ObjectId | None = oid
    while current is not None:
        if current in table:
            return table[current]
        current = current.parent
    return ()


def _slots(oid: ObjectId, catalog: Catalog) -> Iterable[Slot]:
    """The names an object occupies: relations and types share their schema's namespaces
    (a table is also a row type), and a constraint with an index names that index too."""
    if oid.kind.is_relation or oid.kind in (Kind.TABLE, Kind.VIEW, Kind.MATERIALIZED_VIEW):
        yield ("relation", oid.schema, oid.name)
    if oid.kind.is_type or oid.kind in (Kind.TABLE, Kind.VIEW, Kind.MATERIALIZED_VIEW):
        yield ("type", oid.schema, oid.name)
    if oid.kind is Kind.CONSTRAINT:
        obj = catalog.get(oid)
        if isinstance(obj, Constraint) and obj.has_index:
            yield ("relation", oid.schema, oid.name)
        if oid.parent is not None:
            yield ("constraint", oid.parent.schema, oid.parent.name, oid.name)
