"""Standalone indexes: any difference in the definition drops and creates the index."""

from __future__ import annotations

from pgmt_git.diff import changes as ch
from pgmt_git.diff.hazards import Hazard, HazardKind
from pgmt_git.diff.kinds.context import DiffContext
from pgmt_git.diff.model import Index, Kind


def diff_indexes(ctx: DiffContext) -> None:
    pairs = ctx.pairs(Kind.INDEX)
    for old in pairs.dropped:
        assert isinstance(old, Index)
        if not ctx.parent_dropped(old.id):
            ctx.emit(ch.DropIndex(old))
    for new in pairs.added:
        assert isinstance(new, Index)
        create_index(ctx, new)
    for old, new in pairs.kept:
        assert isinstance(old, Index) and isinstance(new, Index)
        if old.definition != new.definition:
            recreate_index(ctx, old, new)
        else:
            ctx.comment(new.id, old.comment, new.comment)


def create_index(ctx: DiffContext, new: Index) -> None:
    hazards: tuple[Hazard, ...] = ()
    if new.parent in ctx.old and new.parent not in ctx.recreated:
        hazards = (Hazard(HazardKind.LONG_LOCK,
                          f"{new.name} is built without CONCURRENTLY, blocking writes to "
                          f"{new.parent.name}"),)
        if new.unique:
            hazards += (Hazard(HazardKind.MAY_FAIL, f"{new.name} fails on duplicates"),)
    ctx.emit(ch.CreateIndex(new, hazards=hazards))
    if new.comment is not None:
        ctx.emit(ch.SetComment(new.id, new.comment))


def recreate_index(ctx: DiffContext, old: Index, new: Index) -> None:
    ctx.emit(ch.DropIndex(old))
    create_index(ctx, new)
    ctx.recreated.add(new.id)
