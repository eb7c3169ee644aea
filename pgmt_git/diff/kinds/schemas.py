"""Schemas and extensions."""

from __future__ import annotations

from pgmt_git.diff import changes as ch
from pgmt_git.diff.hazards import Hazard, HazardKind
from pgmt_git.diff.kinds.context import DiffContext
from pgmt_git.diff.model import Extension, Kind, Schema


def diff_schemas(ctx: DiffContext) -> None:
    pairs = ctx.pairs(Kind.SCHEMA)
    for old in pairs.dropped:
        assert isinstance(old, Schema)
        ctx.emit(ch.DropSchema(old))
    for new in pairs.added:
        assert isinstance(new, Schema)
        ctx.emit(ch.CreateSchema(new))
        ctx.comments_of_created(new)
    for old, new in pairs.kept:
        assert isinstance(old, Schema) and isinstance(new, Schema)
        ctx.comment(new.id, old.comment, new.comment)


def diff_extensions(ctx: DiffContext) -> None:
    pairs = ctx.pairs(Kind.EXTENSION)
    for old in pairs.dropped:
        assert isinstance(old, Extension)
        hazard = Hazard(HazardKind.DATA_LOSS,
                        f"dropping extension {old.name} drops what it created")
        ctx.emit(ch.DropExtension(old, hazards=(hazard,)))
    for new in pairs.added:
        assert isinstance(new, Extension)
        ctx.emit(ch.CreateExtension(new))
        ctx.comments_of_created(new)
    for old, new in pairs.kept:
        assert isinstance(old, Extension) and isinstance(new, Extension)
        if (old.version, old.schema) != (new.version, new.schema):
            hazards = ((Hazard(HazardKind.MAY_FAIL, f"{new.name} needs an update path from "
                               f"{old.version} to {new.version}"),)
                       if old.version != new.version else ())
            ctx.emit(ch.AlterExtension(old, new, hazards=hazards))
        ctx.comment(new.id, old.comment, new.comment)
