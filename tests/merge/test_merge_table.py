"""Per-column merging inside CREATE TABLE, on inline statements."""

from __future__ import annotations

import pytest

from pgmt_git.git.merge_table import join_table, merge_table, split_table
from pgmt_git.project.sqltext import split_statements, statement_tree

BASE = """CREATE TABLE t (
    id int PRIMARY KEY, -- the key
    "a,b" numeric(10,2) DEFAULT 1,
    note text DEFAULT 'x,)' ,
    /* checked */ CONSTRAINT positive CHECK (id > 0),
    UNIQUE (id, note)
) WITH (fillfactor = 90);"""


def parsed(sql: str) -> tuple[str, dict]:
    statement = split_statements(sql)[0]
    return statement.text, statement_tree(statement)


def merged(base: str, ours: str, theirs: str) -> str | None:
    one = merge_table(parsed(base), parsed(ours), parsed(theirs))
    other = merge_table(parsed(base), parsed(theirs), parsed(ours))
    assert one == other
    return one


@pytest.mark.parametrize("sql", [
    BASE, "CREATE TABLE t ();", "CREATE TABLE t (a int)",
    "CREATE TABLE t (LIKE s INCLUDING ALL, b int);",
    'CREATE TABLE "odd (name" (a text DEFAULT $$,)$$, b text DEFAULT E\'\\\',\');',
])
def test_split_and_join_give_the_text_back(sql: str) -> None:
    text, tree = parsed(sql)
    assert join_table(split_table(text, tree)) == text


def test_elements_are_keyed_by_name_or_definition() -> None:
    keys = [e.key for e in split_table(*parsed(BASE)).elements]
    assert keys[:4] == [("column", "id"), ("column", "a,b"), ("column", "note"),
                        ("constraint", "positive")]
    assert keys[4][0] == "Constraint"


def test_a_dropped_column_and_an_added_one() -> None:
    ours = BASE.replace('    "a,b" numeric(10,2) DEFAULT 1,\n', "")
    theirs = BASE.replace("    UNIQUE (id, note)\n", "    UNIQUE (id, note),\n    extra int\n")
    assert merged(BASE, ours, theirs) == theirs.replace('    "a,b" numeric(10,2) DEFAULT 1,\n',
                                                        "")


def test_the_last_element_with_a_comment_gets_its_comma_before_the_comment() -> None:
    base = "CREATE TABLE t (\n    id int -- the key\n);"
    ours = "CREATE TABLE t (\n    id bigint -- the key\n);"
    theirs = "CREATE TABLE t (\n    id int, -- the key\n    b int\n);"
    assert merged(base, ours, theirs) == (
        "CREATE TABLE t (\n    id bigint, -- the key\n    b int\n);")


def test_options_after_the_list_merge_too() -> None:
    ours = BASE.replace("fillfactor = 90", "fillfactor = 80")
    theirs = BASE.replace("    UNIQUE (id, note)\n", "    UNIQUE (id, note),\n    extra int\n")
    assert merged(BASE, ours, theirs) == theirs.replace("fillfactor = 90", "fillfactor = 80")


def test_one_column_changed_on_both_sides_does_not_merge() -> None:
    ours = BASE.replace("DEFAULT 1", "DEFAULT 2")
    theirs = BASE.replace("DEFAULT 1", "DEFAULT 3")
    assert merged(BASE, ours, theirs) is None


def test_partitions_are_not_taken_apart() -> None:
    base = "CREATE TABLE p1 PARTITION OF p FOR VALUES IN (1);"
    ours = "CREATE TABLE p1 PARTITION OF p FOR VALUES IN (1, 2);"
    theirs = "CREATE TABLE p1 PARTITION OF p (CONSTRAINT c CHECK (true)) FOR VALUES IN (1);"
    assert merged(base, ours, theirs) is None
