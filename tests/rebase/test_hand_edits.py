"""Hand edits across a rebase: merged statement by statement, never dropped silently."""

from __future__ import annotations

from tests.rebase.conftest import Dev, table

BASE = ("name text", "created_at timestamptz")
# A backfill with a typo: not SQL the statement-level merge (or PostgreSQL) can read.
UNREADABLE = "UPDATE t SET b = (0 WHERE b IS NULL;"


def upstream_adds(alice: Dev, u: str, *columns: str, first: tuple[str, ...] = ()) -> None:
    """alice adds ``first`` after id (and ``columns`` at the end), generates, merges."""
    alice.write("schema/t.sql", table(f"t_{u}", *first, *BASE, *columns))
    alice.generate("upstream")
    alice.must_commit("upstream change")
    alice.git("checkout", "-q", "main")
    alice.git("merge", "-q", "--ff-only", "feature")
    assert alice.push("origin", "main").returncode == 0


def branch_adds_b_and_c(bob: Dev, u: str, edit: str) -> str:
    """bob adds c after id and b at the end, generates, edits the file as ``edit`` says."""
    bob.write("schema/t.sql", table(f"t_{u}", "c int", *BASE, "b int"))
    path = bob.generate("add_b_c")
    text = (bob.path / path).read_text()
    if edit == "backfill":
        text += f"\nUPDATE t_{u} SET b = 0 WHERE b IS NULL;\n"
    elif edit == "c":
        text = text.replace("ADD COLUMN c integer;", "ADD COLUMN c integer; -- for reports")
        assert "for reports" in text
    elif edit == "unreadable":
        text += f"\n{UNREADABLE}\n"
    (bob.path / path).write_text(text)
    bob.must_commit("add b and c, by hand too")
    return path


def only_migration_of(bob: Dev, suffix: str) -> str:
    found = [n for n in bob.migrations() if n.endswith(suffix)]
    assert len(found) == 1, bob.migrations()
    return (bob.path / "migrations" / found[0]).read_text()


def test_a_hand_added_backfill_survives(team: tuple[Dev, Dev], unique: str) -> None:
    alice, bob = team
    branch_adds_b_and_c(bob, unique, "backfill")
    upstream_adds(alice, unique, first=("c int",))

    result = bob.rebase_pull()

    assert result.returncode == 0, result.stderr
    assert "merged hand edits" in result.stderr
    text = only_migration_of(bob, "_add_b_c.sql")
    assert "ADD COLUMN b integer" in text
    assert "ADD COLUMN c" not in text  # upstream has it now
    assert f"UPDATE t_{unique} SET b = 0 WHERE b IS NULL;" in text
    assert bob.subject() == "Regenerate migrations after rebase onto origin/main"
    check = bob.pgmt("check", "--base", "origin/main")
    assert check.returncode == 0, check.stdout + check.stderr
    runs_again_without_a_change(bob)


def runs_again_without_a_change(bob: Dev) -> None:
    """`migrate rebase` once more: nothing is stale, so the merged or hand-written file
    stays as it is, quietly, and no commit is attempted."""
    head = bob.git("rev-parse", "HEAD")
    again = bob.pgmt("migrate", "rebase")
    assert again.returncode == 0, again.stdout + again.stderr
    assert again.stdout == "" and again.stderr == ""
    assert bob.git("rev-parse", "HEAD") == head
    assert bob.git("status", "--porcelain") == ""


def test_a_conflicting_hand_edit_leaves_markers_and_fails(team: tuple[Dev, Dev],
                                                          unique: str) -> None:
    alice, bob = team
    branch_adds_b_and_c(bob, unique, "c")
    upstream_adds(alice, unique, first=("c int",))

    result = bob.rebase_pull("-c", "core.hooksPath=/dev/null")
    assert result.returncode == 0, result.stderr
    dry = bob.pgmt("migrate", "rebase", "--dry-run")
    assert dry.returncode == 1
    assert "conflict" in dry.stdout
    assert bob.git("status", "--porcelain") == ""  # --dry-run writes nothing

    regenerated = bob.pgmt("migrate", "rebase")

    assert regenerated.returncode == 1, regenerated.stdout + regenerated.stderr
    assert "conflict" in regenerated.stdout
    text = only_migration_of(bob, "_add_b_c.sql")
    assert "<<<<<<< as edited" in text and ">>>>>>> as regenerated" in text
    assert "for reports" in text  # the hand edit is there to decide about
    assert bob.subject() == "add b and c, by hand too"  # nothing committed


def test_a_hand_edit_the_sql_merge_cannot_read_leaves_markers_and_fails(
        team: tuple[Dev, Dev], unique: str) -> None:
    alice, bob = team
    branch_adds_b_and_c(bob, unique, "unreadable")
    upstream_adds(alice, unique, first=("c int",))
    assert bob.rebase_pull("-c", "core.hooksPath=/dev/null").returncode == 0

    result = bob.pgmt("migrate", "rebase")

    assert result.returncode == 1, result.stdout + result.stderr
    assert "_add_b_c.sql: conflict" in result.stdout
    assert "cannot read" in result.stdout and "line by line" in result.stdout
    text = only_migration_of(bob, "_add_b_c.sql")
    assert text.startswith("-- pgmt-git: generated=")
    ours, theirs = text.split("<<<<<<< as edited\n", 1)[1].split("\n=======\n", 1)
    theirs, after = theirs.split(">>>>>>> as regenerated\n", 1)
    assert UNREADABLE in ours  # the hand edit, to decide about
    assert UNREADABLE not in theirs + after
    assert "ADD COLUMN b integer" in text and "ADD COLUMN c" not in theirs
    assert bob.subject() == "add b and c, by hand too"  # nothing committed
    new_name = next(n for n in bob.migrations() if n.endswith("_add_b_c.sql"))
    assert new_name not in bob.git("diff", "--cached", "--name-only")  # nor staged


def test_a_conflict_found_by_the_hook_is_left_in_the_work_tree(team: tuple[Dev, Dev],
                                                               unique: str) -> None:
    alice, bob = team
    branch_adds_b_and_c(bob, unique, "c")
    upstream_adds(alice, unique, first=("c int",))

    result = bob.rebase_pull()

    assert "conflict" in result.stderr
    assert "<<<<<<<" in only_migration_of(bob, "_add_b_c.sql")
    assert bob.subject() == "add b and c, by hand too"


def test_a_migration_without_header_is_kept_and_renumbered(team: tuple[Dev, Dev],
                                                           unique: str) -> None:
    alice, bob = team
    first = int(bob.migrations()[0].split("_", 1)[0][1:])
    bob.write("schema/t.sql", table(f"t_{unique}", *BASE, "b int"))
    hand = f"-- by hand\nALTER TABLE t_{unique} ADD COLUMN b int;\n"
    bob.write(f"migrations/V{first + 1}_by_hand.sql", hand)
    bob.must_commit("by hand")
    upstream_adds(alice, unique, first=("a int",))

    result = bob.rebase_pull()

    assert result.returncode == 0, result.stderr
    assert "hand-written" in result.stderr
    assert f"V{first + 1}_by_hand.sql" not in bob.migrations()
    assert bob.migrations()[-1].endswith("_by_hand.sql")
    assert only_migration_of(bob, "_by_hand.sql") == hand
    check = bob.pgmt("check", "--base", "origin/main")
    assert check.returncode == 0, check.stdout + check.stderr
    runs_again_without_a_change(bob)


def wrong_hand_written_rebased(alice: Dev, bob: Dev, u: str, version: int) -> str:
    """bob writes a migration by hand at ``version`` that adds b as int where the schema
    says text; upstream gains a column and bob rebases without the hook. Its name."""
    name = f"V{version}_by_hand.sql"
    bob.write("schema/t.sql", table(f"t_{u}", *BASE, "b text"))
    bob.write(f"migrations/{name}", f"ALTER TABLE t_{u} ADD COLUMN b int;\n")
    bob.must_commit("by hand, wrong type")
    upstream_adds(alice, u, first=("a int",))
    assert bob.rebase_pull("-c", "core.hooksPath=/dev/null").returncode == 0
    return name


def test_a_chain_that_misses_the_schema_files_fails_and_writes_nothing(
        team: tuple[Dev, Dev], unique: str) -> None:
    alice, bob = team
    first = int(bob.migrations()[0].split("_", 1)[0][1:])
    wrong_hand_written_rebased(alice, bob, unique, first + 1)
    before = bob.migrations()

    result = bob.pgmt("migrate", "rebase")

    assert result.returncode == 1
    assert "still missing" in result.stdout and "nothing written" in result.stdout
    assert bob.migrations() == before and bob.git("status", "--porcelain") == ""
