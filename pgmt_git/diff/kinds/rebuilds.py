"""Types (and collations) rebuilt under the same name while table columns use them.

PostgreSQL changes none of these in place while a column uses them (an enum losing a label,
a domain's base type, a composite attribute's type, any range or collation option). The
rebuild renames the old one away, creates the new one, moves every column over with
``ALTER COLUMN ... TYPE``, and drops the old one: rows keep their values, converted.
"""

from __future__ import annotations

from pgmt_git.diff import changes as ch
from pgmt_git.diff.hazards import Hazard, HazardKind
from pgmt_git.diff.kinds.context import DiffContext
from pgmt_git.diff.model import Kind, ObjectId, Table


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


def rebuild(ctx: DiffContext, change: ch.RebuildType) -> None:
    """Emit ``change``: its columns are moved by it, not by the table differ, and what uses
    the rebuilt objects (besides those columns) is recreated around it (see cascade)."""
    for retype in change.columns:
        ctx.retyped.add(retype.id)
        ctx.rebuilt_columns.add(retype.id)
    ctx.rebuilt_types.add(change.new.id)
    ctx.rebuilt_types.update(new.id for _, new in change.carried)
    ctx.emit(change)


def rewrite_hazards(change_name: str, columns: tuple[ch.ColumnRetype, ...],
                    *, may_fail: bool = True) -> tuple[Hazard, ...]:
    """A rebuild rewrites every column it moves; converting values may fail."""
    if not columns:
        return ()
    hazards = [Hazard(HazardKind.TABLE_REWRITE, f"every column of type {change_name} is "
                      "rewritten")]
    if may_fail:
        hazards.append(Hazard(HazardKind.MAY_FAIL, f"values that do not convert to the new "
                              f"{change_name} make the migration fail"))
    return tuple(hazards)
