"""Enum types: new labels are added in place, renamed labels renamed in place; a removed
or reordered label rebuilds the type, moving every column (and every domain and composite
type over the type, with their columns) over through its text value."""

from __future__ import annotations

from pgmt_git.diff import changes as ch
from pgmt_git.diff.hazards import Hazard, HazardKind
from pgmt_git.diff.kinds.context import DiffContext
from pgmt_git.diff.kinds.rebuilds import moved_with, rebuild, rewrite_hazards
from pgmt_git.diff.model import EnumType, Kind


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
        if old.labels == new.labels or not _diff_labels(ctx, old, new):
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


def renamed_labels(old: tuple[str, ...], new: tuple[str, ...]
                   ) -> list[tuple[str, str]] | None:
    """(old label, new label) for each label renamed in place, or None when ``new`` is not
    ``old`` with some labels renamed.

    A rename is a label replaced at its own position by one that is new to the type, every
    other label staying where it was. A removed label and a new one at the same place are
    indistinguishable from a rename, and are read as one (rows keep their data under the
    new label). Anything else, such as a label removed here and another added elsewhere,
    or a label moving, is not a rename."""
    if len(old) != len(new):
        return None
    pairs = [(a, b) for a, b in zip(old, new) if a != b]
    if any(b in old or a in new for a, b in pairs):
        return None
    return pairs


def _diff_labels(ctx: DiffContext, old: EnumType, new: EnumType) -> bool:
    """Emit what turns the labels of ``old`` into those of ``new``; whether the type is
    rebuilt (which sets its comment itself)."""
    renames = renamed_labels(old.labels, new.labels)
    if renames is not None:
        for label, new_label in renames:
            ctx.emit(ch.RenameEnumValue(new.id, label, new_label))
        return False
    try:
        steps = added_labels(old.labels, new.labels)
    except ValueError:
        _rebuild(ctx, old, new)
        return True
    for label, before, after in steps:
        hazard = Hazard(HazardKind.IRREVERSIBLE,
                        f"a label added to {new.name} can only be removed by rebuilding it")
        ctx.emit(ch.AddEnumValue(new.id, label, before, after, hazards=(hazard,)))
    return False


def _rebuild(ctx: DiffContext, old: EnumType, new: EnumType) -> None:
    columns, carried = moved_with(ctx, old.id, new.id, ch.Carry.TEXT)
    removed = sorted(set(old.labels) - set(new.labels))
    hazards = list(rewrite_hazards(new.name, columns, may_fail=False))
    if removed:
        hazards.append(Hazard(
            HazardKind.DATA_LOSS,
            f"labels {', '.join(removed)} of {new.name} are removed: rows holding them make "
            "the migration fail"))
    rebuild(ctx, ch.RebuildEnum(old, new, columns, carried, hazards=tuple(hazards)))
