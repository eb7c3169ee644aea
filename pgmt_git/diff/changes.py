"""The Change types: the pivot between deciding what differs and writing SQL for it.

A change carries the object values render needs, its hazards, and what ordering needs:

- ``drops``: ids it removes from the database;
- ``creates``: ids it brings into existence;
- ``alters``: ids it changes in place;
- ``requires``: ids that must already be in their final shape (beyond the dependencies of
  the target catalog, which ordering reads itself);
- ``precedes_drop_of``: ids whose drop must wait for this change.

An id a change does not name is covered by its nearest named ancestor: dropping a table
drops its columns, constraints and indexes.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from pgmt_git.diff.hazards import Hazard
from pgmt_git.diff.model import (
    Collation,
    Column,
    CompositeType,
    Constraint,
    DefaultPrivileges,
    Domain,
    DomainConstraint,
    EnumType,
    EventTrigger,
    Extension,
    Function,
    Identity,
    Index,
    Kind,
    MaterializedView,
    ObjectId,
    Policy,
    RangeType,
    ReplicaIdentity,
    Schema,
    Sequence,
    Table,
    Trigger,
    View,
    column_id,
)

__all__ = [
    "CreateCollation", "CreateRange", "DropCollation",
    "AlterOwner", "AttachPartition", "DetachPartition",
    "AlterDefaultPrivileges", "CreateEventTrigger", "DropEventTrigger", "Grant", "Revoke",
    "SetEventTriggerEnabled",
    "AddAttribute", "AddDomainConstraint", "AlterAttributeType", "AlterPolicy",
    "CreateCompositeType", "CreateDomain", "CreatePolicy", "CreateTrigger", "DropAttribute",
    "DropDomainConstraint", "DropPolicy", "DropTrigger", "SetDomainDefault",
    "SetDomainNotNull", "SetTriggerEnabled", "ValidateDomainConstraint",
    "AddColumn", "AddConstraint", "AddEnumValue", "AddIdentity", "AlterColumnType",
    "AlterConstraintDeferrable", "AlterExtension", "AlterIdentity", "AlterSequence", "Change",
    "ColumnRetype", "CreateEnum", "CreateExtension", "CreateFunction", "CreateIndex",
    "CreateSchema", "CreateSequence", "CreateTable", "CreateView", "DropColumn",
    "DropColumnExpression", "DropConstraint", "DropExtension", "DropFunction", "DropIdentity",
    "DropIndex", "DropSchema", "DropSequence", "DropTable", "DropType", "DropView", "Phase",
    "RebuildEnum", "SetColumnDefault", "SetColumnNotNull", "SetComment", "SetForceRowSecurity",
    "SetReplicaIdentity", "SetRowSecurity", "SetSequenceOwnedBy", "SetTableLogged",
    "SetTableOptions", "ValidateConstraint",
]

Ids = tuple[ObjectId, ...]


class Phase(enum.IntEnum):
    """Tie-break between changes free to go in any order: drops first (they free names),
    then alterations, then creations, then comments."""

    DROP = 0
    ALTER = 1
    CREATE = 2
    COMMENT = 3


@dataclass(frozen=True)
class Change:
    hazards: tuple[Hazard, ...] = field(default=(), kw_only=True)

    @property
    def id(self) -> ObjectId:
        """The object the change is about (for sorting, messages and JSON)."""
        raise NotImplementedError

    @property
    def drops(self) -> Ids:
        return ()

    @property
    def creates(self) -> Ids:
        return ()

    @property
    def alters(self) -> Ids:
        return ()

    @property
    def requires(self) -> Ids:
        return ()

    @property
    def precedes_drop_of(self) -> Ids:
        return ()

    @property
    def only_removes(self) -> bool:
        """An alteration that takes something away (DROP DEFAULT, DROP IDENTITY): it needs
        nothing new, so it does not wait for the target's dependencies."""
        return False

    @property
    def phase(self) -> Phase:
        if self.creates:
            return Phase.CREATE
        if self.alters:
            return Phase.ALTER
        return Phase.DROP if self.drops else Phase.COMMENT

    @property
    def action(self) -> str:
        """``create_table``, ``drop_column``, ...: the change type for JSON and summaries."""
        name = type(self).__name__
        return "".join(f"_{c.lower()}" if c.isupper() else c for c in name).lstrip("_")


# --------------------------------------------------------------------------- schemas


@dataclass(frozen=True)
class CreateSchema(Change):
    schema: Schema

    @property
    def id(self) -> ObjectId:
        return self.schema.id

    @property
    def creates(self) -> Ids:
        return (self.id,)


@dataclass(frozen=True)
class DropSchema(Change):
    schema: Schema

    @property
    def id(self) -> ObjectId:
        return self.schema.id

    @property
    def drops(self) -> Ids:
        return (self.id,)


# --------------------------------------------------------------------------- extensions


@dataclass(frozen=True)
class CreateExtension(Change):
    extension: Extension

    @property
    def id(self) -> ObjectId:
        return self.extension.id

    @property
    def creates(self) -> Ids:
        return (self.id,)


@dataclass(frozen=True)
class DropExtension(Change):
    extension: Extension

    @property
    def id(self) -> ObjectId:
        return self.extension.id

    @property
    def drops(self) -> Ids:
        return (self.id,)


@dataclass(frozen=True)
class AlterExtension(Change):
    """``UPDATE TO`` a new version and/or ``SET SCHEMA``."""

    old: Extension
    new: Extension

    @property
    def id(self) -> ObjectId:
        return self.new.id

    @property
    def alters(self) -> Ids:
        return (self.id,)


# --------------------------------------------------------------------------- types


@dataclass(frozen=True)
class CreateEnum(Change):
    type: EnumType

    @property
    def id(self) -> ObjectId:
        return self.type.id

    @property
    def creates(self) -> Ids:
        return (self.id,)


@dataclass(frozen=True)
class CreateRange(Change):
    type: RangeType

    @property
    def id(self) -> ObjectId:
        return self.type.id

    @property
    def creates(self) -> Ids:
        return (self.id,)


@dataclass(frozen=True)
class CreateCollation(Change):
    collation: Collation

    @property
    def id(self) -> ObjectId:
        return self.collation.id

    @property
    def creates(self) -> Ids:
        return (self.id,)


@dataclass(frozen=True)
class DropCollation(Change):
    collation: Collation

    @property
    def id(self) -> ObjectId:
        return self.collation.id

    @property
    def drops(self) -> Ids:
        return (self.id,)


@dataclass(frozen=True)
class DropType(Change):
    type: EnumType | CompositeType | Domain | RangeType

    @property
    def id(self) -> ObjectId:
        return self.type.id

    @property
    def drops(self) -> Ids:
        return (self.id,)


@dataclass(frozen=True)
class AddEnumValue(Change):
    """``ALTER TYPE ... ADD VALUE``: usable only once committed, so rendered as a statement
    that must commit before the next one."""

    type_id: ObjectId
    label: str
    before: str | None = None
    after: str | None = None

    @property
    def id(self) -> ObjectId:
        return self.type_id

    @property
    def alters(self) -> Ids:
        return (self.type_id,)


@dataclass(frozen=True)
class ColumnRetype:
    """A table column moved to a rebuilt type: its default is dropped first and set again."""

    table: ObjectId
    column: Column
    old_default: str | None = None

    @property
    def id(self) -> ObjectId:
        return column_id(self.table, self.column.name)


@dataclass(frozen=True)
class RebuildEnum(Change):
    """Labels removed or reordered: rename the old type away, create the new one, move every
    column over through text, drop the old type."""

    old: EnumType
    new: EnumType
    columns: tuple[ColumnRetype, ...] = ()

    @property
    def id(self) -> ObjectId:
        return self.new.id

    @property
    def alters(self) -> Ids:
        return (self.id, *(c.id for c in self.columns))


# --------------------------------------------------------------------------- sequences


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


# --------------------------------------------------------------------------- tables


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

    @property
    def only_removes(self) -> bool:
        return self.default is None


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


# --------------------------------------------------------------------------- constraints


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


# --------------------------------------------------------------------------- indexes


@dataclass(frozen=True)
class CreateIndex(Change):
    index: Index

    @property
    def id(self) -> ObjectId:
        return self.index.id

    @property
    def creates(self) -> Ids:
        return (self.id,)


@dataclass(frozen=True)
class DropIndex(Change):
    index: Index

    @property
    def id(self) -> ObjectId:
        return self.index.id

    @property
    def drops(self) -> Ids:
        return (self.id,)


# --------------------------------------------------------------------------- views


@dataclass(frozen=True)
class CreateView(Change):
    """CREATE VIEW, or CREATE OR REPLACE VIEW over an existing one (``replace``)."""

    view: View | MaterializedView
    replace: bool = False

    @property
    def id(self) -> ObjectId:
        return self.view.id

    @property
    def creates(self) -> Ids:
        if self.replace:
            return ()
        return (self.id, *(column_id(self.id, c.name) for c in self.view.columns))

    @property
    def alters(self) -> Ids:
        if not self.replace:
            return ()
        return (self.id, *(column_id(self.id, c.name) for c in self.view.columns))


@dataclass(frozen=True)
class DropView(Change):
    view: View | MaterializedView

    @property
    def id(self) -> ObjectId:
        return self.view.id

    @property
    def drops(self) -> Ids:
        return (self.id, *(column_id(self.id, c.name) for c in self.view.columns))


# --------------------------------------------------------------------------- routines


@dataclass(frozen=True)
class CreateFunction(Change):
    function: Function
    replace: bool = False

    @property
    def id(self) -> ObjectId:
        return self.function.id

    @property
    def creates(self) -> Ids:
        return () if self.replace else (self.id,)

    @property
    def alters(self) -> Ids:
        return (self.id,) if self.replace else ()


@dataclass(frozen=True)
class DropFunction(Change):
    function: Function

    @property
    def id(self) -> ObjectId:
        return self.function.id

    @property
    def drops(self) -> Ids:
        return (self.id,)


# --------------------------------------------------------------------------- domains


@dataclass(frozen=True)
class CreateDomain(Change):
    domain: Domain

    @property
    def id(self) -> ObjectId:
        return self.domain.id

    @property
    def creates(self) -> Ids:
        return (self.id,)


@dataclass(frozen=True)
class _DomainChange(Change):
    domain_id: ObjectId

    @property
    def id(self) -> ObjectId:
        return self.domain_id

    @property
    def alters(self) -> Ids:
        return (self.domain_id,)


@dataclass(frozen=True)
class SetDomainDefault(_DomainChange):
    default: str | None = field(kw_only=True)

    @property
    def only_removes(self) -> bool:
        return self.default is None


@dataclass(frozen=True)
class SetDomainNotNull(_DomainChange):
    not_null: bool = field(kw_only=True)

    @property
    def only_removes(self) -> bool:
        return not self.not_null


@dataclass(frozen=True)
class AddDomainConstraint(_DomainChange):
    constraint: DomainConstraint = field(kw_only=True)


@dataclass(frozen=True)
class DropDomainConstraint(_DomainChange):
    constraint: DomainConstraint = field(kw_only=True)

    @property
    def only_removes(self) -> bool:
        return True


@dataclass(frozen=True)
class ValidateDomainConstraint(_DomainChange):
    constraint: DomainConstraint = field(kw_only=True)


# --------------------------------------------------------------------------- composite types


@dataclass(frozen=True)
class CreateCompositeType(Change):
    type: CompositeType

    @property
    def id(self) -> ObjectId:
        return self.type.id

    @property
    def creates(self) -> Ids:
        return (self.id, *(column_id(self.id, a.name) for a in self.type.attributes))


@dataclass(frozen=True)
class AddAttribute(Change):
    type_id: ObjectId
    attribute: Column

    @property
    def id(self) -> ObjectId:
        return column_id(self.type_id, self.attribute.name)

    @property
    def creates(self) -> Ids:
        return (self.id,)


@dataclass(frozen=True)
class DropAttribute(Change):
    type_id: ObjectId
    attribute: Column

    @property
    def id(self) -> ObjectId:
        return column_id(self.type_id, self.attribute.name)

    @property
    def drops(self) -> Ids:
        return (self.id,)


@dataclass(frozen=True)
class AlterAttributeType(Change):
    type_id: ObjectId
    old: Column
    new: Column

    @property
    def id(self) -> ObjectId:
        return column_id(self.type_id, self.new.name)

    @property
    def alters(self) -> Ids:
        return (self.id,)


# --------------------------------------------------------------------------- triggers


@dataclass(frozen=True)
class CreateTrigger(Change):
    """CREATE TRIGGER, or CREATE OR REPLACE TRIGGER over an existing one (``replace``);
    then its enabled state when it is not the default."""

    trigger: Trigger
    replace: bool = False

    @property
    def id(self) -> ObjectId:
        return self.trigger.id

    @property
    def creates(self) -> Ids:
        return () if self.replace else (self.id,)

    @property
    def alters(self) -> Ids:
        return (self.id,) if self.replace else ()


@dataclass(frozen=True)
class DropTrigger(Change):
    trigger: Trigger

    @property
    def id(self) -> ObjectId:
        return self.trigger.id

    @property
    def drops(self) -> Ids:
        return (self.id,)


@dataclass(frozen=True)
class SetTriggerEnabled(Change):
    """ENABLE [REPLICA | ALWAYS] / DISABLE TRIGGER."""

    trigger: Trigger

    @property
    def id(self) -> ObjectId:
        return self.trigger.id

    @property
    def alters(self) -> Ids:
        return (self.id,)


# --------------------------------------------------------------------------- policies


@dataclass(frozen=True)
class CreatePolicy(Change):
    policy: Policy

    @property
    def id(self) -> ObjectId:
        return self.policy.id

    @property
    def creates(self) -> Ids:
        return (self.id,)


@dataclass(frozen=True)
class DropPolicy(Change):
    policy: Policy

    @property
    def id(self) -> ObjectId:
        return self.policy.id

    @property
    def drops(self) -> Ids:
        return (self.id,)


@dataclass(frozen=True)
class AlterPolicy(Change):
    """ALTER POLICY: roles, USING and WITH CHECK (command and permissiveness cannot change
    in place)."""

    old: Policy
    new: Policy

    @property
    def id(self) -> ObjectId:
        return self.new.id

    @property
    def alters(self) -> Ids:
        return (self.id,)


# --------------------------------------------------------------------------- privileges


@dataclass(frozen=True)
class Grant(Change):
    """GRANT ``privileges`` on ``target`` (a column: a column privilege) to ``grantee``
    (empty: PUBLIC)."""

    target: ObjectId
    grantee: str
    privileges: tuple[str, ...]
    grantable: bool = False

    @property
    def id(self) -> ObjectId:
        return self.target

    @property
    def requires(self) -> Ids:
        return (self.target,)

    @property
    def phase(self) -> Phase:
        return Phase.COMMENT


@dataclass(frozen=True)
class Revoke(Change):
    """REVOKE ``privileges`` (or only their grant option) on ``target`` from ``grantee``."""

    target: ObjectId
    grantee: str
    privileges: tuple[str, ...]
    grant_option_only: bool = False

    @property
    def id(self) -> ObjectId:
        return self.target

    @property
    def requires(self) -> Ids:
        return (self.target,)

    @property
    def phase(self) -> Phase:
        return Phase.COMMENT


@dataclass(frozen=True)
class AlterDefaultPrivileges(Change):
    """ALTER DEFAULT PRIVILEGES ... GRANT (``grant``) or REVOKE."""

    entry: DefaultPrivileges
    grantee: str
    privileges: tuple[str, ...]
    grant: bool
    grantable: bool = False

    @property
    def id(self) -> ObjectId:
        return self.entry.id

    @property
    def requires(self) -> Ids:
        return (ObjectId(Kind.SCHEMA, "", self.entry.schema),) if self.entry.schema else ()

    @property
    def phase(self) -> Phase:
        return Phase.COMMENT


# --------------------------------------------------------------------------- event triggers


@dataclass(frozen=True)
class CreateEventTrigger(Change):
    trigger: EventTrigger

    @property
    def id(self) -> ObjectId:
        return self.trigger.id

    @property
    def creates(self) -> Ids:
        return (self.id,)


@dataclass(frozen=True)
class DropEventTrigger(Change):
    trigger: EventTrigger

    @property
    def id(self) -> ObjectId:
        return self.trigger.id

    @property
    def drops(self) -> Ids:
        return (self.id,)


@dataclass(frozen=True)
class SetEventTriggerEnabled(Change):
    trigger: EventTrigger

    @property
    def id(self) -> ObjectId:
        return self.trigger.id

    @property
    def alters(self) -> Ids:
        return (self.id,)


# --------------------------------------------------------------------------- ownership


@dataclass(frozen=True)
class AlterOwner(Change):
    """ALTER ... OWNER TO (only when ownership is managed: DiffOptions.owners)."""

    target: ObjectId
    owner: str

    @property
    def id(self) -> ObjectId:
        return self.target

    @property
    def requires(self) -> Ids:
        return (self.target,)

    @property
    def phase(self) -> Phase:
        return Phase.COMMENT


# --------------------------------------------------------------------------- comments


@dataclass(frozen=True)
class SetComment(Change):
    """``COMMENT ON ... IS`` text, or ``IS NULL`` to remove it."""

    target: ObjectId
    comment: str | None

    @property
    def id(self) -> ObjectId:
        return self.target

    @property
    def requires(self) -> Ids:
        return (self.target,)
