"""Change -> SQL. One small function per change type (in ``pgmt_git.diff.sql``, a module per
family of kinds), found in a table keyed by the type.

Every name goes through :mod:`pgmt_git.diff.quoting`; texts PostgreSQL deparsed itself
(types, expressions, constraint and index definitions, view and function bodies) are used
verbatim, because they were read with an empty search_path and are already quoted and
qualified.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from pgmt_git.diff import changes as ch
from pgmt_git.diff.sql import RENDERERS, ref

__all__ = ["Statement", "ref", "render_sql", "render_statements"]


@dataclass(frozen=True)
class Statement:
    """One SQL statement (no trailing semicolon). ``commit_after``: what it makes is usable
    only once committed (``ALTER TYPE ... ADD VALUE``), so it ends its transaction.
    ``transactional`` False: it must run outside any transaction block (CONCURRENTLY), in
    a non-transactional section."""

    sql: str
    change: ch.Change
    commit_after: bool = False
    transactional: bool = True


def render_statements(changes: Iterable[ch.Change]) -> tuple[Statement, ...]:
    out: list[Statement] = []
    for change in changes:
        renderer = RENDERERS.get(type(change))
        if renderer is None:
            raise TypeError(f"no SQL rendering for {type(change).__name__}")
        commit_after = isinstance(change, ch.AddEnumValue)
        out.extend(Statement(sql, change, commit_after, change.transactional)
                   for sql in renderer(change))
    return tuple(out)


def render_sql(changes: Iterable[ch.Change]) -> str:
    """The changes as one SQL script: a statement per line group, a blank line between
    changes. Empty string for no changes."""
    blocks: list[str] = []
    last: ch.Change | None = None
    for statement in render_statements(changes):
        if last is not None and statement.change is last:
            blocks[-1] += "\n" + statement.sql + ";"
        else:
            blocks.append(statement.sql + ";")
        last = statement.change
    return "\n\n".join(blocks) + ("\n" if blocks else "")
