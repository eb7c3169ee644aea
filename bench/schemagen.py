"""A synthetic schema shaped like a real application's, at any size, and a version of it with
a few percent of its objects changed. Deterministic: the same size and seed give the same SQL.

    pair = schema_pair(tables=500, seed=1)
    pair.before, pair.after          # tuple[str, ...]: one SQL statement each

For N tables: about 10 columns per table (identity, serial or uuid keys, enums, domains,
defaults, NOT NULL, checks, unique constraints, foreign keys), 2 indexes per table, N/5 views
(a third stacked on earlier views, a few materialized, a few security barriers), N/5
functions (helpers with overloads, SQL and PL/pgSQL readers of tables, trigger functions),
N/10 triggers, row level security with policies on N/10 tables, grants to two roles and
comments. The changed version alters about 5% of those objects: columns added, dropped,
retyped, defaults and NOT NULL changed, checks, indexes, tables, views, functions and
triggers added, changed or dropped, enum values added, domains, policies and grants changed.

The roles ``bench_reader`` and ``bench_writer`` are cluster-wide, so whoever replays the SQL
creates them first (:data:`ROLES`). ``Features`` leaves whole kinds of objects out.
"""

from __future__ import annotations

import enum
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

READER = "bench_reader"
WRITER = "bench_writer"
ROLES = (READER, WRITER)

TABLE_SCHEMAS = ("app", "billing", "crm", "ops")
TYPES_SCHEMA = "app"
HELPERS_SCHEMA = "util"
VIEWS_SCHEMA = "reporting"
AUDIT_TABLE = "ops.audit_log"
COLUMNS_PER_TABLE = 10
MAX_STACKING = 3
CHANGED_FRACTION = 0.05

NOUNS = ("account", "customer", "order", "invoice", "payment", "product", "shipment",
         "ticket", "subscription", "plan", "event", "session", "address", "contact", "note",
         "task", "project", "document", "message", "device", "coupon", "refund", "warehouse",
         "supplier", "review")

ENUMS = (("status", ("draft", "active", "suspended", "archived")),
         ("priority", ("low", "normal", "high", "urgent")),
         ("channel", ("email", "sms", "push", "web")),
         ("currency", ("EUR", "USD", "GBP", "JPY")),
         ("region", ("emea", "amer", "apac")),
         ("visibility", ("private", "team", "public")),
         ("severity", ("info", "warning", "error", "critical")))


class Feature(str, enum.Enum):
    """Kinds of objects the generator can leave out (for an engine that lacks them)."""

    ENUMS = "enums"
    DOMAINS = "domains"
    VIEWS = "views"
    MATERIALIZED_VIEWS = "materialized views"
    FUNCTIONS = "functions"
    TRIGGERS = "triggers"
    POLICIES = "row level security policies"
    GRANTS = "grants"
    COMMENTS = "comments"


ALL_FEATURES = frozenset(Feature)


# --- the model -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    not_null: bool = False
    default: str | None = None
    check: str | None = None
    unique: bool = False
    identity: bool = False
    primary_key: bool = False
    references: str | None = None
    on_delete: str | None = None
    comment: str | None = None


@dataclass(frozen=True)
class Index:
    name: str
    definition: str  # what follows ``ON table``


@dataclass(frozen=True)
class Policy:
    name: str
    command: str
    role: str
    using: str | None = None
    check: str | None = None


@dataclass(frozen=True)
class Table:
    schema: str
    name: str
    columns: tuple[Column, ...]
    # Columns something else uses (indexes, views, policies, triggers, foreign keys):
    # the changed version never drops or retypes them.
    core: frozenset[str]
    indexes: tuple[Index, ...] = ()
    checks: tuple[tuple[str, str], ...] = ()
    rls: bool = False
    policies: tuple[Policy, ...] = ()
    writer_grant: str | None = None
    reader_column_grant: str | None = None
    comment: str = ""

    @property
    def qname(self) -> str:
        return f"{self.schema}.{self.name}"

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name == name), None)


@dataclass(frozen=True)
class View:
    name: str
    kind: str  # recent, join, summary or stacked
    source: str  # qualified table or view
    columns: tuple[str, ...]  # output columns
    join: tuple[str, str] | None = None  # (parent table, foreign key column)
    materialized: bool = False
    barrier: bool = False
    variant: int = 0
    extra_column: bool = False
    depth: int = 0  # how many views it is stacked on
    comment: str = ""

    @property
    def qname(self) -> str:
        return f"{VIEWS_SCHEMA}.{self.name}"


@dataclass(frozen=True)
class Function:
    schema: str
    name: str
    role: str  # a key of _FUNCTION_ROLES
    target: str | None = None  # the table a reader or trigger function uses
    id_type: str = "bigint"
    variant: int = 0
    overload: bool = False  # the second signature of a helper
    costly: bool = False
    comment: str = ""

    @property
    def qname(self) -> str:
        return f"{self.schema}.{self.name}"

    @property
    def signature(self) -> str:
        return f"{self.qname}({_ROLE_ARGS[self.role](self)[1]})"


@dataclass(frozen=True)
class Trigger:
    name: str
    table: str
    function: str
    kind: str  # touch, touch_columns, audit_rows or audit_truncate
    when: bool = False


@dataclass(frozen=True)
class EnumType:
    name: str
    labels: tuple[str, ...]

    @property
    def qname(self) -> str:
        return f"{TYPES_SCHEMA}.{self.name}"


@dataclass(frozen=True)
class Domain:
    name: str
    base: str
    check: str
    default: str | None = None

    @property
    def qname(self) -> str:
        return f"{TYPES_SCHEMA}.{self.name}"


@dataclass(frozen=True)
class Schema:
    enums: tuple[EnumType, ...]
    domains: tuple[Domain, ...]
    tables: tuple[Table, ...]
    views: tuple[View, ...]
    functions: tuple[Function, ...]
    triggers: tuple[Trigger, ...]
    features: frozenset[Feature] = ALL_FEATURES

    def object_count(self) -> int:
        return (len(self.tables) + sum(len(t.indexes) + len(t.policies) for t in self.tables)
                + len(self.views) + len(self.functions) + len(self.triggers))


@dataclass(frozen=True)
class SchemaPair:
    before: tuple[str, ...]
    after: tuple[str, ...]
    changes: tuple[str, ...]  # what the changed version did, one line per change


def schema_pair(*, tables: int, seed: int = 1,
                features: frozenset[Feature] = ALL_FEATURES,
                changed_fraction: float = CHANGED_FRACTION) -> SchemaPair:
    """Both versions as SQL statements, and a description of the changes between them."""
    rng = random.Random(f"{seed}:{tables}")
    before = generate(tables, rng, features)
    after, changes = change(before, rng, changed_fraction)
    return SchemaPair(render(before), render(after), changes)


# --- generation ------------------------------------------------------------------------------


@dataclass
class _Names:
    """Unique names for whatever the generator adds, in order of creation."""

    used: set[str] = field(default_factory=set)

    def new(self, base: str) -> str:
        name, n = base, 1
        while name in self.used:
            n += 1
            name = f"{base}_{n}"
        self.used.add(name)
        return name


def generate(n_tables: int, rng: random.Random, features: frozenset[Feature]) -> Schema:
    enums = _enums(n_tables) if Feature.ENUMS in features else ()
    domains = _domains() if Feature.DOMAINS in features else ()
    names = _Names()
    with_triggers = Feature.TRIGGERS in features and Feature.FUNCTIONS in features
    trigger_tables = set(rng.sample(range(n_tables), n_tables // 10)) if with_triggers else set()
    rls_tables = (set(rng.sample(range(n_tables), n_tables // 10))
                  if Feature.POLICIES in features else set())
    tables: list[Table] = [_audit_table()]
    for i in range(n_tables):
        tables.append(_table(rng, names, tables, enums, domains, features,
                             updated_at=i in trigger_tables, rls=i in rls_tables))
    schema = Schema(enums, domains, tuple(tables), (), (), (), features)
    if Feature.FUNCTIONS in features:
        schema = replace(schema, functions=_functions(rng, names, schema, n_tables // 5))
    if Feature.VIEWS in features:
        schema = replace(schema, views=_views(rng, names, schema, n_tables // 5))
    if with_triggers:
        schema = replace(schema, triggers=_triggers(rng, names, schema,
                                                    sorted(trigger_tables)))
    return schema


def _enums(n_tables: int) -> tuple[EnumType, ...]:
    return tuple(EnumType(name, labels) for name, labels in ENUMS[:3 + n_tables // 500])


def _domains() -> tuple[Domain, ...]:
    return (Domain("email", "text", r"VALUE ~ '^[^@\s]+@[^@\s]+$'"),
            Domain("money_amount", "numeric(12,2)", "VALUE >= 0", "0"),
            Domain("short_code", "varchar(16)", "VALUE ~ '^[A-Z0-9_]+$'"),
            Domain("percentage", "numeric(5,2)", "VALUE >= 0 AND VALUE <= 100"))


def _audit_table() -> Table:
    columns = (Column("id", "bigint", identity=True, primary_key=True),
               Column("table_name", "text", not_null=True),
               Column("operation", "text", not_null=True),
               Column("at", "timestamptz", not_null=True, default="now()"))
    return Table("ops", "audit_log", columns, frozenset(c.name for c in columns),
                 (Index("audit_log_at", "(at)"),), comment="Row changes, written by triggers")


def _table(rng: random.Random, names: _Names, earlier: list[Table],
           enums: tuple[EnumType, ...], domains: tuple[Domain, ...],
           features: frozenset[Feature], *, updated_at: bool, rls: bool) -> Table:
    noun = rng.choice(NOUNS)
    name = names.new(f"{noun}_{len(earlier)}")
    columns = [_key(rng),
               Column("tenant_id", "integer", not_null=True),
               Column("name", "text", not_null=True),
               Column("created_at", "timestamptz", not_null=True, default="now()")]
    if updated_at:
        columns.append(Column("updated_at", "timestamptz"))
    if enums and rng.random() < 0.6:
        kind = rng.choice(enums)
        columns.append(Column("status", kind.qname, not_null=True,
                              default=f"'{kind.labels[0]}'::{kind.qname}"))
    parent = rng.choice(earlier[1:]) if len(earlier) > 1 and rng.random() < 0.7 else None
    if parent is not None:
        columns.append(_foreign_key(rng, parent))
    core = {c.name for c in columns}
    extras = _extra_columns(name, enums, domains)
    columns += rng.sample(extras, min(len(extras), COLUMNS_PER_TABLE - len(columns)))
    indexes, checks, more_core = _indexes_and_checks(rng, name, columns, parent)
    table = Table(
        earlier[-1].schema if rng.random() < 0.3 else rng.choice(TABLE_SCHEMAS), name,
        tuple(_commented(rng, columns, features)), frozenset(core | more_core), indexes, checks,
        comment=f"{noun.capitalize()} records, generation {len(earlier)}")
    if rls:
        table = replace(table, rls=True, policies=_policies(rng))
    return _granted(rng, table) if Feature.GRANTS in features else table


def _key(rng: random.Random) -> Column:
    roll = rng.random()
    if roll < 0.7:
        return Column("id", "bigint", identity=True, primary_key=True)
    if roll < 0.9:
        return Column("id", "bigserial", primary_key=True)
    return Column("id", "uuid", not_null=True, default="gen_random_uuid()", primary_key=True)


def key_type(table: Table) -> str:
    key = table.columns[0].type
    return "bigint" if key == "bigserial" else key


def _foreign_key(rng: random.Random, parent: Table) -> Column:
    action = rng.choice(("CASCADE", "SET NULL", "RESTRICT", None))
    return Column(f"{parent.name}_id"[-63:], key_type(parent),
                  not_null=action != "SET NULL" and rng.random() < 0.5,
                  references=parent.qname, on_delete=action)


def _extra_columns(table: str, enums: tuple[EnumType, ...],
                   domains: tuple[Domain, ...]) -> list[Column]:
    extras = [
        Column("amount", "numeric(12,2)", True, "0", "amount >= 0"),
        Column("quantity", "integer", True, "1", "quantity > 0"),
        Column("code", "varchar(32)", unique=True),
        Column("payload", "jsonb", True, "'{}'::jsonb"),
        Column("tags", "text[]", True, "'{}'::text[]"),
        Column("is_active", "boolean", True, "true"),
        Column("notes", "text"),
        Column("ratio", "double precision", check="ratio >= 0 AND ratio <= 1"),
        Column("starts_on", "date"),
        Column("ends_on", "date"),
        Column("external_ref", "uuid", True, "gen_random_uuid()"),
        Column("client_ip", "inet"),
        Column("score", "smallint", default="0"),
        Column("duration", "interval"),
        Column("version", "integer", True, "1"),
        Column("deleted_at", "timestamptz"),
        Column("country", "char(2)"),
    ]
    if len(enums) > 1:
        extras.append(Column("priority", enums[1].qname, True,
                             f"'{enums[1].labels[1]}'::{enums[1].qname}"))
    if domains:
        extras += [Column("email", "app.email"), Column("price", "app.money_amount"),
                   Column("sku", "app.short_code"), Column("discount", "app.percentage")]
    return extras


def _indexes_and_checks(rng: random.Random, table: str, columns: list[Column],
                        parent: Table | None) -> tuple[tuple[Index, ...],
                                                       tuple[tuple[str, str], ...], set[str]]:
    names = {c.name for c in columns}
    indexes = [Index(f"{table}_tenant_created", "(tenant_id, created_at DESC)")]
    core: set[str] = set()
    if parent is not None:
        fk = columns[[c.references for c in columns].index(parent.qname)].name
        indexes.append(Index(f"{table}_{parent.name}", f"({fk})"))
    elif "payload" in names and rng.random() < 0.5:
        indexes.append(Index(f"{table}_payload", "USING gin (payload)"))
        core.add("payload")
    elif "deleted_at" in names:
        indexes.append(Index(f"{table}_live", "(tenant_id, name) WHERE deleted_at IS NULL"))
        core.add("deleted_at")
    else:
        indexes.append(Index(f"{table}_name_lower", "(lower(name))"))
    checks: tuple[tuple[str, str], ...] = ()
    if {"starts_on", "ends_on"} <= names:
        checks = ((f"{table}_period", "ends_on >= starts_on"),)
        core |= {"starts_on", "ends_on"}
    return tuple(indexes), checks, core


def _commented(rng: random.Random, columns: list[Column],
               features: frozenset[Feature]) -> list[Column]:
    if Feature.COMMENTS not in features or rng.random() < 0.5:
        return columns
    return [replace(c, comment="Shown to users; not unique") if c.name == "name" else c
            for c in columns]


def _policies(rng: random.Random) -> tuple[Policy, ...]:
    isolation = Policy("tenant_isolation", "ALL", "PUBLIC",
                       using="tenant_id = current_setting('app.tenant_id', true)::integer")
    if rng.random() < 0.5:
        return (isolation,)
    return (isolation, Policy("writer_insert", "INSERT", WRITER, check="tenant_id > 0"))


def _granted(rng: random.Random, table: Table) -> Table:
    roll = rng.random()
    writer = ("SELECT, INSERT, UPDATE, DELETE" if roll < 0.5
              else "SELECT, INSERT" if roll < 0.7 else None)
    column = "UPDATE (name)" if rng.random() < 0.1 else None
    return replace(table, writer_grant=writer, reader_column_grant=column)


def _functions(rng: random.Random, names: _Names, schema: Schema,
               count: int) -> tuple[Function, ...]:
    functions = [Function(HELPERS_SCHEMA, "display_name", "display_name",
                          comment="How a name is shown in reports")]
    for k in range(max(1, count // 10)):
        role = "touch" if k % 2 == 0 else "audit"
        functions.append(Function("ops", names.new(f"{role}_{k}"), role,
                                  comment=f"Trigger function ({role})"))
    tables = schema.tables[1:]
    while len(functions) < count:
        roll = rng.random()
        if roll < 0.4:
            functions += _helper(rng, names)
        else:
            functions.append(_reader(rng, names, rng.choice(tables), roll))
    return tuple(functions)


def _helper(rng: random.Random, names: _Names) -> list[Function]:
    role = rng.choice(("scale", "slug", "days_between"))
    name = names.new(f"{role}_{len(names.used)}")
    first = Function(HELPERS_SCHEMA, name, role, costly=rng.random() < 0.2,
                     comment=f"Helper {name}")
    if role == "scale" and rng.random() < 0.5:
        return [first, replace(first, overload=True, comment="")]
    return [first]


def _reader(rng: random.Random, names: _Names, table: Table, roll: float) -> Function:
    role = "count_rows" if roll < 0.6 else "recent_rows" if roll < 0.85 else "touch_row"
    name = names.new(f"{table.name}_{role}")
    return Function(table.schema, name, role, target=table.qname, id_type=key_type(table),
                    comment=f"{role.replace('_', ' ').capitalize()} of {table.name}")


def _views(rng: random.Random, names: _Names, schema: Schema, count: int) -> tuple[View, ...]:
    views: list[View] = []
    tables = schema.tables[1:]
    with_matviews = Feature.MATERIALIZED_VIEWS in schema.features
    while len(views) < count:
        bases = [v for v in views if v.depth < MAX_STACKING]
        if bases and rng.random() < 0.33:
            views.append(_stacked_view(rng, names, rng.choice(bases)))
        else:
            view = _table_view(rng, names, rng.choice(tables), schema.functions)
            if with_matviews and rng.random() < 0.05 and view.kind != "join":
                view = replace(view, materialized=True)
            views.append(view)
    return tuple(views)


def _table_view(rng: random.Random, names: _Names, table: Table,
                functions: tuple[Function, ...]) -> View:
    fk = next((c for c in table.columns if c.references), None)
    roll = rng.random()
    if fk is not None and roll < 0.35:
        return View(names.new(f"v_{table.name}_with_parent"), "join", table.qname,
                    ("id", "tenant_id", "name", "parent_name", "created_at"),
                    join=(fk.references or "", fk.name), barrier=rng.random() < 0.1,
                    comment=f"{table.name} with the name of its parent's row")
    if roll < 0.6:
        return View(names.new(f"v_{table.name}_summary"), "summary", table.qname,
                    ("tenant_id", "total", "last_created_at"),
                    comment=f"{table.name} per tenant")
    shown = "display_name" if functions else "name"
    return View(names.new(f"v_{table.name}_recent"), "recent", table.qname,
                ("id", "tenant_id", shown, "created_at"), barrier=rng.random() < 0.1,
                comment=f"{table.name} created in the last month")


def _stacked_view(rng: random.Random, names: _Names, base: View) -> View:
    return View(names.new(f"{base.name}_top"), "stacked", base.qname, base.columns,
                variant=rng.randrange(3), depth=base.depth + 1,
                comment=f"A filter on {base.name}")


def _triggers(rng: random.Random, names: _Names, schema: Schema,
              tables: list[int]) -> tuple[Trigger, ...]:
    touch = [f.qname for f in schema.functions if f.role == "touch"]
    audit = [f.qname for f in schema.functions if f.role == "audit"] or touch
    triggers = []
    for i in tables:
        table = schema.tables[i + 1]
        kind = rng.choice(("touch", "touch", "touch_columns", "audit_rows", "audit_truncate"))
        function = rng.choice(touch if kind.startswith("touch") else audit)
        triggers.append(Trigger(names.new(f"{table.name}_{kind}"[:60]), table.qname, function,
                                kind, when=kind == "touch" and rng.random() < 0.5))
    return tuple(triggers)


# --- the changed version ---------------------------------------------------------------------

Mutation = Callable[[Schema, random.Random, "_Changes"], "Schema | None"]


@dataclass
class _Changes:
    """What has been changed so far: each object is changed at most once."""

    touched: set[str] = field(default_factory=set)
    log: list[str] = field(default_factory=list)
    names: _Names = field(default_factory=_Names)

    def take(self, key: str, what: str) -> None:
        self.touched.add(key)
        self.log.append(what)


def change(schema: Schema, rng: random.Random,
           fraction: float) -> tuple[Schema, tuple[str, ...]]:
    """A version with ``fraction`` of the objects changed, and what was done."""
    changes = _Changes(names=_Names(_all_names(schema)))
    target = max(1, round(schema.object_count() * fraction))
    mutations = [(m, w) for m, w, needs in _MUTATIONS if needs <= schema.features]
    attempts = 0
    while len(changes.log) < target and attempts < target * 50:
        attempts += 1
        mutation = rng.choices([m for m, _ in mutations], [w for _, w in mutations])[0]
        changed = mutation(schema, rng, changes)
        if changed is not None:
            schema = changed
    return schema, tuple(changes.log)


def _all_names(schema: Schema) -> set[str]:
    return ({t.name for t in schema.tables} | {v.name for v in schema.views}
            | {f.name for f in schema.functions} | {t.name for t in schema.triggers})


def _pick_table(schema: Schema, rng: random.Random, changes: _Changes,
                ok: Callable[[Table], bool] = lambda t: True) -> int | None:
    candidates = [i for i, t in enumerate(schema.tables)
                  if i and t.qname not in changes.touched and ok(t)]
    return rng.choice(candidates) if candidates else None


def _with_table(schema: Schema, index: int, table: Table) -> Schema:
    return replace(schema, tables=schema.tables[:index] + (table,) + schema.tables[index + 1:])


def _free_columns(table: Table) -> list[Column]:
    return [c for c in table.columns if c.name not in table.core]


def _table_mutation(ok: Callable[[Table], bool],
                    edit: Callable[[Table, random.Random], tuple[Table, str]]) -> Mutation:
    def mutate(schema: Schema, rng: random.Random, changes: _Changes) -> Schema | None:
        index = _pick_table(schema, rng, changes, ok)
        if index is None:
            return None
        table, what = edit(schema.tables[index], rng)
        changes.take(table.qname, f"{table.qname}: {what}")
        return _with_table(schema, index, table)
    return mutate


NEW_COLUMNS = (Column("archived_at", "timestamptz"),
               Column("rank", "integer", True, "0"),
               Column("label", "varchar(64)"),
               Column("meta", "jsonb"),
               Column("is_locked", "boolean", True, "false"),
               Column("reviewed_by", "text", comment="Who approved it"))
WIDER = {"varchar(32)": "varchar(64)", "integer": "bigint", "smallint": "integer",
         "numeric(12,2)": "numeric(14,2)", "char(2)": "char(3)", "text": "varchar(2000)"}
NEW_DEFAULTS = {"amount": "0.00", "quantity": "5", "payload": """'{"v": 1}'::jsonb""",
                "is_active": "false", "version": "0", "score": None,
                "external_ref": None, "tags": "'{new}'::text[]", "notes": "'n/a'::text",
                "country": "'FR'::bpchar"}


def _add_column(table: Table, rng: random.Random) -> tuple[Table, str]:
    column = rng.choice([c for c in NEW_COLUMNS if table.column(c.name) is None])
    return replace(table, columns=table.columns + (column,)), f"add column {column.name}"


def _drop_column(table: Table, rng: random.Random) -> tuple[Table, str]:
    column = rng.choice(_free_columns(table))
    return (replace(table, columns=tuple(c for c in table.columns if c is not column)),
            f"drop column {column.name}")


def _retype_column(table: Table, rng: random.Random) -> tuple[Table, str]:
    column = rng.choice([c for c in _free_columns(table) if c.type in WIDER])
    changed = replace(column, type=WIDER[column.type])
    return _replace_column(table, column, changed), f"column {column.name} type {changed.type}"


def _change_default(table: Table, rng: random.Random) -> tuple[Table, str]:
    column = rng.choice([c for c in _free_columns(table) if c.name in NEW_DEFAULTS])
    changed = replace(column, default=NEW_DEFAULTS[column.name])
    return _replace_column(table, column, changed), f"column {column.name} default"


def _toggle_not_null(table: Table, rng: random.Random) -> tuple[Table, str]:
    column = rng.choice(_free_columns(table))
    changed = replace(column, not_null=not column.not_null)
    return _replace_column(table, column, changed), f"column {column.name} NOT NULL toggled"


def _replace_column(table: Table, old: Column, new: Column) -> Table:
    return replace(table, columns=tuple(new if c is old else c for c in table.columns))


def _add_check(table: Table, rng: random.Random) -> tuple[Table, str]:
    check = (f"{table.name}_name_length", f"char_length(name) <= {rng.choice((200, 500))}")
    return replace(table, checks=table.checks + (check,)), "add check constraint"


def _add_index(table: Table, rng: random.Random) -> tuple[Table, str]:
    free = _free_columns(table)
    if free and rng.random() < 0.6:
        column = rng.choice(free)
        method = "USING gin " if column.type in ("jsonb", "text[]") else ""
        index = Index(f"{table.name}_{column.name}", f"{method}({column.name})")
        return (replace(table, indexes=table.indexes + (index,),
                        core=table.core | {column.name}), f"add index on {column.name}")
    index = Index(f"{table.name}_tenant_name", "(tenant_id, name)")
    return replace(table, indexes=table.indexes + (index,)), "add index on tenant_id, name"


def _drop_index(table: Table, rng: random.Random) -> tuple[Table, str]:
    return replace(table, indexes=table.indexes[:1]), f"drop index {table.indexes[1].name}"


def _table_comment(table: Table, rng: random.Random) -> tuple[Table, str]:
    return replace(table, comment=table.comment + " (revised)"), "comment changed"


def _enable_rls(table: Table, rng: random.Random) -> tuple[Table, str]:
    return replace(table, rls=True, policies=_policies(rng)), "row level security enabled"


def _change_policy(table: Table, rng: random.Random) -> tuple[Table, str]:
    first = replace(table.policies[0], using=f"{table.policies[0].using} OR "
                                             f"current_user = '{WRITER}'")
    return (replace(table, policies=(first,) + table.policies[1:]),
            f"policy {first.name} changed")


def _change_grant(table: Table, rng: random.Random) -> tuple[Table, str]:
    writer = {None: "SELECT, INSERT", "SELECT, INSERT": "SELECT, INSERT, UPDATE, DELETE",
              "SELECT, INSERT, UPDATE, DELETE": "SELECT, INSERT, UPDATE"}[table.writer_grant]
    return replace(table, writer_grant=writer), f"{WRITER} granted {writer}"


def _new_table(schema: Schema, rng: random.Random, changes: _Changes) -> Schema:
    table = _table(rng, changes.names, list(schema.tables), schema.enums, schema.domains,
                   schema.features, updated_at=False, rls=False)
    changes.take(table.qname, f"{table.qname}: new table")
    return replace(schema, tables=schema.tables + (table,))


def _referenced(schema: Schema) -> set[str]:
    """Tables and views something else reads: never dropped."""
    used = {c.references for t in schema.tables for c in t.columns if c.references}
    used |= {v.source for v in schema.views} | {v.join[0] for v in schema.views if v.join}
    used |= {f.target for f in schema.functions if f.target}
    return used | {AUDIT_TABLE}


def _drop_table(schema: Schema, rng: random.Random, changes: _Changes) -> Schema | None:
    used = _referenced(schema)
    index = _pick_table(schema, rng, changes, lambda t: t.qname not in used)
    if index is None:
        return None
    table = schema.tables[index]
    changes.take(table.qname, f"{table.qname}: dropped")
    return replace(schema, tables=schema.tables[:index] + schema.tables[index + 1:],
                   triggers=tuple(t for t in schema.triggers if t.table != table.qname))


def _view_mutation(ok: Callable[[View], bool],
                   edit: Callable[[View], tuple[View, str]]) -> Mutation:
    def mutate(schema: Schema, rng: random.Random, changes: _Changes) -> Schema | None:
        candidates = [i for i, v in enumerate(schema.views)
                      if v.qname not in changes.touched and ok(v)]
        if not candidates:
            return None
        index = rng.choice(candidates)
        view, what = edit(schema.views[index])
        changes.take(view.qname, f"{view.qname}: {what}")
        return replace(schema, views=schema.views[:index] + (view,) + schema.views[index + 1:])
    return mutate


def _view_body(view: View) -> tuple[View, str]:
    return replace(view, variant=view.variant + 1), "query changed"


def _view_column(view: View) -> tuple[View, str]:
    return replace(view, extra_column=True), "column appended"


def _new_view(schema: Schema, rng: random.Random, changes: _Changes) -> Schema:
    view = _table_view(rng, changes.names, rng.choice(schema.tables[1:]), schema.functions)
    changes.take(view.qname, f"{view.qname}: new view")
    return replace(schema, views=schema.views + (view,))


def _drop_view(schema: Schema, rng: random.Random, changes: _Changes) -> Schema | None:
    used = {v.source for v in schema.views}
    candidates = [v for v in schema.views if v.qname not in used | changes.touched]
    if not candidates:
        return None
    view = rng.choice(candidates)
    changes.take(view.qname, f"{view.qname}: dropped")
    return replace(schema, views=tuple(v for v in schema.views if v is not view))


def _function_mutation(ok: Callable[[Function], bool],
                       edit: Callable[[Function], tuple[Function, str]]) -> Mutation:
    def mutate(schema: Schema, rng: random.Random, changes: _Changes) -> Schema | None:
        candidates = [i for i, f in enumerate(schema.functions)
                      if f.signature not in changes.touched and ok(f)]
        if not candidates:
            return None
        index = rng.choice(candidates)
        function, what = edit(schema.functions[index])
        changes.take(function.signature, f"{function.signature}: {what}")
        functions = schema.functions
        return replace(schema, functions=functions[:index] + (function,) + functions[index + 1:])
    return mutate


def _function_body(function: Function) -> tuple[Function, str]:
    return replace(function, variant=function.variant + 1), "body changed"


def _function_cost(function: Function) -> tuple[Function, str]:
    return replace(function, costly=not function.costly), "cost changed"


def _new_overload(schema: Schema, rng: random.Random, changes: _Changes) -> Schema | None:
    overloaded = {f.name for f in schema.functions if f.overload}
    candidates = [f for f in schema.functions if f.role == "scale" and f.name not in overloaded
                  and f.signature not in changes.touched]
    if not candidates:
        return None
    function = replace(rng.choice(candidates), overload=True, comment="")
    changes.take(function.signature, f"{function.signature}: new overload")
    return replace(schema, functions=schema.functions + (function,))


def _new_function(schema: Schema, rng: random.Random, changes: _Changes) -> Schema:
    function = _reader(rng, changes.names, rng.choice(schema.tables[1:]), rng.random())
    changes.take(function.signature, f"{function.signature}: new function")
    return replace(schema, functions=schema.functions + (function,))


def _drop_function(schema: Schema, rng: random.Random, changes: _Changes) -> Schema | None:
    candidates = [f for f in schema.functions if f.target or f.overload]
    candidates = [f for f in candidates if f.signature not in changes.touched]
    if not candidates:
        return None
    function = rng.choice(candidates)
    changes.take(function.signature, f"{function.signature}: dropped")
    return replace(schema, functions=tuple(f for f in schema.functions if f is not function))


def _new_trigger(schema: Schema, rng: random.Random, changes: _Changes) -> Schema | None:
    audit = [f.qname for f in schema.functions if f.role == "audit"]
    with_trigger = {t.table for t in schema.triggers}
    index = _pick_table(schema, rng, changes, lambda t: t.qname not in with_trigger)
    if not audit or index is None:
        return None
    table = schema.tables[index]
    trigger = Trigger(changes.names.new(f"{table.name}_audit_rows"[:60]), table.qname,
                      rng.choice(audit), "audit_rows")
    changes.take(table.qname, f"{table.qname}: new trigger {trigger.name}")
    return replace(schema, triggers=schema.triggers + (trigger,))


def _trigger_mutation(ok: Callable[[Trigger], bool],
                      edit: Callable[[Trigger], Trigger | None], what: str) -> Mutation:
    def mutate(schema: Schema, rng: random.Random, changes: _Changes) -> Schema | None:
        candidates = [t for t in schema.triggers if t.table not in changes.touched and ok(t)]
        if not candidates:
            return None
        trigger = rng.choice(candidates)
        changes.take(trigger.table, f"{trigger.table}: trigger {trigger.name} {what}")
        edited = (edit(t) if t is trigger else t for t in schema.triggers)
        return replace(schema, triggers=tuple(t for t in edited if t is not None))
    return mutate


def _enum_value(schema: Schema, rng: random.Random, changes: _Changes) -> Schema | None:
    candidates = [i for i, e in enumerate(schema.enums) if e.qname not in changes.touched]
    if not candidates:
        return None
    index = rng.choice(candidates)
    kind = schema.enums[index]
    if rng.random() < 0.5:
        labels = kind.labels[:-1] + ("on_hold",) + kind.labels[-1:]
    else:
        labels = kind.labels + ("legacy",)
    changes.take(kind.qname, f"{kind.qname}: new value")
    enums = schema.enums[:index] + (replace(kind, labels=labels),) + schema.enums[index + 1:]
    return replace(schema, enums=enums)


def _domain_change(schema: Schema, rng: random.Random, changes: _Changes) -> Schema | None:
    candidates = [i for i, d in enumerate(schema.domains) if d.qname not in changes.touched]
    if not candidates:
        return None
    index = rng.choice(candidates)
    domain = schema.domains[index]
    if domain.default is not None:
        changed, what = replace(domain, default=None), "default dropped"
    else:
        changed, what = replace(domain, check=f"{domain.check} AND VALUE IS NOT NULL"), "check"
    changes.take(domain.qname, f"{domain.qname}: {what}")
    domains = schema.domains[:index] + (changed,) + schema.domains[index + 1:]
    return replace(schema, domains=domains)


def _all(*features: Feature) -> frozenset[Feature]:
    return frozenset(features)


# (mutation, relative weight, the features it needs)
_MUTATIONS: tuple[tuple[Mutation, int, frozenset[Feature]], ...] = (
    (_table_mutation(lambda t: any(t.column(c.name) is None for c in NEW_COLUMNS),
                     _add_column), 12, _all()),
    (_table_mutation(lambda t: bool(_free_columns(t)), _drop_column), 6, _all()),
    (_table_mutation(lambda t: any(c.type in WIDER for c in _free_columns(t)),
                     _retype_column), 5, _all()),
    (_table_mutation(lambda t: any(c.name in NEW_DEFAULTS for c in _free_columns(t)),
                     _change_default), 6, _all()),
    (_table_mutation(lambda t: bool(_free_columns(t)), _toggle_not_null), 4, _all()),
    (_table_mutation(lambda t: not t.checks, _add_check), 3, _all()),
    (_table_mutation(lambda t: True, _add_index), 8, _all()),
    (_table_mutation(lambda t: len(t.indexes) > 1, _drop_index), 3, _all()),
    (_table_mutation(lambda t: True, _table_comment), 4, _all(Feature.COMMENTS)),
    (_new_table, 5, _all()),
    (_drop_table, 2, _all()),
    (_table_mutation(lambda t: not t.rls, _enable_rls), 2, _all(Feature.POLICIES)),
    (_table_mutation(lambda t: bool(t.policies), _change_policy), 2, _all(Feature.POLICIES)),
    (_table_mutation(lambda t: True, _change_grant), 3, _all(Feature.GRANTS)),
    (_view_mutation(lambda v: True, _view_body), 6, _all(Feature.VIEWS)),
    (_view_mutation(lambda v: v.kind != "stacked" and not v.extra_column, _view_column), 3,
     _all(Feature.VIEWS)),
    (_new_view, 3, _all(Feature.VIEWS)),
    (_drop_view, 1, _all(Feature.VIEWS)),
    (_function_mutation(lambda f: True, _function_body), 6, _all(Feature.FUNCTIONS)),
    (_function_mutation(lambda f: f.role != "touch" and f.role != "audit", _function_cost), 2,
     _all(Feature.FUNCTIONS)),
    (_new_overload, 2, _all(Feature.FUNCTIONS)),
    (_new_function, 2, _all(Feature.FUNCTIONS)),
    (_drop_function, 1, _all(Feature.FUNCTIONS)),
    (_new_trigger, 2, _all(Feature.TRIGGERS, Feature.FUNCTIONS)),
    (_trigger_mutation(lambda t: t.kind == "touch",
                       lambda t: replace(t, when=not t.when), "WHEN changed"), 1,
     _all(Feature.TRIGGERS, Feature.FUNCTIONS)),
    (_trigger_mutation(lambda t: True, lambda t: None, "dropped"), 1,
     _all(Feature.TRIGGERS, Feature.FUNCTIONS)),
    (_enum_value, 1, _all(Feature.ENUMS)),
    (_domain_change, 1, _all(Feature.DOMAINS)),
)


# --- rendering -------------------------------------------------------------------------------


def render(schema: Schema) -> tuple[str, ...]:
    """The schema as SQL statements, dependencies first."""
    features = schema.features
    out: list[str] = []
    out += _schemas(features)
    for kind in schema.enums:
        labels = ", ".join(f"'{label}'" for label in kind.labels)
        out.append(f"CREATE TYPE {kind.qname} AS ENUM ({labels});")
    for domain in schema.domains:
        out += _domain(domain, features)
    out += _functions_sql([f for f in schema.functions if f.target is None], features)
    for table in schema.tables:
        out += _table_sql(table, features)
    for view in schema.views:
        out += _view_sql(view, schema, features)
    out += _functions_sql([f for f in schema.functions if f.target is not None], features)
    out += [_trigger_sql(t) for t in schema.triggers]
    return tuple(out)


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _schemas(features: frozenset[Feature]) -> Iterable[str]:
    for name in sorted({*TABLE_SCHEMAS, TYPES_SCHEMA, HELPERS_SCHEMA, VIEWS_SCHEMA}):
        yield f"CREATE SCHEMA {name};"
        if Feature.COMMENTS in features:
            yield f"COMMENT ON SCHEMA {name} IS {_literal(f'The {name} area')};"
        if Feature.GRANTS in features:
            yield f"GRANT USAGE ON SCHEMA {name} TO {READER}, {WRITER};"


def _domain(domain: Domain, features: frozenset[Feature]) -> Iterable[str]:
    default = f" DEFAULT {domain.default}" if domain.default is not None else ""
    yield (f"CREATE DOMAIN {domain.qname} AS {domain.base}{default} "
           f"CONSTRAINT {domain.name}_check CHECK ({domain.check});")
    if Feature.COMMENTS in features:
        yield f"COMMENT ON DOMAIN {domain.qname} IS {_literal(domain.name.replace('_', ' '))};"


def _table_sql(table: Table, features: frozenset[Feature]) -> Iterable[str]:
    lines = [_column_sql(table, c) for c in table.columns]
    lines += [f"CONSTRAINT {name} CHECK ({check})" for name, check in table.checks]
    body = ",\n    ".join(lines)
    yield f"CREATE TABLE {table.qname} (\n    {body}\n);"
    for index in table.indexes:
        yield f"CREATE INDEX {index.name} ON {table.qname} {index.definition};"
    if Feature.COMMENTS in features:
        yield f"COMMENT ON TABLE {table.qname} IS {_literal(table.comment)};"
        for column in table.columns:
            if column.comment:
                yield (f"COMMENT ON COLUMN {table.qname}.{column.name} IS "
                       f"{_literal(column.comment)};")
    if table.rls:
        yield f"ALTER TABLE {table.qname} ENABLE ROW LEVEL SECURITY;"
        yield from (_policy_sql(table, p) for p in table.policies)
    if Feature.GRANTS in features:
        yield from _table_grants(table)


def _column_sql(table: Table, column: Column) -> str:
    parts = [column.name, column.type]
    if column.identity:
        parts.append("GENERATED ALWAYS AS IDENTITY")
    if column.not_null and not column.primary_key:
        parts.append("NOT NULL")
    if column.default is not None:
        parts.append(f"DEFAULT {column.default}")
    if column.primary_key:
        parts.append("PRIMARY KEY")
    if column.unique:
        parts.append(f"CONSTRAINT {table.name}_{column.name}_key UNIQUE")
    if column.check:
        parts.append(f"CONSTRAINT {table.name}_{column.name}_check CHECK ({column.check})")
    if column.references:
        parts.append(f"REFERENCES {column.references} (id)")
        if column.on_delete:
            parts.append(f"ON DELETE {column.on_delete}")
    return " ".join(parts)


def _policy_sql(table: Table, policy: Policy) -> str:
    sql = f"CREATE POLICY {policy.name} ON {table.qname} FOR {policy.command} TO {policy.role}"
    if policy.using:
        sql += f" USING ({policy.using})"
    if policy.check:
        sql += f" WITH CHECK ({policy.check})"
    return sql + ";"


def _table_grants(table: Table) -> Iterable[str]:
    yield f"GRANT SELECT ON {table.qname} TO {READER};"
    if table.writer_grant:
        yield f"GRANT {table.writer_grant} ON {table.qname} TO {WRITER};"
        if "INSERT" in table.writer_grant and table.columns[0].type == "bigserial":
            yield f"GRANT USAGE ON SEQUENCE {table.qname}_id_seq TO {WRITER};"
    if table.reader_column_grant:
        yield f"GRANT {table.reader_column_grant} ON {table.qname} TO {READER};"


def _view_sql(view: View, schema: Schema, features: frozenset[Feature]) -> Iterable[str]:
    kind = "MATERIALIZED VIEW" if view.materialized else "VIEW"
    options = " WITH (security_barrier)" if view.barrier else ""
    yield f"CREATE {kind} {view.qname}{options} AS\n{_view_query(view, schema)};"
    if view.materialized:
        yield f"CREATE INDEX {view.name}_tenant ON {view.qname} (tenant_id);"
    if Feature.COMMENTS in features:
        yield f"COMMENT ON {kind} {view.qname} IS {_literal(view.comment)};"
    if Feature.GRANTS in features:
        yield f"GRANT SELECT ON {view.qname} TO {READER};"


def _view_query(view: View, schema: Schema) -> str:
    days = 30 * (view.variant + 1)
    if view.kind == "join":
        parent, fk = view.join or ("", "")
        extra = ", c.created_at::date AS created_on" if view.extra_column else ""
        return (f"SELECT c.id, c.tenant_id, c.name, p.name AS parent_name, c.created_at{extra}\n"
                f"  FROM {view.source} c\n  JOIN {parent} p ON p.id = c.{fk}\n"
                f" WHERE c.created_at > now() - interval '{days} days'")
    if view.kind == "summary":
        extra = ", min(created_at) AS first_created_at" if view.extra_column else ""
        return (f"SELECT tenant_id, count(*) AS total, max(created_at) AS last_created_at"
                f"{extra}\n  FROM {view.source}\n GROUP BY tenant_id\n"
                f"HAVING count(*) > {view.variant}")
    if view.kind == "stacked":
        columns = ", ".join(f"v.{c}" for c in view.columns)
        return f"SELECT {columns}\n  FROM {view.source} v\n WHERE v.tenant_id > {view.variant}"
    shown = (f"{HELPERS_SCHEMA}.display_name(name) AS display_name"
             if "display_name" in view.columns else "name")
    extra = ", created_at::date AS created_on" if view.extra_column else ""
    return (f"SELECT id, tenant_id, {shown}, created_at{extra}\n  FROM {view.source}\n"
            f" WHERE created_at > now() - interval '{days} days'")


def _functions_sql(functions: list[Function], features: frozenset[Feature]) -> list[str]:
    out = []
    for function in functions:
        returns, language, attributes, body = _FUNCTION_ROLES[function.role](function)
        args = _ROLE_ARGS[function.role](function)[0]
        cost = " COST 500" if function.costly else ""
        out.append(f"CREATE FUNCTION {function.qname}({args}) RETURNS {returns}\n"
                   f"LANGUAGE {language} {attributes}{cost}\nAS $fn$\n{body}\n$fn$;")
        if Feature.COMMENTS in features and function.comment:
            out.append(f"COMMENT ON FUNCTION {function.signature} IS "
                       f"{_literal(function.comment)};")
        if Feature.GRANTS in features and function.role == "touch_row":
            out.append(f"REVOKE EXECUTE ON FUNCTION {function.signature} FROM PUBLIC;")
            out.append(f"GRANT EXECUTE ON FUNCTION {function.signature} TO {WRITER};")
        elif Feature.GRANTS in features and function.role not in ("touch", "audit"):
            out.append(f"GRANT EXECUTE ON FUNCTION {function.signature} TO {READER};")
    return out


def _scale(f: Function) -> tuple[str, str, str, str]:
    factor = f"1.{f.variant:02d}"
    body = (f"SELECT round(p_value * {factor}, p_scale)" if f.overload
            else f"SELECT round(p_value * {factor}, 2)")
    return "numeric", "sql", "IMMUTABLE PARALLEL SAFE", body


def _slug(f: Function) -> tuple[str, str, str, str]:
    separator = "-_"[f.variant % 2]
    body = f"SELECT lower(regexp_replace(p_text, '[^a-z0-9]+', '{separator}', 'gi'))"
    return "text", "sql", "IMMUTABLE STRICT", body


def _days_between(f: Function) -> tuple[str, str, str, str]:
    floor = f.variant
    body = (f"BEGIN\n  IF p_to < p_from THEN\n    RETURN {floor};\n  END IF;\n"
            f"  RETURN greatest(p_to - p_from, {floor});\nEND")
    return "integer", "plpgsql", "IMMUTABLE", body


def _display_name(f: Function) -> tuple[str, str, str, str]:
    body = ("SELECT initcap(trim(p_name))" if f.variant % 2 == 0
            else "SELECT initcap(btrim(p_name, ' .'))")
    return "text", "sql", "STABLE", body


def _touch(f: Function) -> tuple[str, str, str, str]:
    clock = ("now()", "clock_timestamp()")[f.variant % 2]
    return "trigger", "plpgsql", "", f"BEGIN\n  NEW.updated_at := {clock};\n  RETURN NEW;\nEND"


def _audit(f: Function) -> tuple[str, str, str, str]:
    operation = ("TG_OP", "lower(TG_OP)")[f.variant % 2]
    body = (f"BEGIN\n  INSERT INTO {AUDIT_TABLE} (table_name, operation)\n"
            f"  VALUES (TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME, {operation});\n"
            f"  RETURN NULL;\nEND")
    return "trigger", "plpgsql", "", body


def _count_rows(f: Function) -> tuple[str, str, str, str]:
    since = f"\n   AND created_at > now() - interval '{f.variant} years'" if f.variant else ""
    body = f"SELECT count(*) FROM {f.target}\n WHERE tenant_id = p_tenant{since}"
    return "bigint", "sql", "STABLE", body


def _recent_rows(f: Function) -> tuple[str, str, str, str]:
    order = "created_at DESC" + (", id DESC" if f.variant else "")
    body = (f"SELECT * FROM {f.target}\n WHERE tenant_id = p_tenant\n"
            f" ORDER BY {order}\n LIMIT p_limit")
    return f"SETOF {f.target}", "sql", "STABLE", body


def _touch_row(f: Function) -> tuple[str, str, str, str]:
    column = ("created_at", "name")[f.variant % 2]
    body = (f"BEGIN\n  UPDATE {f.target} SET {column} = {column} WHERE id = p_id;\n"
            f"  RETURN FOUND;\nEND")
    return "boolean", "plpgsql", "VOLATILE SECURITY DEFINER SET search_path = ''", body


# role -> (returns, language, attributes, body)
_FUNCTION_ROLES: dict[str, Callable[[Function], tuple[str, str, str, str]]] = {
    "scale": _scale, "slug": _slug, "days_between": _days_between,
    "display_name": _display_name, "touch": _touch, "audit": _audit,
    "count_rows": _count_rows, "recent_rows": _recent_rows, "touch_row": _touch_row,
}

# role -> (parameters as declared, input types for a signature)
_ROLE_ARGS: dict[str, Callable[[Function], tuple[str, str]]] = {
    "scale": lambda f: (("p_value numeric, p_scale integer", "numeric, integer") if f.overload
                        else ("p_value numeric", "numeric")),
    "slug": lambda f: ("p_text text", "text"),
    "days_between": lambda f: ("p_from date, p_to date", "date, date"),
    "display_name": lambda f: ("p_name text", "text"),
    "touch": lambda f: ("", ""),
    "audit": lambda f: ("", ""),
    "count_rows": lambda f: ("p_tenant integer", "integer"),
    "recent_rows": lambda f: ("p_tenant integer, p_limit integer DEFAULT 20",
                              "integer, integer"),
    "touch_row": lambda f: (f"p_id {f.id_type}", f.id_type),
}


def _trigger_sql(trigger: Trigger) -> str:
    timing = {"touch": "BEFORE UPDATE", "touch_columns": "BEFORE UPDATE OF name",
              "audit_rows": "AFTER INSERT OR UPDATE OR DELETE",
              "audit_truncate": "AFTER TRUNCATE"}[trigger.kind]
    level = "STATEMENT" if trigger.kind == "audit_truncate" else "ROW"
    when = " WHEN (OLD.* IS DISTINCT FROM NEW.*)" if trigger.when else ""
    return (f"CREATE TRIGGER {trigger.name} {timing} ON {trigger.table} FOR EACH {level}"
            f"{when} EXECUTE FUNCTION {trigger.function}();")
