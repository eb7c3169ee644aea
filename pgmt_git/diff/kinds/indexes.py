"""Standalone indexes: any difference in the definition drops and creates the index."""

from __future__ import annotations

from pgmt_git.diff import changes as ch
from pgmt_git.diff.hazards import Hazard, HazardKind
from pgmt_git.diff.kinds.context import DiffContext
from pgmt_git.diff.model import Index, Kind, Table


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
        if old.definition != new.definition:
            recreate_index(ctx, old, new)
        else:
            ctx.comment(new.id, old.comment, new.comment)


def _existing_parent(ctx: DiffContext, index: Index) -> bool:
    """Whether the index's table holds rows already (it is not new or recreated)."""
    return index.parent in ctx.old and index.parent not in ctx.recreated


def _concurrently(ctx: DiffContext, index: Index) -> bool:
    """CONCURRENTLY where asked for and possible: not on a partitioned table."""
    parent = ctx.new.get(index.parent) or ctx.old.get(index.parent)
    partitioned = isinstance(parent, Table) and parent.partition_key is not None
    return (ctx.options.concurrent_indexes and _existing_parent(ctx, index)
            and index.parent in ctx.new and not partitioned)


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
