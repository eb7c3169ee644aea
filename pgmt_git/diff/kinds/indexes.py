"""Standalone indexes: storage parameters alone changing is ``ALTER INDEX ... SET``; any
other difference in the definition drops and creates the index."""

from __future__ import annotations

from pgmt_git.diff import changes as ch
from pgmt_git.diff.hazards import Hazard, HazardKind
from pgmt_git.diff.kinds.context import DiffContext
from pgmt_git.diff.kinds.storage import (
    ALTERABLE_INDEX_OPTIONS,
    option_changes,
    option_name,
    split_storage_parameters,
)
from pgmt_git.diff.model import Index, Kind, ObjectId, Table


def diff_indexes(ctx: DiffContext) -> None:
    pairs = ctx.pairs(Kind.INDEX)
    for old in pairs.dropped:
        assert isinstance(old, Index)
        if not ctx.parent_dropped(old.id):
            ctx.emit(ch.DropIndex(old, _concurrently(ctx, old)))
    for new in pairs.added:
        assert isinstance(new, Index)
        create_index(ctx, new)
    for old, new in pairs.kept:
        assert isinstance(old, Index) and isinstance(new, Index)
        if old.definition == new.definition:
            ctx.comment(new.id, old.comment, new.comment)
        elif (options := storage_parameter_change(ctx, new.id, old.definition,
                                                  new.definition)) is not None:
            ctx.emit(options)
            ctx.comment(new.id, old.comment, new.comment)
        else:
            recreate_index(ctx, old, new)


def storage_parameter_change(ctx: DiffContext, index: ObjectId, old: str, new: str
                             ) -> ch.SetIndexOptions | None:
    """ALTER INDEX ... SET / RESET from the ``old`` to the ``new`` definition of ``index``
    (or of its constraint) when nothing else differs, the table is kept, PostgreSQL can
    alter the index (not a partitioned table's) and every option changing takes effect
    on it."""
    (old_rest, old_options), (new_rest, new_options) = (split_storage_parameters(old),
                                                        split_storage_parameters(new))
    if (old_rest != new_rest or index.parent is None or index.parent in ctx.recreated
            or _partitioned(ctx, index.parent)):
        return None
    set_, reset = option_changes(old_options, new_options)
    changing = {option_name(option) for option in set(old_options) ^ set(new_options)}
    if not changing <= ALTERABLE_INDEX_OPTIONS:
        return None
    return ch.SetIndexOptions(index, set=set_, reset=reset)


def _partitioned(ctx: DiffContext, table: ObjectId) -> bool:
    parent = ctx.new.get(table) or ctx.old.get(table)
    return isinstance(parent, Table) and parent.partition_key is not None


def _existing_parent(ctx: DiffContext, index: Index) -> bool:
    """Whether the index's table holds rows already (it is not new or recreated)."""
    return index.parent in ctx.old and index.parent not in ctx.recreated


def _concurrently(ctx: DiffContext, index: Index) -> bool:
    """CONCURRENTLY where asked for and possible: not on a partitioned table."""
    return (ctx.options.concurrent_indexes and _existing_parent(ctx, index)
            and index.parent in ctx.new and not _partitioned(ctx, index.parent))


def create_index(ctx: DiffContext, new: Index) -> None:
    hazards: tuple[Hazard, ...] = ()
    concurrently = _concurrently(ctx, new)
    if concurrently:
        hazards = (Hazard(HazardKind.MAY_FAIL, f"a failed CREATE INDEX CONCURRENTLY leaves "
                          f"{new.name} invalid: drop it before running again"),)
    elif _existing_parent(ctx, new):
        hazards = (Hazard(HazardKind.LONG_LOCK,
                          f"{new.name} is built without CONCURRENTLY, blocking writes to "
                          f"{new.parent.name}"),)
    if new.unique and _existing_parent(ctx, new):
        hazards += (Hazard(HazardKind.MAY_FAIL, f"{new.name} fails on duplicates"),)
    ctx.emit(ch.CreateIndex(new, concurrently, hazards=hazards))
    if new.comment is not None:
        ctx.emit(ch.SetComment(new.id, new.comment))


def recreate_index(ctx: DiffContext, old: Index, new: Index) -> None:
    ctx.emit(ch.DropIndex(old, _concurrently(ctx, old)))
    create_index(ctx, new)
    ctx.recreated.add(new.id)
