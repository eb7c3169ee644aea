"""How a column's values reach a new type: whether ``ALTER COLUMN ... TYPE`` needs a
``USING`` expression, which one keeps the data, and what the change costs.

pg_cast is not read: the built-in casts between common types are listed here (as
PostgreSQL 14-16 have them). Between two types of that list with no cast, values go
through their text form, which every type has (``col::text::integer``); a type of the
schema's own or an extension's gets a plain cast, since a cast of its own may exist.
"""

from __future__ import annotations

import enum
import re

from pgmt_git.diff.quoting import quote_ident

_TYPMOD = re.compile(r"\([^)]*\)")
_NUMBERS = frozenset({"smallint", "integer", "bigint", "numeric", "real",
                      "double precision"})
_INTEGERS = frozenset({"smallint", "integer", "bigint"})
_STRINGS = frozenset({"text", "character varying", "character", "name"})
_TIMES = frozenset({"date", "timestamp without time zone", "timestamp with time zone"})
_TIME = "time without time zone"
_TIMETZ = "time with time zone"

# Types between any two of which an assignment (or implicit) cast exists.
_FAMILIES = (_NUMBERS, _TIMES, frozenset({"json", "jsonb"}), frozenset({"inet", "cidr"}),
             frozenset({"macaddr", "macaddr8"}), frozenset({"bit", "bit varying"}))
# Other assignment casts: (source, target).
_ASSIGNMENT = frozenset({
    ("integer", "money"), ("bigint", "money"), ("numeric", "money"), ("money", "numeric"),
    ("interval", _TIME), (_TIME, "interval"), (_TIME, _TIMETZ), (_TIMETZ, _TIME),
    ("timestamp without time zone", _TIME), ("timestamp with time zone", _TIME),
    ("timestamp with time zone", _TIMETZ),
})
# Explicit casts: (source, target).
_EXPLICIT = frozenset({
    ("integer", "boolean"), ("boolean", "integer"), ('"char"', "integer"),
    ("integer", '"char"'), ("integer", "bit"), ("bigint", "bit"), ("bit", "integer"),
    ("bit", "bigint"),
    *(("jsonb", target) for target in ("boolean", *_NUMBERS)),
})
_BUILT_IN = frozenset({
    *_STRINGS, *(t for family in _FAMILIES for t in family), *(t for pair in _ASSIGNMENT
                                                                for t in pair),
    *(t for pair in _EXPLICIT for t in pair), "boolean", "uuid", "bytea", "xml", "interval",
})


class Conversion(enum.Enum):
    """How values of one type become another's."""

    ASSIGNMENT = "assignment"  # an assignment cast: no USING needed
    CAST = "cast"  # USING col::type
    THROUGH_TEXT = "through_text"  # no cast exists: USING col::text::type


def base_type(type_text: str) -> str:
    """``character varying(10)`` -> ``character varying``; arrays keep their ``[]``."""
    return _TYPMOD.sub("", type_text)


def is_array(type_text: str) -> bool:
    return type_text.endswith("[]")


def element_type(type_text: str) -> str:
    """``character varying(5)[]`` -> ``character varying(5)``; a scalar stays itself."""
    return type_text.removesuffix("[]")


def conversion(old: str, new: str) -> Conversion:
    """How values of ``old`` become ``new``; arrays by their elements' conversion (a cast
    applies element by element, and text reads back as an array)."""
    old_base, new_base = base_type(element_type(old)), base_type(element_type(new))
    if old_base == new_base or new_base in _STRINGS or (old_base, new_base) in _ASSIGNMENT:
        return Conversion.ASSIGNMENT  # every type converts to text by assignment
    if any(old_base in family and new_base in family for family in _FAMILIES):
        return Conversion.ASSIGNMENT
    if old_base in _STRINGS or (old_base, new_base) in _EXPLICIT:
        return Conversion.CAST  # text reads as any type, explicitly
    if old_base in _BUILT_IN and new_base in _BUILT_IN:
        return Conversion.THROUGH_TEXT
    return Conversion.CAST


def needs_using(old: str, new: str) -> bool:
    """Whether ALTER COLUMN TYPE needs a USING expression: no assignment cast from
    ``old``, or a scalar becoming an array or the reverse."""
    return is_array(old) != is_array(new) or conversion(old, new) is not Conversion.ASSIGNMENT


def using_expression(column: str, old: str, new: str) -> str | None:
    """The USING expression that carries ``column`` from ``old`` to ``new``, or None when
    an assignment cast does. A scalar becomes a one-element array (NULL stays NULL); an
    array becomes its first element (NULL when it is empty)."""
    name = quote_ident(column)
    if is_array(old) == is_array(new):
        return _converted(name, old, new)
    if is_array(new):
        element = _converted(name, old, element_type(new)) or name
        return f"CASE WHEN {name} IS NULL THEN NULL ELSE ARRAY[{element}] END"
    first = f"{name}[array_lower({name}, 1)]"
    return _converted(first, element_type(old), new) or first


def _converted(expression: str, old: str, new: str) -> str | None:
    how = conversion(old, new)
    if how is Conversion.ASSIGNMENT:
        return None
    if how is Conversion.CAST:
        return f"{expression}::{new}"
    return f"{expression}::text::{new}"


def _typmod(type_text: str) -> tuple[int, ...] | None:
    found = _TYPMOD.search(type_text)
    if not found:
        return None
    return tuple(int(part) for part in found.group(0)[1:-1].split(",") if part.strip())


def binary_coercible(old: str, new: str) -> bool:
    """Whether the change keeps every stored value as is (no rewrite): widening a varchar or
    numeric, varchar to text."""
    old_base, new_base = base_type(old), base_type(new)
    old_mod, new_mod = _typmod(old), _typmod(new)
    if old == new:
        return True
    if old_base == new_base == "character varying" or (
            old_base == "character varying" and new_base == "text"):
        return new_mod is None or (old_mod is not None and new_mod[0] >= old_mod[0])
    if old_base == "text" and new_base == "character varying":
        return new_mod is None
    if old_base == new_base == "numeric":
        if new_mod is None:
            return True
        return (old_mod is not None and len(old_mod) == len(new_mod)
                and new_mod[0] >= old_mod[0] and new_mod[1:] == old_mod[1:])
    return False


def narrowing(old: str, new: str) -> bool:
    """Whether values may be cut: shorter strings, fewer digits, fractions to integers
    (an array's elements as well)."""
    old, new = element_type(old), element_type(new)
    old_base, new_base = base_type(old), base_type(new)
    old_mod, new_mod = _typmod(old), _typmod(new)
    if old_base == new_base and old_mod is not None and new_mod is not None:
        return any(n < o for o, n in zip(old_mod, new_mod))
    if old_base == new_base and old_mod is None and new_mod is not None:
        return True
    if old_base in {"numeric", "real", "double precision"} and new_base in _INTEGERS:
        return True
    return old_base in _STRINGS and new_base in _STRINGS and new_mod is not None
