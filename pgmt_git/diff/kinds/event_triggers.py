"""Event triggers: any definition change drops and creates; the enabled state in place."""

from __future__ import annotations

from dataclasses import replace

from pgmt_git.diff import changes as ch
from pgmt_git.diff.kinds.context import DiffContext
from pgmt_git.diff.model import EventTrigger, Kind


def diff_event_triggers(ctx: DiffContext) -> None:
    pairs = ctx.pairs(Kind.EVENT_TRIGGER)
    for old in pairs.dropped:
        assert isinstance(old, EventTrigger)
        ctx.emit(ch.DropEventTrigger(old))
    for new in pairs.added:
        assert isinstance(new, EventTrigger)
        create_event_trigger(ctx, new)
    for old, new in pairs.kept:
        assert isinstance(old, EventTrigger) and isinstance(new, EventTrigger)
        if replace(old, enabled="O", comment=None) != replace(new, enabled="O", comment=None):
            recreate_event_trigger(ctx, old, new)
            continue
        if old.enabled != new.enabled:
            ctx.emit(ch.SetEventTriggerEnabled(new))
        ctx.comment(new.id, old.comment, new.comment)


def create_event_trigger(ctx: DiffContext, new: EventTrigger) -> None:
    ctx.emit(ch.CreateEventTrigger(new))
    if new.comment is not None:
        ctx.emit(ch.SetComment(new.id, new.comment))


def recreate_event_trigger(ctx: DiffContext, old: EventTrigger, new: EventTrigger) -> None:
    ctx.emit(ch.DropEventTrigger(old))
    create_event_trigger(ctx, new)
    ctx.recreated.add(new.id)
