"""The USING expressions of column type changes, with inline types (the SQL itself is
proved against a real server by the column cases and test_column_data.py)."""

from __future__ import annotations

from pgmt_git.diff.kinds.column_types import Conversion, conversion, using_expression


def test_assignment_casts_need_no_using() -> None:
    assert using_expression("a", "integer", "bigint") is None
    assert using_expression("a", "date", "text") is None
    assert using_expression("a", "integer[]", "bigint[]") is None
    assert using_expression("a", "json", "jsonb") is None


def test_explicit_casts_and_types_of_their_own_are_cast() -> None:
    assert using_expression("a", "integer", "boolean") == "a::boolean"
    assert using_expression("a", "text[]", "integer[]") == "a::integer[]"
    assert using_expression("a", "text", "public.mood") == "a::public.mood"
    assert conversion("public.mood", "integer") is Conversion.CAST


def test_built_in_types_without_a_cast_go_through_text() -> None:
    assert using_expression("a", "date", "integer") == "a::text::integer"
    assert using_expression("a", "smallint", "boolean") == "a::text::boolean"
    assert using_expression("a", "uuid[]", "bytea[]") == "a::text::bytea[]"


def test_scalar_to_array_and_back() -> None:
    assert using_expression("My Col", "text", "text[]") == (
        'CASE WHEN "My Col" IS NULL THEN NULL ELSE ARRAY["My Col"] END')
    assert using_expression("a", "text", "integer[]") == (
        "CASE WHEN a IS NULL THEN NULL ELSE ARRAY[a::integer] END")
    assert using_expression("a", "text[]", "text") == "a[array_lower(a, 1)]"
    assert using_expression("a", "date[]", "integer") == (
        "a[array_lower(a, 1)]::text::integer")
