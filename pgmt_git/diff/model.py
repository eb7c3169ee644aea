"""The catalog as plain values: what a database contains, identified by names, never OIDs.

Every object is a frozen dataclass with an ``id`` (an :class:`ObjectId`). Text that
PostgreSQL renders itself (``format_type``, ``pg_get_expr``, ``pg_get_constraintdef``,
``pg_get_indexdef``, ``pg_get_viewdef``, ``pg_get_functiondef``) is kept verbatim: it was read
with an empty ``search_path``, so every name in it is schema-qualified, and comparing two
catalogs read the same way compares what PostgreSQL would do.

Objects that live inside a relation (columns, constraints, indexes, triggers, policies) have
the relation's id as ``parent``. Columns are stored in their table (order matters);
constraints, indexes, triggers and policies are catalog entries of their own, because they
are created, dropped and ordered on their own (a foreign key needs the other table first).
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import MISSING, FrozenInstanceError, InitVar, dataclass, field, fields
from types import MappingProxyType
from operator import itemgetter
from typing import TYPE_CHECKING, Any, TypeVar, Union, overload

__all__ = [
    "Catalog", "Collation", "Column", "CompositeType", "Constraint", "ConstraintType",
    "DbObject", "DefaultPrivileges", "Domain", "DomainConstraint", "EnumType", "EventTrigger",
    "Extension",
    "ForeignKey", "Function", "FunctionKind", "Identity", "Index", "Kind",
    "MaterializedView", "ObjectId", "Policy", "Privilege", "RangeType", "ReplicaIdentity",
    "Schema", "Sequence", "SequenceOptions", "Table", "Trigger", "View", "column_id",
]


class Kind(str, enum.Enum):
    """What an object is. The value is how PostgreSQL names the kind in DDL, lower case."""

    SCHEMA = "schema"
    EXTENSION = "extension"
    COLLATION = "collation"
    ENUM = "enum"
    COMPOSITE = "composite"
    DOMAIN = "domain"
    RANGE = "range"
    SEQUENCE = "sequence"
    TABLE = "table"
    COLUMN = "column"
    CONSTRAINT = "constraint"
    INDEX = "index"
    VIEW = "view"
    MATERIALIZED_VIEW = "materialized view"
    FUNCTION = "function"
    PROCEDURE = "procedure"
    AGGREGATE = "aggregate"
    TRIGGER = "trigger"
    EVENT_TRIGGER = "event trigger"
    POLICY = "policy"
    DEFAULT_PRIVILEGES = "default privileges"

    @property
    def is_type(self) -> bool:
        return self in _TYPE_KINDS

    @property
    def is_relation(self) -> bool:
        return self in _RELATION_KINDS

    @property
    def is_routine(self) -> bool:
        return self in (Kind.FUNCTION, Kind.PROCEDURE, Kind.AGGREGATE)


T = TypeVar("T")

_TYPE_KINDS = frozenset({Kind.ENUM, Kind.COMPOSITE, Kind.DOMAIN, Kind.RANGE})
_RELATION_KINDS = frozenset({Kind.TABLE, Kind.VIEW, Kind.MATERIALIZED_VIEW, Kind.SEQUENCE,
                             Kind.INDEX, Kind.COMPOSITE})


class ObjectId(tuple):  # type: ignore[type-arg]
    """An object's identity. ``schema`` is empty for schemas, extensions and event triggers
    (database-wide names). ``args`` is a routine's argument types (``integer, text``).
    ``parent`` is the owning relation (or domain) of columns, constraints, indexes, triggers
    and policies; a child's ``schema`` is its parent's, and a parent has no parent.

    A tuple ``(kind, schema, name, args, parent)``, so that hashing and equality run in C
    (``Kind`` hashes as its string): catalogs of tens of thousands of objects hash and
    compare their ids millions of times. Ids sort by :meth:`sort_key`, not as tuples.
    """

    __slots__ = ()

    if TYPE_CHECKING:
        kind: Kind
        schema: str
        name: str
        args: str
        parent: ObjectId | None
    else:
        kind = property(itemgetter(0))
        schema = property(itemgetter(1))
        name = property(itemgetter(2))
        args = property(itemgetter(3))
        parent = property(itemgetter(4))

    def __new__(cls, kind: Kind, schema: str, name: str, args: str = "",
                parent: ObjectId | None = None) -> ObjectId:
        if parent is not None and parent[4] is not None:  # lookups rely on it
            raise ValueError(f"{name}: ids are at most two levels deep ({parent})")
        return tuple.__new__(cls, (kind, schema, name, args, parent))

    def __getnewargs__(self) -> tuple[Kind, str, str, str, ObjectId | None]:
        return tuple(self)  # type: ignore[return-value]

    def sort_key(self) -> tuple[str, ...]:
        """Schema, then parent, then name, arguments and kind."""
        kind, schema, name, args, parent = self
        if parent is None:
            return (schema, name, args, kind)
        return (schema, parent[1], parent[2], parent[3], parent[0], name, args, kind)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, ObjectId):
            return NotImplemented
        return self.sort_key() < other.sort_key()

    def __le__(self, other: object) -> bool:
        if not isinstance(other, ObjectId):
            return NotImplemented
        return self.sort_key() <= other.sort_key()

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, ObjectId):
            return NotImplemented
        return self.sort_key() > other.sort_key()

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, ObjectId):
            return NotImplemented
        return self.sort_key() >= other.sort_key()

    def __repr__(self) -> str:
        return (f"ObjectId(kind={self.kind!r}, schema={self.schema!r}, name={self.name!r}, "
                f"args={self.args!r}, parent={self.parent!r})")

    def __str__(self) -> str:
        """For messages: ``table public.users``, ``column public.users.email``."""
        return f"{self.kind.value} {self.qualified_text()}"

    def qualified_text(self) -> str:
        """Unquoted ``schema.name(args)`` (``schema.table.name`` for a child), for messages
        and JSON, never for SQL."""
        if self.parent is not None:
            return f"{self.parent.qualified_text()}.{self.name}"
        base = f"{self.schema}.{self.name}" if self.schema else self.name
        return f"{base}({self.args})" if self.kind.is_routine else base


def column_id(relation: ObjectId, name: str) -> ObjectId:
    return ObjectId(Kind.COLUMN, relation.schema, name, parent=relation)


# --------------------------------------------------------------------------- value classes


def _value(cls: type[T] | None = None, *, order: bool = False) -> Any:
    """``@dataclass(frozen=True)`` (``order=True`` too when asked), made cheaply: an
    ``__init__`` that fills the instance's dict in one step (the generated one sets each
    field through ``object.__setattr__``, and a catalog makes tens of thousands of these: a
    table of 17 fields cost 2.5 times as much), and the other methods written in one go
    rather than one ``exec`` each (defining the model's classes took a tenth of a second of
    every command's start-up). For classes of plain fields with plain defaults, and no
    ``__post_init__``."""

    def wrap(cls: type[T]) -> type[T]:
        # Fields only: the methods are written below, the same as dataclass would write.
        cls = dataclass(init=False, repr=False, eq=False)(cls)
        assert not hasattr(cls, "__post_init__"), cls
        namespace: dict[str, Any] = {"FrozenInstanceError": FrozenInstanceError}
        params, names = [], []
        for f in fields(cls):  # type: ignore[arg-type]
            assert f.init and f.default_factory is MISSING, (cls, f.name)
            names.append(f.name)
            if f.default is MISSING:
                params.append(f.name)
            else:
                namespace[f"_default_{f.name}"] = f.default
                params.append(f"{f.name}=_default_{f.name}")
        values = ", ".join(f"{name!r}: {name}" for name in names)
        mine = "(" + "".join(f"self.{name}, " for name in names) + ")"
        theirs = "(" + "".join(f"other.{name}, " for name in names) + ")"
        shown = ", ".join(f"{name}={{self.{name}!r}}" for name in names)
        source = [
            f"def __init__(self, {', '.join(params)}):",
            f"    self.__dict__.update({{{values}}})",
            "def __repr__(self):",
            f"    return f'{{self.__class__.__qualname__}}({shown})'",
            "def __hash__(self):",
            f"    return hash({mine})",
            "def __setattr__(self, name, value):",
            "    raise FrozenInstanceError(f'cannot assign to field {name!r}')",
            "def __delattr__(self, name):",
            "    raise FrozenInstanceError(f'cannot delete field {name!r}')",
        ]
        for method, operator in (("eq", "=="), *(
                (("lt", "<"), ("le", "<="), ("gt", ">"), ("ge", ">=")) if order else ())):
            source += [f"def __{method}__(self, other):",
                       "    if other.__class__ is self.__class__:",
                       f"        return {mine} {operator} {theirs}",
                       "    return NotImplemented"]
        exec("\n".join(source), namespace)  # noqa: S102 - our own fields
        for name in ("__init__", "__repr__", "__hash__", "__setattr__", "__delattr__", "__eq__",
                     *(("__lt__", "__le__", "__gt__", "__ge__") if order else ())):
            setattr(cls, name, namespace[name])
        return cls

    return wrap if cls is None else wrap(cls)


# --------------------------------------------------------------------------- shared values


@_value(order=True)
class Privilege:
    """One entry of an ACL: ``grantee`` (empty = PUBLIC) holds ``privilege`` (SELECT, USAGE,
    ...) from ``grantor``, optionally WITH GRANT OPTION."""

    grantee: str
    privilege: str
    grantable: bool = False
    grantor: str = ""


# None: the object has its default ACL (acl IS NULL in the catalog); () would be "no one".
Acl = Union[tuple[Privilege, ...], None]


@_value
class SequenceOptions:
    data_type: str = "bigint"
    start: int = 1
    increment: int = 1
    min_value: int = 1
    max_value: int = 9223372036854775807
    cache: int = 1
    cycle: bool = False


@_value
class Identity:
    """An identity column's generation and sequence (a sequence internal to the column)."""

    always: bool
    sequence_schema: str
    sequence_name: str
    options: SequenceOptions


@_value
class Column:
    """A column of a table, view, materialized view or composite type, in declared order.

    ``type`` is ``format_type`` text (typmod included); ``collation`` is set only when it
    differs from the type's default; ``generated`` is a stored generated column's expression.
    """

    name: str
    type: str
    not_null: bool = False
    default: str | None = None
    collation: str | None = None
    identity: Identity | None = None
    generated: str | None = None
    comment: str | None = None
    acl: Acl = None
    # Comes from a parent table (a partition's columns, an inheritance child's): the parent
    # is where it changes.
    inherited: bool = False


# --------------------------------------------------------------------------- objects

# An object's ``id`` is computed once, at its first use, and kept in the object: the differ
# and ordering ask for ids of the same objects many times over, and a cached id is one
# object shared by every lookup.


class _cached_id:  # noqa: N801 - used as a decorator, like functools.cached_property
    """functools.cached_property without its lock (Python 3.11 takes one at every first
    access, a measurable cost over the tens of thousands of objects of a catalog): objects
    are immutable, so two threads computing the same id at once get equal values."""

    def __init__(self, compute: Callable[[Any], ObjectId]) -> None:
        self._compute = compute
        self._name = compute.__name__
        self.__doc__ = compute.__doc__

    @overload
    def __get__(self, obj: None, owner: type[Any]) -> _cached_id: ...
    @overload
    def __get__(self, obj: object, owner: type[Any]) -> ObjectId: ...

    def __get__(self, obj: object | None, owner: type[Any]) -> ObjectId | _cached_id:
        if obj is None:
            return self
        value = obj.__dict__[self._name] = self._compute(obj)
        return value


@_value
class Schema:
    name: str
    comment: str | None = None
    owner: str = ""
    acl: Acl = None

    @_cached_id
    def id(self) -> ObjectId:
        return ObjectId(Kind.SCHEMA, "", self.name)


@_value
class Extension:
    name: str
    schema: str
    version: str
    relocatable: bool = False
    comment: str | None = None

    @_cached_id
    def id(self) -> ObjectId:
        return ObjectId(Kind.EXTENSION, "", self.name)


@_value
class Collation:
    schema: str
    name: str
    provider: str  # c (libc), i (icu), d (default)
    locale: str | None = None
    lc_collate: str | None = None
    lc_ctype: str | None = None
    deterministic: bool = True
    rules: str | None = None  # ICU tailoring rules (PostgreSQL 16)
    comment: str | None = None
    owner: str = ""

    @_cached_id
    def id(self) -> ObjectId:
        return ObjectId(Kind.COLLATION, self.schema, self.name)


@_value
class EnumType:
    schema: str
    name: str
    labels: tuple[str, ...]
    comment: str | None = None
    owner: str = ""
    acl: Acl = None

    @_cached_id
    def id(self) -> ObjectId:
        return ObjectId(Kind.ENUM, self.schema, self.name)


@_value
class CompositeType:
    schema: str
    name: str
    attributes: tuple[Column, ...]
    comment: str | None = None
    owner: str = ""
    acl: Acl = None

    @_cached_id
    def id(self) -> ObjectId:
        return ObjectId(Kind.COMPOSITE, self.schema, self.name)


@_value
class DomainConstraint:
    name: str
    definition: str  # pg_get_constraintdef: CHECK (...) [NOT VALID]
    validated: bool = True
    comment: str | None = None


@_value
class Domain:
    schema: str
    name: str
    base_type: str
    default: str | None = None
    not_null: bool = False
    collation: str | None = None
    constraints: tuple[DomainConstraint, ...] = ()
    comment: str | None = None
    owner: str = ""
    acl: Acl = None

    @_cached_id
    def id(self) -> ObjectId:
        return ObjectId(Kind.DOMAIN, self.schema, self.name)


@_value
class RangeType:
    schema: str
    name: str
    subtype: str
    subtype_opclass: str | None = None
    collation: str | None = None
    canonical: str | None = None
    subtype_diff: str | None = None
    multirange_name: str | None = None
    comment: str | None = None
    owner: str = ""
    acl: Acl = None

    @_cached_id
    def id(self) -> ObjectId:
        return ObjectId(Kind.RANGE, self.schema, self.name)


@_value
class Sequence:
    schema: str
    name: str
    options: SequenceOptions = SequenceOptions()
    owned_by: ObjectId | None = None  # a column id
    unlogged: bool = False
    comment: str | None = None
    owner: str = ""
    acl: Acl = None

    @_cached_id
    def id(self) -> ObjectId:
        return ObjectId(Kind.SEQUENCE, self.schema, self.name)


class ReplicaIdentity(str, enum.Enum):
    DEFAULT = "d"
    NOTHING = "n"
    FULL = "f"
    INDEX = "i"


@_value
class Table:
    """A table (partitioned or not). ``partition_key`` is ``pg_get_partkeydef`` text of a
    partitioned table; ``partition_of``/``partition_bound`` place a partition."""

    schema: str
    name: str
    columns: tuple[Column, ...] = ()
    unlogged: bool = False
    reloptions: tuple[str, ...] = ()
    rls_enabled: bool = False
    rls_forced: bool = False
    replica_identity: ReplicaIdentity = ReplicaIdentity.DEFAULT
    replica_identity_index: str | None = None
    partition_key: str | None = None
    partition_of: ObjectId | None = None
    partition_bound: str | None = None
    inherits: tuple[ObjectId, ...] = ()
    comment: str | None = None
    owner: str = ""
    acl: Acl = None

    @_cached_id
    def id(self) -> ObjectId:
        return ObjectId(Kind.TABLE, self.schema, self.name)

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name == name), None)


class ConstraintType(str, enum.Enum):
    PRIMARY_KEY = "p"
    UNIQUE = "u"
    CHECK = "c"
    FOREIGN_KEY = "f"
    EXCLUSION = "x"


@_value
class ForeignKey:
    """The structured part of a foreign key that decisions need (the rest is in the text)."""

    references: ObjectId
    columns: tuple[str, ...]
    ref_columns: tuple[str, ...]
    on_update: str = "a"  # a (no action), r (restrict), c (cascade), n (set null), d (default)
    on_delete: str = "a"
    match: str = "s"  # s (simple), f (full), p (partial)


@_value
class Constraint:
    """A table constraint. ``definition`` is ``pg_get_constraintdef`` text, with
    ``NOT VALID`` at its end when the constraint is not validated."""

    parent: ObjectId
    name: str
    type: ConstraintType
    definition: str
    columns: tuple[str, ...] = ()
    validated: bool = True
    deferrable: bool = False
    deferred: bool = False
    foreign_key: ForeignKey | None = None
    comment: str | None = None

    @_cached_id
    def id(self) -> ObjectId:
        return ObjectId(Kind.CONSTRAINT, self.parent.schema, self.name, parent=self.parent)

    @property
    def schema(self) -> str:
        return self.parent.schema

    @property
    def core_definition(self) -> str:
        """The definition without NOT VALID and deferrability, which can change in place."""
        text = self.definition
        for suffix in (" NOT VALID", " INITIALLY DEFERRED", " DEFERRABLE"):
            if text.endswith(suffix):
                text = text[: -len(suffix)]
        return text

    @property
    def has_index(self) -> bool:
        return self.type in (ConstraintType.PRIMARY_KEY, ConstraintType.UNIQUE,
                             ConstraintType.EXCLUSION)


@_value
class Index:
    """A standalone index (indexes made by constraints belong to their constraint).
    ``definition`` is ``pg_get_indexdef`` text, a complete CREATE INDEX statement."""

    parent: ObjectId
    name: str
    definition: str
    unique: bool = False
    method: str = "btree"
    predicate: str | None = None
    comment: str | None = None

    @_cached_id
    def id(self) -> ObjectId:
        return ObjectId(Kind.INDEX, self.parent.schema, self.name, parent=self.parent)

    @property
    def schema(self) -> str:
        return self.parent.schema


@_value
class View:
    """``definition`` is ``pg_get_viewdef`` text; ``options`` are its reloptions
    (``check_option=local``, ``security_barrier=true``, ``security_invoker=true``)."""

    schema: str
    name: str
    definition: str
    columns: tuple[Column, ...] = ()
    options: tuple[str, ...] = ()
    comment: str | None = None
    owner: str = ""
    acl: Acl = None

    @_cached_id
    def id(self) -> ObjectId:
        return ObjectId(Kind.VIEW, self.schema, self.name)


@_value
class MaterializedView:
    schema: str
    name: str
    definition: str
    columns: tuple[Column, ...] = ()
    options: tuple[str, ...] = ()
    populated: bool = True
    comment: str | None = None
    owner: str = ""
    acl: Acl = None

    @_cached_id
    def id(self) -> ObjectId:
        return ObjectId(Kind.MATERIALIZED_VIEW, self.schema, self.name)


class FunctionKind(str, enum.Enum):
    FUNCTION = "f"
    PROCEDURE = "p"
    AGGREGATE = "a"
    WINDOW = "w"


@_value
class Function:
    """A function, procedure or aggregate; overloads are separate objects (``args``: the
    identity argument types). ``definition`` is a complete ``CREATE OR REPLACE`` statement
    (``pg_get_functiondef``; built from ``pg_aggregate`` for aggregates)."""

    schema: str
    name: str
    args: str
    kind: FunctionKind
    definition: str
    result: str | None = None  # pg_get_function_result
    arguments: str = ""  # pg_get_function_arguments: names, modes and defaults
    input_names: tuple[str, ...] = ()
    comment: str | None = None
    owner: str = ""
    acl: Acl = None

    @_cached_id
    def id(self) -> ObjectId:
        kind = {FunctionKind.PROCEDURE: Kind.PROCEDURE,
                FunctionKind.AGGREGATE: Kind.AGGREGATE}.get(self.kind, Kind.FUNCTION)
        return ObjectId(kind, self.schema, self.name, self.args)


@_value
class Trigger:
    """``definition`` is ``pg_get_triggerdef`` text; ``enabled`` is pg_trigger.tgenabled
    (O origin, D disabled, R replica, A always)."""

    parent: ObjectId
    name: str
    definition: str
    enabled: str = "O"
    comment: str | None = None

    @_cached_id
    def id(self) -> ObjectId:
        return ObjectId(Kind.TRIGGER, self.parent.schema, self.name, parent=self.parent)

    @property
    def schema(self) -> str:
        return self.parent.schema


@_value
class EventTrigger:
    name: str
    event: str
    function: ObjectId
    tags: tuple[str, ...] = ()
    enabled: str = "O"
    comment: str | None = None

    @_cached_id
    def id(self) -> ObjectId:
        return ObjectId(Kind.EVENT_TRIGGER, "", self.name)


@_value
class Policy:
    parent: ObjectId
    name: str
    permissive: bool = True
    command: str = "ALL"
    roles: tuple[str, ...] = ("public",)
    using: str | None = None
    with_check: str | None = None
    comment: str | None = None

    @_cached_id
    def id(self) -> ObjectId:
        return ObjectId(Kind.POLICY, self.parent.schema, self.name, parent=self.parent)

    @property
    def schema(self) -> str:
        return self.parent.schema


@_value
class DefaultPrivileges:
    """ALTER DEFAULT PRIVILEGES FOR ROLE ``role`` [IN SCHEMA ``schema``] on one object type
    (``r`` tables, ``S`` sequences, ``f`` functions, ``T`` types, ``n`` schemas): what is
    granted and revoked beyond PostgreSQL's built-in defaults."""

    role: str
    schema: str
    object_type: str
    granted: tuple[Privilege, ...] = ()
    revoked: tuple[Privilege, ...] = ()
    # What applies without the entry: PostgreSQL's built-in defaults for a database-wide
    # entry, nothing for a schema's.
    baseline: tuple[Privilege, ...] = ()

    @_cached_id
    def id(self) -> ObjectId:
        return ObjectId(Kind.DEFAULT_PRIVILEGES, self.schema, self.role, self.object_type)


DbObject = Union[Schema, Extension, Collation, EnumType, CompositeType, Domain, RangeType,
                 Sequence, Table, Constraint, Index, View, MaterializedView, Function,
                 Trigger, EventTrigger, Policy, DefaultPrivileges]


# --------------------------------------------------------------------------- the catalog


@dataclass(frozen=True)
class Catalog:
    """The objects of one database state and their dependencies.

    ``depends`` holds (dependent, referenced) pairs from pg_depend, mapped to ids (columns
    included: a view depends on the columns it reads), plus each child's edge to its parent
    and each object's to its schema.
    """

    objects: Mapping[ObjectId, DbObject] = field(default_factory=dict)
    depends: frozenset[tuple[ObjectId, ObjectId]] = frozenset()
    _children: Mapping[ObjectId, tuple[ObjectId, ...]] = field(
        init=False, repr=False, compare=False)
    # Lists until first asked for, then sorted tuples; None until the first question.
    _dependents: dict[ObjectId, list[ObjectId] | tuple[ObjectId, ...]] | None = field(
        init=False, repr=False, compare=False)
    _by_kind: Mapping[Kind, Mapping[ObjectId, DbObject]] = field(
        init=False, repr=False, compare=False)
    # True when ``objects`` come in catalog order already (another catalog's, handed over
    # from the process that read it): they are not sorted again.
    in_order: InitVar[bool] = False

    def __post_init__(self, in_order: bool) -> None:
        items = self.objects.items()
        objects = MappingProxyType(dict(
            items if in_order else sorted(items, key=lambda item: item[0].sort_key())))
        object.__setattr__(self, "objects", objects)
        object.__setattr__(self, "depends", frozenset(self.depends))
        children: dict[ObjectId, list[ObjectId]] = {}
        by_kind: dict[Kind, dict[ObjectId, DbObject]] = {}
        for oid, obj in objects.items():
            if oid.parent is not None:
                children.setdefault(oid.parent, []).append(oid)
            by_kind.setdefault(oid.kind, {})[oid] = obj
        object.__setattr__(self, "_by_kind", MappingProxyType(
            {k: MappingProxyType(v) for k, v in by_kind.items()}))
        object.__setattr__(self, "_children", MappingProxyType(
            {k: tuple(v) for k, v in children.items()}))
        # Made when first asked for (a diff may never ask), each entry sorted when first
        # asked for (a diff asks about the few objects it changes).
        object.__setattr__(self, "_dependents", None)

    @classmethod
    def build(cls, objects: Iterable[DbObject],
              depends: Iterable[tuple[ObjectId, ObjectId]] = ()) -> Catalog:
        """A catalog from objects; raises ValueError on a duplicate id."""
        found: dict[ObjectId, DbObject] = {}
        for obj in objects:
            if obj.id in found:
                raise ValueError(f"duplicate object in catalog: {obj.id}")
            found[obj.id] = obj
        return cls(found, frozenset(depends))

    def __contains__(self, oid: object) -> bool:
        return oid in self.objects

    def __getitem__(self, oid: ObjectId) -> DbObject:
        return self.objects[oid]

    def __iter__(self) -> Iterator[ObjectId]:
        return iter(self.objects)

    def __len__(self) -> int:
        return len(self.objects)

    def get(self, oid: ObjectId) -> DbObject | None:
        return self.objects.get(oid)

    def of_kind(self, kind: Kind) -> tuple[DbObject, ...]:
        return tuple(self.by_kind(kind).values())

    def by_kind(self, *kinds: Kind) -> Mapping[ObjectId, DbObject]:
        """The objects of these kinds, by id, in catalog order."""
        if len(kinds) == 1:
            return self._by_kind.get(kinds[0], MappingProxyType({}))
        # The kinds' own maps merged, rather than a pass over the whole catalog.
        found = [item for kind in kinds for item in self._by_kind.get(kind, {}).items()]
        found.sort(key=lambda item: item[0].sort_key())
        return dict(found)

    def children(self, parent: ObjectId) -> tuple[ObjectId, ...]:
        """Constraints, indexes, triggers and policies of a relation, sorted."""
        return self._children.get(parent, ())

    def dependents(self, oid: ObjectId) -> tuple[ObjectId, ...]:
        """What depends directly on ``oid`` (for a relation: on the relation itself only)."""
        dependents = self._dependents
        if dependents is None:
            dependents = {}
            for dependent, referenced in self.depends:
                dependents.setdefault(referenced, []).append(dependent)
            object.__setattr__(self, "_dependents", dependents)
        found = dependents.get(oid, ())
        if isinstance(found, list):
            found = dependents[oid] = tuple(sorted(found, key=ObjectId.sort_key))
        return found

    def has(self, oid: ObjectId) -> bool:
        """Whether ``oid`` exists; a column exists when its relation has it."""
        if oid.kind is Kind.COLUMN and oid.parent is not None:
            relation = self.objects.get(oid.parent)
            columns = _columns_of(relation)
            return any(c.name == oid.name for c in columns)
        return oid in self.objects


def _columns_of(obj: DbObject | None) -> tuple[Column, ...]:
    if isinstance(obj, (Table, View, MaterializedView)):
        return obj.columns
    if isinstance(obj, CompositeType):
        return obj.attributes
    return ()
