"""Triggers (CREATE OR REPLACE where PostgreSQL allows, enabled state in place) and row
level security policies (ALTER POLICY where PostgreSQL allows, else drop and create)."""

from __future__ import annotations

from pgmt_git.diff import changes as ch
from pgmt_git.diff.kinds.context import DiffContext
from pgmt_git.diff.model import Kind, Policy, Trigger


def diff_triggers(ctx: DiffContext) -> None:
    pairs = ctx.pairs(Kind.TRIGGER)
    for old in pairs.dropped:
        assert isinstance(old, Trigger)
        if not ctx.parent_dropped(old.id):
            ctx.emit(ch.DropTrigger(old))
    for new in pairs.added:
        assert isinstance(new, Trigger)
        create_trigger(ctx, new)
    for old, new in pairs.kept:
        assert isinstance(old, Trigger) and isinstance(new, Trigger)
        if old.definition != new.definition:
            if _constraint_trigger(old) or _constraint_trigger(new):
                recreate_trigger(ctx, old, new)
                continue
            ctx.emit(ch.CreateTrigger(new, replace=True))
        elif old.enabled != new.enabled:
            ctx.emit(ch.SetTriggerEnabled(new))
        ctx.comment(new.id, old.comment, new.comment)


def _constraint_trigger(trigger: Trigger) -> bool:
    # CREATE OR REPLACE is not allowed for constraint triggers.
    return trigger.definition.startswith("CREATE CONSTRAINT TRIGGER")


def create_trigger(ctx: DiffContext, new: Trigger) -> None:
    ctx.emit(ch.CreateTrigger(new))
    if new.comment is not None:
        ctx.emit(ch.SetComment(new.id, new.comment))


def recreate_trigger(ctx: DiffContext, old: Trigger, new: Trigger) -> None:
    ctx.emit(ch.DropTrigger(old))
    create_trigger(ctx, new)
    ctx.recreated.add(new.id)


def diff_policies(ctx: DiffContext) -> None:
    pairs = ctx.pairs(Kind.POLICY)
    for old in pairs.dropped:
        assert isinstance(old, Policy)
        if not ctx.parent_dropped(old.id):
            ctx.emit(ch.DropPolicy(old))
    for new in pairs.added:
        assert isinstance(new, Policy)
        create_policy(ctx, new)
    for old, new in pairs.kept:
        assert isinstance(old, Policy) and isinstance(new, Policy)
        if _shape(old) == _shape(new):
            ctx.comment(new.id, old.comment, new.comment)
        elif _alterable(old, new):
            ctx.emit(ch.AlterPolicy(old, new))
            ctx.comment(new.id, old.comment, new.comment)
        else:
            recreate_policy(ctx, old, new)


def _shape(p: Policy) -> tuple[object, ...]:
    return (p.permissive, p.command, p.roles, p.using, p.with_check)


def _alterable(old: Policy, new: Policy) -> bool:
    """ALTER POLICY changes roles and expressions, but cannot remove an expression."""
    return ((old.permissive, old.command) == (new.permissive, new.command)
            and not (old.using is not None and new.using is None)
            and not (old.with_check is not None and new.with_check is None))


def create_policy(ctx: DiffContext, new: Policy) -> None:
    ctx.emit(ch.CreatePolicy(new))
    if new.comment is not None:
        ctx.emit(ch.SetComment(new.id, new.comment))


def recreate_policy(ctx: DiffContext, old: Policy, new: Policy) -> None:
    ctx.emit(ch.DropPolicy(old))
    create_policy(ctx, new)
    ctx.recreated.add(new.id)
