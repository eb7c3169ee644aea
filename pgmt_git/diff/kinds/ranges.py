"""Range types and collations: PostgreSQL changes neither in place, so any difference drops
and creates them (and what depends on them follows, see cascade)."""

from __future__ import annotations

from dataclasses import replace

from pgmt_git.diff import changes as ch
from pgmt_git.diff.kinds.context import DiffContext
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
        if _definition(old) != _definition(new):
            ctx.emit(ch.DropType(old))
            ctx.emit(ch.CreateRange(new))
            ctx.comments_of_created(new)
            ctx.recreated.add(new.id)
        else:
            ctx.comment(new.id, old.comment, new.comment)


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
        if replace(old, comment=None, owner="") != replace(new, comment=None, owner=""):
            ctx.emit(ch.DropCollation(old))
            ctx.emit(ch.CreateCollation(new))
            ctx.comments_of_created(new)
            ctx.recreated.add(new.id)
        else:
            ctx.comment(new.id, old.comment, new.comment)
