"""Changes to sequences, tables, columns, partitions, constraints and indexes."""

from __future__ import annotations

from dataclasses import dataclass, field

from pgmt_git.diff.changes.base import Change, Ids, Phase
from pgmt_git.diff.model import (
    Column,
    Constraint,
    Identity,
    Index,
    Kind,
    ObjectId,
    ReplicaIdentity,
    Sequence,
    Table,
    column_id,
)


@dataclass(frozen=True)
class CreateSequence(Change):
    sequence: Sequence

    @property
    def id(self) -> ObjectId:
        return self.sequence.id

    @property
    def creates(self) -> Ids:
        return (self.id,)


@dataclass(frozen=True)
class DropSequence(Change):
    sequence: Sequence

    @property
    def id(self) -> ObjectId:
        return self.sequence.id

    @property
    def drops(self) -> Ids:
        return (self.id,)


@dataclass(frozen=True)
class AlterSequence(Change):
    old: Sequence
    new: Sequence

    @property
    def id(self) -> ObjectId:
        return self.new.id

    @property
    def alters(self) -> Ids:
        return (self.id,)


@dataclass(frozen=True)
class SetSequenceOwnedBy(Change):
    """``OWNED BY column`` or ``OWNED BY NONE``. Not an alteration others wait for: a column
    default uses the sequence before the sequence may be owned by that column."""

    sequence_id: ObjectId
    owned_by: ObjectId | None
    previous: ObjectId | None = None

    @property
    def id(self) -> ObjectId:
        return self.sequence_id

    @property
    def requires(self) -> Ids:
        return (self.sequence_id,) + ((self.owned_by,) if self.owned_by else ())

    @property
    def precedes_drop_of(self) -> Ids:
        return (self.previous,) if self.previous else ()

    @property
    def phase(self) -> Phase:
        return Phase.ALTER


@dataclass(frozen=True)
class CreateTable(Change):
    table: Table

    @property
    def id(self) -> ObjectId:
        return self.table.id

    @property
    def creates(self) -> Ids:
        return (self.id, *(column_id(self.id, c.name) for c in self.table.columns))


@dataclass(frozen=True)
class DropTable(Change):
    """Drops the table, its columns and children, and the sequences its columns own."""

    table: Table
    owned_sequences: Ids = ()

    @property
    def id(self) -> ObjectId:
        return self.table.id

    @property
    def drops(self) -> Ids:
        columns = (column_id(self.id, c.name) for c in self.table.columns)
        return (self.id, *columns, *self.owned_sequences)


@dataclass(frozen=True)
class _ColumnChange(Change):
    table_id: ObjectId
    column_name: str

    @property
    def id(self) -> ObjectId:
        return column_id(self.table_id, self.column_name)

    @property
    def alters(self) -> Ids:
        return (self.id,)


@dataclass(frozen=True)
class AddColumn(Change):
    table_id: ObjectId
    column: Column

    @property
    def id(self) -> ObjectId:
        return column_id(self.table_id, self.column.name)

    @property
    def creates(self) -> Ids:
        return (self.id,)


@dataclass(frozen=True)
class DropColumn(Change):
    table_id: ObjectId
    column: Column
    owned_sequences: Ids = ()

    @property
    def id(self) -> ObjectId:
        return column_id(self.table_id, self.column.name)

    @property
    def drops(self) -> Ids:
        return (self.id, *self.owned_sequences)


@dataclass(frozen=True)
class AlterColumnType(_ColumnChange):
    old: Column = field(kw_only=True)
    new: Column = field(kw_only=True)
    using: str | None = field(default=None, kw_only=True)


@dataclass(frozen=True)
class SetColumnDefault(_ColumnChange):
    default: str | None = field(kw_only=True)  # None: DROP DEFAULT
    # What the old default used and is about to be dropped (a function recreated under
    # the same name): the default goes first, though the new one uses the same name again.
    releases: tuple[ObjectId, ...] = field(default=(), kw_only=True)

    @property
    def only_removes(self) -> bool:
        return self.default is None

    @property
    def precedes_drop_of(self) -> Ids:
        return self.releases


@dataclass(frozen=True)
class SetColumnNotNull(_ColumnChange):
    not_null: bool = field(kw_only=True)

    @property
    def only_removes(self) -> bool:
        return not self.not_null


def identity_sequence_id(identity: Identity) -> ObjectId:
    """The name an identity column's sequence takes (it is not a catalog object of its own,
    but it occupies a relation name)."""
    return ObjectId(Kind.SEQUENCE, identity.sequence_schema, identity.sequence_name)


@dataclass(frozen=True)
class AddIdentity(_ColumnChange):
    identity: Identity = field(kw_only=True)

    @property
    def creates(self) -> Ids:
        return (identity_sequence_id(self.identity),)

    @property
    def phase(self) -> Phase:
        return Phase.ALTER


@dataclass(frozen=True)
class DropIdentity(_ColumnChange):
    identity: Identity = field(kw_only=True)

    @property
    def drops(self) -> Ids:
        return (identity_sequence_id(self.identity),)

    @property
    def only_removes(self) -> bool:
        return True


@dataclass(frozen=True)
class AlterIdentity(_ColumnChange):
    old: Identity = field(kw_only=True)
    new: Identity = field(kw_only=True)

    @property
    def drops(self) -> Ids:
        if self.old.sequence_name == self.new.sequence_name:
            return ()
        return (identity_sequence_id(self.old),)

    @property
    def creates(self) -> Ids:
        if self.old.sequence_name == self.new.sequence_name:
            return ()
        return (identity_sequence_id(self.new),)

    @property
    def phase(self) -> Phase:
        return Phase.ALTER


@dataclass(frozen=True)
class DropColumnExpression(_ColumnChange):
    """A stored generated column becomes a plain one (its values stay)."""

    @property
    def only_removes(self) -> bool:
        return True


@dataclass(frozen=True)
class _TableChange(Change):
    """A table-level setting: needs the table, and nothing else waits for it (so it never
    holds back the table's own columns, constraints or indexes)."""

    table_id: ObjectId

    @property
    def id(self) -> ObjectId:
        return self.table_id

    @property
    def requires(self) -> Ids:
        return (self.table_id,)

    @property
    def phase(self) -> Phase:
        return Phase.ALTER


@dataclass(frozen=True)
class SetTableLogged(_TableChange):
    unlogged: bool = field(kw_only=True)


@dataclass(frozen=True)
class SetTableOptions(_TableChange):
    set: tuple[str, ...] = field(default=(), kw_only=True)  # name=value
    reset: tuple[str, ...] = field(default=(), kw_only=True)  # names


@dataclass(frozen=True)
class SetIndexOptions(Change):
    """``ALTER INDEX ... SET / RESET (storage parameters)`` of a standalone index, or of
    the index of a primary key, unique or exclusion constraint (``index_id`` is then the
    constraint's: its index has its name)."""

    index_id: ObjectId
    set: tuple[str, ...] = field(default=(), kw_only=True)  # name=value
    reset: tuple[str, ...] = field(default=(), kw_only=True)  # names

    @property
    def id(self) -> ObjectId:
        return self.index_id

    @property
    def alters(self) -> Ids:
        return (self.index_id,)


@dataclass(frozen=True)
class SetRowSecurity(_TableChange):
    enabled: bool = field(kw_only=True)


@dataclass(frozen=True)
class SetForceRowSecurity(_TableChange):
    forced: bool = field(kw_only=True)


@dataclass(frozen=True)
class SetReplicaIdentity(_TableChange):
    identity: ReplicaIdentity = field(kw_only=True)
    index_name: str | None = field(default=None, kw_only=True)
    index_id: ObjectId | None = field(default=None, kw_only=True)

    @property
    def requires(self) -> Ids:
        return (self.table_id,) + ((self.index_id,) if self.index_id else ())


@dataclass(frozen=True)
class AttachPartition(_TableChange):
    parent: ObjectId = field(kw_only=True)
    bound: str = field(kw_only=True)

    @property
    def requires(self) -> Ids:
        return (self.table_id, self.parent)


@dataclass(frozen=True)
class DetachPartition(_TableChange):
    """DETACH PARTITION, before the old parent (which would take the partition along) is
    dropped."""

    parent: ObjectId = field(kw_only=True)

    @property
    def requires(self) -> Ids:
        return ()

    @property
    def precedes_drop_of(self) -> Ids:
        return (self.parent,)


@dataclass(frozen=True)
class AddConstraint(Change):
    constraint: Constraint

    @property
    def id(self) -> ObjectId:
        return self.constraint.id

    @property
    def creates(self) -> Ids:
        return (self.id,)


@dataclass(frozen=True)
class DropConstraint(Change):
    constraint: Constraint

    @property
    def id(self) -> ObjectId:
        return self.constraint.id

    @property
    def drops(self) -> Ids:
        return (self.id,)


@dataclass(frozen=True)
class ValidateConstraint(Change):
    constraint: Constraint

    @property
    def id(self) -> ObjectId:
        return self.constraint.id

    @property
    def alters(self) -> Ids:
        return (self.id,)


@dataclass(frozen=True)
class AlterConstraintDeferrable(Change):
    """``ALTER CONSTRAINT ... [NOT] DEFERRABLE [INITIALLY ...]`` (foreign keys only)."""

    constraint: Constraint

    @property
    def id(self) -> ObjectId:
        return self.constraint.id

    @property
    def alters(self) -> Ids:
        return (self.id,)


@dataclass(frozen=True)
class CreateIndex(Change):
    """CREATE INDEX, CONCURRENTLY when ``concurrently`` (outside a transaction)."""

    index: Index
    concurrently: bool = False

    @property
    def id(self) -> ObjectId:
        return self.index.id

    @property
    def creates(self) -> Ids:
        return (self.id,)

    @property
    def transactional(self) -> bool:
        return not self.concurrently


@dataclass(frozen=True)
class DropIndex(Change):
    index: Index
    concurrently: bool = False

    @property
    def transactional(self) -> bool:
        return not self.concurrently

    @property
    def id(self) -> ObjectId:
        return self.index.id

    @property
    def drops(self) -> Ids:
        return (self.id,)
