"""Tables and their columns; table-level settings (logged, reloptions, row level security,
replica identity). Constraints and indexes are their own kinds."""

from __future__ import annotations

import re

from pgmt_git.diff import changes as ch
from pgmt_git.diff.hazards import Hazard, HazardKind
from pgmt_git.diff.kinds.children import create_children
from pgmt_git.diff.kinds.column_types import (  # needs_using: imported from here too
    Conversion,
    binary_coercible,
    conversion,
    element_type,
    is_array,
    narrowing,
    needs_using,
    using_expression,
)
from pgmt_git.diff.kinds.context import DiffContext
from pgmt_git.diff.kinds.storage import option_changes
from pgmt_git.diff.model import (
    Column,
    Constraint,
    Kind,
    ObjectId,
    ReplicaIdentity,
    Sequence,
    SequenceOptions,
    Table,
    column_id,
)


def diff_tables(ctx: DiffContext) -> None:
    pairs = ctx.pairs(Kind.TABLE)
    for old in pairs.dropped:
        assert isinstance(old, Table)
        owned = tuple(seq for column in old.columns
                      for seq in ctx.owned_sequences.get(column_id(old.id, column.name), ()))
        hazard = Hazard(HazardKind.DATA_LOSS, f"table {old.name} and its rows are dropped")
        ctx.emit(ch.DropTable(old, owned, hazards=(hazard,)))
    for new in pairs.added:
        assert isinstance(new, Table)
        ctx.emit(ch.CreateTable(new))
        _replica_identity(ctx, None, new)
        ctx.comments_of_created(new)
    kept = [(old, new) for old, new in pairs.kept
            if isinstance(old, Table) and isinstance(new, Table)]
    for old, new in kept:
        if old.partition_key != new.partition_key and new.id not in ctx.recreated:
            recreate_table(ctx, old, new)
    for old, new in kept:
        if new.id in ctx.recreated:
            continue
        _diff_partition(ctx, old, new)
        _diff_columns(ctx, old, new)
        _diff_settings(ctx, old, new)
        ctx.comment(new.id, old.comment, new.comment)


def _diff_partition(ctx: DiffContext, old: Table, new: Table) -> None:
    if (old.partition_of, old.partition_bound) == (new.partition_of, new.partition_bound):
        return
    if old.partition_of is not None and old.partition_of not in ctx.recreated:
        ctx.emit(ch.DetachPartition(new.id, parent=old.partition_of))
    if new.partition_of is not None and new.partition_bound is not None:
        hazard = Hazard(HazardKind.LONG_LOCK, f"attaching {new.name} scans it for rows "
                        "outside the bound (a matching CHECK constraint avoids that)")
        ctx.emit(ch.AttachPartition(new.id, parent=new.partition_of,
                                    bound=new.partition_bound, hazards=(hazard,)))


def recreate_table(ctx: DiffContext, old: Table, new: Table) -> None:
    """A table whose partitioning changes is dropped and created again, with its
    constraints, indexes, triggers, policies and partitions; sequences its columns own are
    released first and owned again afterwards, so the drop does not take them."""
    owned = _sequences_owned_by(ctx, old.id)
    for previous, current in owned:
        ctx.emit(ch.SetSequenceOwnedBy(current.id, None, previous.owned_by))
    hazard = Hazard(HazardKind.DATA_LOSS,
                    f"{new.name} is dropped and created again: its rows are lost")
    ctx.emit(ch.DropTable(old, hazards=(hazard,)))
    ctx.emit(ch.CreateTable(new))
    _replica_identity(ctx, None, new)
    ctx.comments_of_created(new)
    ctx.recreated.add(new.id)
    for _, current in owned:
        if current.owned_by is not None:
            ctx.emit(ch.SetSequenceOwnedBy(current.id, current.owned_by))
    create_children(ctx, new.id)
    for old_partition, partition in _partitions(ctx, new.id):
        if partition.id not in ctx.recreated:
            recreate_table(ctx, old_partition, partition)


def _sequences_owned_by(ctx: DiffContext, table: ObjectId) -> list[tuple[Sequence, Sequence]]:
    """(old, new) of the sequences kept by the target that a column of ``table`` owns."""
    found = []
    for current in ctx.new.of_kind(Kind.SEQUENCE):
        previous = ctx.old.get(current.id)
        if (isinstance(current, Sequence) and isinstance(previous, Sequence)
                and previous.owned_by is not None and previous.owned_by.parent == table):
            found.append((previous, current))
    return found


def _partitions(ctx: DiffContext, parent: ObjectId) -> list[tuple[Table, Table]]:
    """(old, new) of the tables the target has as partitions of ``parent``."""
    found = []
    for partition in ctx.new.of_kind(Kind.TABLE):
        previous = ctx.old.get(partition.id)
        if (isinstance(partition, Table) and isinstance(previous, Table)
                and partition.partition_of == parent):
            found.append((previous, partition))
    return found


# --------------------------------------------------------------------------- settings


def _diff_settings(ctx: DiffContext, old: Table, new: Table) -> None:
    if old.unlogged != new.unlogged:
        hazard = Hazard(HazardKind.TABLE_REWRITE,
                        f"SET {'UNLOGGED' if new.unlogged else 'LOGGED'} rewrites {new.name}")
        ctx.emit(ch.SetTableLogged(new.id, unlogged=new.unlogged, hazards=(hazard,)))
    if old.reloptions != new.reloptions:
        set_, reset = option_changes(old.reloptions, new.reloptions)
        ctx.emit(ch.SetTableOptions(new.id, set=set_, reset=reset))
    if old.rls_enabled != new.rls_enabled:
        ctx.emit(ch.SetRowSecurity(new.id, enabled=new.rls_enabled))
    if old.rls_forced != new.rls_forced:
        ctx.emit(ch.SetForceRowSecurity(new.id, forced=new.rls_forced))
    _replica_identity(ctx, old, new)


def _replica_identity(ctx: DiffContext, old: Table | None, new: Table) -> None:
    before = ((old.replica_identity, old.replica_identity_index) if old is not None
              else (ReplicaIdentity.DEFAULT, None))
    after = (new.replica_identity, new.replica_identity_index)
    if before == after:
        return
    index_id = None
    if new.replica_identity is ReplicaIdentity.INDEX and new.replica_identity_index:
        index_id = _index_named(ctx, new.id, new.replica_identity_index)
    ctx.emit(ch.SetReplicaIdentity(new.id, identity=new.replica_identity,
                                   index_name=new.replica_identity_index, index_id=index_id))


def _index_named(ctx: DiffContext, table: ObjectId, name: str) -> ObjectId | None:
    """The index or the index-backed constraint called ``name`` on ``table``."""
    for child in ctx.new.children(table):
        obj = ctx.new[child]
        if child.kind is Kind.INDEX and child.name == name:
            return child
        if isinstance(obj, Constraint) and obj.has_index and obj.name == name:
            return child
    return None


# --------------------------------------------------------------------------- columns


def _diff_columns(ctx: DiffContext, old: Table, new: Table) -> None:
    """Columns a parent table gives (a partition's, an inheritance child's) change with
    the parent, so they are left alone here."""
    if old.columns == new.columns:
        return
    old_columns = {c.name: c for c in old.columns}
    new_columns = {c.name: c for c in new.columns}
    for column in old.columns:
        if column.name not in new_columns and not column.inherited:
            _drop_column(ctx, old.id, column)
    for position, column in enumerate(new.columns):
        previous = old_columns.get(column.name)
        if previous is None:
            if not column.inherited:
                later = next((c.name for c in new.columns[position + 1:]
                              if c.name in old_columns), None)
                _add_column(ctx, new.id, column, before=later)
        elif previous != column and not (column.inherited or previous.inherited):
            _diff_column(ctx, new.id, previous, column)


def _drop_column(ctx: DiffContext, table: ObjectId, column: Column) -> None:
    owned = tuple(ctx.owned_sequences.get(column_id(table, column.name), ()))
    hazard = Hazard(HazardKind.DATA_LOSS, f"column {table.name}.{column.name} is dropped")
    ctx.emit(ch.DropColumn(table, column, owned, hazards=(hazard,)))


def _add_column(ctx: DiffContext, table: ObjectId, column: Column, *,
                before: str | None = None) -> None:
    """``before``: an existing column the target has after this one (it will not be)."""
    hazards = []
    if before is not None:
        hazards.append(Hazard(HazardKind.COLUMN_ORDER,
                              f"{column.name} goes at the end of {table.name}, not before "
                              f"{before}"))
    if column.identity is not None or column.generated is not None or (
            column.default is not None and _volatile(column.default)):
        hazards.append(Hazard(HazardKind.TABLE_REWRITE,
                              f"adding {column.name} fills every row of {table.name}"))
    if column.not_null and column.default is None and column.identity is None and (
            column.generated is None):
        hazards.append(Hazard(HazardKind.MAY_FAIL,
                              f"NOT NULL {column.name} without a default fails on rows"))
    ctx.emit(ch.AddColumn(table, column, hazards=tuple(hazards)))
    if column.comment is not None:
        ctx.emit(ch.SetComment(column_id(table, column.name), column.comment))


def _diff_column(ctx: DiffContext, table: ObjectId, old: Column, new: Column) -> None:
    """The steps of one column's change, in the order PostgreSQL needs them."""
    cid = column_id(table, new.name)
    if old.generated != new.generated and new.generated is not None:
        _replace_column(ctx, table, old, new)
        return
    moved = cid in ctx.rebuilt_columns
    retype = not moved and (old.type, old.collation) != (new.type, new.collation)
    default_changes = not moved and old.default != new.default
    if old.generated is not None and new.generated is None:
        ctx.emit(ch.DropColumnExpression(table, new.name))
    if old.default is not None and (default_changes or (retype and new.default is not None)):
        ctx.emit(ch.SetColumnDefault(table, new.name, default=None))
    if old.identity is not None and new.identity is None:
        ctx.emit(ch.DropIdentity(table, new.name, identity=old.identity))
    if retype:
        _retype(ctx, table, old, new)
    if old.not_null != new.not_null:
        hazards = ((Hazard(HazardKind.LONG_LOCK, f"SET NOT NULL scans {table.name} under an "
                           "ACCESS EXCLUSIVE lock"),
                    Hazard(HazardKind.MAY_FAIL, f"fails if {new.name} holds NULLs"))
                   if new.not_null else ())
        ctx.emit(ch.SetColumnNotNull(table, new.name, not_null=new.not_null, hazards=hazards))
    if new.identity is not None and old.identity is None:
        ctx.emit(ch.AddIdentity(table, new.name, identity=new.identity))
    elif new.identity is not None and old.identity is not None and old.identity != new.identity:
        _alter_identity(ctx, table, old, new)
    if new.default is not None and (default_changes or (retype and old.default is not None)):
        ctx.emit(ch.SetColumnDefault(table, new.name, default=new.default))
    ctx.comment(cid, old.comment, new.comment)


def _alter_identity(ctx: DiffContext, table: ObjectId, old: Column, new: Column) -> None:
    assert old.identity is not None and new.identity is not None
    if old.identity.sequence_schema != new.identity.sequence_schema:
        # The identity sequence cannot move schema in place: drop and add the identity.
        ctx.emit(ch.DropIdentity(table, new.name, identity=old.identity))
        ctx.emit(ch.AddIdentity(table, new.name, identity=new.identity))
        return
    ctx.emit(ch.AlterIdentity(table, new.name, old=old.identity, new=new.identity,
                              hazards=sequence_bound_hazards(old.identity.options,
                                                             new.identity.options)))


def _replace_column(ctx: DiffContext, table: ObjectId, old: Column, new: Column) -> None:
    """A generation expression cannot be added or changed in place (PostgreSQL 15/16): the
    column is dropped and added again, at the end of the table."""
    hazards = [Hazard(HazardKind.TABLE_REWRITE, f"{table.name}.{new.name} is recomputed")]
    if old.generated is None:
        hazards.append(Hazard(HazardKind.DATA_LOSS,
                              f"the values of {table.name}.{new.name} are replaced"))
    ctx.emit(ch.DropColumn(table, old, hazards=tuple(hazards)))
    ctx.emit(ch.AddColumn(table, new))
    ctx.recreated.add(column_id(table, new.name))
    if new.comment is not None:
        ctx.emit(ch.SetComment(column_id(table, new.name), new.comment))


def _retype(ctx: DiffContext, table: ObjectId, old: Column, new: Column) -> None:
    ctx.retyped.add(column_id(table, new.name))
    ctx.emit(ch.AlterColumnType(table, new.name, old=old, new=new,
                                using=using_expression(new.name, old.type, new.type),
                                hazards=_retype_hazards(table, old, new)))


def _retype_hazards(table: ObjectId, old: Column, new: Column) -> tuple[Hazard, ...]:
    where = f"{table.name}.{new.name}"
    hazards: list[Hazard] = []
    if not binary_coercible(old.type, new.type) or old.collation != new.collation:
        hazards.append(Hazard(HazardKind.TABLE_REWRITE, f"changing the type of {where} "
                              "rewrites the table and its indexes"))
    if narrowing(old.type, new.type):
        hazards.append(Hazard(HazardKind.DATA_LOSS,
                              f"{old.type} -> {new.type} may lose precision or length"))
    if is_array(old.type) and not is_array(new.type):
        hazards.append(Hazard(HazardKind.DATA_LOSS, f"{where} keeps only the first element "
                              "of each array (NULL for an empty one)"))
    if conversion(old.type, new.type) is Conversion.THROUGH_TEXT:
        hazards.append(Hazard(HazardKind.MAY_FAIL, f"no cast from {old.type} to {new.type}: "
                              f"values of {where} go through their text form, and fail "
                              f"unless it reads as {new.type}"))
    elif not binary_coercible(element_type(old.type), element_type(new.type)):
        hazards.append(Hazard(HazardKind.MAY_FAIL,
                              f"values of {new.name} that do not convert make it fail"))
    return tuple(hazards)


def sequence_bound_hazards(old: SequenceOptions, new: SequenceOptions) -> tuple[Hazard, ...]:
    if new.min_value > old.min_value or new.max_value < old.max_value:
        return (Hazard(HazardKind.MAY_FAIL, "a narrower range fails if the sequence's current "
                       "value is outside it"),)
    return ()


_VOLATILE = re.compile(r"\b(nextval|random|gen_random_uuid|uuid_generate_v\d|clock_timestamp|"
                       r"timeofday|txid_current)\s*\(", re.IGNORECASE)


def _volatile(expression: str) -> bool:
    return bool(_VOLATILE.search(expression))
