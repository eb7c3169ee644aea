"""Regeneration in the ways branches meet upstream: several migrations, one made redundant,
a rebase that stops at a conflict, --autostash, a cherry-pick, and the hook's quiet path."""

from __future__ import annotations

from tests.rebase.conftest import Dev, table
from tests.rebase.test_hand_edits import BASE, upstream_adds
from tests.git.conftest import run

CONTINUE = {"GIT_EDITOR": "true"}


def generate_commit(dev: Dev, u: str, *columns: str, name: str) -> str:
    dev.write("schema/t.sql", table(f"t_{u}", *BASE, *columns))
    path = dev.generate(name)
    dev.must_commit(name)
    return path.rsplit("/", 1)[1]


def version(name: str) -> int:
    return int(name.split("_", 1)[0].removeprefix("V"))


def assert_consistent(dev: Dev) -> None:
    check = dev.pgmt("check", "--base", "origin/main")
    assert check.returncode == 0, check.stdout + check.stderr


def test_three_branch_migrations_keep_their_order_above_upstream(team: tuple[Dev, Dev],
                                                                 unique: str) -> None:
    alice, bob = team
    generate_commit(bob, unique, "b int", name="add_b")
    generate_commit(bob, unique, "b int", "c int", name="add_c")
    generate_commit(bob, unique, "b int", "c int", "d int", name="add_d")
    upstream_adds(alice, unique, first=("a int",))
    upstream_newest = version(alice.migrations()[-1])

    result = bob.rebase_pull()

    assert result.returncode == 0, result.stderr
    names = bob.migrations()
    ours = [n for n in names if n.endswith(("_add_b.sql", "_add_c.sql", "_add_d.sql"))]
    assert [n.rsplit("_", 1)[1] for n in ours] == ["b.sql", "c.sql", "d.sql"]
    assert all(version(n) > upstream_newest for n in ours)
    for name, column in zip(ours, "bcd"):
        text = (bob.path / "migrations" / name).read_text()
        assert f"ADD COLUMN {column} integer" in text and text.count("ADD COLUMN") == 1
    assert_consistent(bob)


def test_a_migration_made_redundant_by_upstream_is_removed(team: tuple[Dev, Dev],
                                                           unique: str) -> None:
    alice, bob = team
    mine = generate_commit(bob, unique, "b int", name="add_b")
    upstream_adds(alice, unique, "b int")

    result = bob.rebase_pull()

    assert result.returncode == 0, result.stderr
    assert f"migrations/{mine}: removed" in result.stderr
    assert "already upstream" in result.stderr
    assert mine not in bob.migrations()
    assert bob.migrations() == alice.migrations()
    assert_consistent(bob)


def test_a_rebase_stopped_at_a_conflict_regenerates_once_continued(team: tuple[Dev, Dev],
                                                                   unique: str) -> None:
    alice, bob = team
    bob.write("schema/t.sql", table(f"t_{unique}", "b int", *BASE))
    bob.generate("add_b")
    bob.must_commit("add b")
    upstream_adds(alice, unique, first=("a int",))  # the same line of schema/t.sql
    bob.git("fetch", "-q", "origin")

    stopped = bob.rebase("origin/main")

    assert stopped.returncode != 0
    refused = bob.pgmt("migrate", "rebase")
    assert refused.returncode == 2
    assert "rebase is in progress" in refused.stderr
    bob.write("schema/t.sql", table(f"t_{unique}", "a int", "b int", *BASE))
    bob.git("add", "schema/t.sql")
    continued = run(bob.path, "git", "rebase", "--continue", env=CONTINUE)
    assert continued.returncode == 0, continued.stderr
    assert "regenerated" in continued.stderr
    assert bob.subject() == "Regenerate migrations after rebase onto origin/main"
    assert_consistent(bob)


def test_autostash_keeps_the_work_in_progress(team: tuple[Dev, Dev], unique: str) -> None:
    alice, bob = team
    bob.write("notes.txt", "plan\n")
    generate_commit(bob, unique, "b int", name="add_b")
    upstream_adds(alice, unique, first=("a int",))
    bob.write("notes.txt", "plan, in progress\n")
    bob.git("fetch", "-q", "origin")

    result = bob.rebase("--autostash", "origin/main")

    assert result.returncode == 0, result.stderr
    assert bob.subject() == "Regenerate migrations after rebase onto origin/main"
    assert bob.read("notes.txt") == "plan, in progress\n"
    assert bob.git("status", "--porcelain").strip() == "M notes.txt"
    assert_consistent(bob)


def test_cherry_pick_then_migrate_rebase(team: tuple[Dev, Dev], unique: str) -> None:
    alice, bob = team
    mine = generate_commit(bob, unique, "b int", name="add_b")
    upstream_adds(alice, unique, first=("a int",))
    bob.git("fetch", "-q", "origin")
    bob.git("checkout", "-q", "-b", "other", "origin/main")
    picked = run(bob.path, "git", "cherry-pick", "feature")
    assert picked.returncode == 0, picked.stderr

    result = bob.pgmt("migrate", "rebase")

    assert result.returncode == 0, result.stdout + result.stderr
    assert f"migrations/{mine} -> migrations/V" in result.stdout or \
        f"migrations/{mine}: regenerated" in result.stdout
    assert bob.subject() == "Regenerate migrations after rebase onto origin/main"
    assert_consistent(bob)
    again = bob.pgmt("migrate", "rebase")
    assert again.returncode == 0
    assert again.stdout == "" and bob.git("status", "--porcelain") == ""  # nothing stale


def test_the_hook_is_quiet_without_branch_migrations(team: tuple[Dev, Dev],
                                                     unique: str) -> None:
    alice, bob = team
    bob.write("notes.txt", "plan\n")
    bob.must_commit("notes")
    upstream_adds(alice, unique, first=("a int",))

    result = bob.rebase_pull()
    amended = run(bob.path, "git", "commit", "-q", "--amend", "-m", "notes, amended")

    assert result.returncode == 0 and result.stderr == "", result.stderr
    assert amended.returncode == 0 and amended.stderr == "", amended.stderr
    assert bob.subject() == "notes, amended"


def test_commit_none_leaves_the_result_staged(team: tuple[Dev, Dev], unique: str) -> None:
    alice, bob = team
    mine = generate_commit(bob, unique, "b int", name="add_b")
    upstream_adds(alice, unique, first=("a int",))

    result = run(bob.path, "git", "pull", "-q", "--rebase", "origin", "main",
                 env={"PGMT_GIT_REGENERATE_COMMIT": "none"})

    assert result.returncode == 0, result.stderr
    assert "staged" in result.stderr
    assert bob.subject() == "add_b"
    staged = bob.git("diff", "--cached", "--name-status", "--no-renames").splitlines()
    assert f"D\tmigrations/{mine}" in staged
    assert any(line.startswith("A\tmigrations/") for line in staged)


def test_commit_amend_folds_the_result_into_the_last_commit(team: tuple[Dev, Dev],
                                                            unique: str) -> None:
    alice, bob = team
    mine = generate_commit(bob, unique, "b int", name="add_b")
    upstream_adds(alice, unique, first=("a int",))

    result = run(bob.path, "git", "pull", "-q", "--rebase", "origin", "main",
                 env={"PGMT_GIT_REGENERATE_COMMIT": "amend"})

    assert result.returncode == 0, result.stderr
    assert bob.subject() == "add_b"
    assert mine not in bob.migrations()
    assert bob.git("status", "--porcelain") == ""
    assert_consistent(bob)


def test_upstream_merged_into_the_branch_then_migrate_rebase(team: tuple[Dev, Dev],
                                                             unique: str) -> None:
    alice, bob = team
    mine = generate_commit(bob, unique, "b int", name="add_b")
    upstream_adds(alice, unique, first=("a int",))
    bob.git("fetch", "-q", "origin")
    merged = run(bob.path, "git", "-c", "core.hooksPath=/dev/null", "merge", "-q",
                 "--no-edit", "origin/main")
    assert merged.returncode == 0, merged.stderr

    result = bob.pgmt("migrate", "rebase")

    assert result.returncode == 0, result.stdout + result.stderr
    assert mine not in bob.migrations()
    text = only_new(bob, "_add_b.sql")
    assert "ADD COLUMN b integer" in text and "DROP" not in text
    assert_consistent(bob)


def only_new(dev: Dev, suffix: str) -> str:
    found = [n for n in dev.migrations() if n.endswith(suffix)]
    assert len(found) == 1, dev.migrations()
    return (dev.path / "migrations" / found[0]).read_text()


def test_the_pre_commit_framework_way_names_the_rewrite_in_the_environment(
        team: tuple[Dev, Dev], unique: str) -> None:
    alice, bob = team
    mine = generate_commit(bob, unique, "b int", name="add_b")
    upstream_adds(alice, unique, first=("a int",))
    assert bob.rebase_pull("-c", "core.hooksPath=/dev/null").returncode == 0

    amend = bob.pgmt("hook", "post-rewrite", env={"PRE_COMMIT_REWRITE_COMMAND": "amend"})
    rebase = bob.pgmt("hook", "post-rewrite", env={"PRE_COMMIT_REWRITE_COMMAND": "rebase"})

    assert amend.returncode == 0 and "regenerat" not in amend.stderr
    assert rebase.returncode == 0, rebase.stderr
    assert f"migrations/{mine} -> " in rebase.stderr
    assert bob.subject() == "Regenerate migrations after rebase onto origin/main"
