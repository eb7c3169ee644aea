"""Enum, domain, composite and range types; collations."""

from __future__ import annotations

from collections.abc import Sequence

from pgmt_git.diff import changes as ch
from pgmt_git.diff.model import (
    Collation,
    Column,
    CompositeType,
    Domain,
    EnumType,
    Kind,
    ObjectId,
    RangeType,
)
from pgmt_git.diff.quoting import qualified, quote_ident, quote_literal
from pgmt_git.diff.sql.common import alter_column, ref, renders


@renders(ch.CreateEnum)
def _create_enum(c: ch.CreateEnum) -> Sequence[str]:
    labels = ", ".join(quote_literal(label) for label in c.type.labels)
    return [f"CREATE TYPE {qualified(c.type.schema, c.type.name)} AS ENUM ({labels})"]


@renders(ch.DropType)
def _drop_type(c: ch.DropType) -> Sequence[str]:
    keyword = "DOMAIN" if c.type.id.kind is Kind.DOMAIN else "TYPE"
    return [f"DROP {keyword} {qualified(c.type.schema, c.type.name)}"]


@renders(ch.AddEnumValue)
def _add_enum_value(c: ch.AddEnumValue) -> Sequence[str]:
    where = ""
    if c.before is not None:
        where = f" BEFORE {quote_literal(c.before)}"
    elif c.after is not None:
        where = f" AFTER {quote_literal(c.after)}"
    return [f"ALTER TYPE {ref(c.type_id)} ADD VALUE {quote_literal(c.label)}{where}"]


@renders(ch.RenameEnumValue)
def _rename_enum_value(c: ch.RenameEnumValue) -> Sequence[str]:
    return [f"ALTER TYPE {ref(c.type_id)} RENAME VALUE {quote_literal(c.label)} TO "
            f"{quote_literal(c.new_label)}"]


def rebuild_temporary_name(name: str, suffix: str = "__pgmt_old") -> str:
    """The old type's name while columns move to the new one (63 bytes at most)."""
    encoded = name.encode("utf-8")[: 63 - len(suffix)]
    return encoded.decode("utf-8", errors="ignore") + suffix


_MULTIRANGE_SUFFIX = "__pgmt_old_multirange"


def _keyword(obj: ch.Rebuildable) -> str:
    if isinstance(obj, Collation):
        return "COLLATION"
    return "DOMAIN" if isinstance(obj, Domain) else "TYPE"


def _rename_away(obj: ch.Rebuildable) -> list[str]:
    keyword = _keyword(obj)
    out = [f"ALTER {keyword} {qualified(obj.schema, obj.name)} RENAME TO "
           f"{quote_ident(rebuild_temporary_name(obj.name))}"]
    if isinstance(obj, RangeType):
        out.extend(_rename_range_companions(obj))
    return out


def _rename_range_companions(old: RangeType) -> list[str]:
    """A renamed range keeps its multirange's name and its constructor functions' names;
    the new range creates the same ones (the constructors whose arguments are not of the
    range type itself would clash)."""
    temporary = quote_ident(rebuild_temporary_name(old.name))
    constructor = qualified(old.schema, old.name)
    out = [f"ALTER FUNCTION {constructor}({old.subtype}, {old.subtype}) RENAME TO {temporary}",
           f"ALTER FUNCTION {constructor}({old.subtype}, {old.subtype}, text) RENAME TO "
           f"{temporary}"]
    if old.multirange_name is not None:
        multirange = quote_ident(rebuild_temporary_name(old.name, _MULTIRANGE_SUFFIX))
        out.append(f"ALTER TYPE {old.multirange_name} RENAME TO {multirange}")
        out.append(f"ALTER FUNCTION {old.multirange_name}() RENAME TO {multirange}")
    return out


def _drop_renamed(obj: ch.Rebuildable) -> str:
    name = qualified(obj.schema, rebuild_temporary_name(obj.name))
    return f"DROP {_keyword(obj)} {name}"


def _create(obj: ch.Rebuildable) -> Sequence[str]:
    if isinstance(obj, EnumType):
        return _create_enum(ch.CreateEnum(obj))
    if isinstance(obj, Domain):
        return _create_domain(ch.CreateDomain(obj))
    if isinstance(obj, CompositeType):
        return _create_composite(ch.CreateCompositeType(obj))
    if isinstance(obj, RangeType):
        return _create_range(ch.CreateRange(obj))
    return _create_collation(ch.CreateCollation(obj))


def _move(retype: ch.ColumnRetype) -> list[str]:
    column = retype.column
    name = quote_ident(column.name)
    collate = f" COLLATE {column.collation}" if column.collation is not None else ""
    if retype.carry is ch.Carry.TEXT:
        array = "[]" * column.type.count("[]")
        using = f" USING {name}::text{array}::{column.type}"
    elif retype.carry is ch.Carry.CAST:
        using = f" USING {name}::{column.type}"
    else:
        using = ""
    retype_sql = alter_column(retype.table, column.name, f"TYPE {column.type}{collate}{using}")
    if retype.default_apart:
        return [retype_sql]
    out = []
    if retype.old_default is not None:
        out.append(alter_column(retype.table, column.name, "DROP DEFAULT"))
    out.append(retype_sql)
    if column.default is not None:
        out.append(alter_column(retype.table, column.name, f"SET DEFAULT {column.default}"))
    return out


@renders(ch.RebuildEnum)
@renders(ch.RebuildDomain)
@renders(ch.RebuildComposite)
@renders(ch.RebuildRange)
@renders(ch.RebuildCollation)
def _rebuild_type(c: ch.RebuildType) -> Sequence[str]:
    """What the new objects need beyond their CREATE (a NOT VALID domain constraint) waits
    for the columns: added before them, it would check their rows."""
    out: list[str] = []
    later: list[str] = []
    for old, new in ((c.old, c.new), *c.carried):
        create = _create(new)
        out.extend([*_rename_away(old), create[0]])
        later.extend(create[1:])
    for retype in c.columns:
        out.extend(_move(retype))
    out.extend(later)
    out.extend(_drop_renamed(old) for old, _ in reversed(c.carried))
    out.append(_drop_renamed(c.old))
    return out


def _domain_name(oid: ObjectId) -> str:
    return qualified(oid.schema, oid.name)


@renders(ch.CreateDomain)
def _create_domain(c: ch.CreateDomain) -> Sequence[str]:
    d = c.domain
    parts = [f"CREATE DOMAIN {_domain_name(d.id)} AS {d.base_type}"]
    if d.collation is not None:
        parts.append(f"COLLATE {d.collation}")
    if d.default is not None:
        parts.append(f"DEFAULT {d.default}")
    if d.not_null:
        parts.append("NOT NULL")
    later = []
    for constraint in d.constraints:
        clause = f"CONSTRAINT {quote_ident(constraint.name)} {constraint.definition}"
        if constraint.validated:
            parts.append(clause)
        else:  # NOT VALID is for ALTER DOMAIN only
            later.append(f"ALTER DOMAIN {_domain_name(d.id)} ADD {clause}")
    return [" ".join(parts), *later]


@renders(ch.SetDomainDefault)
def _set_domain_default(c: ch.SetDomainDefault) -> Sequence[str]:
    action = "DROP DEFAULT" if c.default is None else f"SET DEFAULT {c.default}"
    return [f"ALTER DOMAIN {_domain_name(c.domain_id)} {action}"]


@renders(ch.SetDomainNotNull)
def _set_domain_not_null(c: ch.SetDomainNotNull) -> Sequence[str]:
    action = "SET NOT NULL" if c.not_null else "DROP NOT NULL"
    return [f"ALTER DOMAIN {_domain_name(c.domain_id)} {action}"]


@renders(ch.AddDomainConstraint)
def _add_domain_constraint(c: ch.AddDomainConstraint) -> Sequence[str]:
    k = c.constraint
    return [f"ALTER DOMAIN {_domain_name(c.domain_id)} ADD CONSTRAINT {quote_ident(k.name)} "
            f"{k.definition}"]


@renders(ch.DropDomainConstraint)
def _drop_domain_constraint(c: ch.DropDomainConstraint) -> Sequence[str]:
    return [f"ALTER DOMAIN {_domain_name(c.domain_id)} DROP CONSTRAINT "
            f"{quote_ident(c.constraint.name)}"]


@renders(ch.ValidateDomainConstraint)
def _validate_domain_constraint(c: ch.ValidateDomainConstraint) -> Sequence[str]:
    return [f"ALTER DOMAIN {_domain_name(c.domain_id)} VALIDATE CONSTRAINT "
            f"{quote_ident(c.constraint.name)}"]


def _attribute(column: Column) -> str:
    text = f"{quote_ident(column.name)} {column.type}"
    return text + (f" COLLATE {column.collation}" if column.collation is not None else "")


@renders(ch.CreateCompositeType)
def _create_composite(c: ch.CreateCompositeType) -> Sequence[str]:
    attributes = ",\n".join(f"    {_attribute(a)}" for a in c.type.attributes)
    body = f"(\n{attributes}\n)" if attributes else "()"
    return [f"CREATE TYPE {qualified(c.type.schema, c.type.name)} AS {body}"]


@renders(ch.AddAttribute)
def _add_attribute(c: ch.AddAttribute) -> Sequence[str]:
    return [f"ALTER TYPE {ref(c.type_id)} ADD ATTRIBUTE {_attribute(c.attribute)}"]


@renders(ch.DropAttribute)
def _drop_attribute(c: ch.DropAttribute) -> Sequence[str]:
    return [f"ALTER TYPE {ref(c.type_id)} DROP ATTRIBUTE {quote_ident(c.attribute.name)}"]


@renders(ch.AlterAttributeType)
def _alter_attribute(c: ch.AlterAttributeType) -> Sequence[str]:
    collate = f" COLLATE {c.new.collation}" if c.new.collation is not None else ""
    return [f"ALTER TYPE {ref(c.type_id)} ALTER ATTRIBUTE {quote_ident(c.new.name)} "
            f"TYPE {c.new.type}{collate}"]


@renders(ch.CreateRange)
def _create_range(c: ch.CreateRange) -> Sequence[str]:
    r = c.type
    options = [f"SUBTYPE = {r.subtype}"]
    for key, value in (("SUBTYPE_OPCLASS", r.subtype_opclass), ("COLLATION", r.collation),
                       ("CANONICAL", r.canonical), ("SUBTYPE_DIFF", r.subtype_diff),
                       ("MULTIRANGE_TYPE_NAME", r.multirange_name)):
        if value is not None:
            options.append(f"{key} = {value}")
    return [f"CREATE TYPE {qualified(r.schema, r.name)} AS RANGE ({', '.join(options)})"]


_PROVIDERS = {"c": "libc", "i": "icu", "d": "default"}


@renders(ch.CreateCollation)
def _create_collation(c: ch.CreateCollation) -> Sequence[str]:
    k = c.collation
    options = [f"provider = {_PROVIDERS.get(k.provider, k.provider)}"]
    if k.provider == "i":
        options.append(f"locale = {quote_literal(k.locale or '')}")
        if k.rules:
            options.append(f"rules = {quote_literal(k.rules)}")
    else:
        options.append(f"lc_collate = {quote_literal(k.lc_collate or '')}")
        options.append(f"lc_ctype = {quote_literal(k.lc_ctype or '')}")
    if not k.deterministic:
        options.append("deterministic = false")
    return [f"CREATE COLLATION {qualified(k.schema, k.name)} ({', '.join(options)})"]


@renders(ch.DropCollation)
def _drop_collation(c: ch.DropCollation) -> Sequence[str]:
    return [f"DROP COLLATION {qualified(c.collation.schema, c.collation.name)}"]
