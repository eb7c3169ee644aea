"""Types changed under columns that hold rows: an enum label renamed in place, and types
rebuilt with their columns carried over. The generated SQL is applied to a state with
rows, and the rows are read back."""

from __future__ import annotations

import pytest

from pgmt_git.pg.server import Server
from tests.diff.roundtrip import migrated_rows

# (before, after, query, the rows read back); {u} makes every name unique to the test run.
CHANGES = {
    "enum label renamed in place": (
        "CREATE TYPE e_{u} AS ENUM ('sad', 'ok', 'happy');\n"
        "CREATE TABLE t_{u} (id int, m e_{u} DEFAULT 'ok', ms e_{u}[]);\n"
        "INSERT INTO t_{u} VALUES (1, 'ok', '{{ok,happy}}'), (2, 'sad', NULL), (3, NULL, '{{}}');\n",
        "CREATE TYPE e_{u} AS ENUM ('sad', 'fine', 'happy');\n"
        "CREATE TABLE t_{u} (id int, m e_{u} DEFAULT 'fine', ms e_{u}[]);\n",
        "SELECT m::text, ms::text FROM t_{u} ORDER BY id",
        [("fine", "{fine,happy}"), ("sad", None), (None, "{}")]),
    "enum rebuilt with a domain over it": (
        "CREATE TYPE e_{u} AS ENUM ('a', 'b', 'c');\n"
        "CREATE DOMAIN d_{u} AS e_{u};\n"
        "CREATE TABLE t_{u} (id int, m e_{u}, d d_{u}, ds d_{u}[]);\n"
        "INSERT INTO t_{u} VALUES (1, 'a', 'b', '{{c,a}}'), (2, NULL, NULL, NULL);\n",
        "CREATE TYPE e_{u} AS ENUM ('c', 'b', 'a');\n"
        "CREATE DOMAIN d_{u} AS e_{u};\n"
        "CREATE TABLE t_{u} (id int, m e_{u}, d d_{u}, ds d_{u}[]);\n",
        "SELECT m::text, d::text, ds::text FROM t_{u} ORDER BY id",
        [("a", "b", "{c,a}"), (None, None, None)]),
    "enum rebuilt with a composite type over it": (
        "CREATE TYPE e_{u} AS ENUM ('a', 'b');\n"
        "CREATE TYPE c_{u} AS (n int, m e_{u});\n"
        "CREATE TABLE t_{u} (id int, c c_{u}, cs c_{u}[]);\n"
        "INSERT INTO t_{u} VALUES (1, ROW(1, 'b'), ARRAY[ROW(2, 'a')::c_{u}]), (2, NULL, NULL);\n",
        "CREATE TYPE e_{u} AS ENUM ('b', 'a');\n"
        "CREATE TYPE c_{u} AS (n int, m e_{u});\n"
        "CREATE TABLE t_{u} (id int, c c_{u}, cs c_{u}[]);\n",
        "SELECT c::text, cs::text FROM t_{u} ORDER BY id",
        [("(1,b)", '{"(2,a)"}'), (None, None)]),
    "domain on a new base type": (
        "CREATE DOMAIN d_{u} AS integer CHECK (VALUE > 0);\n"
        "CREATE TABLE t_{u} (id int, a d_{u} DEFAULT 1, h d_{u}[]);\n"
        "INSERT INTO t_{u} VALUES (1, 7, '{{1,2}}'), (2, NULL, NULL);\n",
        "CREATE DOMAIN d_{u} AS numeric(12,2) CHECK (VALUE > 0);\n"
        "CREATE TABLE t_{u} (id int, a d_{u} DEFAULT 1, h d_{u}[]);\n",
        "SELECT a::text, h::text FROM t_{u} ORDER BY id",
        [("7.00", "{1.00,2.00}"), (None, None)]),
    "composite with a retyped attribute": (
        "CREATE TYPE c_{u} AS (x integer, label text);\n"
        "CREATE TABLE t_{u} (id int, p c_{u}, ps c_{u}[]);\n"
        "INSERT INTO t_{u} VALUES (1, ROW(1, 'a, \"b\"'), ARRAY[ROW(2, NULL)::c_{u}]),\n"
        "    (2, NULL, NULL), (3, ROW(NULL, NULL), '{{}}');\n",
        "CREATE TYPE c_{u} AS (x bigint, label text);\n"
        "CREATE TABLE t_{u} (id int, p c_{u}, ps c_{u}[]);\n",
        "SELECT (p).x, (p).label, p IS NULL, p IS NOT DISTINCT FROM NULL, ps::text "
        "FROM t_{u} ORDER BY id",
        [(1, 'a, "b"', False, False, '{"(2,)"}'), (None, None, True, True, None),
         (None, None, True, False, "{}")]),
    "range on a new subtype, with its multirange": (
        "CREATE TYPE r_{u} AS RANGE (SUBTYPE = integer);\n"
        "CREATE TABLE t_{u} (id int, r r_{u}, m r_{u}_multirange);\n"
        "INSERT INTO t_{u} VALUES (1, '[1,5)', '{{[1,2), [4,9)}}'), (2, 'empty', NULL);\n",
        "CREATE TYPE r_{u} AS RANGE (SUBTYPE = bigint);\n"
        "CREATE TABLE t_{u} (id int, r r_{u}, m r_{u}_multirange);\n",
        "SELECT r::text, m::text, r_{u}(1, 2)::text FROM t_{u} ORDER BY id",
        [("[1,5)", "{[1,2),[4,9)}", "[1,2)"), ("empty", None, "[1,2)")]),
    "collation recreated": (
        "CREATE COLLATION k_{u} (provider = libc, locale = 'C');\n"
        "CREATE TABLE t_{u} (id int, s text COLLATE k_{u}, ss text[] COLLATE k_{u});\n"
        "INSERT INTO t_{u} VALUES (1, 'b', '{{x,y}}'), (2, NULL, NULL);\n",
        "CREATE COLLATION k_{u} (provider = libc, locale = 'POSIX');\n"
        "CREATE TABLE t_{u} (id int, s text COLLATE k_{u}, ss text[] COLLATE k_{u});\n",
        "SELECT s, ss FROM t_{u} ORDER BY id",
        [("b", ["x", "y"]), (None, None)]),
}


@pytest.mark.parametrize("name", sorted(CHANGES))
def test_rows_survive(pg_server: Server, unique: str, name: str) -> None:
    before, after, query, expected = (text.format(u=unique) if isinstance(text, str)
                                      else text for text in CHANGES[name])
    assert migrated_rows(pg_server, before, after, query) == expected
