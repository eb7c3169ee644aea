"""The pure layers with inline catalogs: differ decisions, ordering, rendering, determinism.
No database here (the round trips in test_cases.py prove the SQL against a real server)."""

from __future__ import annotations

from dataclasses import replace

from pgmt_git.diff import changes as ch
from pgmt_git.diff import diff_catalogs, render_sql
from pgmt_git.diff.hazards import HazardKind
from pgmt_git.diff.kinds.enums import added_labels, renamed_labels
from pgmt_git.diff.kinds.tables import binary_coercible, narrowing, needs_using
from pgmt_git.diff.model import (
    Catalog,
    Column,
    Constraint,
    ConstraintType,
    EnumType,
    ForeignKey,
    Index,
    Kind,
    ObjectId,
    Schema,
    Sequence,
    Table,
    View,
    column_id,
)
from pgmt_git.diff.ordering import order_changes

PUBLIC = Schema("public")


def table(name: str, *columns: Column, schema: str = "public") -> Table:
    return Table(schema, name, columns)


def col(name: str, type_: str = "integer", **kw: object) -> Column:
    return Column(name, type_, **kw)  # type: ignore[arg-type]


def catalog(*objects: object, depends: tuple[tuple[ObjectId, ObjectId], ...] = ()) -> Catalog:
    return Catalog.build([PUBLIC, *objects], depends)  # type: ignore[list-item]


def actions(changes: tuple[ch.Change, ...]) -> list[str]:
    return [f"{c.action} {c.id.qualified_text()}" for c in changes]


# --------------------------------------------------------------------------- differ


def test_equal_catalogs_give_no_changes() -> None:
    cat = catalog(table("t", col("a")))
    assert diff_catalogs(cat, cat) == ()


def test_changed_default_is_a_change() -> None:
    old = catalog(table("t", col("a", default="1")))
    new = catalog(table("t", col("a", default="2")))
    assert render_sql(diff_catalogs(old, new)) == (
        "ALTER TABLE public.t ALTER COLUMN a DROP DEFAULT;\n\n"
        "ALTER TABLE public.t ALTER COLUMN a SET DEFAULT 2;\n")


def test_dropped_column_and_table_carry_data_loss() -> None:
    old = catalog(table("t", col("a"), col("b")), table("u", col("x")))
    new = catalog(table("t", col("a")))
    changes = diff_catalogs(old, new)
    assert actions(changes) == ["drop_column public.t.b", "drop_table public.u"]
    assert all(HazardKind.DATA_LOSS in {h.kind for h in c.hazards} for c in changes)


def test_type_change_without_assignment_cast_adds_using() -> None:
    old = catalog(table("t", col("a", "text")))
    new = catalog(table("t", col("a", "integer")))
    assert "USING a::integer" in render_sql(diff_catalogs(old, new))


def test_type_rules() -> None:
    assert not needs_using("character varying(10)", "text")
    assert not needs_using("integer", "bigint")
    assert needs_using("text", "integer")
    assert needs_using("integer", "integer[]")
    assert binary_coercible("character varying(10)", "character varying(20)")
    assert not binary_coercible("character varying(20)", "character varying(10)")
    assert binary_coercible("numeric(10,2)", "numeric(12,2)")
    assert not binary_coercible("integer", "bigint")
    assert narrowing("numeric(10,2)", "numeric(10,1)")
    assert narrowing("double precision", "integer")
    assert not narrowing("integer", "bigint")


def test_enum_labels_added_in_place_or_rebuilt() -> None:
    assert added_labels(("b", "d"), ("a", "b", "c", "d", "e")) == [
        ("a", "b", None), ("c", None, "b"), ("e", None, "d")]
    assert added_labels(("x",), ("x",)) == []
    for old, new in [(("a", "b"), ("b", "a")), (("a", "b"), ("a",))]:
        try:
            added_labels(old, new)
        except ValueError:
            continue
        raise AssertionError(f"{old} -> {new} must need a rebuild")


def test_enum_labels_renamed_in_place_only_where_unambiguous() -> None:
    assert renamed_labels(("a", "b", "c"), ("a", "x", "y")) == [("b", "x"), ("c", "y")]
    assert renamed_labels(("a", "b"), ("a", "b")) == []
    for old, new in [(("a", "b", "c"), ("a", "c", "d")),  # b removed, d added elsewhere
                     (("a", "b"), ("b", "a")), (("a", "b"), ("a", "b", "c")),
                     (("a", "b"), ("b", "x"))]:
        assert renamed_labels(old, new) is None, f"{old} -> {new} is not a rename"


def test_enum_rebuild_moves_columns_of_the_type() -> None:
    mood = EnumType("public", "mood", ("a", "b"))
    column = column_id(ObjectId(Kind.TABLE, "public", "t"), "m")
    t = table("t", col("m", "public.mood", default="'a'::public.mood"))
    old = catalog(mood, t, depends=((column, mood.id),))
    new = catalog(replace(mood, labels=("b", "a")), t, depends=((column, mood.id),))
    changes = diff_catalogs(old, new)
    assert actions(changes) == ["rebuild_enum public.mood"]
    sql = render_sql(changes)
    assert "ALTER TABLE public.t ALTER COLUMN m TYPE public.mood USING m::text::public.mood" in sql
    assert sql.index("DROP DEFAULT") < sql.index("TYPE public.mood USING") < sql.index(
        "SET DEFAULT")


def test_not_valid_constraint_stays_not_valid_and_validates_in_place() -> None:
    t = table("t", col("a"))
    check = Constraint(t.id, "c", ConstraintType.CHECK, "CHECK ((a > 0)) NOT VALID",
                       validated=False)
    valid = replace(check, definition="CHECK ((a > 0))", validated=True)
    assert actions(diff_catalogs(catalog(t, check), catalog(t, valid))) == [
        "validate_constraint public.t.c"]
    back = diff_catalogs(catalog(t, valid), catalog(t, check))
    assert actions(back) == ["drop_constraint public.t.c", "add_constraint public.t.c"]
    assert render_sql(back).endswith("CHECK ((a > 0)) NOT VALID;\n")


def test_view_with_appended_column_is_replaced_else_recreated() -> None:
    t = table("t", col("a"), col("b"))
    v1 = View("public", "v", " SELECT a FROM t;", (col("a"),))
    v2 = View("public", "v", " SELECT a, b FROM t;", (col("a"), col("b")))
    v3 = View("public", "v", " SELECT b FROM t;", (col("b"),))
    assert actions(diff_catalogs(catalog(t, v1), catalog(t, v2))) == ["create_view public.v"]
    assert "CREATE OR REPLACE VIEW" in render_sql(diff_catalogs(catalog(t, v1), catalog(t, v2)))
    assert actions(diff_catalogs(catalog(t, v2), catalog(t, v3))) == [
        "drop_view public.v", "create_view public.v"]


# --------------------------------------------------------------------------- ordering


def _fk(child: Table, parent: Table) -> Constraint:
    return Constraint(child.id, f"{child.name}_fk", ConstraintType.FOREIGN_KEY,
                      f"FOREIGN KEY (p) REFERENCES public.{parent.name}(id)", ("p",),
                      foreign_key=ForeignKey(parent.id, ("p",), ("id",)))


def test_creates_go_dependencies_first_and_drops_dependents_first() -> None:
    parent = table("parent", col("id"))
    child = table("child", col("p"))
    pk = Constraint(parent.id, "parent_pkey", ConstraintType.PRIMARY_KEY, "PRIMARY KEY (id)")
    fk = _fk(child, parent)
    view = View("public", "v", " SELECT p FROM public.child;", (col("p"),))
    depends = ((fk.id, pk.id), (fk.id, child.id), (pk.id, parent.id),
               (view.id, column_id(child.id, "p")))
    full = catalog(parent, child, pk, fk, view, depends=depends)
    empty = catalog()
    forward = actions(diff_catalogs(empty, full))
    assert forward.index("create_table public.parent") < forward.index(
        "add_constraint public.parent.parent_pkey") < forward.index(
        "add_constraint public.child.child_fk")
    assert forward.index("create_table public.child") < forward.index("create_view public.v")
    backward = actions(diff_catalogs(full, empty))
    assert backward.index("drop_view public.v") < backward.index("drop_table public.child")
    assert backward.index("drop_table public.child") < backward.index("drop_table public.parent")


def test_same_name_is_dropped_before_created() -> None:
    t = table("x", col("a"))
    v = View("public", "x", " SELECT 1 AS a;", (col("a"),))
    assert actions(diff_catalogs(catalog(t), catalog(v))) == [
        "drop_table public.x", "create_view public.x"]
    assert actions(diff_catalogs(catalog(v), catalog(t))) == [
        "drop_view public.x", "create_table public.x"]


def test_index_moving_to_another_table_is_dropped_first() -> None:
    t, u = table("t", col("a")), table("u", col("a"))
    on_t = Index(t.id, "i", "CREATE INDEX i ON public.t USING btree (a)")
    on_u = Index(u.id, "i", "CREATE INDEX i ON public.u USING btree (a)")
    assert actions(diff_catalogs(catalog(t, u, on_t), catalog(t, u, on_u))) == [
        "drop_index public.t.i", "create_index public.u.i"]


def test_owned_sequence_goes_with_its_table() -> None:
    t = table("t", col("id", default="nextval('public.t_id_seq'::regclass)"))
    seq = Sequence("public", "t_id_seq", owned_by=column_id(t.id, "id"))
    old = catalog(t, seq, depends=((column_id(t.id, "id"), seq.id),))
    assert actions(diff_catalogs(old, catalog())) == ["drop_table public.t"]
    new_changes = actions(diff_catalogs(catalog(), old))
    assert new_changes == ["create_sequence public.t_id_seq", "create_table public.t",
                           "set_sequence_owned_by public.t_id_seq"]


def test_ordering_is_deterministic_whatever_the_input_order() -> None:
    tables = [table(f"t{i}", col("a")) for i in range(12)]
    new = catalog(*tables)
    changes = list(ch.CreateTable(t) for t in tables)
    first = order_changes(changes, catalog(), new)
    second = order_changes(list(reversed(changes)), catalog(), new)
    assert render_sql(first) == render_sql(second)


def test_a_cycle_still_gives_a_deterministic_order() -> None:
    a, b = table("a", col("x")), table("b", col("x"))
    new = catalog(a, b, depends=((a.id, b.id), (b.id, a.id)))
    changes = [ch.CreateTable(b), ch.CreateTable(a)]
    assert actions(order_changes(changes, catalog(), new)) == [
        "create_table public.a", "create_table public.b"]


def test_changes_as_data_for_json() -> None:
    import json

    from pgmt_git.diff import changes_as_data, summary_line

    old = catalog(table("t", col("a"), col("b")))
    new = catalog(table("t", col("a")))
    changes = diff_catalogs(old, new)
    data = changes_as_data(changes)
    assert json.loads(json.dumps(data)) == [{
        "action": "drop_column", "kind": "column", "object": "public.t.b",
        "hazards": [{"kind": "data_loss", "message": "column t.b is dropped"}],
        "sql": ["ALTER TABLE public.t DROP COLUMN b"]}]
    assert summary_line(changes[0]) == "drop_column public.t.b [data_loss]"


def test_hints_order_what_pg_depend_does_not_know() -> None:
    from pgmt_git.diff.model import Function, FunctionKind

    def fn(name: str) -> Function:
        return Function("public", name, "", FunctionKind.FUNCTION,
                        f"CREATE OR REPLACE FUNCTION public.{name}() ...")

    a, b = fn("a_uses_b"), fn("b")
    new = catalog(a, b)
    assert actions(diff_catalogs(catalog(), new)) == [
        "create_function public.a_uses_b()", "create_function public.b()"]
    assert actions(diff_catalogs(catalog(), new, hints=[(a.id, b.id)])) == [
        "create_function public.b()", "create_function public.a_uses_b()"]


def test_a_column_added_in_the_middle_carries_a_column_order_hazard() -> None:
    old = catalog(table("t", col("a"), col("c")))
    middle = catalog(table("t", col("a"), col("b"), col("c")))
    end = catalog(table("t", col("a"), col("c"), col("b")))
    [added] = diff_catalogs(old, middle)
    assert [h.kind for h in added.hazards] == [HazardKind.COLUMN_ORDER]
    [added] = diff_catalogs(old, end)
    assert added.hazards == ()


def test_concurrent_indexes_run_outside_transactions() -> None:
    from pgmt_git.diff import DiffOptions, render_statements

    t = table("t", col("a"))
    index = Index(t.id, "t_a", "CREATE INDEX t_a ON public.t USING btree (a)")
    changes = diff_catalogs(catalog(t), catalog(t, index),
                            options=DiffOptions(concurrent_indexes=True))
    [statement] = render_statements(changes)
    assert statement.sql == "CREATE INDEX CONCURRENTLY t_a ON public.t USING btree (a)"
    assert not statement.transactional
    [plain] = render_statements(diff_catalogs(catalog(t), catalog(t, index)))
    assert plain.transactional and "CONCURRENTLY" not in plain.sql
