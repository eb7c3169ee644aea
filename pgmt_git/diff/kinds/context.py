"""What the per-kind differs share: both catalogs, the changes so far, and bookkeeping that
lets one kind react to another (a sequence dropped with its table, a view recreated because
a column it reads changed type)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from pgmt_git.diff.changes import Change, SetComment
from pgmt_git.diff.model import (
    Catalog,
    Column,
    DbObject,
    Kind,
    MaterializedView,
    ObjectId,
    Table,
    View,
    column_id,
)

T = TypeVar("T")


@dataclass(frozen=True)
class Pairs(Generic[T]):
    """Objects of one kind: only in the old catalog, only in the new one, in both."""

    dropped: tuple[T, ...]
    added: tuple[T, ...]
    kept: tuple[tuple[T, T], ...]


@dataclass(frozen=True)
class DiffOptions:
    """How the diff goes beyond the schema itself.

    ``owners``: ALTER ... OWNER TO (off by default, as in pgmt: who owns objects usually
    differs between environments). ``concurrent_indexes``: indexes of tables that exist
    before the migration are created and dropped CONCURRENTLY (statements that must run
    outside a transaction), not under a lock that blocks writes.
    """

    owners: bool = False
    concurrent_indexes: bool = False


@dataclass
class DiffContext:
    old: Catalog
    new: Catalog
    options: DiffOptions = DiffOptions()
    changes: list[Change] = field(default_factory=list)
    # Ids dropped and created again: what depends on them must follow (see cascade).
    recreated: set[ObjectId] = field(default_factory=set)
    # Table columns whose type changes in place: views over them must be recreated.
    retyped: set[ObjectId] = field(default_factory=set)
    # Types rebuilt under the same name: everything using them but table columns follows.
    rebuilt_types: set[ObjectId] = field(default_factory=set)
    # Table columns the rebuild of their type moves (default included).
    rebuilt_columns: set[ObjectId] = field(default_factory=set)
    # Sequences that go with a dropped column (OWNED BY), by that column's id.
    owned_sequences: dict[ObjectId, list[ObjectId]] = field(default_factory=dict)

    def emit(self, *changes: Change) -> None:
        self.changes.extend(changes)

    def pairs(self, *kinds: Kind) -> Pairs[DbObject]:
        old = self.old.by_kind(*kinds)
        # Plain dicts: a read-only view's lookups cost twice a dict's, and a catalog is
        # looked up once for each of its objects here.
        new = dict(self.new.by_kind(*kinds))
        dropped: list[DbObject] = []
        kept: list[tuple[DbObject, DbObject]] = []
        new_get = new.get
        for oid, obj in old.items():  # one pass over each side: catalogs are large
            other = new_get(oid)
            if other is None:
                dropped.append(obj)
            else:
                kept.append((obj, other))
        old_keys = old.keys()
        added = tuple(obj for oid, obj in new.items() if oid not in old_keys)
        return Pairs(tuple(dropped), added, tuple(kept))

    def parent_dropped(self, oid: ObjectId) -> bool:
        """Whether an ancestor of ``oid`` is gone from the new catalog (so ``oid`` goes
        with it, without a change of its own)."""
        parent = oid.parent
        while parent is not None:
            if parent not in self.new:
                return True
            parent = parent.parent
        return False

    def comment(self, target: ObjectId, old: str | None, new: str | None) -> None:
        if old != new:
            self.emit(SetComment(target, new))

    def comments_of_created(self, obj: DbObject) -> None:
        """COMMENT statements for a newly created object and its columns."""
        comment = getattr(obj, "comment", None)
        if comment is not None:
            self.emit(SetComment(obj.id, comment))
        for column in columns_of(obj):
            if column.comment is not None:
                self.emit(SetComment(column_id(obj.id, column.name), column.comment))

    def has_change(self, oid: ObjectId) -> bool:
        return any(change.id == oid for change in self.changes)


def columns_of(obj: DbObject | None) -> tuple[Column, ...]:
    if isinstance(obj, (Table, View, MaterializedView)):
        return obj.columns
    return ()


def sorted_ids(ids: set[ObjectId]) -> Iterator[ObjectId]:
    return iter(sorted(ids))
