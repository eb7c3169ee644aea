"""The merge driver in real repositories, continued: objects both sides add, merge keys of
attached objects and overloads, turning verification off and on, the oracle's lost and
invented changes, git's conflict marker size, and `git cherry-pick`.

Each test's SQL names its objects after ``unique`` so that its replays are its own.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.merge.conftest import MergeRepo, drop_and_view, merge_repo, merged

pytestmark = pytest.mark.usefixtures("replays")


def set_driver(ws: MergeRepo, *, before: tuple[str, ...] = (), after: tuple[str, ...] = ()
               ) -> None:
    """The installed driver command with global options (``-v``) and driver options."""
    driver = ws.git("config", "merge.pgmt.driver").strip()
    command, _, args = driver.partition(" merge-driver ")
    ws.git("config", "merge.pgmt.driver",
           " ".join([command, *before, "merge-driver", *after, args]))


def blocks(text: str) -> list[str]:
    """The statements of a text (with what is above each), in any order."""
    return sorted(text.strip("\n").split("\n\n"))


def conflicts(output: str) -> int:
    return output.count("pgmt-git: schema/app.sql:")


def markers(size: int, ours: str, theirs: str, *, ours_label: str = "HEAD",
            theirs_label: str = "feature") -> str:
    return (f"{'<' * size} {ours_label}\n{ours}{'=' * size}\n{theirs}"
            f"{'>' * size} {theirs_label}\n")


# ------------------------------------------------------------------ both add one name


def test_both_sides_add_one_table_differently(tmp_path: Path, base: str, unique: str) -> None:
    orders = "CREATE TABLE orders_{u} (id int PRIMARY KEY, {column});\n"
    ours = (base.replace("'people'", "'users'")
            + "\n" + orders.format(u=unique, column="total numeric"))
    theirs = (base.replace("'hello ' || who", "'hi ' || who")
              + "\n" + orders.format(u=unique, column="status text"))
    ws, code, output = merged(tmp_path, base, ours, theirs)
    assert code == 1
    assert (f"schema/app.sql:15: conflict in table orders_{unique}: both sides add it, "
            "differently") in output
    assert conflicts(output) == 1
    assert ws.read("schema/app.sql") == (
        base.replace("'people'", "'users'").replace("'hello ' || who", "'hi ' || who") + "\n"
        + markers(7, orders.format(u=unique, column="total numeric"),
                  orders.format(u=unique, column="status text")))
    assert "schema/app.sql" in ws.git("diff", "--name-only", "--diff-filter=U")


# ------------------------------------------------------------------ merge keys


def overloads(u: str) -> str:
    return f"""\
CREATE FUNCTION greeting_{u}(who text) RETURNS text LANGUAGE sql
    AS $$ SELECT 'hello ' || who $$;

CREATE FUNCTION greeting_{u}(n int) RETURNS text LANGUAGE sql
    AS $$ SELECT 'hello number ' || n $$;
"""


def test_different_overloads_added_on_both_sides_merge(tmp_path: Path, unique: str) -> None:
    base = overloads(unique)
    punct = (f"\nCREATE FUNCTION greeting_{unique}(who text, punct text) RETURNS text "
             "LANGUAGE sql\n    AS $$ SELECT 'hello ' || who || punct $$;\n")
    twice = (f"\nCREATE FUNCTION greeting_{unique}(n int, m int) RETURNS text LANGUAGE sql\n"
             "    AS $$ SELECT 'hello numbers ' || n || m $$;\n")
    ws = merge_repo(tmp_path, base)
    set_driver(ws, before=("-v",))
    ws.branches(ours=base + punct, theirs=base + twice)
    result = ws.merge()
    assert result.returncode == 0, result.stderr
    assert "schema/app.sql: verified on a shadow database" in result.stderr
    text = ws.read("schema/app.sql")
    assert blocks(text) == blocks(base + punct + twice)


def test_one_overload_changed_differently_conflicts_alone(tmp_path: Path,
                                                          unique: str) -> None:
    base = overloads(unique)
    ours = base.replace("'hello ' || who", "'hi ' || who")
    theirs = (base.replace("'hello ' || who", "'hey ' || who")
              .replace("'hello number '", "'number '"))
    ws, code, output = merged(tmp_path, base, ours, theirs)
    assert code == 1
    assert (f"schema/app.sql:1: conflict in function greeting_{unique}(text): both sides "
            "change it, differently") in output
    assert conflicts(output) == 1
    function = ("CREATE FUNCTION greeting_{u}(who text) RETURNS text LANGUAGE sql\n"
                "    AS $$ SELECT '{word} ' || who $$;\n")
    assert ws.read("schema/app.sql") == theirs.replace(
        function.format(u=unique, word="hey"),
        markers(7, function.format(u=unique, word="hi"), function.format(u=unique, word="hey")))


def attached(u: str) -> str:
    return f"""\
CREATE TABLE users_{u} (id int PRIMARY KEY, owner text);

CREATE TABLE orders_{u} (id int PRIMARY KEY, owner text);

CREATE FUNCTION touch_{u}() RETURNS trigger LANGUAGE plpgsql
    AS $$ BEGIN RETURN NEW; END $$;
"""


def on_table(table: str, u: str, check: str = "id > 0") -> str:
    """A trigger, a policy and a constraint, the same names on every table."""
    return (f"\nCREATE TRIGGER touch BEFORE UPDATE ON {table}_{u}\n"
            f"    FOR EACH ROW EXECUTE FUNCTION touch_{u}();\n"
            f"\nCREATE POLICY mine ON {table}_{u} USING (owner = current_user);\n"
            f"\nALTER TABLE {table}_{u} ADD CONSTRAINT positive CHECK ({check});\n")


def test_triggers_policies_constraints_are_keyed_by_their_table(tmp_path: Path,
                                                                unique: str) -> None:
    base = attached(unique)
    ours, theirs = base + on_table("users", unique), base + on_table("orders", unique)
    ws = merge_repo(tmp_path, base)
    set_driver(ws, before=("-v",))
    ws.branches(ours=ours, theirs=theirs)
    result = ws.merge()
    assert result.returncode == 0, result.stderr
    assert "schema/app.sql: verified on a shadow database" in result.stderr
    text = ws.read("schema/app.sql")
    assert text.startswith(base)
    assert blocks(text[len(base):]) == blocks(on_table("users", unique)
                                              + on_table("orders", unique))


def test_one_constraint_added_differently_conflicts_alone(tmp_path: Path,
                                                          unique: str) -> None:
    base = attached(unique) + on_table("orders", unique)
    ours = base + on_table("users", unique)
    theirs = base + on_table("users", unique, check="id >= 0")
    ws, code, output = merged(tmp_path, base, ours, theirs)
    assert code == 1
    assert (f"conflict in constraint positive on users_{unique}: both sides add it, "
            "differently") in output
    assert conflicts(output) == 1
    constraint = f"ALTER TABLE users_{unique} ADD CONSTRAINT positive CHECK ({{}});\n"
    assert ws.read("schema/app.sql") == ours.replace(
        constraint.format("id > 0"),
        markers(7, constraint.format("id > 0"), constraint.format("id >= 0")))


# ------------------------------------------------------------------ verification on and off


@pytest.mark.parametrize(("setting", "option", "verified"), [
    ("", "--no-verify", False),
    ("true", "--no-verify", False),
    ("false", "--verify", True),
    ("true", "", True),
])
def test_verification_follows_the_option_then_the_setting(tmp_path: Path, base: str,
                                                          unique: str, setting: str,
                                                          option: str, verified: bool) -> None:
    """A merge clean as text but wrong as SQL: a conflict only when verification is on."""
    config = "directories:\n  schema_dir: schema\n"
    if setting:
        config += f"git:\n  merge:\n    verify: {setting}\n"
    ours, theirs = drop_and_view(base, unique)
    ws = merge_repo(tmp_path, base, config=config)
    set_driver(ws, after=(option,) if option else ())
    ws.branches(ours=ours, theirs=theirs)
    result = ws.merge()
    if verified:
        assert result.returncode == 1
        assert (f"conflict in view emails_{unique}: the merged schema fails here: column "
                '"email" does not exist') in result.stderr
        assert "<<<<<<< HEAD\n" in ws.read("schema/app.sql")
    else:
        assert result.returncode == 0, result.stderr
        assert "conflict" not in result.stderr
        assert ws.read("schema/app.sql") == ours + theirs[len(base):]


# ------------------------------------------------------------------ lost and invented changes


def test_a_change_the_merge_loses_is_a_conflict_naming_the_object(tmp_path: Path, base: str,
                                                                  unique: str) -> None:
    """Ours adds a view; theirs drops any view of that name at the end of the file. The text
    merges (different statements), but the merged schema drops what ours adds."""
    view = f"\nCREATE VIEW legacy_{unique} AS SELECT id FROM users_{unique};\n"
    ours = base.replace("\nCREATE FUNCTION", view + "\nCREATE FUNCTION")
    theirs = base + f"\nDROP VIEW IF EXISTS legacy_{unique};\n"
    ws, code, output = merged(tmp_path, base, ours, theirs)
    assert code == 1
    reason = f"HEAD adds view public.legacy_{unique}, but the merged schema does not have it"
    assert f"schema/app.sql:11: conflict in view legacy_{unique}: {reason}" in output
    assert ws.read("schema/app.sql") == theirs.replace(
        "\nCREATE FUNCTION",
        f"\n-- pgmt-git: {reason}\n" + markers(7, view.lstrip("\n"), "") + "\nCREATE FUNCTION")


def test_a_change_the_merge_invents_is_a_conflict_naming_the_object(tmp_path: Path, base: str,
                                                                    unique: str) -> None:
    """Theirs adds a view above a `DROP VIEW IF EXISTS` of the same name, so theirs has no
    such view; ours deletes that obsolete drop. The merged schema has a view nobody adds."""
    drop = f"\nDROP VIEW IF EXISTS old_{unique};\n"
    view = f"\nCREATE VIEW old_{unique} AS SELECT id FROM users_{unique};\n"
    start = base + drop
    theirs = start.replace(drop, view + drop)
    ws, code, output = merged(tmp_path, start, base, theirs)
    assert code == 1
    reason = f"the merged schema has view public.old_{unique}, which neither side adds"
    assert f"schema/app.sql:16: conflict in view old_{unique}: {reason}" in output
    assert ws.read("schema/app.sql") == (
        base + f"\n-- pgmt-git: {reason}\n" + markers(7, "", view.lstrip("\n")))


# ------------------------------------------------------------------ conflict marker size


def test_the_conflict_marker_size_of_the_attributes_is_used(tmp_path: Path, base: str,
                                                            unique: str) -> None:
    ws = merge_repo(tmp_path, base)
    attributes = ws.read(".gitattributes")
    ws.write(".gitattributes", attributes + "schema/**/*.sql conflict-marker-size=10\n")
    ws.commit_all("bigger markers")
    ws.branches(ours=base.replace("'people'", "'a'"), theirs=base.replace("'people'", "'b'"))
    result = ws.merge()
    assert result.returncode == 1
    assert f"schema/app.sql:8: conflict in table users_{unique}" in result.stderr
    comment = f"COMMENT ON TABLE users_{unique} IS '{{}}';\n"
    assert ws.read("schema/app.sql") == base.replace(
        comment.format("people"), markers(10, comment.format("a"), comment.format("b")))


def test_the_oracle_uses_the_marker_size_too(tmp_path: Path, base: str, unique: str) -> None:
    ours, theirs = drop_and_view(base, unique)
    ws = merge_repo(tmp_path, base)
    ws.write(".gitattributes", ws.read(".gitattributes") + "*.sql conflict-marker-size=12\n")
    ws.commit_all("bigger markers")
    ws.branches(ours=ours, theirs=theirs)
    result = ws.merge()
    assert result.returncode == 1
    assert f"schema/app.sql:15: conflict in view emails_{unique}" in result.stderr
    view = f"CREATE VIEW emails_{unique} AS SELECT id, email FROM users_{unique};\n"
    text = ws.read("schema/app.sql")
    assert text.startswith(ours + "\n-- pgmt-git: the merged schema fails here")
    assert text.endswith("\n" + markers(12, "", view))


# ------------------------------------------------------------------ cherry-pick


def cherry_repo(tmp_path: Path, base: str, *, ours: str, theirs: str) -> tuple[MergeRepo, str]:
    """main holds ``ours``; the commit to pick, on feature, makes ``theirs``."""
    ws = merge_repo(tmp_path, base)
    ws.branches(ours=ours, theirs=theirs)
    return ws, ws.git("rev-parse", "feature").strip()


def test_a_conflicting_cherry_pick(tmp_path: Path, base: str, unique: str) -> None:
    orders = f"\nCREATE TABLE orders_{unique} (id int);\n"
    ws, picked = cherry_repo(tmp_path, base, ours=base.replace("'people'", "'a'"),
                             theirs=base.replace("'people'", "'b'") + orders)
    result = ws.run_git("cherry-pick", "feature")
    assert result.returncode == 1
    assert f"schema/app.sql:8: conflict in table users_{unique}" in result.stderr
    comment = f"COMMENT ON TABLE users_{unique} IS '{{}}';\n"
    assert ws.read("schema/app.sql") == base.replace(
        comment.format("people"),
        markers(7, comment.format("a"), comment.format("b"),
                theirs_label=f"{picked[:7]} (theirs)")) + orders
    assert ws.git("rev-parse", "CHERRY_PICK_HEAD").strip() == picked
    ws.run_git("cherry-pick", "--abort")


def test_a_cherry_pick_wrong_as_sql_is_a_conflict(tmp_path: Path, base: str,
                                                  unique: str) -> None:
    ours, theirs = drop_and_view(base, unique)
    ws, picked = cherry_repo(tmp_path, base, ours=ours, theirs=theirs)
    result = ws.run_git("cherry-pick", "feature")
    assert result.returncode == 1
    assert (f'conflict in view emails_{unique}: the merged schema fails here: column "email" '
            f"does not exist; HEAD drops column public.users_{unique}.email") in result.stderr
    assert ws.read("schema/app.sql").endswith(f">>>>>>> {picked[:7]} (theirs)\n")
    ws.run_git("cherry-pick", "--abort")


@pytest.mark.parametrize("picks", [("feature",), ("main..feature",)])
def test_a_clean_cherry_pick_is_verified(tmp_path: Path, base: str, unique: str,
                                         picks: tuple[str, ...]) -> None:
    orders = f"\nCREATE TABLE orders_{unique} (id int);\n"
    ours = base.replace("    name text\n", "    name text,\n    x int\n")
    ws, _ = cherry_repo(tmp_path, base, ours=ours, theirs=base + orders)
    set_driver(ws, before=("-v",))
    result = ws.run_git("cherry-pick", *picks)
    assert result.returncode == 0, result.stderr
    assert "schema/app.sql: verified on a shadow database" in result.stderr
    assert ws.read("schema/app.sql") == ours + orders
    assert ws.git("log", "--format=%s", "-3").split() == ["theirs", "ours", "base"]


def test_a_cherry_pick_of_a_commit_on_no_branch_is_verified(tmp_path: Path, base: str,
                                                             unique: str) -> None:
    """The picked commit is on no branch and git writes no CHERRY_PICK_HEAD while its
    drivers run: the driver finds it on git's command line (or in the HEAD reflog)."""
    ours, theirs = drop_and_view(base, unique)
    ws = merge_repo(tmp_path, base)
    ws.branches(ours=ours, theirs=theirs)
    picked = ws.git("rev-parse", "feature").strip()
    ws.git("branch", "-q", "-D", "feature")
    result = ws.run_git("cherry-pick", picked)
    assert result.returncode == 1
    assert (f'conflict in view emails_{unique}: the merged schema fails here: column "email" '
            f"does not exist") in result.stderr
    ws.run_git("cherry-pick", "--abort")


def test_a_stopped_cherry_pick_is_verified_with_cherry_pick_head(tmp_path: Path, base: str,
                                                                 unique: str) -> None:
    """Once the pick stopped (on another file), CHERRY_PICK_HEAD names the commit, and the
    driver run again by hand verifies against it."""
    ours, theirs = drop_and_view(base, unique)
    ws = merge_repo(tmp_path, base)
    ws.branches(ours=ours, theirs=theirs, stop_on_notes=True)
    picked = ws.git("rev-parse", "feature").strip()
    ws.git("branch", "-q", "-D", "feature")
    stopped = ws.run_git("cherry-pick", picked)
    assert stopped.returncode == 1 and "notes.txt" in stopped.stdout + stopped.stderr
    assert ws.git("rev-parse", "CHERRY_PICK_HEAD").strip() == picked
    again, result = ws.driver_by_hand(tmp_path, f"{picked}^", "HEAD", "CHERRY_PICK_HEAD")
    assert again.returncode == 1
    assert (f'conflict in view emails_{unique}: the merged schema fails here: column "email" '
            f"does not exist; HEAD drops column public.users_{unique}.email") in again.stderr
    assert result.read_text(encoding="utf-8").endswith(f">>>>>>> {picked[:7]} (theirs)\n")
    ws.run_git("cherry-pick", "--abort")
