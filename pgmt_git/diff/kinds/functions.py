"""Functions and procedures; overloads are separate objects.

CREATE OR REPLACE where PostgreSQL allows it: same kind, same result type, same input
parameter names and no parameter default removed; for an aggregate, the same arguments
(for an ordered-set one, the same direct arguments) and the same kind. Otherwise the
routine is dropped and created, and what depends on it with it (see cascade).
"""

from __future__ import annotations

import re

from pgmt_git.diff import changes as ch
from pgmt_git.diff.kinds.context import DiffContext
from pgmt_git.diff.model import Function, FunctionKind, Kind

_DEFAULT = re.compile(r"\s+DEFAULT\s", re.IGNORECASE)
_HYPOTHETICAL = re.compile(r"^\s*HYPOTHETICAL,?$", re.MULTILINE)


def diff_functions(ctx: DiffContext) -> None:
    pairs = ctx.pairs(Kind.FUNCTION, Kind.PROCEDURE, Kind.AGGREGATE)
    for old in pairs.dropped:
        assert isinstance(old, Function)
        ctx.emit(ch.DropFunction(old))
    for new in pairs.added:
        assert isinstance(new, Function)
        ctx.emit(ch.CreateFunction(new))
        ctx.comments_of_created(new)
    for old, new in pairs.kept:
        assert isinstance(old, Function) and isinstance(new, Function)
        if old.definition == new.definition:
            ctx.comment(new.id, old.comment, new.comment)
        elif replaceable(old, new):
            ctx.emit(ch.CreateFunction(new, replace=True))
            ctx.comment(new.id, old.comment, new.comment)
        else:
            recreate_function(ctx, old, new)


def replaceable(old: Function, new: Function) -> bool:
    if (old.kind, old.result, old.input_names) != (new.kind, new.result, new.input_names):
        return False
    if old.kind is FunctionKind.AGGREGATE:
        # CREATE OR REPLACE AGGREGATE cannot rename arguments, move ORDER BY (the number
        # of an ordered-set aggregate's direct arguments) or change the aggregate's kind.
        return (old.arguments == new.arguments
                and bool(_HYPOTHETICAL.search(old.definition))
                == bool(_HYPOTHETICAL.search(new.definition)))
    return old.arguments == new.arguments or not _DEFAULT.search(old.arguments)


def recreate_function(ctx: DiffContext, old: Function, new: Function) -> None:
    ctx.emit(ch.DropFunction(old))
    ctx.emit(ch.CreateFunction(new))
    ctx.comments_of_created(new)
    ctx.recreated.add(new.id)
