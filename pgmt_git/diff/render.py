"""Change -> SQL. One small function per change type, in a table keyed by the type.

Every name goes through :mod:`pgmt_git.diff.quoting`; texts PostgreSQL deparsed itself
(types, expressions, constraint and index definitions, view and function bodies) are used
verbatim, because they were read with an empty search_path and are already quoted and
qualified.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

from pgmt_git.diff import changes as ch
from pgmt_git.diff.model import (
    Column,
    EventTrigger,
    Function,
    FunctionKind,
    Identity,
    Kind,
    MaterializedView,
    ObjectId,
    ReplicaIdentity,
    SequenceOptions,
    Trigger,
    View,
)
from pgmt_git.diff.quoting import qualified, quote_ident, quote_ident_list, quote_literal

__all__ = ["Statement", "ref", "render_sql", "render_statements"]


@dataclass(frozen=True)
class Statement:
    """One SQL statement (no trailing semicolon). ``commit_after``: what it makes is usable
    only once committed (``ALTER TYPE ... ADD VALUE``), so it ends its transaction."""

    sql: str
    change: ch.Change
    commit_after: bool = False


def render_statements(changes: Iterable[ch.Change]) -> tuple[Statement, ...]:
    out: list[Statement] = []
    for change in changes:
        renderer = _RENDERERS.get(type(change))
        if renderer is None:
            raise TypeError(f"no SQL rendering for {type(change).__name__}")
        commit_after = isinstance(change, ch.AddEnumValue)
        out.extend(Statement(sql, change, commit_after) for sql in renderer(change))
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


# --------------------------------------------------------------------------- names


def ref(oid: ObjectId) -> str:
    """How DDL names ``oid``: ``s.t``, ``s.f(integer)``, ``c ON s.t``, ``s.t.col``."""
    if oid.kind in (Kind.SCHEMA, Kind.EXTENSION, Kind.EVENT_TRIGGER):
        return quote_ident(oid.name)
    if oid.kind is Kind.COLUMN and oid.parent is not None:
        return f"{ref(oid.parent)}.{quote_ident(oid.name)}"
    if oid.kind in (Kind.CONSTRAINT, Kind.TRIGGER, Kind.POLICY) and oid.parent is not None:
        on = "DOMAIN " if oid.parent.kind is Kind.DOMAIN else ""
        return f"{quote_ident(oid.name)} ON {on}{ref(oid.parent)}"
    if oid.kind.is_routine:
        return f"{qualified(oid.schema, oid.name)}({oid.args})"
    return qualified(oid.schema, oid.name)


_COMMENT_KEYWORDS = {
    Kind.ENUM: "TYPE", Kind.COMPOSITE: "TYPE", Kind.RANGE: "TYPE", Kind.DOMAIN: "DOMAIN",
}


def _object_keyword(kind: Kind) -> str:
    return _COMMENT_KEYWORDS.get(kind, kind.value.upper())


def _table(oid: ObjectId) -> str:
    return qualified(oid.schema, oid.name)


def _alter_column(table: ObjectId, column: str, action: str) -> str:
    return f"ALTER TABLE {_table(table)} ALTER COLUMN {quote_ident(column)} {action}"


# --------------------------------------------------------------------------- renderers

Render = Callable[[ch.Change], Sequence[str]]
_RENDERERS: dict[type, Render] = {}


def _renders(change_type: type) -> Callable[[Render], Render]:
    def register(fn: Render) -> Render:
        _RENDERERS[change_type] = fn
        return fn
    return register


@_renders(ch.CreateSchema)
def _create_schema(c: ch.CreateSchema) -> Sequence[str]:
    return [f"CREATE SCHEMA {quote_ident(c.schema.name)}"]


@_renders(ch.DropSchema)
def _drop_schema(c: ch.DropSchema) -> Sequence[str]:
    return [f"DROP SCHEMA {quote_ident(c.schema.name)}"]


@_renders(ch.CreateExtension)
def _create_extension(c: ch.CreateExtension) -> Sequence[str]:
    e = c.extension
    return [f"CREATE EXTENSION {quote_ident(e.name)} WITH SCHEMA {quote_ident(e.schema)} "
            f"VERSION {quote_literal(e.version)}"]


@_renders(ch.DropExtension)
def _drop_extension(c: ch.DropExtension) -> Sequence[str]:
    return [f"DROP EXTENSION {quote_ident(c.extension.name)}"]


@_renders(ch.AlterExtension)
def _alter_extension(c: ch.AlterExtension) -> Sequence[str]:
    name = quote_ident(c.new.name)
    out = []
    if c.old.schema != c.new.schema:
        out.append(f"ALTER EXTENSION {name} SET SCHEMA {quote_ident(c.new.schema)}")
    if c.old.version != c.new.version:
        out.append(f"ALTER EXTENSION {name} UPDATE TO {quote_literal(c.new.version)}")
    return out


@_renders(ch.CreateEnum)
def _create_enum(c: ch.CreateEnum) -> Sequence[str]:
    labels = ", ".join(quote_literal(label) for label in c.type.labels)
    return [f"CREATE TYPE {qualified(c.type.schema, c.type.name)} AS ENUM ({labels})"]


@_renders(ch.DropType)
def _drop_type(c: ch.DropType) -> Sequence[str]:
    keyword = "DOMAIN" if c.type.id.kind is Kind.DOMAIN else "TYPE"
    return [f"DROP {keyword} {qualified(c.type.schema, c.type.name)}"]


@_renders(ch.AddEnumValue)
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


@_renders(ch.RebuildEnum)
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
            out.append(_alter_column(retype.table, column.name, "DROP DEFAULT"))
        out.append(_alter_column(
            retype.table, column.name,
            f"TYPE {column.type} USING {name}::text{array}::{column.type}"))
        if column.default is not None:
            out.append(_alter_column(retype.table, column.name,
                                     f"SET DEFAULT {column.default}"))
    out.append(f"DROP TYPE {qualified(c.old.schema, old_name)}")
    return out


def _sequence_options(o: SequenceOptions, *, with_type: bool = True) -> str:
    parts = [f"AS {o.data_type}"] if with_type else []
    parts += [f"START WITH {o.start}", f"INCREMENT BY {o.increment}",
              f"MINVALUE {o.min_value}", f"MAXVALUE {o.max_value}", f"CACHE {o.cache}",
              "CYCLE" if o.cycle else "NO CYCLE"]
    return " ".join(parts)


@_renders(ch.CreateSequence)
def _create_sequence(c: ch.CreateSequence) -> Sequence[str]:
    s = c.sequence
    unlogged = "UNLOGGED " if s.unlogged else ""
    return [f"CREATE {unlogged}SEQUENCE {qualified(s.schema, s.name)} "
            f"{_sequence_options(s.options)}"]


@_renders(ch.DropSequence)
def _drop_sequence(c: ch.DropSequence) -> Sequence[str]:
    return [f"DROP SEQUENCE {qualified(c.sequence.schema, c.sequence.name)}"]


def _changed_sequence_options(old: SequenceOptions, new: SequenceOptions) -> list[str]:
    parts = []
    if old.data_type != new.data_type:
        parts.append(f"AS {new.data_type}")
    if old.start != new.start:
        parts.append(f"START WITH {new.start}")
    if old.increment != new.increment:
        parts.append(f"INCREMENT BY {new.increment}")
    # A new data type resets default bounds, so bounds are stated whenever the type changes.
    if old.min_value != new.min_value or old.data_type != new.data_type:
        parts.append(f"MINVALUE {new.min_value}")
    if old.max_value != new.max_value or old.data_type != new.data_type:
        parts.append(f"MAXVALUE {new.max_value}")
    if old.cache != new.cache:
        parts.append(f"CACHE {new.cache}")
    if old.cycle != new.cycle:
        parts.append("CYCLE" if new.cycle else "NO CYCLE")
    return parts


@_renders(ch.AlterSequence)
def _alter_sequence(c: ch.AlterSequence) -> Sequence[str]:
    name = qualified(c.new.schema, c.new.name)
    out = []
    parts = _changed_sequence_options(c.old.options, c.new.options)
    if parts:
        out.append(f"ALTER SEQUENCE {name} {' '.join(parts)}")
    if c.old.unlogged != c.new.unlogged:
        out.append(f"ALTER SEQUENCE {name} SET {'UNLOGGED' if c.new.unlogged else 'LOGGED'}")
    return out


@_renders(ch.SetSequenceOwnedBy)
def _set_owned_by(c: ch.SetSequenceOwnedBy) -> Sequence[str]:
    owner = ref(c.owned_by) if c.owned_by is not None else "NONE"
    return [f"ALTER SEQUENCE {ref(c.sequence_id)} OWNED BY {owner}"]


def _identity_clause(identity: Identity) -> str:
    generated = "ALWAYS" if identity.always else "BY DEFAULT"
    options = _sequence_options(identity.options, with_type=False)
    name = qualified(identity.sequence_schema, identity.sequence_name)
    return f"GENERATED {generated} AS IDENTITY (SEQUENCE NAME {name} {options})"


def column_definition(column: Column) -> str:
    parts = [quote_ident(column.name), column.type]
    if column.collation is not None:
        parts.append(f"COLLATE {column.collation}")
    if column.generated is not None:
        parts.append(f"GENERATED ALWAYS AS ({column.generated}) STORED")
    elif column.default is not None:
        parts.append(f"DEFAULT {column.default}")
    if column.not_null:
        parts.append("NOT NULL")
    if column.identity is not None:
        parts.append(_identity_clause(column.identity))
    return " ".join(parts)


@_renders(ch.CreateTable)
def _create_table(c: ch.CreateTable) -> Sequence[str]:
    t = c.table
    name = _table(t.id)
    unlogged = "UNLOGGED " if t.unlogged else ""
    if t.partition_of is not None:
        body = f"PARTITION OF {_table(t.partition_of)} {t.partition_bound}"
    else:
        columns = ",\n".join(f"    {column_definition(col)}" for col in t.columns)
        body = f"(\n{columns}\n)" if columns else "()"
        if t.inherits:
            body += f" INHERITS ({', '.join(_table(p) for p in t.inherits)})"
    sql = f"CREATE {unlogged}TABLE {name} {body}"
    if t.partition_key is not None:
        sql += f" PARTITION BY {t.partition_key}"
    if t.reloptions:
        sql += f" WITH ({', '.join(t.reloptions)})"
    out = [sql]
    if t.rls_enabled:
        out.append(f"ALTER TABLE {name} ENABLE ROW LEVEL SECURITY")
    if t.rls_forced:
        out.append(f"ALTER TABLE {name} FORCE ROW LEVEL SECURITY")
    return out


@_renders(ch.DropTable)
def _drop_table(c: ch.DropTable) -> Sequence[str]:
    return [f"DROP TABLE {_table(c.table.id)}"]


@_renders(ch.AddColumn)
def _add_column(c: ch.AddColumn) -> Sequence[str]:
    return [f"ALTER TABLE {_table(c.table_id)} ADD COLUMN {column_definition(c.column)}"]


@_renders(ch.DropColumn)
def _drop_column(c: ch.DropColumn) -> Sequence[str]:
    return [f"ALTER TABLE {_table(c.table_id)} DROP COLUMN {quote_ident(c.column.name)}"]


@_renders(ch.AlterColumnType)
def _alter_column_type(c: ch.AlterColumnType) -> Sequence[str]:
    action = f"TYPE {c.new.type}"
    if c.new.collation is not None:
        action += f" COLLATE {c.new.collation}"
    if c.using is not None:
        action += f" USING {c.using}"
    return [_alter_column(c.table_id, c.column_name, action)]


@_renders(ch.SetColumnDefault)
def _set_default(c: ch.SetColumnDefault) -> Sequence[str]:
    action = "DROP DEFAULT" if c.default is None else f"SET DEFAULT {c.default}"
    return [_alter_column(c.table_id, c.column_name, action)]


@_renders(ch.SetColumnNotNull)
def _set_not_null(c: ch.SetColumnNotNull) -> Sequence[str]:
    return [_alter_column(c.table_id, c.column_name,
                          "SET NOT NULL" if c.not_null else "DROP NOT NULL")]


@_renders(ch.AddIdentity)
def _add_identity(c: ch.AddIdentity) -> Sequence[str]:
    return [_alter_column(c.table_id, c.column_name, f"ADD {_identity_clause(c.identity)}")]


@_renders(ch.DropIdentity)
def _drop_identity(c: ch.DropIdentity) -> Sequence[str]:
    return [_alter_column(c.table_id, c.column_name, "DROP IDENTITY")]


@_renders(ch.AlterIdentity)
def _alter_identity(c: ch.AlterIdentity) -> Sequence[str]:
    out = []
    if c.old.sequence_name != c.new.sequence_name:
        old = qualified(c.old.sequence_schema, c.old.sequence_name)
        out.append(f"ALTER SEQUENCE {old} RENAME TO {quote_ident(c.new.sequence_name)}")
    parts = []
    if c.old.always != c.new.always:
        parts.append(f"SET GENERATED {'ALWAYS' if c.new.always else 'BY DEFAULT'}")
    # The identity sequence's type follows the column's: only the other options are set.
    new_options = replace(c.new.options, data_type=c.old.options.data_type)
    parts += [f"SET {part}" for part in _changed_sequence_options(c.old.options, new_options)]
    if parts:
        out.append(_alter_column(c.table_id, c.column_name, " ".join(parts)))
    return out


@_renders(ch.DropColumnExpression)
def _drop_expression(c: ch.DropColumnExpression) -> Sequence[str]:
    return [_alter_column(c.table_id, c.column_name, "DROP EXPRESSION")]


@_renders(ch.SetTableLogged)
def _set_logged(c: ch.SetTableLogged) -> Sequence[str]:
    return [f"ALTER TABLE {_table(c.table_id)} SET {'UNLOGGED' if c.unlogged else 'LOGGED'}"]


@_renders(ch.SetTableOptions)
def _set_options(c: ch.SetTableOptions) -> Sequence[str]:
    out = []
    if c.reset:
        out.append(f"ALTER TABLE {_table(c.table_id)} RESET ({', '.join(c.reset)})")
    if c.set:
        out.append(f"ALTER TABLE {_table(c.table_id)} SET ({', '.join(c.set)})")
    return out


@_renders(ch.SetRowSecurity)
def _set_rls(c: ch.SetRowSecurity) -> Sequence[str]:
    verb = "ENABLE" if c.enabled else "DISABLE"
    return [f"ALTER TABLE {_table(c.table_id)} {verb} ROW LEVEL SECURITY"]


@_renders(ch.SetForceRowSecurity)
def _set_force_rls(c: ch.SetForceRowSecurity) -> Sequence[str]:
    verb = "FORCE" if c.forced else "NO FORCE"
    return [f"ALTER TABLE {_table(c.table_id)} {verb} ROW LEVEL SECURITY"]


@_renders(ch.SetReplicaIdentity)
def _set_replica_identity(c: ch.SetReplicaIdentity) -> Sequence[str]:
    what = {ReplicaIdentity.DEFAULT: "DEFAULT", ReplicaIdentity.NOTHING: "NOTHING",
            ReplicaIdentity.FULL: "FULL"}.get(c.identity)
    if what is None:
        what = f"USING INDEX {quote_ident(c.index_name or '')}"
    return [f"ALTER TABLE {_table(c.table_id)} REPLICA IDENTITY {what}"]


@_renders(ch.AttachPartition)
def _attach_partition(c: ch.AttachPartition) -> Sequence[str]:
    return [f"ALTER TABLE {_table(c.parent)} ATTACH PARTITION {_table(c.table_id)} {c.bound}"]


@_renders(ch.DetachPartition)
def _detach_partition(c: ch.DetachPartition) -> Sequence[str]:
    return [f"ALTER TABLE {_table(c.parent)} DETACH PARTITION {_table(c.table_id)}"]


@_renders(ch.AddConstraint)
def _add_constraint(c: ch.AddConstraint) -> Sequence[str]:
    k = c.constraint
    return [f"ALTER TABLE {_table(k.parent)} ADD CONSTRAINT {quote_ident(k.name)} "
            f"{k.definition}"]


@_renders(ch.DropConstraint)
def _drop_constraint(c: ch.DropConstraint) -> Sequence[str]:
    k = c.constraint
    return [f"ALTER TABLE {_table(k.parent)} DROP CONSTRAINT {quote_ident(k.name)}"]


@_renders(ch.ValidateConstraint)
def _validate_constraint(c: ch.ValidateConstraint) -> Sequence[str]:
    k = c.constraint
    return [f"ALTER TABLE {_table(k.parent)} VALIDATE CONSTRAINT {quote_ident(k.name)}"]


@_renders(ch.AlterConstraintDeferrable)
def _alter_deferrable(c: ch.AlterConstraintDeferrable) -> Sequence[str]:
    k = c.constraint
    if k.deferrable:
        mode = f"DEFERRABLE INITIALLY {'DEFERRED' if k.deferred else 'IMMEDIATE'}"
    else:
        mode = "NOT DEFERRABLE"
    return [f"ALTER TABLE {_table(k.parent)} ALTER CONSTRAINT {quote_ident(k.name)} {mode}"]


@_renders(ch.CreateIndex)
def _create_index(c: ch.CreateIndex) -> Sequence[str]:
    # A partitioned table's index reads back as ON ONLY (how pg_dump attaches the
    # partitions' indexes one by one); created without ONLY it covers every partition.
    return [c.index.definition.replace(" ON ONLY ", " ON ", 1)]


@_renders(ch.DropIndex)
def _drop_index(c: ch.DropIndex) -> Sequence[str]:
    return [f"DROP INDEX {qualified(c.index.schema, c.index.name)}"]


def _view_options(options: tuple[str, ...]) -> str:
    return f" WITH ({', '.join(options)})" if options else ""


@_renders(ch.CreateView)
def _create_view(c: ch.CreateView) -> Sequence[str]:
    v = c.view
    name = qualified(v.schema, v.name)
    columns = quote_ident_list([col.name for col in v.columns])
    body = v.definition.rstrip().rstrip(";")
    if isinstance(v, MaterializedView):
        data = "" if v.populated else " WITH NO DATA"
        return [f"CREATE MATERIALIZED VIEW {name} ({columns}){_view_options(v.options)} AS\n"
                f"{body}{data}"]
    assert isinstance(v, View)
    verb = "CREATE OR REPLACE VIEW" if c.replace else "CREATE VIEW"
    return [f"{verb} {name} ({columns}){_view_options(v.options)} AS\n{body}"]


@_renders(ch.DropView)
def _drop_view(c: ch.DropView) -> Sequence[str]:
    keyword = "MATERIALIZED VIEW" if isinstance(c.view, MaterializedView) else "VIEW"
    return [f"DROP {keyword} {qualified(c.view.schema, c.view.name)}"]


@_renders(ch.CreateFunction)
def _create_function(c: ch.CreateFunction) -> Sequence[str]:
    text = c.function.definition.rstrip()
    if not c.replace:
        text = text.replace("CREATE OR REPLACE ", "CREATE ", 1)
    return [text]


@_renders(ch.DropFunction)
def _drop_function(c: ch.DropFunction) -> Sequence[str]:
    return [f"DROP {_routine_keyword(c.function)} {ref(c.function.id)}"]


def _routine_keyword(function: Function) -> str:
    return {FunctionKind.PROCEDURE: "PROCEDURE",
            FunctionKind.AGGREGATE: "AGGREGATE"}.get(function.kind, "FUNCTION")


@_renders(ch.SetComment)
def _set_comment(c: ch.SetComment) -> Sequence[str]:
    text = "NULL" if c.comment is None else quote_literal(c.comment)
    return [f"COMMENT ON {_object_keyword(c.target.kind)} {ref(c.target)} IS {text}"]


# --------------------------------------------------------------------------- domains


def _domain_name(oid: ObjectId) -> str:
    return qualified(oid.schema, oid.name)


@_renders(ch.CreateDomain)
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


@_renders(ch.SetDomainDefault)
def _set_domain_default(c: ch.SetDomainDefault) -> Sequence[str]:
    action = "DROP DEFAULT" if c.default is None else f"SET DEFAULT {c.default}"
    return [f"ALTER DOMAIN {_domain_name(c.domain_id)} {action}"]


@_renders(ch.SetDomainNotNull)
def _set_domain_not_null(c: ch.SetDomainNotNull) -> Sequence[str]:
    action = "SET NOT NULL" if c.not_null else "DROP NOT NULL"
    return [f"ALTER DOMAIN {_domain_name(c.domain_id)} {action}"]


@_renders(ch.AddDomainConstraint)
def _add_domain_constraint(c: ch.AddDomainConstraint) -> Sequence[str]:
    k = c.constraint
    return [f"ALTER DOMAIN {_domain_name(c.domain_id)} ADD CONSTRAINT {quote_ident(k.name)} "
            f"{k.definition}"]


@_renders(ch.DropDomainConstraint)
def _drop_domain_constraint(c: ch.DropDomainConstraint) -> Sequence[str]:
    return [f"ALTER DOMAIN {_domain_name(c.domain_id)} DROP CONSTRAINT "
            f"{quote_ident(c.constraint.name)}"]


@_renders(ch.ValidateDomainConstraint)
def _validate_domain_constraint(c: ch.ValidateDomainConstraint) -> Sequence[str]:
    return [f"ALTER DOMAIN {_domain_name(c.domain_id)} VALIDATE CONSTRAINT "
            f"{quote_ident(c.constraint.name)}"]


# --------------------------------------------------------------------------- composite types


def _attribute(column: Column) -> str:
    text = f"{quote_ident(column.name)} {column.type}"
    return text + (f" COLLATE {column.collation}" if column.collation is not None else "")


@_renders(ch.CreateCompositeType)
def _create_composite(c: ch.CreateCompositeType) -> Sequence[str]:
    attributes = ",\n".join(f"    {_attribute(a)}" for a in c.type.attributes)
    body = f"(\n{attributes}\n)" if attributes else "()"
    return [f"CREATE TYPE {qualified(c.type.schema, c.type.name)} AS {body}"]


@_renders(ch.AddAttribute)
def _add_attribute(c: ch.AddAttribute) -> Sequence[str]:
    return [f"ALTER TYPE {ref(c.type_id)} ADD ATTRIBUTE {_attribute(c.attribute)}"]


@_renders(ch.DropAttribute)
def _drop_attribute(c: ch.DropAttribute) -> Sequence[str]:
    return [f"ALTER TYPE {ref(c.type_id)} DROP ATTRIBUTE {quote_ident(c.attribute.name)}"]


@_renders(ch.AlterAttributeType)
def _alter_attribute(c: ch.AlterAttributeType) -> Sequence[str]:
    collate = f" COLLATE {c.new.collation}" if c.new.collation is not None else ""
    return [f"ALTER TYPE {ref(c.type_id)} ALTER ATTRIBUTE {quote_ident(c.new.name)} "
            f"TYPE {c.new.type}{collate}"]


# --------------------------------------------------------------------------- triggers

_TRIGGER_STATES = {"D": "DISABLE TRIGGER", "R": "ENABLE REPLICA TRIGGER",
                   "A": "ENABLE ALWAYS TRIGGER", "O": "ENABLE TRIGGER"}


def _trigger_state(trigger: Trigger) -> str:
    return (f"ALTER TABLE {_table(trigger.parent)} {_TRIGGER_STATES[trigger.enabled]} "
            f"{quote_ident(trigger.name)}")


@_renders(ch.CreateTrigger)
def _create_trigger(c: ch.CreateTrigger) -> Sequence[str]:
    text = c.trigger.definition
    if c.replace:
        text = text.replace("CREATE TRIGGER ", "CREATE OR REPLACE TRIGGER ", 1)
    out = [text]
    if c.trigger.enabled != "O":
        out.append(_trigger_state(c.trigger))
    return out


@_renders(ch.DropTrigger)
def _drop_trigger(c: ch.DropTrigger) -> Sequence[str]:
    return [f"DROP TRIGGER {ref(c.trigger.id)}"]


@_renders(ch.SetTriggerEnabled)
def _set_trigger_enabled(c: ch.SetTriggerEnabled) -> Sequence[str]:
    return [_trigger_state(c.trigger)]


# --------------------------------------------------------------------------- policies


def _roles(roles: tuple[str, ...]) -> str:
    return ", ".join("PUBLIC" if role == "public" else quote_ident(role) for role in roles)


@_renders(ch.CreatePolicy)
def _create_policy(c: ch.CreatePolicy) -> Sequence[str]:
    p = c.policy
    parts = [f"CREATE POLICY {ref(p.id)}"]
    if not p.permissive:
        parts.append("AS RESTRICTIVE")
    parts.append(f"FOR {p.command} TO {_roles(p.roles)}")
    if p.using is not None:
        parts.append(f"USING ({p.using})")
    if p.with_check is not None:
        parts.append(f"WITH CHECK ({p.with_check})")
    return [" ".join(parts)]


@_renders(ch.DropPolicy)
def _drop_policy(c: ch.DropPolicy) -> Sequence[str]:
    return [f"DROP POLICY {ref(c.policy.id)}"]


@_renders(ch.AlterPolicy)
def _alter_policy(c: ch.AlterPolicy) -> Sequence[str]:
    parts = [f"ALTER POLICY {ref(c.new.id)}"]
    if c.old.roles != c.new.roles:
        parts.append(f"TO {_roles(c.new.roles)}")
    if c.old.using != c.new.using and c.new.using is not None:
        parts.append(f"USING ({c.new.using})")
    if c.old.with_check != c.new.with_check and c.new.with_check is not None:
        parts.append(f"WITH CHECK ({c.new.with_check})")
    return [" ".join(parts)]


# --------------------------------------------------------------------------- privileges

_GRANT_OBJECT = {
    Kind.TABLE: "TABLE", Kind.VIEW: "TABLE", Kind.MATERIALIZED_VIEW: "TABLE",
    Kind.SEQUENCE: "SEQUENCE", Kind.SCHEMA: "SCHEMA", Kind.FUNCTION: "FUNCTION",
    Kind.PROCEDURE: "PROCEDURE", Kind.AGGREGATE: "FUNCTION", Kind.ENUM: "TYPE",
    Kind.COMPOSITE: "TYPE", Kind.RANGE: "TYPE", Kind.DOMAIN: "DOMAIN",
}
_DEFAULT_OBJECTS = {"r": "TABLES", "S": "SEQUENCES", "f": "FUNCTIONS", "T": "TYPES",
                    "n": "SCHEMAS"}


def _grantee(name: str) -> str:
    return "PUBLIC" if name == "" else quote_ident(name)


def _privilege_target(target: ObjectId, privileges: tuple[str, ...]) -> tuple[str, str]:
    """(privilege list, ON clause); a column target makes column privileges."""
    if target.kind is Kind.COLUMN and target.parent is not None:
        column = f" ({quote_ident(target.name)})"
        return (", ".join(p + column for p in privileges),
                f"TABLE {_table(target.parent)}")
    return ", ".join(privileges), f"{_GRANT_OBJECT[target.kind]} {ref(target)}"


@_renders(ch.Grant)
def _grant(c: ch.Grant) -> Sequence[str]:
    privileges, on = _privilege_target(c.target, c.privileges)
    option = " WITH GRANT OPTION" if c.grantable else ""
    return [f"GRANT {privileges} ON {on} TO {_grantee(c.grantee)}{option}"]


@_renders(ch.Revoke)
def _revoke(c: ch.Revoke) -> Sequence[str]:
    privileges, on = _privilege_target(c.target, c.privileges)
    option = "GRANT OPTION FOR " if c.grant_option_only else ""
    return [f"REVOKE {option}{privileges} ON {on} FROM {_grantee(c.grantee)}"]


@_renders(ch.AlterDefaultPrivileges)
def _alter_default_privileges(c: ch.AlterDefaultPrivileges) -> Sequence[str]:
    e = c.entry
    scope = f"FOR ROLE {quote_ident(e.role)}"
    if e.schema:
        scope += f" IN SCHEMA {quote_ident(e.schema)}"
    objects = _DEFAULT_OBJECTS[e.object_type]
    privileges = ", ".join(c.privileges)
    if c.grant:
        option = " WITH GRANT OPTION" if c.grantable else ""
        action = f"GRANT {privileges} ON {objects} TO {_grantee(c.grantee)}{option}"
    else:
        option = "GRANT OPTION FOR " if c.grantable else ""
        action = f"REVOKE {option}{privileges} ON {objects} FROM {_grantee(c.grantee)}"
    return [f"ALTER DEFAULT PRIVILEGES {scope} {action}"]


# --------------------------------------------------------------------------- event triggers

_EVENT_TRIGGER_STATES = {"D": "DISABLE", "R": "ENABLE REPLICA", "A": "ENABLE ALWAYS",
                         "O": "ENABLE"}


@_renders(ch.CreateEventTrigger)
def _create_event_trigger(c: ch.CreateEventTrigger) -> Sequence[str]:
    t = c.trigger
    when = ""
    if t.tags:
        when = f" WHEN TAG IN ({', '.join(quote_literal(tag) for tag in t.tags)})"
    function = qualified(t.function.schema, t.function.name)
    out = [f"CREATE EVENT TRIGGER {quote_ident(t.name)} ON {quote_ident(t.event)}{when} "
           f"EXECUTE FUNCTION {function}()"]
    if t.enabled != "O":
        out.append(_event_trigger_state(t))
    return out


def _event_trigger_state(t: EventTrigger) -> str:
    return f"ALTER EVENT TRIGGER {quote_ident(t.name)} {_EVENT_TRIGGER_STATES[t.enabled]}"


@_renders(ch.DropEventTrigger)
def _drop_event_trigger(c: ch.DropEventTrigger) -> Sequence[str]:
    return [f"DROP EVENT TRIGGER {quote_ident(c.trigger.name)}"]


@_renders(ch.SetEventTriggerEnabled)
def _set_event_trigger_enabled(c: ch.SetEventTriggerEnabled) -> Sequence[str]:
    return [_event_trigger_state(c.trigger)]


# --------------------------------------------------------------------------- ownership

_OWNED_OBJECT = {
    Kind.TABLE: "TABLE", Kind.VIEW: "VIEW", Kind.MATERIALIZED_VIEW: "MATERIALIZED VIEW",
    Kind.SEQUENCE: "SEQUENCE", Kind.SCHEMA: "SCHEMA", Kind.FUNCTION: "FUNCTION",
    Kind.PROCEDURE: "PROCEDURE", Kind.AGGREGATE: "AGGREGATE", Kind.ENUM: "TYPE",
    Kind.COMPOSITE: "TYPE", Kind.RANGE: "TYPE", Kind.DOMAIN: "DOMAIN",
    Kind.COLLATION: "COLLATION",
}


@_renders(ch.AlterOwner)
def _alter_owner(c: ch.AlterOwner) -> Sequence[str]:
    return [f"ALTER {_OWNED_OBJECT[c.target.kind]} {ref(c.target)} OWNER TO "
            f"{quote_ident(c.owner)}"]


# --------------------------------------------------------------------------- ranges, collations


@_renders(ch.CreateRange)
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


@_renders(ch.CreateCollation)
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


@_renders(ch.DropCollation)
def _drop_collation(c: ch.DropCollation) -> Sequence[str]:
    return [f"DROP COLLATION {qualified(c.collation.schema, c.collation.name)}"]
