"""Range types and collations: PostgreSQL changes neither in place, so any difference drops
and creates them (and what depends on them follows, see cascade); while table columns use
them they are rebuilt under the same name, the columns moving over (a range's values, and
its multirange's, through their text form)."""

from __future__ import annotations

from dataclasses import replace

from pgmt_git.diff import changes as ch
from pgmt_git.diff.hazards import Hazard, HazardKind
from pgmt_git.diff.kinds.context import DiffContext
from pgmt_git.diff.kinds.rebuilds import moved_with, rebuild, rewrite_hazards
from pgmt_git.diff.model import Collation, Kind, RangeType


def diff_ranges(ctx: DiffContext) -> None:
    pairs = ctx.pairs(Kind.RANGE)
    for old in pairs.dropped:
        assert isinstance(old, RangeType)
        ctx.emit(ch.DropType(old))
    for new in pairs.added:
        assert isinstance(new, RangeType)
        ctx.emit(ch.CreateRange(new))
        ctx.comments_of_created(new)
    for old, new in pairs.kept:
        assert isinstance(old, RangeType) and isinstance(new, RangeType)
        if _definition(old) == _definition(new):
            ctx.comment(new.id, old.comment, new.comment)
            continue
        columns, carried = moved_with(ctx, old.id, new.id, ch.Carry.TEXT)
        _recreate(ctx, ch.RebuildRange(old, new, columns, carried,
                                       hazards=rewrite_hazards(new.name, columns)),
                  ch.DropType(old), ch.CreateRange(new))


def _definition(r: RangeType) -> RangeType:
    return replace(r, comment=None, owner="", acl=None)


def diff_collations(ctx: DiffContext) -> None:
    pairs = ctx.pairs(Kind.COLLATION)
    for old in pairs.dropped:
        assert isinstance(old, Collation)
        ctx.emit(ch.DropCollation(old))
    for new in pairs.added:
        assert isinstance(new, Collation)
        ctx.emit(ch.CreateCollation(new))
        ctx.comments_of_created(new)
    for old, new in pairs.kept:
        assert isinstance(old, Collation) and isinstance(new, Collation)
        if replace(old, comment=None, owner="") == replace(new, comment=None, owner=""):
            ctx.comment(new.id, old.comment, new.comment)
            continue
        columns, carried = moved_with(ctx, old.id, new.id, ch.Carry.COLLATE)
        # Columns of the collation itself keep their values as they are (no rewrite);
        # those of the types over it move through their text form.
        hazards = rewrite_hazards(new.name, tuple(
            c for c in columns if c.carry is not ch.Carry.COLLATE)) + ((
                Hazard(HazardKind.LONG_LOCK, f"the indexes of columns of collation "
                       f"{new.name} are rebuilt under an ACCESS EXCLUSIVE lock"),
            ) if columns else ())
        _recreate(ctx, ch.RebuildCollation(old, new, columns, carried, hazards=hazards),
                  ch.DropCollation(old), ch.CreateCollation(new))


def _recreate(ctx: DiffContext, rebuilt: ch.RebuildType, drop: ch.Change,
              create: ch.Change) -> None:
    """Rebuilt under the same name while columns or other types use it, else dropped and
    created."""
    if rebuilt.columns or rebuilt.carried:
        rebuild(ctx, rebuilt)
        return
    ctx.emit(drop, create)
    ctx.recreated.add(rebuilt.new.id)
    ctx.comments_of_created(rebuilt.new)
