"""Changes to enum, domain, composite and range types, and collations."""

from __future__ import annotations

from dataclasses import dataclass, field

from pgmt_git.diff.changes.base import Change, Ids
from pgmt_git.diff.model import (
    Collation,
    Column,
    CompositeType,
    Domain,
    DomainConstraint,
    EnumType,
    ObjectId,
    RangeType,
    column_id,
)


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
