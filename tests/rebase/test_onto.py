"""`migrate rebase --onto REF` with REF another feature branch: a branch stacked on a
branch that gained a migration since. Only the migrations REF's tree lacks are the branch's;
they go above REF's newest version, and the oracle verifies them on REF's chain (which is
not the protected branch's)."""

from __future__ import annotations

from tests.git.conftest import run
from tests.rebase.conftest import Dev, table
from tests.rebase.test_hand_edits import BASE
from tests.rebase.test_workflows import generate_commit, version


def stacked_on_a_moved_branch(bob: Dev, u: str) -> tuple[str, str]:
    """feature adds b; top, branched from it, adds c after id; then feature adds d, and
    top is rebased onto feature without the hook. The names of c's and d's files."""
    generate_commit(bob, u, "b int", name="add_b")
    bob.git("checkout", "-q", "-b", "top")
    bob.write("schema/t.sql", table(f"t_{u}", "c int", *BASE, "b int"))
    add_c = bob.generate("add_c").rsplit("/", 1)[1]
    bob.must_commit("add_c")
    bob.git("checkout", "-q", "feature")
    add_d = generate_commit(bob, u, "b int", "d int", name="add_d")
    assert version(add_c) <= version(add_d)  # top's migration now sorts below feature's
    bob.git("checkout", "-q", "top")
    rebased = run(bob.path, "git", "-c", "core.hooksPath=/dev/null", "rebase", "feature")
    assert rebased.returncode == 0, rebased.stderr
    return add_c, add_d


def test_onto_a_feature_branch_renumbers_above_its_newest_and_verifies(
        team: tuple[Dev, Dev], unique: str) -> None:
    _, bob = team
    add_c, add_d = stacked_on_a_moved_branch(bob, unique)
    feature_migrations = bob.git("ls-tree", "--name-only", "feature", "migrations/").split()

    result = bob.pgmt("migrate", "rebase", "--onto", "feature")

    assert result.returncode == 0, result.stdout + result.stderr
    report = result.stdout.splitlines()
    moved = [line for line in report if line.startswith(f"migrations/{add_c} -> ")]
    assert len(moved) == 1 and moved[0].endswith(": regenerated"), result.stdout
    assert not any("add_b" in line or "add_d" in line for line in report)  # feature's own
    assert "still missing" not in result.stdout and "not verified" not in result.stdout
    assert bob.subject() == "Regenerate migrations after rebase onto feature"
    assert bob.git("status", "--porcelain") == ""
    names = bob.migrations()
    new_c = [n for n in names if n.endswith("_add_c.sql")]
    assert len(new_c) == 1 and new_c[0] != add_c
    assert version(new_c[0]) > max(version(n.rsplit("/", 1)[-1]) for n in feature_migrations)
    assert version(new_c[0]) == version(add_d) + 1
    assert names[-1] == new_c[0]
    text = (bob.path / "migrations" / new_c[0]).read_text()
    assert "ADD COLUMN c integer" in text and text.count("ADD COLUMN") == 1
    for base in ("feature", "origin/main"):  # the chain replays, no from= is stale
        check = bob.pgmt("check", "--base", base)
        assert check.returncode == 0, check.stdout + check.stderr
    again = bob.pgmt("migrate", "rebase", "--onto", "feature")
    assert again.returncode == 0 and again.stdout == "", again.stdout + again.stderr


def test_onto_a_feature_branch_a_chain_that_misses_the_schema_files_fails(
        team: tuple[Dev, Dev], unique: str) -> None:
    """The verification replays REF's chain plus the branch's: a schema change on the
    branch that no migration carries is reported, and nothing is written."""
    _, bob = team
    stacked_on_a_moved_branch(bob, unique)
    bob.write("schema/t.sql", table(f"t_{unique}", "c int", *BASE, "b int", "d int", "e int"))
    bob.must_commit("e, without a migration")

    result = bob.pgmt("migrate", "rebase", "--onto", "feature")

    assert result.returncode == 1, result.stdout + result.stderr
    assert "still missing" in result.stdout and "ADD COLUMN e integer" in result.stdout
    assert "nothing written" in result.stdout
    assert bob.subject() == "e, without a migration"
    assert bob.git("status", "--porcelain") == ""
