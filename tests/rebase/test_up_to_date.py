"""`migrate rebase` with nothing stale: no branch migrations, or each already above the
upstream's newest version with a `from=` that names the state the upstream chain (plus the
branch migrations before it) replays to. Then it regenerates nothing, writes nothing, says
nothing (one line on a terminal) and exits 0; a stale `from=` alone is enough to regenerate."""

from __future__ import annotations

import os
import subprocess

from tests.git.conftest import PGMT_GIT
from tests.rebase.conftest import Dev
from tests.rebase.test_hand_edits import upstream_adds, wrong_hand_written_rebased
from tests.rebase.test_workflows import assert_consistent, generate_commit, version


def snapshot(dev: Dev) -> tuple[str, dict[str, str]]:
    return (dev.git("rev-parse", "HEAD"),
            {name: (dev.path / "migrations" / name).read_text() for name in dev.migrations()})


def assert_quiet_and_untouched(dev: Dev, *args: str) -> None:
    before = snapshot(dev)
    result = dev.pgmt("migrate", "rebase", *args)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == "" and result.stderr == ""  # no report: nothing regenerated
    assert snapshot(dev) == before
    assert dev.git("status", "--porcelain") == ""


def test_a_fresh_branch_migration_is_not_regenerated(team: tuple[Dev, Dev],
                                                     unique: str) -> None:
    _, bob = team
    generate_commit(bob, unique, "b int", name="add_b")

    assert_quiet_and_untouched(bob)
    assert_quiet_and_untouched(bob, "--dry-run")


def test_a_branch_without_migrations_is_quiet(team: tuple[Dev, Dev]) -> None:
    _, bob = team
    bob.write("notes.txt", "plan\n")
    bob.must_commit("notes")

    assert_quiet_and_untouched(bob)


def test_nothing_is_stale_once_the_hook_has_regenerated(team: tuple[Dev, Dev],
                                                        unique: str) -> None:
    alice, bob = team
    generate_commit(bob, unique, "b int", name="add_b")
    generate_commit(bob, unique, "b int", "c int", name="add_c")
    upstream_adds(alice, unique, first=("a int",))
    assert bob.rebase_pull().returncode == 0
    assert bob.subject() == "Regenerate migrations after rebase onto origin/main"

    assert_quiet_and_untouched(bob)


def on_a_terminal(dev: Dev, *args: str) -> tuple[int, str]:
    """Run pgmt-git with its stdout on a pseudo-terminal; the exit code and what it said."""
    leader, follower = os.openpty()
    try:
        result = subprocess.run([PGMT_GIT, *args], cwd=dev.path, stdin=subprocess.DEVNULL,
                                stdout=follower, stderr=subprocess.PIPE, check=False)
    finally:
        os.close(follower)
    said = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # EIO: the terminal's other end is closed and all was read
            break
        if not chunk:
            break
        said += chunk
    os.close(leader)
    assert result.stderr == b"", result.stderr
    return result.returncode, said.decode().replace("\r\n", "\n")


def test_on_a_terminal_one_line_says_the_migrations_are_up_to_date(team: tuple[Dev, Dev],
                                                                   unique: str) -> None:
    _, bob = team
    generate_commit(bob, unique, "b int", name="add_b")

    code, said = on_a_terminal(bob, "migrate", "rebase")

    assert code == 0
    assert said == "migrations are up to date with origin/main\n"


def test_a_version_already_above_upstream_with_a_stale_from_is_regenerated(
        team: tuple[Dev, Dev], unique: str) -> None:
    alice, bob = team
    high = bob.move_far_up(generate_commit(bob, unique, "b int", name="add_b"))
    old_header = (bob.path / "migrations" / high).read_text().splitlines()[0]
    upstream_adds(alice, unique, first=("a int",))
    assert version(alice.migrations()[-1]) < version(high)
    assert bob.rebase_pull("-c", "core.hooksPath=/dev/null").returncode == 0

    result = bob.pgmt("migrate", "rebase")

    assert result.returncode == 0, result.stdout + result.stderr
    assert f"migrations/{high}: regenerated" in result.stdout
    assert high in bob.migrations()  # kept its version
    new_header = (bob.path / "migrations" / high).read_text().splitlines()[0]
    assert new_header.split("from=")[1] != old_header.split("from=")[1]
    assert_consistent(bob)
    assert_quiet_and_untouched(bob)


def test_a_hand_written_migration_above_upstream_is_verified(team: tuple[Dev, Dev],
                                                              unique: str) -> None:
    """No from= to compare: the chain with it must still reach the schema files."""
    alice, bob = team
    name = wrong_hand_written_rebased(alice, bob, unique,
                                      version(bob.migrations()[0]) + 1_000_000)

    result = bob.pgmt("migrate", "rebase")

    assert result.returncode == 1
    assert f"migrations/{name}: hand-written, kept" in result.stdout
    assert "still missing" in result.stdout
