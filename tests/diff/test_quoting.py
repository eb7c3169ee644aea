"""The one quoting helper, against PostgreSQL itself: every hostile name and literal reads
back unchanged."""

from __future__ import annotations

import pytest

from pgmt_git.diff.quoting import qualified, quote_ident, quote_ident_list, quote_literal
from pgmt_git.pg.server import Server, connect

HOSTILE = [
    "plain", "Mixed", "with space", 'quo"te', '"', '""', "it's", "$dollar", "a$b", "$$",
    "ünïcödé", "✓", "日本", "select", "user", "table", "order", "1starts_with_digit",
    "'; DROP TABLE x; --", 'x"; DROP TABLE y; --', "back\\slash", "tab\tname", "new\nline",
    "a" * 63, "_", "name",
]


@pytest.mark.parametrize("name,expected", [
    ("plain", "plain"), ("with_digits1", "with_digits1"), ("_x", "_x"),
    ("Mixed", '"Mixed"'), ("with space", '"with space"'), ('quo"te', '"quo""te"'),
    ("select", '"select"'), ("user", '"user"'), ("name", "name"), ("1a", '"1a"'),
    ("ü", '"ü"'), ("$x", '"$x"'), ("json_table", '"json_table"'),
])
def test_quote_ident(name: str, expected: str) -> None:
    assert quote_ident(name) == expected


@pytest.mark.parametrize("value,expected", [
    ("x", "'x'"), ("it's", "'it''s'"), ("", "''"), ("back\\slash", "E'back\\\\slash'"),
    ("$$", "'$$'"), ("a\nb", "'a\nb'"), ("'; DROP TABLE x; --", "'''; DROP TABLE x; --'"),
])
def test_quote_literal(value: str, expected: str) -> None:
    assert quote_literal(value) == expected


def test_refuses_what_cannot_be_written() -> None:
    with pytest.raises(ValueError):
        quote_ident("")
    with pytest.raises(ValueError):
        quote_ident("a\x00b")
    with pytest.raises(ValueError):
        quote_literal("a\x00b")


def test_helpers_compose() -> None:
    assert qualified("My Schema", "t") == '"My Schema".t'
    assert quote_ident_list(["a", "B"]) == 'a, "B"'


def test_hostile_names_and_literals_round_trip_through_postgresql(pg_server: Server) -> None:
    with connect(pg_server) as conn:
        for name in HOSTILE:
            for standard in ("on", "off"):
                conn.execute(f"SET standard_conforming_strings = {standard}")
                row = conn.execute(
                    f"SELECT {quote_literal(name)}::text AS {quote_ident(name)}").fetchone()
                assert row is not None and row[0] == name
                column = conn.execute(
                    f"SELECT 1 AS {quote_ident(name)}").description[0].name  # type: ignore
                assert column == name


def test_agrees_with_postgresql_quote_ident(pg_server: Server) -> None:
    with connect(pg_server) as conn:
        for name in HOSTILE:
            row = conn.execute("SELECT quote_ident(%s)", (name,)).fetchone()
            assert row is not None and quote_ident(name) == row[0]
