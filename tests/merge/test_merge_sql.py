"""The pure SQL merge with inline texts: every rule of the merge, both ways round."""

from __future__ import annotations

import pytest

from pgmt_git.git.merge import CannotMerge, ConflictStyle, Labels, merge_sql, pieces
from pgmt_git.git.merge_seq import merged_order

BASE = """\
-- require: types.sql

-- People who sign in.
CREATE TABLE users (
    id int PRIMARY KEY,
    name text NOT NULL
);

COMMENT ON TABLE users IS 'people';

CREATE FUNCTION add_one(a int) RETURNS int LANGUAGE sql AS $$ SELECT a + 1 $$;

CREATE VIEW named_users AS SELECT id, name FROM users;
"""


def both_ways(base: str, ours: str, theirs: str) -> str:
    """The clean merge, which must not depend on which side is ours."""
    one, other = merge_sql(base, ours, theirs), merge_sql(base, theirs, ours)
    assert one.clean and other.clean, (one.conflicts, other.conflicts)
    assert one.text == other.text
    return one.text


def test_different_columns_added_to_one_table() -> None:
    ours = BASE.replace("name text NOT NULL\n", "name text NOT NULL,\n    email text\n")
    theirs = BASE.replace("    id int PRIMARY KEY,\n",
                          "    id int PRIMARY KEY,\n    created_at timestamptz,\n")
    merged = both_ways(BASE, ours, theirs)
    assert merged == BASE.replace(
        "    id int PRIMARY KEY,\n    name text NOT NULL\n",
        "    id int PRIMARY KEY,\n    created_at timestamptz,\n    name text NOT NULL,\n"
        "    email text\n")


def test_both_append_a_column_in_a_deterministic_order() -> None:
    ours = BASE.replace("name text NOT NULL\n", "name text NOT NULL,\n    phone text\n")
    theirs = BASE.replace("name text NOT NULL\n", "name text NOT NULL,\n    email text\n")
    merged = both_ways(BASE, ours, theirs)
    assert "name text NOT NULL,\n    email text,\n    phone text\n);" in merged


def test_a_column_and_a_table_constraint() -> None:
    ours = BASE.replace("name text NOT NULL\n",
                        "name text NOT NULL,\n    CONSTRAINT name_set CHECK (name <> '')\n")
    theirs = BASE.replace("id int PRIMARY KEY,", "id bigint PRIMARY KEY,")
    merged = both_ways(BASE, ours, theirs)
    assert ("    id bigint PRIMARY KEY,\n    name text NOT NULL,\n"
            "    CONSTRAINT name_set CHECK (name <> '')\n);") in merged


def test_the_same_column_changed_differently_is_a_conflict_around_the_table() -> None:
    ours = BASE.replace("name text NOT NULL", "name varchar(100) NOT NULL")
    theirs = BASE.replace("name text NOT NULL", "name text")
    result = merge_sql(BASE, ours, theirs)
    assert [c.what for c in result.conflicts] == ["table users"]
    assert result.text.count("<<<<<<<") == 1
    assert "CREATE FUNCTION add_one" in result.text.split(">>>>>>> theirs")[1]


def test_different_tables_added_to_one_file() -> None:
    ours = BASE + "\nCREATE TABLE orders (id int);\n"
    theirs = BASE + "\nCREATE TABLE invoices (id int);\n"
    merged = both_ways(BASE, ours, theirs)
    assert merged == BASE + "\nCREATE TABLE invoices (id int);\n\nCREATE TABLE orders (id int);\n"


def test_a_function_and_a_view_edited_on_either_side() -> None:
    ours = BASE.replace("SELECT a + 1", "SELECT a + 2")
    theirs = BASE.replace("SELECT id, name FROM", "SELECT id, upper(name) AS name FROM")
    merged = both_ways(BASE, ours, theirs)
    assert merged == ours.replace("SELECT id, name FROM", "SELECT id, upper(name) AS name FROM")


def test_the_same_index_added_by_both_is_added_once() -> None:
    index = "\nCREATE INDEX users_name ON users (name);\n"
    merged = both_ways(BASE, BASE + index, BASE + index)
    assert merged == BASE + index


def test_a_function_changed_differently_conflicts_alone() -> None:
    ours = BASE.replace("SELECT a + 1", "SELECT a + 2").replace("'people'", "'users'")
    theirs = BASE.replace("SELECT a + 1", "SELECT a + 3") + "\nCREATE TABLE t (id int);\n"
    result = merge_sql(BASE, ours, theirs, labels=Labels("HEAD", "base", "feature"))
    assert [(c.what, c.reason, c.line) for c in result.conflicts] == [
        ("function add_one(integer)", "both sides change it, differently", 11)]
    assert result.text == ours.replace(
        "CREATE FUNCTION add_one(a int) RETURNS int LANGUAGE sql AS $$ SELECT a + 2 $$;\n",
        "<<<<<<< HEAD\n"
        "CREATE FUNCTION add_one(a int) RETURNS int LANGUAGE sql AS $$ SELECT a + 2 $$;\n"
        "=======\n"
        "CREATE FUNCTION add_one(a int) RETURNS int LANGUAGE sql AS $$ SELECT a + 3 $$;\n"
        ">>>>>>> feature\n") + "\nCREATE TABLE t (id int);\n"


def test_diff3_style_and_marker_size() -> None:
    ours = BASE.replace("SELECT a + 1", "SELECT a + 2")
    theirs = BASE.replace("SELECT a + 1", "SELECT a + 3")
    result = merge_sql(BASE, ours, theirs, marker_size=9, style=ConflictStyle.DIFF3,
                       labels=Labels("HEAD", "1a2b3c4", "feature"))
    block = result.text.split("\n\n")[3]
    assert block.splitlines() == [
        "<<<<<<<<< HEAD", ours.splitlines()[10], "||||||||| 1a2b3c4", BASE.splitlines()[10],
        "=========", theirs.splitlines()[10], ">>>>>>>>> feature"]


def test_delete_against_modify_conflicts() -> None:
    ours = BASE.replace("\nCREATE VIEW named_users AS SELECT id, name FROM users;\n", "")
    theirs = BASE.replace("SELECT id, name FROM", "SELECT id FROM")
    result = merge_sql(BASE, ours, theirs)
    assert [(c.what, c.reason) for c in result.conflicts] == [
        ("view named_users", "ours deletes it, theirs changes it")]
    assert result.text.endswith(
        "\n<<<<<<< ours\n=======\nCREATE VIEW named_users AS SELECT id FROM users;\n"
        ">>>>>>> theirs\n")
    reverse = merge_sql(BASE, theirs, ours)
    assert reverse.conflicts[0].reason == "ours changes it, theirs deletes it"


def test_delete_against_unchanged_deletes() -> None:
    ours = BASE.replace("\nCOMMENT ON TABLE users IS 'people';\n", "")
    theirs = BASE.replace("SELECT a + 1", "SELECT a + 2")
    assert both_ways(BASE, ours, theirs) == ours.replace("SELECT a + 1", "SELECT a + 2")


def test_a_comment_above_a_changed_object_travels_with_it() -> None:
    ours = BASE.replace("-- People who sign in.", "-- People who sign in, and robots.")
    theirs = BASE.replace("name text NOT NULL", "name text")
    assert both_ways(BASE, ours, theirs) == ours.replace("name text NOT NULL", "name text")
    moved = BASE.replace("-- People who sign in.\n", "")
    assert both_ways(BASE, moved, theirs) == moved.replace("name text NOT NULL", "name text")


def test_a_comment_travels_while_the_other_side_adds_a_neighbour_above() -> None:
    """The blank lines above a statement and its comments merge separately: one side adds a
    statement above (the blank line parting them is new) and changes the object, the other
    writes a comment above it."""
    base = "CREATE TABLE a (id int);\n\nCREATE TABLE b (id int);\n"
    ours = "-- about a\nCREATE TABLE a (id int);\n\nCREATE TABLE b (id int);\n"
    theirs = "CREATE TABLE t (id int);\n\nCREATE TABLE a (id bigint);\n\nCREATE TABLE b (id int);\n"
    assert both_ways(base, ours, theirs) == (
        "CREATE TABLE t (id int);\n\n-- about a\nCREATE TABLE a (id bigint);\n\n"
        "CREATE TABLE b (id int);\n")
    edited = BASE.replace("-- People who sign in.", "-- People who sign in, and robots.")
    above = BASE.replace("\n-- People", "\nCREATE TABLE t (id int);\n\n-- People").replace(
        "name text NOT NULL", "name text")
    assert both_ways(BASE, edited, above) == above.replace(
        "-- People who sign in.", "-- People who sign in, and robots.")
    other = BASE.replace("-- People who sign in.", "-- Who signs in.")
    conflict = merge_sql(BASE, other, above.replace("-- People who", "-- Users who"))
    assert [c.what for c in conflict.conflicts] == ["table users"]


def test_the_file_header_merges_on_its_own() -> None:
    ours = BASE.replace("-- require: types.sql", "-- require: types.sql, roles.sql")
    theirs = BASE.replace("name text NOT NULL", "name text")
    assert both_ways(BASE, ours, theirs) == ours.replace("name text NOT NULL", "name text")


def test_crlf_line_breaks_are_kept() -> None:
    base = BASE.replace("\n", "\r\n")
    ours = base.replace("name text NOT NULL\r\n", "name text NOT NULL,\r\n    email text\r\n")
    theirs = base + "\r\nCREATE TABLE orders (id int);\r\n"
    merged = both_ways(base, ours, theirs)
    assert merged == ours + "\r\nCREATE TABLE orders (id int);\r\n"
    assert "\n" not in merged.replace("\r\n", "")
    conflict = merge_sql(base, base.replace("a + 1", "a + 2"), base.replace("a + 1", "a + 3"))
    assert "\r\n=======\r\n" in conflict.text
    assert "\n" not in conflict.text.replace("\r\n", "")


@pytest.mark.parametrize("ending", ["", "\n\n", "  \n"])
def test_the_final_line_break_is_kept(ending: str) -> None:
    base = BASE.removesuffix("\n") + ending
    ours = base.replace("SELECT a + 1", "SELECT a + 2")
    theirs = base.replace("'people'", "'users'")
    assert both_ways(base, ours, theirs) == ours.replace("'people'", "'users'")


def test_a_statement_appended_after_a_last_line_without_line_break() -> None:
    base = BASE.removesuffix("\n")
    ours = base + "\nCREATE TABLE a (id int);"
    theirs = base.replace("SELECT a + 1", "SELECT a + 2")
    assert both_ways(base, ours, theirs) == ours.replace("SELECT a + 1", "SELECT a + 2")


def test_a_byte_order_mark_is_kept() -> None:
    base = "\ufeff" + BASE
    ours = base.replace("SELECT a + 1", "SELECT a + 2")
    theirs = base.replace("'people'", "'users'")
    merged = both_ways(base, ours, theirs)
    assert merged.startswith("\ufeff-- require") and merged.count("\ufeff") == 1


def test_untouched_text_stays_byte_for_byte() -> None:
    odd = ("CREATE   TABLE  odd (a int)  ; -- trailing\n\n\n/* block */ SELECT 1; SELECT 2;\t\n"
           "COPY odd FROM stdin;\n1\n\\.\n")
    base = BASE + odd
    ours = base.replace("SELECT a + 1", "SELECT a + 2")
    theirs = base.replace("'people'", "'users'")
    assert both_ways(base, ours, theirs) == ours.replace("'people'", "'users'")


def test_changed_grants_and_comments() -> None:
    base = BASE + "\nGRANT SELECT ON users TO reader;\n"
    ours = base.replace("GRANT SELECT ON users TO reader;",
                        "GRANT SELECT ON users TO reader;\nGRANT SELECT ON users TO auditor;")
    theirs = base.replace("'people'", "'users'")
    assert both_ways(base, ours, theirs) == ours.replace("'people'", "'users'")
    comment = merge_sql(base, base.replace("'people'", "'a'"), base.replace("'people'", "'b'"))
    assert [c.what for c in comment.conflicts] == ["table users"]


def test_alter_table_statements_are_told_apart() -> None:
    base = BASE + ("\nALTER TABLE users ALTER COLUMN name SET DEFAULT 'x';\n"
                   "ALTER TABLE users ENABLE ROW LEVEL SECURITY;\n")
    ours = base.replace("DEFAULT 'x'", "DEFAULT 'y'")
    theirs = base.replace("ENABLE ROW LEVEL SECURITY;", "ENABLE ROW LEVEL SECURITY;\n"
                          "ALTER TABLE users OWNER TO app;")
    assert both_ways(base, ours, theirs) == theirs.replace("DEFAULT 'x'", "DEFAULT 'y'")


def test_a_move_on_one_side_is_kept() -> None:
    view = "\nCREATE VIEW named_users AS SELECT id, name FROM users;\n"
    ours = BASE.replace(view, "").replace("\nCOMMENT ON", view + "\nCOMMENT ON")
    theirs = BASE.replace("SELECT a + 1", "SELECT a + 2")
    assert both_ways(BASE, ours, theirs) == ours.replace("SELECT a + 1", "SELECT a + 2")


def test_unchanged_sides_return_the_other_text_as_is() -> None:
    assert merge_sql(BASE, BASE, "not sql at all").text == "not sql at all"
    assert merge_sql(BASE, "x", "x").text == "x"


def test_unreadable_sql_is_refused() -> None:
    with pytest.raises(CannotMerge, match="their version is not SQL the merge can read: "
                                          "<sql>:1:14: invalid SQL"):
        merge_sql(BASE, BASE.replace("a + 1", "a + 2"), "CREATE TABLE (;\n" + BASE)


def test_conflict_markers_in_an_input_are_refused() -> None:
    marked = BASE + "<<<<<<< HEAD\nSELECT 1;\n=======\nSELECT 2;\n>>>>>>> x\n"
    with pytest.raises(CannotMerge, match=r"our version already holds a conflict marker "
                                          r"\(line 14\)"):
        merge_sql(BASE, marked, BASE.replace("a + 1", "a + 2"))


def test_forced_conflicts_carry_their_explanation() -> None:
    ours = BASE.replace("SELECT a + 1", "SELECT a + 2")
    theirs = BASE + "\nCREATE VIEW v AS SELECT email FROM users;\n"
    merged = merge_sql(BASE, ours, theirs).text
    key = next(p.key for p in pieces(merged).pieces if p.what == "view v")
    forced = merge_sql(BASE, ours, theirs, forced={key: "view v: no column email"})
    assert [(c.what, c.reason) for c in forced.conflicts] == [
        ("view v", "view v: no column email")]
    assert forced.text.endswith(
        "\n-- pgmt-git: view v: no column email\n<<<<<<< ours\n=======\n"
        "CREATE VIEW v AS SELECT email FROM users;\n>>>>>>> theirs\n")


def test_merged_order_of_runs_inserted_at_one_place() -> None:
    survivors = dict.fromkeys("abxyc")
    assert merged_order(list("abc"), list("abxc"), list("abyc"), survivors) == list("abxyc")
    assert merged_order(list("abc"), list("abyc"), list("abxc"), survivors) == list("abxyc")
