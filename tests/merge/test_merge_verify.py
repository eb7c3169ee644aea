"""The oracle's comparison of four catalogs, on inline catalogs (no database)."""

from __future__ import annotations

from dataclasses import replace

from pgmt_git.diff.model import (
    Catalog,
    Column,
    Function,
    FunctionKind,
    Privilege,
    Table,
    View,
)
from pgmt_git.git.merge_verify import discrepancies, facets, side_changes

USERS = Table("public", "users", columns=(Column("id", "integer"), Column("name", "text")))
GREET = Function("public", "greet", "text", FunctionKind.FUNCTION, "CREATE ... 'hello'",
                 acl=(Privilege("reader", "EXECUTE"),))
VIEW = View("public", "v", "SELECT 1", columns=(Column("x", "integer"),))
BASE = Catalog.build([USERS, GREET, VIEW])


def with_objects(*objects: object) -> Catalog:
    found = {o.id: o for o in (USERS, GREET, VIEW)}
    found.update({o.id: o for o in objects})  # type: ignore[attr-defined]
    return Catalog(found)


def without(catalog: Catalog, obj: object) -> Catalog:
    return Catalog({k: v for k, v in catalog.objects.items() if k != obj.id})  # type: ignore


def problems(base: Catalog, ours: Catalog, theirs: Catalog, merged: Catalog) -> list[str]:
    return [d.problem for d in discrepancies(base, ours, theirs, merged,
                                             ours_name="HEAD", theirs_name="feature")]


def add_column(table: Table, column: Column) -> Table:
    return replace(table, columns=(*table.columns, column))


def test_columns_added_on_both_sides_in_any_order_are_realised() -> None:
    email, age = Column("email", "text"), Column("age", "integer")
    ours = with_objects(add_column(USERS, email))
    theirs = with_objects(add_column(USERS, age))
    merged = with_objects(add_column(add_column(USERS, age), email))
    assert problems(BASE, ours, theirs, merged) == []


def test_a_lost_column_is_named() -> None:
    email = Column("email", "text")
    ours = with_objects(add_column(USERS, email))
    assert problems(BASE, ours, BASE, BASE) == [
        "HEAD adds column public.users.email, but the merged schema does not have it"]


def test_an_invented_object_is_named() -> None:
    extra = Table("public", "extra")
    assert problems(BASE, BASE, BASE, with_objects(extra)) == [
        "the merged schema has table public.extra, which neither side adds"]


def test_a_kept_drop_is_named() -> None:
    theirs = without(BASE, VIEW)
    assert problems(BASE, BASE, theirs, BASE) == [
        "the merged schema still has view public.v, which feature drops"]


def test_different_fields_of_one_object_combine() -> None:
    ours = with_objects(replace(GREET, definition="CREATE ... 'hi'"))
    theirs = with_objects(replace(GREET, comment="says hello"))
    merged = with_objects(replace(GREET, definition="CREATE ... 'hi'", comment="says hello"))
    assert problems(BASE, ours, theirs, merged) == []
    assert problems(BASE, ours, theirs, ours) == [
        "feature changes the comment of function public.greet(text), but the merged schema "
        "has it otherwise"]


def test_grants_on_both_sides_combine_as_sets() -> None:
    writer = Privilege("writer", "EXECUTE")
    ours = with_objects(replace(GREET, acl=(*GREET.acl, writer)))  # type: ignore[misc]
    theirs = with_objects(replace(GREET, acl=()))
    merged = with_objects(replace(GREET, acl=(writer,)))
    assert problems(BASE, ours, theirs, merged) == []


def test_one_field_changed_differently_is_a_conflict() -> None:
    ours = with_objects(replace(GREET, definition="CREATE ... 'hi'"))
    theirs = with_objects(replace(GREET, definition="CREATE ... 'hey'"))
    assert problems(BASE, ours, theirs, ours) == [
        "HEAD and feature change the definition of function public.greet(text) differently"]


def test_view_columns_follow_the_definition() -> None:
    facet = facets(BASE)[VIEW.id]
    assert isinstance(facet, View) and facet.columns == ()
    dropped = side_changes(facets(BASE), facets(without(BASE, USERS)))
    assert sorted(str(c) for c in dropped) == [
        "drops column public.users.id", "drops column public.users.name",
        "drops table public.users"]
