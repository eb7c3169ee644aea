"""Enum, domain, composite and range types; collations."""

from __future__ import annotations

from collections.abc import Sequence

from pgmt_git.diff import changes as ch
from pgmt_git.diff.model import Column, Kind, ObjectId
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


def rebuild_temporary_name(name: str) -> str:
    """The old type's name while columns move to the new one (63 bytes at most)."""
    suffix = "__pgmt_old"
    encoded = name.encode("utf-8")[: 63 - len(suffix)]
    return encoded.decode("utf-8", errors="ignore") + suffix


@renders(ch.RebuildEnum)
def _rebuild_enum(c: ch.RebuildEnum) -> Sequence[str]:
    old_name = rebuild_temporary_name(c.old.name)
    type_name = qualified(c.new.schema, c.new.name)
    out = [f"ALTER TYPE {type_name} RENAME TO {quote_ident(old_name)}",
           *_create_enum(ch.CreateEnum(c.new))]
    for retype in c.columns:
        column = retype.column
        name = quote_ident(column.name)
        array = "[]" * column.type.count("[]")
        if retype.old_default is not None:
            out.append(alter_column(retype.table, column.name, "DROP DEFAULT"))
        out.append(alter_column(
            retype.table, column.name,
            f"TYPE {column.type} USING {name}::text{array}::{column.type}"))
        if column.default is not None:
            out.append(alter_column(retype.table, column.name,
                                     f"SET DEFAULT {column.default}"))
    out.append(f"DROP TYPE {qualified(c.old.schema, old_name)}")
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
