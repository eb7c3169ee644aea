"""Sequences, tables, columns, partitions, constraints and indexes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from pgmt_git.diff import changes as ch
from pgmt_git.diff.model import Column, Identity, ReplicaIdentity, SequenceOptions
from pgmt_git.diff.quoting import qualified, quote_ident
from pgmt_git.diff.sql.common import (
    alter_column,
    ref,
    renders,
    storage_parameter_names,
    storage_parameters,
    table_name,
)


def _sequence_options(o: SequenceOptions, *, with_type: bool = True) -> str:
    parts = [f"AS {o.data_type}"] if with_type else []
    parts += [f"START WITH {o.start}", f"INCREMENT BY {o.increment}",
              f"MINVALUE {o.min_value}", f"MAXVALUE {o.max_value}", f"CACHE {o.cache}",
              "CYCLE" if o.cycle else "NO CYCLE"]
    return " ".join(parts)


@renders(ch.CreateSequence)
def _create_sequence(c: ch.CreateSequence) -> Sequence[str]:
    s = c.sequence
    unlogged = "UNLOGGED " if s.unlogged else ""
    return [f"CREATE {unlogged}SEQUENCE {qualified(s.schema, s.name)} "
            f"{_sequence_options(s.options)}"]


@renders(ch.DropSequence)
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


@renders(ch.AlterSequence)
def _alter_sequence(c: ch.AlterSequence) -> Sequence[str]:
    name = qualified(c.new.schema, c.new.name)
    out = []
    parts = _changed_sequence_options(c.old.options, c.new.options)
    if parts:
        out.append(f"ALTER SEQUENCE {name} {' '.join(parts)}")
    if c.old.unlogged != c.new.unlogged:
        out.append(f"ALTER SEQUENCE {name} SET {'UNLOGGED' if c.new.unlogged else 'LOGGED'}")
    return out


@renders(ch.SetSequenceOwnedBy)
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


@renders(ch.CreateTable)
def _create_table(c: ch.CreateTable) -> Sequence[str]:
    t = c.table
    name = table_name(t.id)
    unlogged = "UNLOGGED " if t.unlogged else ""
    if t.partition_of is not None:
        body = f"PARTITION OF {table_name(t.partition_of)} {t.partition_bound}"
    else:
        columns = ",\n".join(f"    {column_definition(col)}" for col in t.columns
                              if not col.inherited)  # the parents give the others
        body = f"(\n{columns}\n)" if columns else "()"
        if t.inherits:
            body += f" INHERITS ({', '.join(table_name(p) for p in t.inherits)})"
    sql = f"CREATE {unlogged}TABLE {name} {body}"
    if t.partition_key is not None:
        sql += f" PARTITION BY {t.partition_key}"
    if t.reloptions:
        sql += f" WITH ({storage_parameters(t.reloptions)})"
    out = [sql]
    if t.rls_enabled:
        out.append(f"ALTER TABLE {name} ENABLE ROW LEVEL SECURITY")
    if t.rls_forced:
        out.append(f"ALTER TABLE {name} FORCE ROW LEVEL SECURITY")
    return out


@renders(ch.DropTable)
def _drop_table(c: ch.DropTable) -> Sequence[str]:
    return [f"DROP TABLE {table_name(c.table.id)}"]


@renders(ch.AddColumn)
def _add_column(c: ch.AddColumn) -> Sequence[str]:
    return [f"ALTER TABLE {table_name(c.table_id)} ADD COLUMN {column_definition(c.column)}"]


@renders(ch.DropColumn)
def _drop_column(c: ch.DropColumn) -> Sequence[str]:
    return [f"ALTER TABLE {table_name(c.table_id)} DROP COLUMN {quote_ident(c.column.name)}"]


@renders(ch.AlterColumnType)
def _alter_column_type(c: ch.AlterColumnType) -> Sequence[str]:
    action = f"TYPE {c.new.type}"
    if c.new.collation is not None:
        action += f" COLLATE {c.new.collation}"
    if c.using is not None:
        action += f" USING {c.using}"
    return [alter_column(c.table_id, c.column_name, action)]


@renders(ch.SetColumnDefault)
def _set_default(c: ch.SetColumnDefault) -> Sequence[str]:
    action = "DROP DEFAULT" if c.default is None else f"SET DEFAULT {c.default}"
    return [alter_column(c.table_id, c.column_name, action)]


@renders(ch.SetColumnNotNull)
def _set_not_null(c: ch.SetColumnNotNull) -> Sequence[str]:
    return [alter_column(c.table_id, c.column_name,
                          "SET NOT NULL" if c.not_null else "DROP NOT NULL")]


@renders(ch.AddIdentity)
def _add_identity(c: ch.AddIdentity) -> Sequence[str]:
    return [alter_column(c.table_id, c.column_name, f"ADD {_identity_clause(c.identity)}")]


@renders(ch.DropIdentity)
def _drop_identity(c: ch.DropIdentity) -> Sequence[str]:
    return [alter_column(c.table_id, c.column_name, "DROP IDENTITY")]


@renders(ch.AlterIdentity)
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
        out.append(alter_column(c.table_id, c.column_name, " ".join(parts)))
    return out


@renders(ch.DropColumnExpression)
def _drop_expression(c: ch.DropColumnExpression) -> Sequence[str]:
    return [alter_column(c.table_id, c.column_name, "DROP EXPRESSION")]


@renders(ch.SetTableLogged)
def _set_logged(c: ch.SetTableLogged) -> Sequence[str]:
    return [f"ALTER TABLE {table_name(c.table_id)} SET {'UNLOGGED' if c.unlogged else 'LOGGED'}"]


def _set_storage_parameters(target: str, set_: tuple[str, ...], reset: tuple[str, ...]
                            ) -> list[str]:
    """RESET before SET: a SET appends what it names after the options it keeps."""
    out = []
    if reset:
        out.append(f"{target} RESET ({storage_parameter_names(reset)})")
    if set_:
        out.append(f"{target} SET ({storage_parameters(set_)})")
    return out


@renders(ch.SetTableOptions)
def _set_options(c: ch.SetTableOptions) -> Sequence[str]:
    return _set_storage_parameters(f"ALTER TABLE {table_name(c.table_id)}", c.set, c.reset)


@renders(ch.SetIndexOptions)
def _set_index_options(c: ch.SetIndexOptions) -> Sequence[str]:
    name = qualified(c.index_id.schema, c.index_id.name)
    return _set_storage_parameters(f"ALTER INDEX {name}", c.set, c.reset)


@renders(ch.SetRowSecurity)
def _set_rls(c: ch.SetRowSecurity) -> Sequence[str]:
    verb = "ENABLE" if c.enabled else "DISABLE"
    return [f"ALTER TABLE {table_name(c.table_id)} {verb} ROW LEVEL SECURITY"]


@renders(ch.SetForceRowSecurity)
def _set_force_rls(c: ch.SetForceRowSecurity) -> Sequence[str]:
    verb = "FORCE" if c.forced else "NO FORCE"
    return [f"ALTER TABLE {table_name(c.table_id)} {verb} ROW LEVEL SECURITY"]


@renders(ch.SetReplicaIdentity)
def _set_replica_identity(c: ch.SetReplicaIdentity) -> Sequence[str]:
    what = {ReplicaIdentity.DEFAULT: "DEFAULT", ReplicaIdentity.NOTHING: "NOTHING",
            ReplicaIdentity.FULL: "FULL"}.get(c.identity)
    if what is None:
        what = f"USING INDEX {quote_ident(c.index_name or '')}"
    return [f"ALTER TABLE {table_name(c.table_id)} REPLICA IDENTITY {what}"]


@renders(ch.AttachPartition)
def _attach_partition(c: ch.AttachPartition) -> Sequence[str]:
    return [f"ALTER TABLE {table_name(c.parent)} ATTACH PARTITION {table_name(c.table_id)} "
            f"{c.bound}"]


@renders(ch.DetachPartition)
def _detach_partition(c: ch.DetachPartition) -> Sequence[str]:
    return [f"ALTER TABLE {table_name(c.parent)} DETACH PARTITION {table_name(c.table_id)}"]


@renders(ch.AddConstraint)
def _add_constraint(c: ch.AddConstraint) -> Sequence[str]:
    k = c.constraint
    return [f"ALTER TABLE {table_name(k.parent)} ADD CONSTRAINT {quote_ident(k.name)} "
            f"{k.definition}"]


@renders(ch.DropConstraint)
def _drop_constraint(c: ch.DropConstraint) -> Sequence[str]:
    k = c.constraint
    return [f"ALTER TABLE {table_name(k.parent)} DROP CONSTRAINT {quote_ident(k.name)}"]


@renders(ch.ValidateConstraint)
def _validate_constraint(c: ch.ValidateConstraint) -> Sequence[str]:
    k = c.constraint
    return [f"ALTER TABLE {table_name(k.parent)} VALIDATE CONSTRAINT {quote_ident(k.name)}"]


@renders(ch.AlterConstraintDeferrable)
def _alter_deferrable(c: ch.AlterConstraintDeferrable) -> Sequence[str]:
    k = c.constraint
    if k.deferrable:
        mode = f"DEFERRABLE INITIALLY {'DEFERRED' if k.deferred else 'IMMEDIATE'}"
    else:
        mode = "NOT DEFERRABLE"
    return [f"ALTER TABLE {table_name(k.parent)} ALTER CONSTRAINT {quote_ident(k.name)} {mode}"]


@renders(ch.CreateIndex)
def _create_index(c: ch.CreateIndex) -> Sequence[str]:
    # A partitioned table's index reads back as ON ONLY (how pg_dump attaches the
    # partitions' indexes one by one); created without ONLY it covers every partition.
    text = c.index.definition.replace(" ON ONLY ", " ON ", 1)
    if c.concurrently:
        text = text.replace(" INDEX ", " INDEX CONCURRENTLY ", 1)
    return [text]


@renders(ch.DropIndex)
def _drop_index(c: ch.DropIndex) -> Sequence[str]:
    concurrently = "CONCURRENTLY " if c.concurrently else ""
    return [f"DROP INDEX {concurrently}{qualified(c.index.schema, c.index.name)}"]
