"""Statement splitting, object identity and autocommit detection (project/sqltext.py).

Golden files: tests/golden/sqltext/<case>.sql is split and compared with <case>.json.
Regenerate with PGMT_GIT_UPDATE_GOLDEN=1 and read the diff before committing it.
"""

from __future__ import annotations

import inspect
import json
import os
from pathlib import Path
from typing import Any

import pytest

from pgmt_git.errors import SourceError
from pgmt_git.project import sqltext
from pgmt_git.project.sqltext import (
    ObjectRef,
    Statement,
    defined_object,
    needs_autocommit,
    split_statements,
    statement_key,
    statement_tree,
)

GOLDEN = Path(__file__).parent / "golden" / "sqltext"
GOLDEN_INPUTS = sorted(GOLDEN.glob("*.sql"))
# Read at import: the shared fixtures clear PGMT_* variables before each test runs.
UPDATE_GOLDEN = os.environ.get("PGMT_GIT_UPDATE_GOLDEN") == "1"


def read_sql(path: Path) -> str:
    # Bytes first: text mode would turn the CRLF case into LF.
    return path.read_bytes().decode("utf-8")


def spans(statements: tuple[Statement, ...]) -> list[dict[str, Any]]:
    return [
        {
            "text": s.text,
            "start": s.start,
            "end": s.end,
            "line": s.line,
            "column": s.column,
            "end_line": s.end_line,
            "end_column": s.end_column,
            "node": s.node,
            "copy_data": s.copy_data,
        }
        for s in statements
    ]


def one(sql: str) -> Statement:
    (statement,) = split_statements(sql)
    return statement


# ---------------------------------------------------------------------------- splitting


def test_golden_inputs_cover_the_tricky_cases() -> None:
    names = {p.stem for p in GOLDEN_INPUTS}
    assert {
        "basic", "begin_atomic", "bom", "comments", "comments_only", "copy", "crlf",
        "ddl_variety", "dollar_quotes", "empty", "no_final_semicolon", "strings", "unicode",
    } <= names


@pytest.mark.parametrize("sql_path", GOLDEN_INPUTS, ids=lambda p: p.stem)
def test_every_golden_statement_can_be_asked_about(sql_path: Path) -> None:
    for statement in split_statements(read_sql(sql_path)):
        ref = defined_object(statement)
        assert statement_key(statement) == (None if ref is None else sqltext.object_key(ref))
        assert isinstance(needs_autocommit(statement), bool)


@pytest.mark.parametrize("sql_path", GOLDEN_INPUTS, ids=lambda p: p.stem)
def test_split_matches_golden(sql_path: Path) -> None:
    actual = spans(split_statements(read_sql(sql_path), path=sql_path.name))
    golden = sql_path.with_suffix(".json")
    if UPDATE_GOLDEN:
        golden.write_bytes((json.dumps(actual, indent=2, ensure_ascii=False) + "\n").encode())
    assert actual == json.loads(golden.read_bytes().decode("utf-8"))


@pytest.mark.parametrize("sql_path", GOLDEN_INPUTS, ids=lambda p: p.stem)
def test_spans_are_exact_slices_of_the_source(sql_path: Path) -> None:
    source = read_sql(sql_path)
    previous_end = 0
    for s in split_statements(source):
        assert s.text == source[s.start : s.end]
        assert previous_end <= s.start < s.end
        # Positions recomputed the slow, obvious way.
        assert s.line == source.count("\n", 0, s.start) + 1
        assert s.column == s.start - (source.rfind("\n", 0, s.start) + 1) + 1
        assert s.end_line == source.count("\n", 0, s.end - 1) + 1
        assert s.end_column == s.end - 1 - (source.rfind("\n", 0, s.end - 1) + 1) + 1
        assert not s.text[0].isspace() and not s.text.startswith(("--", "/*"))
        if s.copy_data is not None:
            assert s.text.endswith(s.copy_data)
        previous_end = s.end


def test_empty_and_comment_only_texts_have_no_statements() -> None:
    assert split_statements("") == ()
    assert split_statements("  \n\t\r\n") == ()
    assert split_statements("-- one;\n/* two; /* three; */ */\n") == ()


def test_statement_ends_at_its_semicolon_not_at_the_next_statement() -> None:
    source = "SELECT 1 ;  -- c\n\nSELECT 2"
    first, second = split_statements(source)
    assert (first.text, second.text) == ("SELECT 1 ;", "SELECT 2")
    assert (second.line, second.column, second.end_line, second.end_column) == (3, 1, 3, 8)


def test_multibyte_characters_count_as_one_character() -> None:
    source = "-- 🐘é日\nSELECT '🐘';SELECT 2;"
    first, second = split_statements(source)
    assert (first.start, first.column, first.end_column) == (7, 1, 11)
    assert (second.start, second.column, second.text) == (18, 12, "SELECT 2;")


def test_copy_data_with_multibyte_characters_keeps_later_offsets_right() -> None:
    source = "COPY t FROM stdin;\n🐘🐘🐘\té\n\\.\nSELECT 'ü';\n"
    copy, select = split_statements(source)
    assert copy.copy_data == "🐘🐘🐘\té\n\\."
    assert copy.text == source[: copy.end] and copy.text.endswith("\\.")
    assert select.text == "SELECT 'ü';"
    assert (select.line, select.column) == (4, 1)


def test_copy_inside_a_function_body_is_not_copy_data() -> None:
    source = (
        "CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$\n"
        "BEGIN COPY t FROM stdin; END $$;\nSELECT 1;"
    )
    first, second = split_statements(source)
    assert first.copy_data is None and first.node == "CreateFunctionStmt"
    assert second.text == "SELECT 1;"


def test_copy_of_a_query_is_never_copy_data() -> None:
    source = "COPY (SELECT a FROM stdin) TO stdout;\nSELECT 1;"
    first, second = split_statements(source)
    assert first.copy_data is None and second.text == "SELECT 1;"


def test_copy_into_a_table_named_copy() -> None:
    first, second = split_statements("-- copy\ncopy copy FROM Stdin;\n1\n\\.\nSELECT 1;")
    assert first.copy_data == "1\n\\." and second.text == "SELECT 1;"


def test_copy_without_semicolon_at_the_end_has_no_data() -> None:
    statement = one("COPY t FROM stdin")
    assert statement.node == "CopyStmt" and statement.copy_data is None


def test_many_statements_split_in_one_parse() -> None:
    # Size, not time: benchmarks live elsewhere; this proves nothing is quadratic-fragile.
    source = "\n".join(
        f"CREATE TABLE s.t{i} (id integer PRIMARY KEY, note text DEFAULT 'é;');\n"
        f"COMMENT ON TABLE s.t{i} IS 'ü';\nCREATE INDEX i{i} ON s.t{i} (note);"
        for i in range(5000)
    ) + "\nCOPY s.t0 FROM stdin;\n1\té\n\\.\n"
    statements = split_statements(source)
    assert len(statements) == 15001
    assert statements[-2].text == "CREATE INDEX i4999 ON s.t4999 (note);"
    assert statements[-1].copy_data == "1\té\n\\."


def test_fast_tree_extraction_agrees_with_full_decoding() -> None:
    for path in GOLDEN_INPUTS:
        source = read_sql(path)
        if "\\." in source or source.startswith("\ufeff"):
            continue  # COPY data and BOMs are blanked before parsing; covered by goldens
        parsed = sqltext.parse_sql_json(source)  # type: ignore[attr-defined]
        fast = sqltext._raw_statements(parsed)
        slow = sqltext._raw_statements_decoded(parsed)
        assert [(r.node, r.location, r.length) for r in fast] == [
            (r.node, r.location, r.length) for r in slow
        ]
        assert [json.loads(r.tree) for r in fast] == [json.loads(r.tree) for r in slow]


def test_only_raw_statements_have_a_stmt_field() -> None:
    # The fast extraction relies on it (see sqltext._raw_statements).
    from pglast import ast

    with_stmt = [
        name
        for name, cls in vars(ast).items()
        if inspect.isclass(cls) and issubclass(cls, ast.Node) and "stmt" in getattr(cls, "__slots__", ())
    ]
    assert with_stmt == ["RawStmt"]


# -------------------------------------------------------------------------------- errors


def error_of(source: str) -> SourceError:
    with pytest.raises(SourceError) as caught:
        split_statements(source, path="schema/app.sql")
    return caught.value


@pytest.mark.parametrize(
    ("source", "where", "words"),
    [
        ("SELECT 1;\nSELEC 2;", "2:1", 'syntax error at or near "SELEC"'),
        ("-- 🐘é日\nSELECT 'ü', 1 2 3;", "2:15", 'syntax error at or near "2"'),
        ("SELECT 1;\nCREATE TABLE t (a int,);", "2:23", 'syntax error at or near ")"'),
        ("SELECT 'unterminated;\n", "1:8", "unterminated quoted string"),
        ("SELECT 1; /* open /* nested */\n", "1:11", "unterminated /* comment"),
        ("SELECT $$ body;\n", "1:8", "unterminated dollar-quoted string"),
        ("SELECT (1;\n", "1:10", 'syntax error at or near ";"'),
        ("SELECT (1\n", "1:10", "syntax error at end of input"),
        ("COPY t FROM stdin;\n🐘é\t'\n\\.\nSELECT 1 2;", "4:10", 'syntax error at or near "2"'),
        ("\\connect other\nSELECT 1;", "1:1", 'syntax error at or near "\\"'),
    ],
)
def test_parse_errors_name_file_line_and_column(source: str, where: str, words: str) -> None:
    error = error_of(source)
    assert str(error).startswith(f"schema/app.sql:{where}: invalid SQL: ")
    assert words in error.message
    assert error.path == "schema/app.sql"
    assert f"{error.line}:{error.column}" == where
    assert error.hint


def test_nul_character_is_refused_not_truncated() -> None:
    error = error_of("SELECT 1;\nSELECT 2;\x00 DROP TABLE t;")
    assert str(error).startswith("schema/app.sql:2:10: NUL character")


def test_text_after_copy_on_the_same_line_is_refused() -> None:
    error = error_of("COPY t FROM stdin; SELECT 1;\n1\n\\.\n")
    assert (error.line, error.column) == (1, 19)
    assert "COPY" in error.message and error.hint


# ------------------------------------------------------------------------------- objects


def rel(name: str, schema: str | None = None, kind: str = "table") -> ObjectRef:
    return ObjectRef(kind, schema, name)


OBJECT_CASES: list[tuple[str, ObjectRef | None]] = [
    # relations
    ("CREATE TABLE app.t (a int)", rel("t", "app")),
    ('CREATE TABLE "App"."T" (a int)', rel("T", "App")),
    ("CREATE TABLE p1 PARTITION OF p FOR VALUES IN (1)", rel("p1")),
    ("CREATE UNLOGGED TABLE IF NOT EXISTS t (a int)", rel("t")),
    ("CREATE FOREIGN TABLE ft (a int) SERVER s", rel("ft", kind="foreign table")),
    ("CREATE TABLE t2 AS SELECT 1", rel("t2")),
    ("ALTER TABLE app.t ADD COLUMN b text", rel("t", "app")),
    ("ALTER TABLE app.t OWNER TO bob", rel("t", "app")),
    ("DROP TABLE IF EXISTS app.t, app.u CASCADE", rel("t", "app")),
    ("CREATE OR REPLACE VIEW app.v AS SELECT 1", rel("v", "app", "view")),
    ("ALTER VIEW app.v OWNER TO bob", rel("v", "app", "view")),
    ("DROP VIEW v", rel("v", kind="view")),
    ("CREATE MATERIALIZED VIEW app.mv AS SELECT 1", rel("mv", "app", "materialized view")),
    ("ALTER MATERIALIZED VIEW mv OWNER TO bob", rel("mv", kind="materialized view")),
    ("DROP MATERIALIZED VIEW app.mv", rel("mv", "app", "materialized view")),
    ("REFRESH MATERIALIZED VIEW app.mv", rel("mv", "app", "materialized view")),
    ("CREATE SEQUENCE app.s", rel("s", "app", "sequence")),
    ("ALTER SEQUENCE s RESTART", rel("s", kind="sequence")),
    ("DROP SEQUENCE app.s", rel("s", "app", "sequence")),
    ("ALTER TABLE t RENAME TO u", rel("t")),
    ("ALTER TABLE t SET SCHEMA app", rel("t")),
    # indexes
    ("CREATE INDEX ix ON app.t (a)", ObjectRef("index", "app", "ix", parent=rel("t", "app"))),
    ("CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS ix ON t (a)",
     ObjectRef("index", None, "ix", parent=rel("t"))),
    ("CREATE INDEX ON app.t (a, lower(b), (a + 1), (a + 2))",
     ObjectRef("index", "app", "t_a_lower_expr_expr1_idx", parent=rel("t", "app"))),
    ("CREATE INDEX ON t (a) INCLUDE (b)", ObjectRef("index", None, "t_a_b_idx", parent=rel("t"))),
    ("CREATE INDEX ON " + "x" * 60 + " (" + "y" * 60 + ")",
     ObjectRef("index", None, "x" * 29 + "_" + "y" * 29 + "_idx", parent=rel("x" * 60))),
    ("ALTER INDEX app.ix RENAME TO iy", rel("ix", "app", "index")),
    ("DROP INDEX CONCURRENTLY app.ix", rel("ix", "app", "index")),
    # routines
    ("CREATE OR REPLACE FUNCTION app.f(a int, INOUT b text, OUT c int, VARIADIC d int[]) "
     "RETURNS record LANGUAGE sql AS $$ SELECT 1, 'x', 2 $$",
     ObjectRef("function", "app", "f", ("integer", "text", "integer[]"))),
    ("CREATE FUNCTION f(int4, integer, int, pg_catalog.int4, bigint, int8, smallint, "
     "double precision, float8, real, boolean, bool, varchar(10), character varying, "
     "char(2), \"char\", timestamptz, timestamp(3) with time zone, timestamp, time, numeric(10, 2), "
     "decimal, app.my_type, \"My Type\", text[][], bit varying) RETURNS int RETURN 1",
     ObjectRef("function", None, "f", (
         "integer", "integer", "integer", "integer", "bigint", "bigint", "smallint",
         "double precision", "double precision", "real", "boolean", "boolean",
         "character varying", "character varying", "character", '"char"',
         "timestamp with time zone", "timestamp with time zone",
         "timestamp without time zone", "time without time zone", "numeric", "numeric",
         "app.my_type", '"My Type"', "text[]", "bit varying"))),
    ("CREATE FUNCTION f(t.c%TYPE) RETURNS int RETURN 1",
     ObjectRef("function", None, "f", ("t.c%type",))),
    ("CREATE FUNCTION f() RETURNS TABLE (a int) LANGUAGE sql AS 'SELECT 1'",
     ObjectRef("function", None, "f", ())),
    ("CREATE PROCEDURE app.p(a int, OUT b int) BEGIN ATOMIC SELECT 1; END",
     ObjectRef("procedure", "app", "p", ("integer",))),
    ("ALTER FUNCTION app.f(int) STABLE", ObjectRef("function", "app", "f", ("integer",))),
    ("ALTER FUNCTION f(int) OWNER TO bob", ObjectRef("function", None, "f", ("integer",))),
    ("ALTER FUNCTION f(int) SET SCHEMA app", ObjectRef("function", None, "f", ("integer",))),
    ("ALTER FUNCTION f(int) RENAME TO g", ObjectRef("function", None, "f", ("integer",))),
    ("ALTER PROCEDURE p(int) SECURITY DEFINER", ObjectRef("procedure", None, "p", ("integer",))),
    ("DROP FUNCTION app.f(integer), g", ObjectRef("function", "app", "f", ("integer",))),
    ("DROP FUNCTION g", ObjectRef("function", None, "g", None)),
    ("DROP ROUTINE r(text)", ObjectRef("routine", None, "r", ("text",))),
    ("CREATE AGGREGATE app.agg(int, text) (SFUNC = f, STYPE = int)",
     ObjectRef("aggregate", "app", "agg", ("integer", "text"))),
    ("CREATE AGGREGATE cnt(*) (SFUNC = f, STYPE = int8)", ObjectRef("aggregate", None, "cnt", ())),
    ("CREATE AGGREGATE pct(float8 ORDER BY int) (SFUNC = f, STYPE = int)",
     ObjectRef("aggregate", None, "pct", ("double precision", "integer"))),
    ("CREATE AGGREGATE old (BASETYPE = int4, SFUNC = f, STYPE = int)",
     ObjectRef("aggregate", None, "old", ("integer",))),
    ("DROP AGGREGATE pct(float8 ORDER BY int)",
     ObjectRef("aggregate", None, "pct", ("double precision", "integer"))),
    ("CREATE OPERATOR app.=== (LEFTARG = int, RIGHTARG = int, FUNCTION = f)",
     ObjectRef("operator", "app", "===", ("integer", "integer"))),
    # types and domains
    ("CREATE TYPE app.mood AS ENUM ('sad', 'ok')", ObjectRef("type", "app", "mood")),
    ("ALTER TYPE app.mood ADD VALUE 'happy'", ObjectRef("type", "app", "mood")),
    ("CREATE TYPE app.pair AS (a int, b int)", ObjectRef("type", "app", "pair")),
    ("ALTER TYPE pair ADD ATTRIBUTE c int", ObjectRef("type", None, "pair")),
    ("CREATE TYPE app.span AS RANGE (SUBTYPE = int4)", ObjectRef("type", "app", "span")),
    ("CREATE TYPE shell", ObjectRef("type", None, "shell")),
    ("ALTER TYPE app.mood OWNER TO bob", ObjectRef("type", "app", "mood")),
    ("DROP TYPE app.mood", ObjectRef("type", "app", "mood")),
    ("CREATE DOMAIN app.pos AS int CHECK (VALUE > 0)", ObjectRef("domain", "app", "pos")),
    ("ALTER DOMAIN app.pos SET NOT NULL", ObjectRef("domain", "app", "pos")),
    ("ALTER DOMAIN app.pos ADD CONSTRAINT big CHECK (VALUE > 9)",
     ObjectRef("constraint", None, "big", parent=ObjectRef("domain", "app", "pos"))),
    ("DROP DOMAIN pos", ObjectRef("domain", None, "pos")),
    # schemas, extensions, roles, collations
    ("CREATE SCHEMA IF NOT EXISTS app", ObjectRef("schema", None, "app")),
    ("CREATE SCHEMA AUTHORIZATION bob", ObjectRef("schema", None, "bob")),
    ("ALTER SCHEMA app OWNER TO bob", ObjectRef("schema", None, "app")),
    ("DROP SCHEMA app CASCADE", ObjectRef("schema", None, "app")),
    ("CREATE EXTENSION IF NOT EXISTS hstore SCHEMA public", ObjectRef("extension", None, "hstore")),
    ("ALTER EXTENSION hstore UPDATE", ObjectRef("extension", None, "hstore")),
    ("DROP EXTENSION hstore", ObjectRef("extension", None, "hstore")),
    ("CREATE ROLE app_reader LOGIN", ObjectRef("role", None, "app_reader")),
    ("CREATE USER u", ObjectRef("role", None, "u")),
    ("ALTER ROLE app_reader SET search_path = app", ObjectRef("role", None, "app_reader")),
    ("ALTER ROLE app_reader NOLOGIN", ObjectRef("role", None, "app_reader")),
    ("DROP ROLE a, b", ObjectRef("role", None, "a")),
    ("CREATE COLLATION app.c (LOCALE = 'C')", ObjectRef("collation", "app", "c")),
    ('CREATE COLLATION c2 FROM "C"', ObjectRef("collation", None, "c2")),
    ("ALTER COLLATION app.c REFRESH VERSION", ObjectRef("collation", "app", "c")),
    ("DROP COLLATION app.c", ObjectRef("collation", "app", "c")),
    # attached to a table
    ("CREATE TRIGGER tr AFTER INSERT ON app.t FOR EACH ROW EXECUTE FUNCTION f()",
     ObjectRef("trigger", None, "tr", parent=rel("t", "app"))),
    ("ALTER TRIGGER tr ON app.t RENAME TO tr2",
     ObjectRef("trigger", None, "tr", parent=rel("t", "app"))),
    ("DROP TRIGGER tr ON app.t", ObjectRef("trigger", None, "tr", parent=rel("t", "app"))),
    ("CREATE POLICY p ON app.t USING (true)", ObjectRef("policy", None, "p", parent=rel("t", "app"))),
    ("ALTER POLICY p ON app.t USING (false)", ObjectRef("policy", None, "p", parent=rel("t", "app"))),
    ("DROP POLICY p ON t", ObjectRef("policy", None, "p", parent=rel("t"))),
    ("CREATE RULE r AS ON INSERT TO app.t DO INSTEAD NOTHING",
     ObjectRef("rule", None, "r", parent=rel("t", "app"))),
    ("DROP RULE r ON t", ObjectRef("rule", None, "r", parent=rel("t"))),
    ("ALTER TABLE ONLY app.t ADD CONSTRAINT t_a_check CHECK (a > 0)",
     ObjectRef("constraint", None, "t_a_check", parent=rel("t", "app"))),
    ("ALTER TABLE app.t ADD PRIMARY KEY (a, b)",
     ObjectRef("constraint", None, "t_pkey", parent=rel("t", "app"))),
    ("ALTER TABLE t ADD UNIQUE (a, b)", ObjectRef("constraint", None, "t_a_b_key", parent=rel("t"))),
    ("ALTER TABLE t ADD FOREIGN KEY (a) REFERENCES o (id)",
     ObjectRef("constraint", None, "t_a_fkey", parent=rel("t"))),
    ("ALTER TABLE t ADD CHECK (a > b)", ObjectRef("constraint", None, "t_check", parent=rel("t"))),
    ("ALTER TABLE t ADD CHECK (a > 0 AND a < 9)",
     ObjectRef("constraint", None, "t_a_check", parent=rel("t"))),
    ("ALTER TABLE t ADD EXCLUDE USING gist (c WITH &&)",
     ObjectRef("constraint", None, "t_c_excl", parent=rel("t"))),
    ("ALTER TABLE t ADD CONSTRAINT a_pos CHECK (a > 0), ADD COLUMN b int", rel("t")),
    ("ALTER TABLE t RENAME CONSTRAINT a TO b", ObjectRef("constraint", None, "a", parent=rel("t"))),
    ("ALTER TABLE app.t RENAME COLUMN a TO b", ObjectRef("column", None, "a", parent=rel("t", "app"))),
    ("ALTER MATERIALIZED VIEW mv RENAME COLUMN a TO b",
     ObjectRef("column", None, "a", parent=rel("mv", kind="materialized view"))),
    ("ALTER DOMAIN app.pos RENAME CONSTRAINT a TO b",
     ObjectRef("constraint", None, "a", parent=ObjectRef("domain", "app", "pos"))),
    ("ALTER SCHEMA app RENAME TO app2", ObjectRef("schema", None, "app")),
    ("ALTER ROLE bob RENAME TO robert", ObjectRef("role", None, "bob")),
    # comments: the commented object
    ("COMMENT ON TABLE app.t IS 'x'", rel("t", "app")),
    ("COMMENT ON VIEW v IS 'x'", rel("v", kind="view")),
    ("COMMENT ON COLUMN app.t.a IS 'x'", ObjectRef("column", None, "a", parent=rel("t", "app"))),
    ("COMMENT ON FUNCTION app.f(int, text) IS 'x'",
     ObjectRef("function", "app", "f", ("integer", "text"))),
    ("COMMENT ON PROCEDURE p(int) IS 'x'", ObjectRef("procedure", None, "p", ("integer",))),
    ("COMMENT ON AGGREGATE cnt(*) IS 'x'", ObjectRef("aggregate", None, "cnt", ())),
    ("COMMENT ON TYPE app.mood IS 'x'", ObjectRef("type", "app", "mood")),
    ("COMMENT ON DOMAIN app.pos IS 'x'", ObjectRef("domain", "app", "pos")),
    ("COMMENT ON SCHEMA app IS 'x'", ObjectRef("schema", None, "app")),
    ("COMMENT ON EXTENSION hstore IS 'x'", ObjectRef("extension", None, "hstore")),
    ("COMMENT ON INDEX app.ix IS 'x'", rel("ix", "app", "index")),
    ("COMMENT ON SEQUENCE s IS 'x'", rel("s", kind="sequence")),
    ("COMMENT ON MATERIALIZED VIEW mv IS 'x'", rel("mv", kind="materialized view")),
    ("COMMENT ON CONSTRAINT c ON app.t IS 'x'",
     ObjectRef("constraint", None, "c", parent=rel("t", "app"))),
    ("COMMENT ON CONSTRAINT c ON DOMAIN app.pos IS 'x'",
     ObjectRef("constraint", None, "c", parent=ObjectRef("domain", "app", "pos"))),
    ("COMMENT ON TRIGGER tr ON app.t IS 'x'", ObjectRef("trigger", None, "tr", parent=rel("t", "app"))),
    ("COMMENT ON POLICY p ON t IS 'x'", ObjectRef("policy", None, "p", parent=rel("t"))),
    ("COMMENT ON RULE r ON t IS 'x'", ObjectRef("rule", None, "r", parent=rel("t"))),
    ("COMMENT ON EVENT TRIGGER et IS 'x'", ObjectRef("event trigger", None, "et")),
    ("COMMENT ON ROLE bob IS 'x'", ObjectRef("role", None, "bob")),
    ("COMMENT ON COLLATION app.c IS 'x'", ObjectRef("collation", "app", "c")),
    ("COMMENT ON CAST (int AS text) IS 'x'", ObjectRef("cast", None, "integer as text")),
    ("COMMENT ON OPERATOR + (int, int) IS 'x'",
     ObjectRef("operator", None, "+", ("integer", "integer"))),
    ("COMMENT ON OPERATOR CLASS app.oc USING btree IS 'x'",
     ObjectRef("operator class", "app", "oc", parent=ObjectRef("access method", None, "btree"))),
    ("COMMENT ON FOREIGN DATA WRAPPER w IS 'x'", ObjectRef("foreign data wrapper", None, "w")),
    ("COMMENT ON SERVER s IS 'x'", ObjectRef("server", None, "s")),
    ("COMMENT ON TEXT SEARCH CONFIGURATION app.cfg IS 'x'",
     ObjectRef("text search configuration", "app", "cfg")),
    ("COMMENT ON LARGE OBJECT 12 IS 'x'", ObjectRef("large object", None, "12")),
    # grants: the first object granted on
    ("GRANT SELECT, INSERT ON TABLE app.t, app.u TO bob", rel("t", "app")),
    ("GRANT SELECT ON v TO bob", rel("v")),
    ("REVOKE ALL ON SEQUENCE s FROM PUBLIC", rel("s", kind="sequence")),
    ("GRANT EXECUTE ON FUNCTION app.f(int) TO bob", ObjectRef("function", "app", "f", ("integer",))),
    ("GRANT USAGE ON SCHEMA app TO bob", ObjectRef("schema", None, "app")),
    ("GRANT USAGE ON TYPE app.mood TO bob", ObjectRef("type", "app", "mood")),
    ("GRANT USAGE ON DOMAIN app.pos TO bob", ObjectRef("domain", "app", "pos")),
    ("GRANT SELECT ON ALL TABLES IN SCHEMA app, other TO bob", ObjectRef("schema", None, "app")),
    ("GRANT CONNECT ON DATABASE d TO bob", ObjectRef("database", None, "d")),
    ("GRANT app_reader, app_writer TO bob", ObjectRef("role", None, "app_reader")),
    ("REVOKE app_reader FROM bob", ObjectRef("role", None, "app_reader")),
    ("ALTER DEFAULT PRIVILEGES FOR ROLE bob IN SCHEMA app GRANT SELECT ON TABLES TO alice",
     ObjectRef("default privileges", "app", "tables", parent=ObjectRef("role", None, "bob"))),
    ("ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC",
     ObjectRef("default privileges", None, "functions")),
    # event triggers and others
    ("CREATE EVENT TRIGGER et ON ddl_command_start EXECUTE FUNCTION f()",
     ObjectRef("event trigger", None, "et")),
    ("ALTER EVENT TRIGGER et DISABLE", ObjectRef("event trigger", None, "et")),
    ("DROP EVENT TRIGGER et", ObjectRef("event trigger", None, "et")),
    ("CREATE CAST (int AS text) WITH INOUT", ObjectRef("cast", None, "integer as text")),
    ("DROP CAST (int4 AS text)", ObjectRef("cast", None, "integer as text")),
    ("CREATE STATISTICS app.st ON a, b FROM t", ObjectRef("statistics", "app", "st")),
    ("ALTER STATISTICS app.st SET STATISTICS 10", ObjectRef("statistics", "app", "st")),
    ("CREATE USER MAPPING FOR bob SERVER srv",
     ObjectRef("user mapping", None, "bob", parent=ObjectRef("server", None, "srv"))),
    ("DROP USER MAPPING FOR bob SERVER srv",
     ObjectRef("user mapping", None, "bob", parent=ObjectRef("server", None, "srv"))),
    ("DROP TRANSFORM FOR int LANGUAGE sql",
     ObjectRef("transform", None, "integer", parent=ObjectRef("language", None, "sql"))),
    ("DROP OPERATOR - (NONE, int)", ObjectRef("operator", None, "-", ("none", "integer"))),
    ("CREATE SERVER srv FOREIGN DATA WRAPPER fdw", ObjectRef("server", None, "srv")),
    ("CREATE PUBLICATION pub FOR TABLE t", ObjectRef("publication", None, "pub")),
    ("CREATE TEXT SEARCH CONFIGURATION app.cfg (COPY = english)",
     ObjectRef("text search configuration", "app", "cfg")),
    ("CREATE DATABASE d", ObjectRef("database", None, "d")),
    ("SECURITY LABEL ON TABLE t IS 'x'", rel("t")),
    # data and session statements define nothing
    ("INSERT INTO t VALUES (1)", None),
    ("UPDATE t SET a = 1", None),
    ("DELETE FROM t", None),
    ("SELECT 1", None),
    ("COPY t FROM stdin;\n1\n\\.", None),
    ("SET search_path = app", None),
    ("DO $$ BEGIN END $$", None),
    ("DROP OWNED BY bob", None),
]


@pytest.mark.parametrize(("sql", "expected"), OBJECT_CASES, ids=[c[0][:60] for c in OBJECT_CASES])
def test_defined_object(sql: str, expected: ObjectRef | None) -> None:
    assert defined_object(one(sql)) == expected


@pytest.mark.parametrize(
    "statements",
    [
        ["CREATE INDEX ix ON app.t (a)", "DROP INDEX app.ix",
         "ALTER INDEX app.ix SET (fillfactor = 50)"],
        ["CREATE FUNCTION f(int) RETURNS int RETURN 1", "DROP FUNCTION f(int4)",
         "COMMENT ON FUNCTION f(integer) IS 'x'",
         "CREATE PROCEDURE f(a integer, OUT b int) BEGIN ATOMIC SELECT 1; END"],
        ["CREATE VIEW v AS SELECT 1", "ALTER TABLE v OWNER TO bob", "GRANT SELECT ON v TO bob"],
        ["CREATE DOMAIN d AS int", "ALTER TYPE d OWNER TO bob"],
        ["COMMENT ON COLUMN v.c IS 'x'", "ALTER VIEW v RENAME COLUMN c TO d"],
    ],
)
def test_statements_about_one_object_share_a_key(statements: list[str]) -> None:
    keys = {statement_key(one(sql)) for sql in statements}
    assert len(keys) == 1 and None not in keys


def test_statement_keys_tell_objects_apart() -> None:
    sqls = [
        "CREATE FUNCTION f(int) RETURNS int RETURN 1",
        "CREATE FUNCTION f(text) RETURNS int RETURN 1",
        "CREATE FUNCTION app.f(int) RETURNS int RETURN 1",
        "CREATE TRIGGER x AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION g()",
        "CREATE TRIGGER x AFTER INSERT ON u FOR EACH ROW EXECUTE FUNCTION g()",
        "CREATE POLICY x ON t USING (true)",
        "CREATE TABLE x (a int)",
    ]
    assert len({statement_key(one(sql)) for sql in sqls}) == len(sqls)
    assert statement_key(one("SELECT 1")) is None


def test_a_statement_built_by_hand_is_parsed_when_asked() -> None:
    statement = Statement("CREATE TABLE app.t (a int);", 0, 27, 1, 1, 1, 27, "CreateStmt")
    assert statement_tree(statement)["relation"]["relname"] == "t"
    assert defined_object(statement) == rel("t", "app")
    assert statement == one("CREATE TABLE app.t (a int);")  # the kept tree is not compared


# ---------------------------------------------------------------------------- autocommit

AUTOCOMMIT_CASES = [
    ("CREATE INDEX CONCURRENTLY ix ON t (a)", True),
    ("CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS ix ON t (a)", True),
    ("DROP INDEX CONCURRENTLY IF EXISTS ix", True),
    ("REINDEX INDEX CONCURRENTLY ix", True),
    ("REINDEX (CONCURRENTLY) TABLE t", True),
    ("REINDEX (CONCURRENTLY false) TABLE t", False),
    ("REINDEX SCHEMA app", True),
    ("REINDEX DATABASE d", True),
    ("ALTER TABLE p DETACH PARTITION p1 CONCURRENTLY", True),
    ("VACUUM t", True),
    ("VACUUM (ANALYZE) t", True),
    ("CLUSTER", True),
    ("CREATE DATABASE d", True),
    ("DROP DATABASE d WITH (FORCE)", True),
    ("ALTER DATABASE d SET TABLESPACE fast", True),
    ("CREATE TABLESPACE ts LOCATION '/srv/ts'", True),
    ("DROP TABLESPACE ts", True),
    ("ALTER SYSTEM SET work_mem = '64MB'", True),
    ("CREATE SUBSCRIPTION s CONNECTION 'host=x' PUBLICATION p", True),
    ("CREATE SUBSCRIPTION s CONNECTION 'host=x' PUBLICATION p WITH (create_slot = false)", False),
    ("CREATE SUBSCRIPTION s CONNECTION 'host=x' PUBLICATION p WITH (connect = false)", False),
    ("ALTER SUBSCRIPTION s REFRESH PUBLICATION", True),
    ("ALTER SUBSCRIPTION s SET PUBLICATION p", True),
    ("ALTER SUBSCRIPTION s SET PUBLICATION p WITH (refresh = false)", False),
    ("ALTER SUBSCRIPTION s ENABLE", False),
    ("DROP SUBSCRIPTION s", True),
    ("DISCARD ALL", True),
    ("COMMIT PREPARED 'tx'", True),
    ("ROLLBACK PREPARED 'tx'", True),
    # Not refused inside a transaction block.
    ("CREATE INDEX ix ON t (a)", False),
    ("DROP INDEX ix", False),
    ("REINDEX TABLE t", False),
    ("ALTER TABLE p DETACH PARTITION p1", False),
    ("ANALYZE t", False),
    ("CLUSTER t USING ix", False),
    ("REFRESH MATERIALIZED VIEW CONCURRENTLY mv", False),
    ("ALTER DATABASE d SET work_mem = '1MB'", False),
    ("ALTER TYPE mood ADD VALUE 'happy'", False),
    ("DISCARD PLANS", False),
    ("COMMIT", False),
    # CONCURRENTLY in comments, strings and names is text, not a clause.
    ("CREATE INDEX ix ON t (a) -- CONCURRENTLY would be better", False),
    ("/* DROP INDEX CONCURRENTLY ix; */ CREATE INDEX ix ON t (a)", False),
    ("COMMENT ON INDEX ix IS 'built CONCURRENTLY; VACUUM later'", False),
    ("CREATE INDEX \"concurrently\" ON t (a)", False),
    ("SELECT 'VACUUM; CREATE DATABASE d'", False),
    ("CREATE FUNCTION f() RETURNS void LANGUAGE sql AS $$ VACUUM $$", False),
]


@pytest.mark.parametrize(
    ("sql", "expected"), AUTOCOMMIT_CASES, ids=[c[0][:60] for c in AUTOCOMMIT_CASES]
)
def test_needs_autocommit(sql: str, expected: bool) -> None:
    assert needs_autocommit(one(sql)) is expected
