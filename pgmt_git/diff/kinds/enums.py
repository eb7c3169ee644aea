"""Enum types: new labels are added in place; a removed or reordered label rebuilds the
type, moving every column over through its text value."""

from __future__ import annotations

from pgmt_git.diff import changes as ch
from pgmt_git.diff.hazards import Hazard, HazardKind
from pgmt_git.diff.kinds.context import DiffContext
from pgmt_git.diff.model import EnumType, Kind, Table


def diff_enums(ctx: DiffContext) -> None:
    pairs = ctx.pairs(Kind.ENUM)
    for old in pairs.dropped:
        assert isinstance(old, EnumType)
        ctx.emit(ch.DropType(old))
    for new in pairs.added:
        assert isinstance(new, EnumType)
        ctx.emit(ch.CreateEnum(new))
        ctx.comments_of_created(new)
    for old, new in pairs.kept:
        assert isinstance(old, EnumType) and isinstance(new, EnumType)
        if old.labels != new.labels:
            _diff_labels(ctx, old, new)
        ctx.comment(new.id, old.comment, new.comment)


def added_labels(old: tuple[str, ...], new: tuple[str, ...]) -> list[tuple[str, str | None,
                                                                          str | None]]:
    """(label, before, after) for each label to add, in an order that works, or raise
    ValueError when ``old`` is not kept in order inside ``new`` (a rebuild is needed)."""
    kept = [label for label in new if label in old]
    if kept != list(old):
        raise ValueError("labels removed or reordered")
    steps: list[tuple[str, str | None, str | None]] = []
    present: set[str] = set(old)
    for position, label in enumerate(new):
        if label in present:
            continue
        if position > 0:
            steps.append((label, None, new[position - 1]))
        else:
            following = next((x for x in new if x in present), None)
            steps.append((label, following, None))
        present.add(label)
    return steps


def _diff_labels(ctx: DiffContext, old: EnumType, new: EnumType) -> None:
    try:
        steps = added_labels(old.labels, new.labels)
    except ValueError:
        _rebuild(ctx, old, new)
        return
    for label, before, after in steps:
        hazard = Hazard(HazardKind.IRREVERSIBLE,
                        f"a label added to {new.name} can only be removed by rebuilding it")
        ctx.emit(ch.AddEnumValue(new.id, label, before, after, hazards=(hazard,)))


def _rebuild(ctx: DiffContext, old: EnumType, new: EnumType) -> None:
    """Columns of the type in both states move with the rebuild; the others are added,
    dropped or retyped by the table differ, ordered around it by their dependencies."""
    retypes = []
    for column in sorted(set(ctx.old.dependents(old.id)) & set(ctx.new.dependents(new.id))):
        if column.kind is not Kind.COLUMN or column.parent is None:
            continue
        old_table = ctx.old.get(column.parent)
        new_table = ctx.new.get(column.parent)
        if not isinstance(old_table, Table) or not isinstance(new_table, Table):
            continue
        old_column = old_table.column(column.name)
        new_column = new_table.column(column.name)
        if old_column is None or new_column is None or old_column.type != new_column.type:
            continue
        retypes.append(ch.ColumnRetype(column.parent, new_column, old_column.default))
        ctx.retyped.add(column)
        ctx.rebuilt_columns.add(column)
    removed = sorted(set(old.labels) - set(new.labels))
    hazards = [Hazard(HazardKind.TABLE_REWRITE,
                      f"every column of type {new.name} is rewritten")] if retypes else []
    if removed:
        hazards.append(Hazard(
            HazardKind.DATA_LOSS,
            f"labels {', '.join(removed)} of {new.name} are removed: rows holding them make "
            "the migration fail"))
    ctx.rebuilt_types.add(new.id)
    ctx.emit(ch.RebuildEnum(old, new, tuple(retypes), hazards=tuple(hazards)))
