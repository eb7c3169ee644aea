"""-- require: ordering of schema files (pure, inline data)."""

from __future__ import annotations

import pytest

from pgmt_git.errors import SourceError
from pgmt_git.project.files import SourceFile
from pgmt_git.project.schema_files import order_schema_files, parse_requires


def order(files: dict[str, str]) -> list[str]:
    sources = tuple(SourceFile(f"schema/{name}", text) for name, text in sorted(files.items()))
    return [f.name for f in order_schema_files(sources, schema_dir="schema")]


def test_without_hints_the_order_is_the_path_order() -> None:
    assert order({"b.sql": "", "a.sql": "", "dir/c.sql": "", "dir/a.sql": ""}) == [
        "a.sql",
        "b.sql",
        "dir/a.sql",
        "dir/c.sql",
    ]


def test_a_hint_moves_the_required_file_first() -> None:
    files = {
        "a_tables.sql": "-- require: z_types.sql\nCREATE TABLE t (s s);",
        "z_types.sql": "CREATE TYPE s AS ENUM ('x');",
    }
    assert order(files) == ["z_types.sql", "a_tables.sql"]


def test_hints_are_comma_separated_with_optional_suffix_on_any_line() -> None:
    files = {
        "a.sql": "CREATE TABLE a ();\n\n   -- require: c, dir/b.sql ,  d\n",
        "c.sql": "",
        "d.sql": "-- require: dir/b",
        "dir/b.sql": "",
    }
    assert order(files) == ["c.sql", "dir/b.sql", "d.sql", "a.sql"]


def test_ties_are_broken_by_the_smallest_path_among_ready_files() -> None:
    files = {
        "a.sql": "-- require: m.sql",
        "b.sql": "",
        "m.sql": "",
        "c.sql": "-- require: m.sql",
    }
    # a.sql becomes ready only after m.sql; then it sorts before the remaining c.sql.
    assert order(files) == ["b.sql", "m.sql", "a.sql", "c.sql"]


def test_parse_requires_records_lines() -> None:
    reqs = parse_requires("x\n-- require: a, b.sql\r\n-- requires: no\n--require: no\n")
    assert [(r.target, r.line) for r in reqs] == [("a.sql", 2), ("b.sql", 2)]


def test_missing_target_names_file_and_line() -> None:
    with pytest.raises(SourceError) as info:
        order({"a.sql": "CREATE TABLE a ();\n-- require: tables/nope\n"})
    assert info.value.path == "schema/a.sql"
    assert info.value.line == 2
    assert "schema/a.sql:2:" in str(info.value)
    assert "'tables/nope.sql'" in str(info.value)


def test_cycle_names_the_whole_cycle() -> None:
    files = {
        "a.sql": "-- require: b",
        "b.sql": "\n-- require: c",
        "c.sql": "-- require: a",
        "d.sql": "-- require: a",
        "e.sql": "",
    }
    with pytest.raises(SourceError) as info:
        order(files)
    assert "a.sql -> b.sql -> c.sql -> a.sql" in str(info.value)
    assert info.value.path == "schema/a.sql"
    assert info.value.line == 1


def test_self_requirement_is_a_cycle() -> None:
    with pytest.raises(SourceError, match="a.sql -> a.sql"):
        order({"a.sql": "-- require: a.sql"})
