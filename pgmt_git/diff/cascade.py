"""Dependents that must be dropped and created again because something they use is.

Sources: objects the differ recreates (a view, a function, a constraint, an index), table
columns whose type changes in place, and types rebuilt under the same name. Their
dependents in the starting catalog are recreated from the target catalog, transitively:
views and materialized views, routines, triggers, policies, and (except for a column type
change, which PostgreSQL carries through them itself) constraints and indexes. A foreign
key over a column a type rebuild moves is recreated all the same: its two sides move one
after the other.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import replace

from pgmt_git.diff import changes as ch
from pgmt_git.diff.hazards import Hazard, HazardKind
from pgmt_git.diff.kinds.constraints import recreate_constraint
from pgmt_git.diff.kinds.context import DiffContext, columns_of
from pgmt_git.diff.kinds.event_triggers import recreate_event_trigger
from pgmt_git.diff.kinds.functions import recreate_function
from pgmt_git.diff.kinds.indexes import recreate_index
from pgmt_git.diff.kinds.triggers import recreate_policy, recreate_trigger
from pgmt_git.diff.kinds.views import recreate_view
from pgmt_git.diff.model import (
    Column,
    Constraint,
    ConstraintType,
    EventTrigger,
    Function,
    Index,
    Kind,
    MaterializedView,
    ObjectId,
    Policy,
    Table,
    Trigger,
    View,
    column_id,
)

_RECREATABLE = (Kind.VIEW, Kind.MATERIALIZED_VIEW, Kind.FUNCTION, Kind.PROCEDURE,
                Kind.CONSTRAINT, Kind.INDEX, Kind.TRIGGER, Kind.POLICY, Kind.EVENT_TRIGGER)


def cascade(ctx: DiffContext) -> None:
    queue = deque(sorted(ctx.recreated | ctx.retyped | ctx.rebuilt_types))
    seen: set[ObjectId] = set(queue) - ctx.rebuilt_columns
    while queue:
        source = queue.popleft()
        for dependent in sorted(_dependents(ctx, source)):
            target = _target(ctx, dependent, source)
            if target is None or target in seen:
                continue
            if target in ctx.rebuilt_columns:
                if source in ctx.rebuilt_types:
                    continue  # the rebuild moves it, default included
                _take_default_from_rebuild(ctx, target)
            seen.add(target)
            if _recreate(ctx, target, source):
                queue.append(target)


def _dependents(ctx: DiffContext, source: ObjectId) -> Iterable[ObjectId]:
    """What depends on ``source``, on its columns, and (a recreated table) on what lives
    under it: a foreign key elsewhere on its primary key."""
    yield from ctx.old.dependents(source)
    for column in columns_of(ctx.old.get(source)):
        yield from ctx.old.dependents(column_id(source, column.name))
    if source.kind is Kind.TABLE and source in ctx.recreated:
        for child in ctx.old.children(source):
            yield from ctx.old.dependents(child)


def _target(ctx: DiffContext, dependent: ObjectId, source: ObjectId) -> ObjectId | None:
    """The object to recreate for ``dependent``, or None when nothing needs to be done."""
    if dependent.kind is Kind.COLUMN and dependent.parent is not None:
        if _generated_column(ctx, dependent):
            return dependent  # recomputed from what changed: dropped and added again
        if _defaulted_column(ctx, dependent) and source not in ctx.retyped:
            return dependent  # its default uses what is recreated: unset and set again
        dependent = dependent.parent  # a view's column: the view
    if dependent.kind not in _RECREATABLE or dependent == source:
        return None
    if (dependent.kind in (Kind.CONSTRAINT, Kind.INDEX) and source in ctx.retyped
            and not _foreign_key_across_rebuild(ctx, dependent, source)):
        return None
    if dependent not in ctx.new or dependent not in ctx.old:
        return None  # dropped or created by its own differ
    return dependent


def _foreign_key_across_rebuild(ctx: DiffContext, oid: ObjectId, source: ObjectId) -> bool:
    """A foreign key over a column its type's rebuild moves: between the moves of its two
    sides they are of different types, which PostgreSQL refuses to rebuild it across."""
    constraint = ctx.old.get(oid)
    return (source in ctx.rebuilt_columns and isinstance(constraint, Constraint)
            and constraint.type is ConstraintType.FOREIGN_KEY)


def _recreate(ctx: DiffContext, oid: ObjectId, source: ObjectId) -> bool:
    """Drop and create ``oid`` unless its differ already does; a CREATE OR REPLACE of it
    becomes a drop and create. Returns whether its own dependents must follow."""
    if any(c.id == oid and (c.drops or c.creates) for c in ctx.changes):
        return False  # already dropped or created (an index of a recreated view)
    if oid.kind is Kind.COLUMN and _generated_column(ctx, oid):
        return _recreate_generated_column(ctx, oid, source)
    if oid.kind is Kind.COLUMN:
        _reset_default(ctx, oid, source)
        return False
    # In-place changes of it (CREATE OR REPLACE, ALTER POLICY, its comment) give way to
    # the drop and create.
    ctx.changes[:] = [c for c in ctx.changes
                      if not ((c.id == oid or c.id.parent == oid) and _in_place(c))]
    old, new = ctx.old[oid], ctx.new[oid]
    start = len(ctx.changes)
    if isinstance(old, (View, MaterializedView)) and isinstance(new, (View, MaterializedView)):
        recreate_view(ctx, old, new)
    elif isinstance(old, Function) and isinstance(new, Function):
        recreate_function(ctx, old, new)
    elif isinstance(old, Constraint) and isinstance(new, Constraint):
        recreate_constraint(ctx, old, new)
    elif isinstance(old, Index) and isinstance(new, Index):
        recreate_index(ctx, old, new)
    elif isinstance(old, Trigger) and isinstance(new, Trigger):
        recreate_trigger(ctx, old, new)
    elif isinstance(old, Policy) and isinstance(new, Policy):
        recreate_policy(ctx, old, new)
    elif isinstance(old, EventTrigger) and isinstance(new, EventTrigger):
        recreate_event_trigger(ctx, old, new)
    else:
        return False
    drop = ctx.changes[start]
    hazard = Hazard(HazardKind.RECREATES_DEPENDENTS,
                    f"{oid} is dropped and created again because {source} changes")
    ctx.changes[start] = _with_hazard(drop, hazard)
    return True


def _in_place(change: ch.Change) -> bool:
    return isinstance(change, ch.SetComment) or (
        bool(change.alters) and not change.creates and not change.drops)


def _with_hazard(change: ch.Change, hazard: Hazard) -> ch.Change:
    return replace(change, hazards=(*change.hazards, hazard))


def _generated_column(ctx: DiffContext, oid: ObjectId) -> bool:
    old, new = _columns(ctx, oid)
    return (old is not None and new is not None and old.generated is not None
            and new.generated is not None)


def _recreate_generated_column(ctx: DiffContext, oid: ObjectId, source: ObjectId) -> bool:
    """PostgreSQL refuses to change what a generated column reads while it exists: the
    column is dropped and added again (its values are computed, so nothing is lost, but it
    moves to the end of the table)."""
    table = oid.parent
    assert table is not None
    old_table, new_table = ctx.old[table], ctx.new[table]
    assert isinstance(old_table, Table) and isinstance(new_table, Table)
    old_column, new_column = old_table.column(oid.name), new_table.column(oid.name)
    assert old_column is not None and new_column is not None
    ctx.changes[:] = [c for c in ctx.changes if not (c.id == oid and _in_place(c))]
    hazards = (Hazard(HazardKind.RECREATES_DEPENDENTS,
                      f"{oid} is dropped and added again because {source} changes"),
               Hazard(HazardKind.TABLE_REWRITE, f"{oid.qualified_text()} is recomputed"))
    ctx.emit(ch.DropColumn(table, old_column, hazards=hazards))
    ctx.emit(ch.AddColumn(table, new_column))
    if new_column.comment is not None:
        ctx.emit(ch.SetComment(oid, new_column.comment))
    ctx.recreated.add(oid)
    return True


def _columns(ctx: DiffContext, oid: ObjectId) -> tuple[Column | None, Column | None]:
    old, new = ctx.old.get(oid.parent), ctx.new.get(oid.parent)  # type: ignore[arg-type]
    return (old.column(oid.name) if isinstance(old, Table) else None,
            new.column(oid.name) if isinstance(new, Table) else None)


def _take_default_from_rebuild(ctx: DiffContext, oid: ObjectId) -> None:
    """A column a type rebuild moves, whose default uses something else recreated (a
    function over the type): the rebuild leaves the default alone, for it is dropped
    before that something and set after it (see _reset_default)."""
    for i, change in enumerate(ctx.changes):
        if isinstance(change, ch.RebuildType) and any(c.id == oid for c in change.columns):
            columns = tuple(replace(c, default_apart=True) if c.id == oid else c
                            for c in change.columns)
            ctx.changes[i] = replace(change, columns=columns)


def _defaulted_column(ctx: DiffContext, oid: ObjectId) -> bool:
    old, new = _columns(ctx, oid)
    return (old is not None and new is not None and old.default is not None
            and new.default is not None)


def _reset_default(ctx: DiffContext, oid: ObjectId, source: ObjectId) -> None:
    """A default using a routine (or sequence) that is dropped and created: DROP DEFAULT
    before the drop, SET DEFAULT after the creation."""
    _, new = _columns(ctx, oid)
    assert oid.parent is not None and new is not None
    ctx.changes[:] = [c for c in ctx.changes
                      if not (isinstance(c, ch.SetColumnDefault) and c.id == oid)]
    hazard = Hazard(HazardKind.RECREATES_DEPENDENTS,
                    f"the default of {oid.qualified_text()} is set again because {source} "
                    "changes")
    ctx.emit(ch.SetColumnDefault(oid.parent, oid.name, default=None, releases=(source,),
                                 hazards=(hazard,)))
    ctx.emit(ch.SetColumnDefault(oid.parent, oid.name, default=new.default))
