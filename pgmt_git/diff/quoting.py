"""The only quoting in pgmt-git's SQL output: identifiers, qualified names and literals.

Identifiers are quoted the way PostgreSQL's own ``quote_ident`` does (only when needed), so
generated migrations read like hand-written ones; a name is left bare only when it is made of
lower-case ASCII letters, digits and underscores, does not start with a digit, and is not a
keyword that needs quoting. The keyword list is PostgreSQL's non-unreserved keywords up to
version 17, so a name stays valid on servers newer than the one it was read from.
"""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet

__all__ = ["quote_ident", "quote_literal", "qualified", "quote_ident_list"]

# pg_get_keywords() where catcode <> 'U' (reserved, column-name and type/function-name
# keywords), PostgreSQL 13-17; quote_ident quotes exactly these.
_KEYWORDS = frozenset("""
all analyse analyze and any array as asc asymmetric authorization between bigint binary bit
boolean both case cast char character check coalesce collate collation column concurrently
constraint create cross current_catalog current_date current_role current_schema current_time
current_timestamp current_user dec decimal default deferrable desc distinct do else end except
exists extract false fetch float for foreign freeze from full grant greatest group grouping
having ilike in initially inner inout int integer intersect interval into is isnull join json
json_array json_arrayagg json_exists json_object json_objectagg json_query json_scalar
json_serialize json_table json_value lateral leading least left like limit localtime
localtimestamp merge_action national natural nchar none normalize not notnull null nullif
numeric offset on only or order out outer overlaps overlay placing position precision primary
real references returning right row select session_user setof similar smallint some substring
symmetric system_user table tablesample then time timestamp to trailing treat trim true union
unique user using values varchar variadic verbose when where window with xmlattributes
xmlconcat xmlelement xmlexists xmlforest xmlnamespaces xmlparse xmlpi xmlroot xmlserialize
xmltable
""".split())

_SAFE = re.compile(r"[a-z_][a-z0-9_]*\Z")


def quote_ident(name: str, keywords: AbstractSet[str] = _KEYWORDS) -> str:
    """``name`` as an SQL identifier: bare when PostgreSQL would read it back unchanged.
    ``keywords``: those to quote (a server's own, to write exactly what it would)."""
    if not name:
        raise ValueError("an identifier cannot be empty")
    if "\x00" in name:
        raise ValueError(f"an identifier cannot contain NUL: {name!r}")
    if _SAFE.match(name) and name not in keywords:
        return name
    return '"' + name.replace('"', '""') + '"'


def qualified(schema: str, name: str) -> str:
    """``schema.name``, each part quoted as needed."""
    return f"{quote_ident(schema)}.{quote_ident(name)}"


def quote_ident_list(names: tuple[str, ...] | list[str]) -> str:
    """``a, "B", c``: a comma-separated list of quoted identifiers."""
    return ", ".join(quote_ident(name) for name in names)


def quote_literal(value: str) -> str:
    """``value`` as a string literal that reads back the same whatever
    ``standard_conforming_strings`` is: with a backslash, the ``E''`` form, as quote_literal."""
    if "\x00" in value:
        raise ValueError(f"a string literal cannot contain NUL: {value!r}")
    body = value.replace("'", "''")
    if "\\" in body:
        return "E'" + body.replace("\\", "\\\\") + "'"
    return "'" + body + "'"
