"""Schemas, extensions, comments."""

from __future__ import annotations

from collections.abc import Sequence

from pgmt_git.diff import changes as ch
from pgmt_git.diff.quoting import quote_ident, quote_literal
from pgmt_git.diff.sql.common import object_keyword, ref, renders


@renders(ch.CreateSchema)
def _create_schema(c: ch.CreateSchema) -> Sequence[str]:
    return [f"CREATE SCHEMA {quote_ident(c.schema.name)}"]


@renders(ch.DropSchema)
def _drop_schema(c: ch.DropSchema) -> Sequence[str]:
    return [f"DROP SCHEMA {quote_ident(c.schema.name)}"]


@renders(ch.CreateExtension)
def _create_extension(c: ch.CreateExtension) -> Sequence[str]:
    e = c.extension
    return [f"CREATE EXTENSION {quote_ident(e.name)} WITH SCHEMA {quote_ident(e.schema)} "
            f"VERSION {quote_literal(e.version)}"]


@renders(ch.DropExtension)
def _drop_extension(c: ch.DropExtension) -> Sequence[str]:
    return [f"DROP EXTENSION {quote_ident(c.extension.name)}"]


@renders(ch.AlterExtension)
def _alter_extension(c: ch.AlterExtension) -> Sequence[str]:
    name = quote_ident(c.new.name)
    out = []
    if c.old.schema != c.new.schema:
        out.append(f"ALTER EXTENSION {name} SET SCHEMA {quote_ident(c.new.schema)}")
    if c.old.version != c.new.version:
        out.append(f"ALTER EXTENSION {name} UPDATE TO {quote_literal(c.new.version)}")
    return out


@renders(ch.SetComment)
def _set_comment(c: ch.SetComment) -> Sequence[str]:
    text = "NULL" if c.comment is None else quote_literal(c.comment)
    return [f"COMMENT ON {object_keyword(c.target.kind)} {ref(c.target)} IS {text}"]
