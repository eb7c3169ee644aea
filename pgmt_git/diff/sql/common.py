"""What every renderer shares: how DDL names an object, and the table of renderers."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from pgmt_git.diff import changes as ch
from pgmt_git.diff.model import Kind, ObjectId
from pgmt_git.diff.quoting import qualified, quote_ident, quote_literal


def ref(oid: ObjectId) -> str:
    """How DDL names ``oid``: ``s.t``, ``s.f(integer)``, ``c ON s.t``, ``s.t.col``."""
    if oid.kind in (Kind.SCHEMA, Kind.EXTENSION, Kind.EVENT_TRIGGER):
        return quote_ident(oid.name)
    if oid.kind is Kind.COLUMN and oid.parent is not None:
        return f"{ref(oid.parent)}.{quote_ident(oid.name)}"
    if oid.kind in (Kind.CONSTRAINT, Kind.TRIGGER, Kind.POLICY) and oid.parent is not None:
        on = "DOMAIN " if oid.parent.kind is Kind.DOMAIN else ""
        return f"{quote_ident(oid.name)} ON {on}{ref(oid.parent)}"
    if oid.kind is Kind.AGGREGATE and not oid.args:
        return f"{qualified(oid.schema, oid.name)}(*)"  # AGGREGATE agg() is an error
    if oid.kind.is_routine:
        return f"{qualified(oid.schema, oid.name)}({oid.args})"
    return qualified(oid.schema, oid.name)


_COMMENT_KEYWORDS = {
    Kind.ENUM: "TYPE", Kind.COMPOSITE: "TYPE", Kind.RANGE: "TYPE", Kind.DOMAIN: "DOMAIN",
}


def object_keyword(kind: Kind) -> str:
    return _COMMENT_KEYWORDS.get(kind, kind.value.upper())


def table_name(oid: ObjectId) -> str:
    return qualified(oid.schema, oid.name)


def alter_column(table: ObjectId, column: str, action: str) -> str:
    return f"ALTER TABLE {table_name(table)} ALTER COLUMN {quote_ident(column)} {action}"


Render = Callable[[ch.Change], Sequence[str]]


RENDERERS: dict[type, Render] = {}


def renders(change_type: type) -> Callable[[Render], Render]:
    def register(fn: Render) -> Render:
        RENDERERS[change_type] = fn
        return fn
    return register


_OPTION_NAME = re.compile(r"[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?\Z")


def storage_parameters(options: tuple[str, ...]) -> str:
    """``name=value`` reloptions as a WITH/SET list, every value a literal (as pg_dump
    writes them): the text comes from the catalog, but is never trusted as SQL."""
    parts = []
    for option in options:
        name, _, value = option.partition("=")
        if not _OPTION_NAME.match(name):
            raise ValueError(f"unexpected storage parameter name: {name!r}")
        parts.append(f"{name}={quote_literal(value)}")
    return ", ".join(parts)


def storage_parameter_names(names: tuple[str, ...]) -> str:
    for name in names:
        if not _OPTION_NAME.match(name):
            raise ValueError(f"unexpected storage parameter name: {name!r}")
    return ", ".join(names)
