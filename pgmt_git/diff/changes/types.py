"""Changes to enum, domain, composite and range types, and collations."""

from __future__ import annotations

import enum
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
class _TypeChange(Change):
    """A change of a type (or domain) in place."""

    type_id: ObjectId

    @property
    def id(self) -> ObjectId:
        return self.type_id

    @property
    def alters(self) -> Ids:
        return (self.type_id,)


@dataclass(frozen=True)
class AddEnumValue(_TypeChange):
    """``ALTER TYPE ... ADD VALUE``: usable only once committed, so rendered as a statement
    that must commit before the next one."""

    label: str
    before: str | None = None
    after: str | None = None


@dataclass(frozen=True)
class RenameEnumValue(_TypeChange):
    """``ALTER TYPE ... RENAME VALUE``: rows holding the label read the new one."""

    label: str
    new_label: str


class Carry(enum.Enum):
    """How a column moves to a rebuilt type."""

    TEXT = "text"  # through its text form: no cast joins an enum, composite or range to
    # its rebuilt self
    CAST = "cast"  # an explicit cast: a domain's old base type to its new one
    COLLATE = "collate"  # the same type under the rebuilt collation: no USING


@dataclass(frozen=True)
class ColumnRetype:
    """A table column moved to a rebuilt type: its default is dropped first and set again."""

    table: ObjectId
    column: Column
    old_default: str | None = None
    carry: Carry = Carry.TEXT
    # Its default uses something else recreated: changes of their own drop it before that
    # and set it after, so the rebuild leaves it alone (and is not what establishes it).
    default_apart: bool = False

    @property
    def id(self) -> ObjectId:
        return column_id(self.table, self.column.name)


Rebuildable = EnumType | Domain | CompositeType | RangeType | Collation


@dataclass(frozen=True)
class RebuildType(Change):
    """A type (or collation) PostgreSQL cannot change in place while columns use it: rename
    the old one away, create the new one and the types over it (``carried``: domains and
    composite types, in pairs old and new), move every column over, drop the old ones. Each
    subclass names the kind for summaries and JSON."""

    old: Rebuildable
    new: Rebuildable
    columns: tuple[ColumnRetype, ...] = ()
    carried: tuple[tuple[Domain | CompositeType, Domain | CompositeType], ...] = ()

    @property
    def id(self) -> ObjectId:
        return self.new.id

    @property
    def creates(self) -> Ids:
        return tuple(oid for obj in (self.new, *(new for _, new in self.carried))
                     for oid in _type_ids(obj))

    @property
    def alters(self) -> Ids:
        return (self.id, *(new.id for _, new in self.carried),
                *(c.id for c in self.columns if not c.default_apart))


def _type_ids(obj: Rebuildable) -> Ids:
    """A type's id, and a composite type's attributes' (which depend on their types)."""
    attributes = obj.attributes if isinstance(obj, CompositeType) else ()
    return (obj.id, *(column_id(obj.id, a.name) for a in attributes))


class RebuildEnum(RebuildType):
    """Labels removed or reordered."""


class RebuildDomain(RebuildType):
    """A new base type or collation while columns use the domain."""


class RebuildComposite(RebuildType):
    """An attribute's type changes while columns use the type (ALTER ATTRIBUTE refuses)."""


class RebuildRange(RebuildType):
    """Any change of definition while columns use the range or its multirange."""


class RebuildCollation(RebuildType):
    """Any change of definition while columns use the collation."""


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
class _DomainChange(_TypeChange):
    @property
    def domain_id(self) -> ObjectId:
        return self.type_id


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
