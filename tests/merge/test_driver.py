"""The merge driver in real repositories: installed by `pgmt-git install --merge-driver`,
run by real `git merge`, `git rebase` and `git cherry-pick`, verified on the test server.

Each test's SQL names its objects after ``unique`` so that its replays are its own.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.git.conftest import run
from tests.merge.conftest import MergeRepo, drop_and_view, merge_repo, merged

pytestmark = pytest.mark.usefixtures("replays")


def test_both_sides_add_different_columns_to_one_table(tmp_path: Path, base: str) -> None:
    ours = base.replace("    name text\n", "    name text,\n    created_at timestamptz\n")
    theirs = base.replace("    email text NOT NULL,\n", "    email text NOT NULL,\n    age int,\n")
    ws, code, output = merged(tmp_path, base, ours, theirs)
    assert code == 0, output
    assert ws.read("schema/app.sql") == base.replace(
        "    email text NOT NULL,\n    name text\n",
        "    email text NOT NULL,\n    age int,\n    name text,\n    created_at timestamptz\n")
    assert ws.git("status", "--porcelain") == ""


def test_both_sides_append_columns_in_one_order_whichever_side_merges(
        tmp_path: Path, base: str) -> None:
    ours = base.replace("    name text\n", "    name text,\n    phone text\n")
    theirs = base.replace("    name text\n", "    name text,\n    age int\n")
    expected = base.replace("    name text\n", "    name text,\n    age int,\n    phone text\n")
    ws, code, output = merged(tmp_path / "one", base, ours, theirs)
    assert code == 0, output
    assert ws.read("schema/app.sql") == expected
    ws, code, output = merged(tmp_path / "other", base, theirs, ours)
    assert code == 0, output
    assert ws.read("schema/app.sql") == expected


def test_both_sides_add_different_tables_to_one_file(tmp_path: Path, base: str,
                                                    unique: str) -> None:
    orders = f"\nCREATE TABLE orders_{unique} (id int PRIMARY KEY);\n"
    invoices = f"\nCREATE TABLE invoices_{unique} (id int PRIMARY KEY);\n"
    ws, code, output = merged(tmp_path, base, base + orders, base + invoices)
    assert code == 0, output
    assert ws.read("schema/app.sql") == base + invoices + orders


def test_a_function_on_one_side_a_view_on_the_other(tmp_path: Path, base: str) -> None:
    ours = base.replace("'hello ' || who", "'hi ' || who")
    theirs = base.replace("SELECT id, name FROM", "SELECT id, name, email FROM")
    ws, code, output = merged(tmp_path, base, ours, theirs)
    assert code == 0, output
    assert ws.read("schema/app.sql") == ours.replace("SELECT id, name FROM",
                                                     "SELECT id, name, email FROM")


def test_the_same_index_added_on_both_sides_is_added_once(tmp_path: Path, base: str,
                                                         unique: str) -> None:
    index = f"\nCREATE INDEX users_{unique}_email ON users_{unique} (email);\n"
    ours = base.replace("'people'", "'people who sign in'") + index
    theirs = base.replace("'hello ' || who", "'hi ' || who") + index
    ws, code, output = merged(tmp_path, base, ours, theirs)
    assert code == 0, output
    assert ws.read("schema/app.sql") == ours.replace("'hello ' || who", "'hi ' || who")


def test_one_function_changed_differently_conflicts_alone(tmp_path: Path, base: str,
                                                         unique: str) -> None:
    ours = base.replace("'hello ' || who", "'hi ' || who").replace("    name text\n",
                                                                    "    name text,\n    x int\n")
    theirs = base.replace("'hello ' || who", "'hey ' || who").replace("'people'", "'users'")
    ws, code, output = merged(tmp_path, base, ours, theirs)
    assert code == 1
    assert (f"schema/app.sql:11: conflict in function greeting_{unique}(text): both sides "
            "change it, differently") in output
    function = ("CREATE FUNCTION greeting_{u}(who text) RETURNS text LANGUAGE sql\n"
                "    AS $$ SELECT '{word} ' || who $$;\n")
    assert ws.read("schema/app.sql") == (
        ours.replace("'people'", "'users'").replace(
            function.format(u=unique, word="hi"),
            "<<<<<<< HEAD\n" + function.format(u=unique, word="hi") + "=======\n"
            + function.format(u=unique, word="hey") + ">>>>>>> feature\n"))


def test_delete_against_modify_conflicts(tmp_path: Path, base: str, unique: str) -> None:
    view = f"\nCREATE VIEW named_{unique} AS SELECT id, name FROM users_{unique};\n"
    ours = base.replace(view, "")
    theirs = base.replace("SELECT id, name FROM", "SELECT id, email FROM")
    ws, code, output = merged(tmp_path, base, ours, theirs)
    assert code == 1
    assert f"conflict in view named_{unique}: HEAD deletes it, feature changes it" in output
    assert ws.read("schema/app.sql") == ours + (
        f"\n<<<<<<< HEAD\n=======\nCREATE VIEW named_{unique} AS SELECT id, email FROM "
        f"users_{unique};\n>>>>>>> feature\n")


def test_a_comment_above_a_changed_object_travels_with_it(tmp_path: Path, base: str) -> None:
    ours = base.replace("-- People who sign in.", "-- People and robots who sign in.")
    theirs = base.replace("    name text\n", "    name text NOT NULL\n")
    ws, code, output = merged(tmp_path, base, ours, theirs)
    assert code == 0, output
    assert ws.read("schema/app.sql") == ours.replace("    name text\n", "    name text NOT NULL\n")


def test_a_crlf_file_stays_crlf(tmp_path: Path, base: str, unique: str) -> None:
    crlf = base.replace("\n", "\r\n")
    ours = crlf.replace("    name text\r\n", "    name text,\r\n    created_at timestamptz\r\n")
    theirs = crlf + f"\r\nCREATE TABLE orders_{unique} (id int);\r\n"
    ws, code, output = merged(tmp_path, crlf, ours, theirs)
    assert code == 0, output
    assert ws.read("schema/app.sql") == ours + f"\r\nCREATE TABLE orders_{unique} (id int);\r\n"


def test_a_syntax_error_falls_back_to_the_line_merge(tmp_path: Path, base: str) -> None:
    ours = base.replace("'people'", "'people who sign in'")
    theirs = base.replace("SELECT id, name FROM", "SELECT id, name FRM")
    ws, code, output = merged(tmp_path, base, ours, theirs)
    assert code == 0, output
    assert "their version is not SQL the merge can read: schema/app.sql:13:" in output
    assert "merging it line by line (git merge-file) instead" in output
    assert ws.read("schema/app.sql") == ours.replace("SELECT id, name FROM",
                                                     "SELECT id, name FRM")


def test_a_line_merge_conflict_keeps_git_labels(tmp_path: Path, base: str) -> None:
    ours = base.replace("SELECT id, name FROM", "SELECT id, name FRM")
    theirs = base.replace("SELECT id, name FROM", "SELECT id FROM")
    ws, code, output = merged(tmp_path, base, ours, theirs)
    assert code == 1
    text = ws.read("schema/app.sql")
    assert "<<<<<<< HEAD\n" in text and ">>>>>>> feature\n" in text


def test_conflict_markers_in_an_input_fall_back(tmp_path: Path, base: str) -> None:
    marked = base + "<<<<<<< HEAD\n=======\n>>>>>>> other\n"
    ws = merge_repo(tmp_path, marked)
    ws.branches(ours=marked.replace("'people'", "'users'"),
                theirs=marked.replace("'hello ' || who", "'hi ' || who"))
    result = ws.merge()
    assert "the common ancestor already holds a conflict marker (line 14)" in result.stderr
    assert result.returncode == 0, result.stderr
    assert ws.read("schema/app.sql") == marked.replace("'people'", "'users'").replace(
        "'hello ' || who", "'hi ' || who")


def test_a_file_that_is_not_utf8_falls_back(tmp_path: Path, base: str) -> None:
    latin = base.replace("'people'", "'café'").encode("latin-1")
    ws = merge_repo(tmp_path, "", binary=latin)
    ws.git("checkout", "-q", "-b", "feature")
    (ws.path / "schema/app.sql").write_bytes(latin.replace(b"'hello '", b"'hi '"))
    ws.commit_all("theirs")
    ws.git("checkout", "-q", "main")
    (ws.path / "schema/app.sql").write_bytes(latin.replace(b"    name text\n", b"    nm text\n"))
    ws.commit_all("ours")
    result = ws.merge()
    assert result.returncode == 0, result.stderr
    assert "a version is not UTF-8 text; merging it line by line" in result.stderr
    assert (ws.path / "schema/app.sql").read_bytes() == latin.replace(
        b"'hello '", b"'hi '").replace(b"    name text\n", b"    nm text\n")


def test_diff3_conflict_style_is_honoured(tmp_path: Path, base: str, unique: str) -> None:
    ws = merge_repo(tmp_path, base)
    ws.git("config", "merge.conflictStyle", "diff3")
    ws.branches(ours=base.replace("'people'", "'a'"), theirs=base.replace("'people'", "'b'"))
    result = ws.merge()
    assert result.returncode == 1
    base_sha = ws.git("merge-base", "HEAD", "feature").strip()[:7]
    assert (f"<<<<<<< HEAD\nCOMMENT ON TABLE users_{unique} IS 'a';\n||||||| {base_sha}\n"
            f"COMMENT ON TABLE users_{unique} IS 'people';\n=======\n"
            f"COMMENT ON TABLE users_{unique} IS 'b';\n>>>>>>> feature\n"
            ) in ws.read("schema/app.sql")


# ---------------------------------------------------------------------- rebase, cherry-pick


def rebase_repo(tmp_path: Path, base: str, unique: str) -> MergeRepo:
    """main adds a column, feature adds a table: each rebases cleanly onto the other."""
    ws = merge_repo(tmp_path, base)
    ws.branches(ours=base.replace("    name text\n", "    name text,\n    x int\n"),
                theirs=base + f"\nCREATE TABLE orders_{unique} (id int);\n")
    return ws


def both_changes(base: str, unique: str) -> str:
    return (base.replace("    name text\n", "    name text,\n    x int\n")
            + f"\nCREATE TABLE orders_{unique} (id int);\n")


def test_rebase_the_feature_onto_main(tmp_path: Path, base: str, unique: str) -> None:
    ws = rebase_repo(tmp_path, base, unique)
    ws.git("checkout", "-q", "feature")
    result = ws.run_git("rebase", "main")
    assert result.returncode == 0, result.stderr
    assert ws.read("schema/app.sql") == both_changes(base, unique)
    assert ws.git("log", "--format=%s", "-3").split() == ["theirs", "ours", "base"]


def test_rebase_main_onto_the_feature(tmp_path: Path, base: str, unique: str) -> None:
    ws = rebase_repo(tmp_path, base, unique)
    result = ws.run_git("rebase", "feature")
    assert result.returncode == 0, result.stderr
    assert ws.read("schema/app.sql") == both_changes(base, unique)
    assert ws.git("log", "--format=%s", "-3").split() == ["ours", "theirs", "base"]


def test_a_rebase_conflict_is_labelled_like_git_does(tmp_path: Path, base: str,
                                                     unique: str) -> None:
    ws = merge_repo(tmp_path, base)
    ws.branches(ours=base.replace("'people'", "'a'"), theirs=base.replace("'people'", "'b'"))
    ws.git("checkout", "-q", "feature")
    picked = ws.git("rev-parse", "--short", "HEAD").strip()
    result = ws.run_git("rebase", "main")
    assert result.returncode != 0
    assert (f"<<<<<<< HEAD\nCOMMENT ON TABLE users_{unique} IS 'a';\n=======\n"
            f"COMMENT ON TABLE users_{unique} IS 'b';\n>>>>>>> {picked} (theirs)\n"
            ) in ws.read("schema/app.sql")
    ws.run_git("rebase", "--abort")


def test_cherry_pick(tmp_path: Path, base: str, unique: str) -> None:
    ws = rebase_repo(tmp_path, base, unique)
    result = ws.run_git("cherry-pick", "feature")
    assert result.returncode == 0, result.stderr
    assert ws.read("schema/app.sql") == both_changes(base, unique)


# ------------------------------------------------------------------------------ the oracle


def test_the_oracle_turns_a_wrong_clean_merge_into_a_conflict(tmp_path: Path, base: str,
                                                              unique: str) -> None:
    ours, theirs = drop_and_view(base, unique)
    ws, code, output = merged(tmp_path, base, ours, theirs)
    assert code == 1
    reason = (f'the merged schema fails here: column "email" does not exist; HEAD drops '
              f"column public.users_{unique}.email")
    assert f"schema/app.sql:15: conflict in view emails_{unique}: {reason}" in output
    assert ws.read("schema/app.sql") == ours + (
        f"\n-- pgmt-git: {reason}\n<<<<<<< HEAD\n=======\n"
        f"CREATE VIEW emails_{unique} AS SELECT id, email FROM users_{unique};\n"
        ">>>>>>> feature\n")


def test_the_oracle_in_the_rebase_direction(tmp_path: Path, base: str, unique: str) -> None:
    ours, theirs = drop_and_view(base, unique)
    ws = merge_repo(tmp_path, base)
    ws.branches(ours=ours, theirs=theirs)
    ws.git("checkout", "-q", "feature")
    result = ws.run_git("rebase", "main")
    assert result.returncode != 0
    assert f"conflict in view emails_{unique}: the merged schema fails here" in result.stderr
    ws.run_git("rebase", "--abort")


def test_verification_can_be_turned_off(tmp_path: Path, base: str, unique: str) -> None:
    ours, theirs = drop_and_view(base, unique)
    ws = merge_repo(tmp_path, base, config="directories:\n  schema_dir: schema\n"
                                           "git:\n  merge:\n    verify: false\n")
    ws.branches(ours=ours, theirs=theirs)
    result = ws.merge()
    assert result.returncode == 0, result.stderr
    assert ws.read("schema/app.sql") == ours + theirs[len(base):]


def test_a_lost_change_is_a_conflict(tmp_path: Path, base: str, unique: str) -> None:
    """Both sides give one column a default, in different statements: the text merges, the
    catalog cannot hold both."""
    ours = base + f"\nALTER TABLE users_{unique} ALTER COLUMN name SET DEFAULT 'a';\n"
    theirs = base.replace("    name text\n", "    name text DEFAULT 'b'\n")
    ws, code, output = merged(tmp_path, base, ours, theirs)
    assert code == 1
    assert (f"HEAD and feature change the default of column public.users_{unique}.name "
            "differently") in output
    text = ws.read("schema/app.sql")
    assert text.count("<<<<<<< HEAD") == 2
    assert ("-- pgmt-git: HEAD and feature change the default of column "
            f"public.users_{unique}.name differently") in text


def test_the_oracle_in_a_revert(tmp_path: Path, base: str, unique: str) -> None:
    """Reverting the commit that added a column a later view selects: clean as text."""
    ws = merge_repo(tmp_path, base)
    ws.write("schema/app.sql", base.replace("    name text\n", "    name text,\n    phone text\n"))
    ws.commit_all("add phone")
    added = ws.git("rev-parse", "HEAD").strip()
    view = f"\nCREATE VIEW phones_{unique} AS SELECT id, phone FROM users_{unique};\n"
    ws.write("schema/app.sql", ws.read("schema/app.sql") + view)
    ws.commit_all("add a view of phones")
    result = ws.run_git("revert", "--no-edit", added)
    assert result.returncode != 0
    assert (f'conflict in view phones_{unique}: the merged schema fails here: column "phone" '
            f"does not exist; parent of {added[:7]} drops column public.users_{unique}.phone"
            ) in result.stderr
    ws.run_git("revert", "--abort")


def test_a_file_both_sides_add(tmp_path: Path, unique: str) -> None:
    ws = merge_repo(tmp_path, f"CREATE TABLE first_{unique} (id int);\n")
    shared = f"CREATE TABLE shared_{unique} (id int PRIMARY KEY);\n"
    ws.branches(ours=shared, theirs=shared + f"\nCREATE TABLE more_{unique} (id int);\n",
                file="schema/new.sql")
    result = ws.merge()
    assert result.returncode == 0, result.stderr
    assert ws.read("schema/new.sql") == shared + f"\nCREATE TABLE more_{unique} (id int);\n"


def test_a_sql_file_outside_the_schema_directory_is_merged_quietly(tmp_path: Path,
                                                                   base: str) -> None:
    ws = merge_repo(tmp_path, base)
    ws.write(".gitattributes", "*.sql merge=pgmt\n")
    ws.write("scripts/seed.sql", "INSERT INTO t VALUES (1);\n\nINSERT INTO t VALUES (2);\n")
    ws.commit_all("seed script")
    ws.branches(ours="INSERT INTO t VALUES (1);\n\nINSERT INTO t VALUES (3);\n",
                theirs="INSERT INTO t VALUES (0);\n\nINSERT INTO t VALUES (1);\n\n"
                       "INSERT INTO t VALUES (2);\n", file="scripts/seed.sql")
    result = ws.merge()
    assert result.returncode == 0, result.stderr
    assert "pgmt-git" not in result.stderr
    assert ws.read("scripts/seed.sql") == ("INSERT INTO t VALUES (0);\n\n"
                                           "INSERT INTO t VALUES (1);\n\n"
                                           "INSERT INTO t VALUES (3);\n")


def test_run_by_hand_in_a_stopped_merge(tmp_path: Path, base: str, unique: str) -> None:
    """MERGE_HEAD exists once a merge stopped (here on another file): the driver, run by
    hand on the three versions, verifies against it."""
    ours, theirs = drop_and_view(base, unique)
    ws = merge_repo(tmp_path, base)
    ws.branches(ours=ours, theirs=theirs, stop_on_notes=True)
    stopped = run(ws.path, "git", "merge", "--no-edit", "feature",
                  env={"PGMT_GIT_MERGE_VERIFY": "false"})
    assert stopped.returncode == 1 and "notes.txt" in stopped.stdout
    assert ws.read("schema/app.sql") == ours + theirs[len(base):]  # unverified
    again, result = ws.driver_by_hand(
        tmp_path, ws.git("merge-base", "HEAD", "MERGE_HEAD").strip(), "HEAD", "MERGE_HEAD")
    assert again.returncode == 1
    merging = ws.git("rev-parse", "--short", "MERGE_HEAD").strip()
    assert (f'conflict in view emails_{unique}: the merged schema fails here: column "email" '
            "does not exist; HEAD drops column") in again.stderr
    assert f">>>>>>> {merging}\n" in result.read_text(encoding="utf-8")


def test_a_file_renamed_on_one_side_merges_unverified(tmp_path: Path, base: str,
                                                      unique: str) -> None:
    ws = merge_repo(tmp_path, base)
    ws.git("checkout", "-q", "-b", "feature")
    ws.git("mv", "schema/app.sql", "schema/users.sql")
    ws.write("schema/users.sql", base + f"\nCREATE TABLE orders_{unique} (id int);\n")
    ws.commit_all("theirs")
    ws.git("checkout", "-q", "main")
    ours = base.replace("'people'", "'people who sign in'")
    ws.write("schema/app.sql", ours)
    ws.commit_all("ours")
    result = ws.merge()
    assert result.returncode == 0, result.stderr
    assert ws.read("schema/users.sql") == ours + f"\nCREATE TABLE orders_{unique} (id int);\n"
    assert ("schema/users.sql: merged by database object; not verified: HEAD does not hold "
            "our version at this path (a rename") in result.stderr
