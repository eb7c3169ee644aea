"""Composite types: attributes added, dropped and retyped in place (ALTER TYPE). PostgreSQL
refuses to retype an attribute while a table column uses the type: then the type is rebuilt
under the same name, its columns moving over through their text form."""

from __future__ import annotations

from pgmt_git.diff import changes as ch
from pgmt_git.diff.hazards import Hazard, HazardKind
from pgmt_git.diff.kinds.context import DiffContext
from pgmt_git.diff.kinds.rebuilds import (
    Carried,
    moved_with,
    rebuild,
    rewrite_hazards,
    type_comments,
)
from pgmt_git.diff.model import CompositeType, Kind, column_id


def diff_composites(ctx: DiffContext) -> None:
    pairs = ctx.pairs(Kind.COMPOSITE)
    for old in pairs.dropped:
        assert isinstance(old, CompositeType)
        ctx.emit(ch.DropType(old))
    for new in pairs.added:
        assert isinstance(new, CompositeType)
        ctx.emit(ch.CreateCompositeType(new))
        type_comments(ctx, new)
    for old, new in pairs.kept:
        assert isinstance(old, CompositeType) and isinstance(new, CompositeType)
        if new.id in ctx.rebuilt_types:
            continue  # rebuilt with a type it uses
        columns, carried = moved_with(ctx, old.id, new.id, ch.Carry.TEXT)
        if (columns or carried) and _retyped_attributes(old, new):
            _rebuild(ctx, old, new, columns, carried)
            continue
        _diff_attributes(ctx, old, new)
        ctx.comment(new.id, old.comment, new.comment)


def _retyped_attributes(old: CompositeType, new: CompositeType) -> bool:
    before = {a.name: (a.type, a.collation) for a in old.attributes}
    return any(before.get(a.name, (a.type, a.collation)) != (a.type, a.collation)
               for a in new.attributes)


def _rebuild(ctx: DiffContext, old: CompositeType, new: CompositeType,
             columns: tuple[ch.ColumnRetype, ...], carried: Carried) -> None:
    # Values move by their text form, attribute by attribute: attributes added, dropped
    # or reordered at the same time make rows fail to convert (MAY_FAIL says so).
    rebuild(ctx, ch.RebuildComposite(old, new, columns, carried,
                                     hazards=rewrite_hazards(new.name, columns)))


def _diff_attributes(ctx: DiffContext, old: CompositeType, new: CompositeType) -> None:
    old_attrs = {a.name: a for a in old.attributes}
    new_attrs = {a.name: a for a in new.attributes}
    for attribute in old.attributes:
        if attribute.name not in new_attrs:
            hazard = Hazard(HazardKind.DATA_LOSS,
                            f"attribute {new.name}.{attribute.name} is dropped")
            ctx.emit(ch.DropAttribute(new.id, attribute, hazards=(hazard,)))
    for attribute in new.attributes:
        previous = old_attrs.get(attribute.name)
        if previous is None:
            ctx.emit(ch.AddAttribute(new.id, attribute))
            if attribute.comment is not None:
                ctx.emit(ch.SetComment(column_id(new.id, attribute.name), attribute.comment))
            continue
        if (previous.type, previous.collation) != (attribute.type, attribute.collation):
            ctx.retyped.add(column_id(new.id, attribute.name))
            ctx.emit(ch.AlterAttributeType(new.id, previous, attribute))
        ctx.comment(column_id(new.id, attribute.name), previous.comment, attribute.comment)
