"""Views and materialized views.

A view whose old columns are kept, in order and with their types, at the head of the new
ones is changed with CREATE OR REPLACE VIEW; any other change drops and creates it, and its
dependents with it (see cascade). A materialized view is recreated on any change, with its
indexes.
"""

from __future__ import annotations

from pgmt_git.diff import changes as ch
from pgmt_git.diff.kinds.context import DiffContext
from pgmt_git.diff.kinds.indexes import create_index
from pgmt_git.diff.model import Column, Index, Kind, MaterializedView, View, column_id

ViewLike = View | MaterializedView


def diff_views(ctx: DiffContext) -> None:
    pairs = ctx.pairs(Kind.VIEW, Kind.MATERIALIZED_VIEW)
    for old in pairs.dropped:
        assert isinstance(old, (View, MaterializedView))
        ctx.emit(ch.DropView(old))
    for new in pairs.added:
        assert isinstance(new, (View, MaterializedView))
        ctx.emit(ch.CreateView(new))
        ctx.comments_of_created(new)
    for old, new in pairs.kept:
        assert isinstance(old, (View, MaterializedView))
        assert isinstance(new, (View, MaterializedView))
        _diff_view(ctx, old, new)


def _shape(columns: tuple[Column, ...]) -> tuple[tuple[str, str, str | None], ...]:
    return tuple((c.name, c.type, c.collation) for c in columns)


def _diff_view(ctx: DiffContext, old: ViewLike, new: ViewLike) -> None:
    old_shape, new_shape = _shape(old.columns), _shape(new.columns)
    if (old.definition, old.options, old_shape) == (new.definition, new.options, new_shape):
        _diff_comments(ctx, old, new)
        return
    if isinstance(new, View) and new_shape[: len(old_shape)] == old_shape:
        ctx.emit(ch.CreateView(new, replace=True))
        _diff_comments(ctx, old, new)
        return
    recreate_view(ctx, old, new)


def _diff_comments(ctx: DiffContext, old: ViewLike, new: ViewLike) -> None:
    ctx.comment(new.id, old.comment, new.comment)
    old_comments = {c.name: c.comment for c in old.columns}
    for column in new.columns:
        ctx.comment(column_id(new.id, column.name), old_comments.get(column.name),
                    column.comment)


def recreate_view(ctx: DiffContext, old: ViewLike, new: ViewLike) -> None:
    ctx.emit(ch.DropView(old))
    create_view(ctx, new)
    ctx.recreated.add(new.id)


def create_view(ctx: DiffContext, new: ViewLike) -> None:
    """CREATE (MATERIALIZED) VIEW with its comments and, for a materialized view, the indexes
    its differ left alone (they went with the old one)."""
    ctx.emit(ch.CreateView(new))
    ctx.comments_of_created(new)
    for child in ctx.new.children(new.id):
        index = ctx.new[child]
        if isinstance(index, Index) and not ctx.has_change(child):
            create_index(ctx, index)
