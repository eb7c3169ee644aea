"""Types (and collations) rebuilt under the same name while table columns use them.

PostgreSQL changes none of these in place while a column uses them (an enum losing a label,
a domain's base type, a composite attribute's type, any range or collation option). The
rebuild renames the old one away, creates the new one, moves every column over with
``ALTER COLUMN ... TYPE``, and drops the old one: rows keep their values, converted.
Domains and composite types directly over the rebuilt one are rebuilt with it, their
columns moving through their text form.
"""

from __future__ import annotations

from pgmt_git.diff import changes as ch
from pgmt_git.diff.hazards import Hazard, HazardKind
from pgmt_git.diff.kinds.context import DiffContext
from pgmt_git.diff.model import (
    CompositeType,
    DbObject,
    Domain,
    Kind,
    ObjectId,
    Table,
    column_id,
)

Carried = tuple[tuple[Domain | CompositeType, Domain | CompositeType], ...]


def carried_columns(ctx: DiffContext, old: ObjectId, new: ObjectId, carry: ch.Carry
                    ) -> tuple[ch.ColumnRetype, ...]:
    """Table columns using the type in both states, with the same type text: they move
    with the rebuild (their default too). The others are added, dropped or retyped by the
    table differ, ordered around the rebuild by their dependencies. Columns a parent gives
    move with the parent's."""
    retypes = []
    for column in sorted(set(ctx.old.dependents(old)) & set(ctx.new.dependents(new))):
        if column.kind is not Kind.COLUMN or column.parent is None:
            continue
        old_table = ctx.old.get(column.parent)
        new_table = ctx.new.get(column.parent)
        if not isinstance(old_table, Table) or not isinstance(new_table, Table):
            continue
        old_column = old_table.column(column.name)
        new_column = new_table.column(column.name)
        if (old_column is None or new_column is None or new_column.inherited
                or new_column.generated is not None
                or (old_column.type, old_column.collation)
                != (new_column.type, new_column.collation)):
            continue
        retypes.append(ch.ColumnRetype(column.parent, new_column, old_column.default, carry))
    return tuple(retypes)


def moved_with(ctx: DiffContext, old: ObjectId, new: ObjectId, carry: ch.Carry
               ) -> tuple[tuple[ch.ColumnRetype, ...], Carried]:
    """What a rebuild of ``old`` into ``new`` moves: the columns of the type, and the types
    over it with their columns."""
    carried = _types_over(ctx, old)
    over = tuple(retype for old_type, new_type in carried
                 for retype in carried_columns(ctx, old_type.id, new_type.id, ch.Carry.TEXT))
    # A column of a domain with the rebuilt collation depends on both: it moves once, to
    # the new domain.
    moved = {retype.id for retype in over}
    own = tuple(retype for retype in carried_columns(ctx, old, new, carry)
                if retype.id not in moved)
    return own + over, carried


def _types_over(ctx: DiffContext, oid: ObjectId) -> Carried:
    """Domains over the type (or an array of it) and composite types with an attribute of
    it, the same in both states. One that changes as well is left to its own differ."""
    found = []
    for dependent in sorted({o.parent if o.kind is Kind.COLUMN and o.parent else o
                             for o in ctx.old.dependents(oid)}):
        old, new = ctx.old.get(dependent), ctx.new.get(dependent)
        if isinstance(old, Domain) and isinstance(new, Domain) and (
                (old.base_type, old.collation) == (new.base_type, new.collation)):
            found.append((old, new))
        elif isinstance(old, CompositeType) and isinstance(new, CompositeType) and (
                _attributes(old) == _attributes(new)):
            found.append((old, new))
    return tuple(found)


def _attributes(composite: CompositeType) -> list[tuple[str, str, str | None]]:
    return [(a.name, a.type, a.collation) for a in composite.attributes]


def rebuild(ctx: DiffContext, change: ch.RebuildType) -> None:
    """Emit ``change`` and the comments of what it creates: its columns are moved by it,
    not by the table differ, and what uses the rebuilt objects (besides those columns) is
    recreated around it (see cascade)."""
    for retype in change.columns:
        ctx.retyped.add(retype.id)
        ctx.rebuilt_columns.add(retype.id)
    ctx.rebuilt_types.add(change.new.id)
    ctx.rebuilt_types.update(new.id for _, new in change.carried)
    ctx.emit(change)
    for created in (change.new, *(new for _, new in change.carried)):
        type_comments(ctx, created)


def type_comments(ctx: DiffContext, new: DbObject) -> None:
    """The comments of a type the migration creates, with its domain constraints' or its
    attributes'."""
    ctx.comments_of_created(new)
    if isinstance(new, Domain):
        for constraint in new.constraints:
            if constraint.comment is not None:
                ctx.emit(ch.SetComment(domain_constraint_id(new.id, constraint.name),
                                       constraint.comment))
    if isinstance(new, CompositeType):
        for attribute in new.attributes:
            if attribute.comment is not None:
                ctx.emit(ch.SetComment(column_id(new.id, attribute.name), attribute.comment))


def rewrite_hazards(type_name: str, columns: tuple[ch.ColumnRetype, ...],
                    *, may_fail: bool = True) -> tuple[Hazard, ...]:
    """A rebuild rewrites every column it moves; converting values may fail."""
    if not columns:
        return ()
    hazards = [Hazard(HazardKind.TABLE_REWRITE, f"every column of type {type_name} is "
                      "rewritten")]
    if may_fail:
        hazards.append(Hazard(HazardKind.MAY_FAIL, f"values that do not convert to the new "
                              f"{type_name} make the migration fail"))
    return tuple(hazards)


def domain_constraint_id(domain: ObjectId, name: str) -> ObjectId:
    return ObjectId(Kind.CONSTRAINT, domain.schema, name, parent=domain)
