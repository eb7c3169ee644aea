"""The issue's acceptance scenario: both developers add a column to the same table, one
merges, the other rebases; the post-rewrite hook regenerates the second migration."""

from __future__ import annotations

from tests.rebase.conftest import Dev, table


def add_column_and_merge(alice: Dev, u: str) -> str:
    alice.write("schema/t.sql", table(f"t_{u}", "a int", "name text", "created_at timestamptz"))
    path = alice.generate("add_a")
    alice.must_commit("add a")
    alice.git("checkout", "-q", "main")
    alice.git("merge", "-q", "--ff-only", "feature")
    assert alice.push("origin", "main").returncode == 0
    return path


def test_second_migration_is_regenerated_above_the_first(team: tuple[Dev, Dev],
                                                         unique: str) -> None:
    alice, bob = team
    bob.write("schema/t.sql", table(f"t_{unique}", "name text", "created_at timestamptz",
                                    "b int"))
    bob_path = bob.generate("add_b")
    bob.must_commit("add b")
    alice_path = add_column_and_merge(alice, unique)

    result = bob.rebase_pull()

    assert result.returncode == 0, result.stderr
    assert "regenerated" in result.stderr
    assert bob.subject() == "Regenerate migrations after rebase onto origin/main"
    names = bob.migrations()
    assert alice_path.rsplit("/", 1)[1] in names
    assert bob_path.rsplit("/", 1)[1] not in names or names.index(
        bob_path.rsplit("/", 1)[1]) > names.index(alice_path.rsplit("/", 1)[1])
    newest = names[-1]
    assert newest.endswith("_add_b.sql")
    text = (bob.path / "migrations" / newest).read_text()
    assert "ADD COLUMN b integer" in text and " a " not in text
    assert bob.git("status", "--porcelain") == ""
    check = bob.pgmt("check", "--base", "origin/main")
    assert check.returncode == 0, check.stdout + check.stderr
    valid = bob.pgmt("migrate", "validate")
    assert valid.returncode == 0, valid.stdout + valid.stderr
