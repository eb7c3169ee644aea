"""Creating again what lives under a relation that is dropped and created (constraints,
indexes, triggers, policies), when its own differ left it alone."""

from __future__ import annotations

from pgmt_git.diff.kinds.constraints import add_constraint
from pgmt_git.diff.kinds.context import DiffContext
from pgmt_git.diff.kinds.indexes import create_index
from pgmt_git.diff.kinds.triggers import create_policy, create_trigger
from pgmt_git.diff.model import Constraint, Index, ObjectId, Policy, Trigger


def create_children(ctx: DiffContext, parent: ObjectId) -> None:
    for child in ctx.new.children(parent):
        if ctx.has_change(child):
            continue
        obj = ctx.new[child]
        if isinstance(obj, Constraint):
            add_constraint(ctx, obj)
        elif isinstance(obj, Index):
            create_index(ctx, obj)
        elif isinstance(obj, Trigger):
            create_trigger(ctx, obj)
        elif isinstance(obj, Policy):
            create_policy(ctx, obj)
