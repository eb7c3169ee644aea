"""Sequences (not identity columns' sequences: those belong to their column)."""

from __future__ import annotations

from pgmt_git.diff import changes as ch
from pgmt_git.diff.hazards import Hazard, HazardKind
from pgmt_git.diff.kinds.context import DiffContext
from pgmt_git.diff.kinds.tables import sequence_bound_hazards
from pgmt_git.diff.model import Kind, Sequence


def diff_sequences(ctx: DiffContext) -> None:
    pairs = ctx.pairs(Kind.SEQUENCE)
    for old in pairs.dropped:
        assert isinstance(old, Sequence)
        if old.owned_by is not None and not ctx.new.has(old.owned_by):
            # DROP TABLE / DROP COLUMN takes the sequences it owns along.
            ctx.owned_sequences.setdefault(old.owned_by, []).append(old.id)
            continue
        hazard = Hazard(HazardKind.DATA_LOSS, f"the position of sequence {old.name} is lost")
        ctx.emit(ch.DropSequence(old, hazards=(hazard,)))
    for new in pairs.added:
        assert isinstance(new, Sequence)
        ctx.emit(ch.CreateSequence(new))
        if new.owned_by is not None:
            ctx.emit(ch.SetSequenceOwnedBy(new.id, new.owned_by))
        ctx.comments_of_created(new)
    for old, new in pairs.kept:
        assert isinstance(old, Sequence) and isinstance(new, Sequence)
        if (old.options, old.unlogged) != (new.options, new.unlogged):
            ctx.emit(ch.AlterSequence(old, new, hazards=sequence_bound_hazards(
                old.options, new.options)))
        if old.owned_by != new.owned_by:
            ctx.emit(ch.SetSequenceOwnedBy(new.id, new.owned_by, old.owned_by))
        ctx.comment(new.id, old.comment, new.comment)
