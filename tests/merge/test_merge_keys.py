"""Merge keys of statements about attached objects and of function overloads, and the merge
they make, on inline texts."""

from __future__ import annotations

import pytest

from pgmt_git.git.merge import merge_sql
from pgmt_git.git.merge_keys import Key, statement_merge_key
from pgmt_git.project.sqltext import split_statements, statement_tree


def key(sql: str) -> Key:
    (statement,) = split_statements(sql)
    return statement_merge_key(statement.node, statement_tree(statement))


def relation(name: str) -> tuple[object, ...]:
    return ("relation", None, name, None, None)


@pytest.mark.parametrize(("sql", "expected"), [
    ("CREATE TRIGGER audit BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION f();",
     ("create", ("trigger", None, "audit", None, relation("users")))),
    ("CREATE POLICY mine ON users USING (true);",
     ("create", ("policy", None, "mine", None, relation("users")))),
    ("ALTER TABLE users ADD CONSTRAINT positive CHECK (id > 0);",
     ("AlterTableStmt", ("constraint", None, "positive", None, relation("users")),
      (("AT_AddConstraint", "positive"),))),
    ("CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql AS $$ SELECT a $$;",
     ("create", ("routine", None, "f", ("integer",), None))),
    ("CREATE FUNCTION f(a text, b int[]) RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;",
     ("create", ("routine", None, "f", ("text", "integer[]"), None))),
])
def test_the_key_of_an_attached_object_or_a_routine(sql: str, expected: Key) -> None:
    assert key(sql) == expected


@pytest.mark.parametrize(("one", "other"), [
    ("CREATE TRIGGER audit BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION f();",
     "CREATE TRIGGER audit AFTER INSERT ON users FOR EACH ROW EXECUTE FUNCTION g();"),
    ("CREATE POLICY mine ON users USING (true);",
     "CREATE POLICY mine ON users FOR SELECT USING (owner = current_user);"),
    ("ALTER TABLE users ADD CONSTRAINT positive CHECK (id > 0);",
     "ALTER TABLE ONLY users ADD CONSTRAINT positive UNIQUE (id);"),
    ("CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql AS $$ SELECT a $$;",
     "CREATE OR REPLACE FUNCTION F(IN x integer) RETURNS bigint LANGUAGE sql AS $$ SELECT 2 $$;"),
    ("CREATE FUNCTION f(a int, OUT b int) LANGUAGE sql AS $$ SELECT a $$;",
     "CREATE FUNCTION f(int4) RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;"),
    ("CREATE FUNCTION f(a varchar(10)) RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;",
     "CREATE FUNCTION f(a character varying) RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;"),
])
def test_one_object_written_two_ways_has_one_key(one: str, other: str) -> None:
    assert key(one) == key(other)


@pytest.mark.parametrize(("one", "other"), [
    ("CREATE TRIGGER audit BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION f();",
     "CREATE TRIGGER audit BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION f();"),
    ("CREATE POLICY mine ON users USING (true);", "CREATE POLICY mine ON orders USING (true);"),
    ("ALTER TABLE users ADD CONSTRAINT positive CHECK (id > 0);",
     "ALTER TABLE orders ADD CONSTRAINT positive CHECK (id > 0);"),
    ("ALTER TABLE users ADD CONSTRAINT positive CHECK (id > 0);",
     "ALTER TABLE users ADD CONSTRAINT nonzero CHECK (id > 0);"),
    ("CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql AS $$ SELECT a $$;",
     "CREATE FUNCTION f(a text) RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;"),
    ("CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql AS $$ SELECT a $$;",
     "CREATE FUNCTION f(a int, b int) RETURNS int LANGUAGE sql AS $$ SELECT a $$;"),
    ("CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql AS $$ SELECT a $$;",
     "CREATE FUNCTION f(a bigint) RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;"),
    ("COMMENT ON FUNCTION f(int) IS 'x';", "COMMENT ON FUNCTION f(text) IS 'x';"),
    ("COMMENT ON TRIGGER audit ON users IS 'x';", "COMMENT ON TRIGGER audit ON orders IS 'x';"),
    ("COMMENT ON POLICY mine ON users IS 'x';", "COMMENT ON POLICY mine ON orders IS 'x';"),
])
def test_different_objects_have_different_keys(one: str, other: str) -> None:
    assert key(one) != key(other)


# ------------------------------------------------------------------ the merge they make

BASE = """\
CREATE TABLE users (id int PRIMARY KEY, owner text);

CREATE TABLE orders (id int PRIMARY KEY, owner text);

CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql AS $$ SELECT a $$;
"""


def both_ways(base: str, ours: str, theirs: str) -> str:
    one, other = merge_sql(base, ours, theirs), merge_sql(base, theirs, ours)
    assert one.clean and other.clean, (one.conflicts, other.conflicts)
    assert one.text == other.text
    return one.text


def attach(table: str, *, check: str = "id > 0", using: str = "true") -> str:
    return (f"\nCREATE TRIGGER audit BEFORE UPDATE ON {table} FOR EACH ROW "
            "EXECUTE FUNCTION f();\n"
            f"\nCREATE POLICY mine ON {table} USING ({using});\n"
            f"\nALTER TABLE {table} ADD CONSTRAINT positive CHECK ({check});\n")


def test_the_same_names_attached_to_different_tables_merge() -> None:
    merged = both_ways(BASE, BASE + attach("users"), BASE + attach("orders"))
    assert sorted(merged.split("\n\n")) == sorted((BASE + attach("orders") + attach("users"))
                                                  .split("\n\n"))


@pytest.mark.parametrize(("changed", "what"), [
    ({"check": "id >= 0"}, "constraint positive on users"),
    ({"using": "owner = current_user"}, "policy mine on users"),
])
def test_one_attached_object_added_differently_conflicts_alone(changed: dict[str, str],
                                                               what: str) -> None:
    base = BASE + attach("orders")
    result = merge_sql(base, base + attach("users"), base + attach("users", **changed))
    assert [(c.what, c.reason) for c in result.conflicts] == [
        (what, "both sides add it, differently")]
    assert result.text.count("<<<<<<<") == 1


def test_one_trigger_changed_differently_conflicts_alone() -> None:
    base = BASE + attach("users") + attach("orders")
    ours = base.replace("BEFORE UPDATE ON users", "BEFORE INSERT ON users")
    theirs = base.replace("BEFORE UPDATE ON users", "AFTER UPDATE ON users").replace(
        "BEFORE UPDATE ON orders", "AFTER UPDATE ON orders")
    result = merge_sql(base, ours, theirs)
    assert [(c.what, c.reason) for c in result.conflicts] == [
        ("trigger audit on users", "both sides change it, differently")]
    assert "AFTER UPDATE ON orders" in result.text


OVERLOAD = "\nCREATE FUNCTION f({args}) RETURNS int LANGUAGE sql AS $$ SELECT {body} $$;\n"


def test_different_overloads_added_on_both_sides_merge() -> None:
    ours = BASE + OVERLOAD.format(args="a text", body="1")
    theirs = BASE + OVERLOAD.format(args="a int, b int", body="a + b")
    assert both_ways(BASE, ours, theirs) == (BASE + OVERLOAD.format(args="a int, b int",
                                                                    body="a + b")
                                             + OVERLOAD.format(args="a text", body="1"))


def test_one_overload_changed_differently_conflicts_alone() -> None:
    base = BASE + OVERLOAD.format(args="a text", body="1")
    ours = base.replace("SELECT a $$", "SELECT a + 1 $$")
    theirs = base.replace("SELECT a $$", "SELECT a + 2 $$").replace("SELECT 1 $$",
                                                                    "SELECT 2 $$")
    result = merge_sql(base, ours, theirs)
    assert [(c.what, c.reason) for c in result.conflicts] == [
        ("function f(integer)", "both sides change it, differently")]
    assert result.text.endswith(OVERLOAD.format(args="a text", body="2"))


def test_an_overload_added_while_the_other_is_changed() -> None:
    ours = BASE.replace("SELECT a $$", "SELECT a + 1 $$")
    theirs = BASE + OVERLOAD.format(args="a text", body="1")
    assert both_ways(BASE, ours, theirs) == ours + OVERLOAD.format(args="a text", body="1")
