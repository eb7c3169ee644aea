"""-- require: lines as the diff engine's ordering hints (pure, inline data)."""

from __future__ import annotations

from pgmt_git.diff import diff_catalogs
from pgmt_git.diff.model import (
    Catalog,
    Column,
    Constraint,
    ConstraintType,
    Function,
    FunctionKind,
    Kind,
    ObjectId,
    Schema,
    Table,
    Trigger,
    View,
    column_id,
)
from pgmt_git.project.files import SourceFile
from pgmt_git.project.require_hints import require_hints
from pgmt_git.project.schema_files import SchemaFile, order_schema_files


def schema_files(files: dict[str, str]) -> tuple[SchemaFile, ...]:
    sources = tuple(SourceFile(f"schema/{name}", text) for name, text in sorted(files.items()))
    return order_schema_files(sources, schema_dir="schema")


def fn(name: str, args: str = "", schema: str = "public") -> Function:
    return Function(schema, name, args, FunctionKind.FUNCTION,
                    f"CREATE OR REPLACE FUNCTION {schema}.{name}({args}) ...")


ORDERS = Table("public", "orders", (Column("id", "integer", default="public.new_order_id()"),
                                    Column("amount", "numeric")))
NEW_ORDER_ID = fn("new_order_id")
COUNT_ORDERS = fn("count_orders")
# orders.id's default calls new_order_id(): recorded, so the table waits for the function.
TARGET = Catalog.build([ORDERS, NEW_ORDER_ID, COUNT_ORDERS],
                       [(column_id(ORDERS.id, "id"), NEW_ORDER_ID.id)])
FILES = {
    "functions/new_order_id.sql": "CREATE FUNCTION new_order_id() RETURNS int "
                                  "LANGUAGE sql AS 'SELECT 1';\n",
    "tables/orders.sql": "-- require: functions/new_order_id.sql\n"
                         "CREATE TABLE orders (id int DEFAULT new_order_id(), amount numeric);\n"
                         "COMMENT ON TABLE orders IS 'orders';\n",
    "functions/count_orders.sql": "-- require: tables/orders.sql\n"
                                  "CREATE FUNCTION count_orders() RETURNS bigint LANGUAGE sql\n"
                                  "AS 'SELECT count(*) FROM orders';\n",
}


def creations(changes: tuple[object, ...]) -> list[str]:
    return [c.id.qualified_text() for c in changes]  # type: ignore[attr-defined]


def test_every_object_of_a_file_depends_on_every_object_of_the_files_it_requires() -> None:
    hints = require_hints(schema_files(FILES), TARGET)
    orders_columns = {column_id(ORDERS.id, c.name) for c in ORDERS.columns}
    assert hints == {
        (ORDERS.id, NEW_ORDER_ID.id),
        *((COUNT_ORDERS.id, b) for b in {ORDERS.id, *orders_columns}),
    }


def test_the_hint_puts_a_function_body_after_the_table_it_reads() -> None:
    # Without the hint, count_orders() sorts before new_order_id(), which the table waits
    # for: the function would be created before the table its body reads.
    plain = creations(diff_catalogs(Catalog(), TARGET))
    assert plain.index("public.count_orders()") < plain.index("public.orders")
    hinted = creations(diff_catalogs(Catalog(), TARGET,
                                     hints=require_hints(schema_files(FILES), TARGET)))
    assert hinted == ["public.new_order_id()", "public.orders", "public.count_orders()"]


def test_files_without_requires_give_nothing_and_are_not_parsed() -> None:
    files = schema_files({"a.sql": "CREATE TABLE a (", "b.sql": "CREATE TABLE b ();"})
    assert require_hints(files, TARGET) == frozenset()


def test_only_what_a_file_creates_counts() -> None:
    # b.sql comments on and grants on a.sql's table: the table is still a.sql's alone.
    a, b = Table("public", "a"), View("public", "b", "SELECT 1")
    files = schema_files({
        "a.sql": "CREATE TABLE a ();",
        "b.sql": "-- require: a.sql\nCOMMENT ON TABLE a IS 'x';\nGRANT SELECT ON a TO PUBLIC;\n"
                 "ALTER TABLE a ENABLE ROW LEVEL SECURITY;\nCREATE VIEW b AS SELECT 1;",
    })
    assert require_hints(files, Catalog.build([a, b])) == {(b.id, a.id)}


def test_names_resolve_through_the_files_search_path() -> None:
    app = Schema("app")
    users = Table("app", "users", (Column("id", "integer"),))
    public_users = Table("public", "users")
    check = Constraint(users.id, "users_id_check", ConstraintType.CHECK, "CHECK ((id > 0))")
    audit = Trigger(users.id, "audit", "CREATE TRIGGER audit ...")
    audit_fn = fn("audit", schema="app")
    files = schema_files({
        "app.sql": "CREATE SCHEMA app;",
        "users.sql": "-- require: app.sql\nSET search_path TO app, public;\n"
                     "CREATE TABLE users (id int);\n"
                     "ALTER TABLE users ADD CONSTRAINT users_id_check CHECK (id > 0);\n"
                     "RESET search_path;\nCREATE TABLE users ();\n",
        "zz.sql": "-- require: users.sql\nSET search_path = app;\n"
                  "CREATE FUNCTION audit() RETURNS trigger LANGUAGE plpgsql "
                  "AS 'BEGIN RETURN NEW; END';\n"
                  "CREATE TRIGGER audit AFTER INSERT ON users FOR EACH ROW EXECUTE "
                  "FUNCTION audit();\n",
    })
    target = Catalog.build([app, users, public_users, check, audit, audit_fn])
    hints = require_hints(files, target)
    users_objects = {users.id, check.id, public_users.id}
    assert {a for a, _ in hints} == {audit_fn.id, audit.id, *users_objects}
    assert {b for a, b in hints if a == audit.id} == {*users_objects, column_id(users.id, "id")}
    assert {b for a, b in hints if a == users.id} == {app.id}


def test_overloads_are_told_apart_by_argument_types() -> None:
    by_int, by_text = fn("f", "integer"), fn("f", "text")
    typed = fn("g", "public.mood[], character varying")
    table = Table("public", "t")
    files = schema_files({
        "t.sql": "CREATE TABLE t ();",
        "f.sql": "-- require: t.sql\n"
                 "CREATE FUNCTION f(n int4) RETURNS int LANGUAGE sql AS 'SELECT 1';\n"
                 "CREATE FUNCTION g(OUT x int, m mood[], v varchar(3)) LANGUAGE sql "
                 "AS 'SELECT 1';\n",
    })
    hints = require_hints(files, Catalog.build([by_int, by_text, typed, table]))
    assert hints == {(by_int.id, table.id), (typed.id, table.id)}


def test_objects_the_catalog_does_not_hold_give_no_hint() -> None:
    files = schema_files({
        "a.sql": "CREATE TABLE kept ();\nCREATE TABLE filtered ();",
        "b.sql": "-- require: a.sql\nCREATE VIEW v AS SELECT 1;\nCREATE RULE r AS ON INSERT "
                 "TO kept DO INSTEAD NOTHING;",
    })
    kept, view = Table("public", "kept"), View("public", "v", "SELECT 1")
    assert require_hints(files, Catalog.build([kept, view])) == {(view.id, kept.id)}
    assert require_hints(files, Catalog.build([kept])) == frozenset()


def test_event_triggers_and_schemas_have_no_schema_of_their_own() -> None:
    files = schema_files({
        "s.sql": "CREATE SCHEMA s;",
        "e.sql": "-- require: s.sql\nCREATE EVENT TRIGGER e ON ddl_command_end "
                 "EXECUTE FUNCTION s.f();",
    })
    schema, trigger = ObjectId(Kind.SCHEMA, "", "s"), ObjectId(Kind.EVENT_TRIGGER, "", "e")
    from pgmt_git.diff.model import EventTrigger

    target = Catalog.build([Schema("s"), EventTrigger("e", "ddl_command_end",
                                                      fn("f", schema="s").id)])
    assert require_hints(files, target) == {(trigger, schema)}


def test_no_hint_against_a_recorded_dependency() -> None:
    # b.sql sets a default of a.sql's table to its own function: the table needs the
    # function, so the function must not wait for the table.
    table = Table("public", "t", (Column("id", "integer", default="public.f()"),))
    f, view = fn("f"), View("public", "v", "SELECT 1")
    files = schema_files({
        "a.sql": "CREATE TABLE t (id int);",
        "b.sql": "-- require: a.sql\nCREATE FUNCTION f() RETURNS int LANGUAGE sql "
                 "AS 'SELECT 1';\nALTER TABLE t ALTER id SET DEFAULT f();\n"
                 "CREATE VIEW v AS SELECT 1;",
    })
    target = Catalog.build([table, f, view], [(column_id(table.id, "id"), f.id)])
    assert require_hints(files, target) == {(view.id, table.id),
                                            (view.id, column_id(table.id, "id"))}
