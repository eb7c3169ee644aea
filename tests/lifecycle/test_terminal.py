"""What a user at a terminal sees and answers: the live progress line of `migrate apply`
and the hazard confirmation of `apply`. The console script runs on a real pseudo-terminal;
what the terminal received is checked as written and as it ends up on the screen."""

from __future__ import annotations

import re
import signal
from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest

from pgmt_git.pg.target import Target
from tests.lifecycle.conftest import write_project
from tests.lifecycle.helpers import Terminal, finish, pgmt_git, screen, start
from tests.lifecycle.test_apply_sections import (
    STATUS,
    USERS,
    attempts,
    hold_snapshot,
    project,
)
from tests.lifecycle.test_crash_and_lock import wait_for

RETRYING = re.compile(r"Section 2/3: create_index \.\.\. retrying \d+/10")
DURATION = re.compile(r"\(\d+\.\d\d s\)")
# What a run of the three-section example says, without durations (see plain()).
EXAMPLE_LINES = [
    "applying migrations/V100_users.sql",
    "  section 1/1 default: done (D s)",
    "applying migrations/V200_user_status.sql",
    "  section 1/3 add_column: done (D s)",
    "  section 2/3 create_index: done (D s)",
    "  section 3/3 add_constraint: done (D s)",
]


def blocked_until_third_attempt(target: Target, conn: psycopg.Connection,
                                condition: Callable[[], bool] = lambda: True) -> None:
    """Hold section 2 of the three-section example back until its third attempt runs and
    ``condition`` holds, then let it through."""
    blocker = hold_snapshot(target)
    try:
        wait_for(lambda: attempts(conn, 200, "create_index") >= 3 and condition(),
                 "the third attempt of section create_index", limit=60)
    finally:
        blocker.close()


def plain(lines: list[str]) -> list[str]:
    """The lines without durations and without the notices a retry may add."""
    return [DURATION.sub("(D s)", line) for line in lines
            if not line.startswith(("  dropping the invalid index", "  could not drop"))]


@pytest.mark.slow
def test_the_running_section_is_one_line_rewritten_in_place(
        tmp_path: Path, target_db: Target, target_conn: psycopg.Connection) -> None:
    root = project(tmp_path, V100_users=USERS, V200_user_status=STATUS)
    terminal = Terminal(root, "migrate", "apply", "--target-url", target_db.conninfo)
    try:
        # While the third attempt waits, the bottom line of the screen says so (the notices
        # about invalid indexes a retry drops are printed above it).
        blocked_until_third_attempt(
            target_db, target_conn,
            lambda: bool(RETRYING.fullmatch(screen(terminal.output)[-1])))
    finally:
        code = terminal.finish()
    output = terminal.output
    assert code == 0, output
    assert "\r\x1b[KSection 2/3: create_index ..." in output
    assert "\r\x1b[KSection 2/3: create_index ... retrying 2/10" in output
    assert "\r\x1b[KSection 2/3: create_index ... retrying 3/10" in output
    assert ": attempt " not in output  # a line per failed attempt is for -v
    assert plain(screen(output)) == [
        *EXAMPLE_LINES,
        *[line for line in screen(output) if line.startswith(
            f"applied 2 migrations to the {target_db.label} ")],
        "",
    ]


@pytest.mark.slow
def test_without_a_terminal_every_attempt_is_a_plain_line(
        tmp_path: Path, target_db: Target, target_conn: psycopg.Connection) -> None:
    root = project(tmp_path, V100_users=USERS, V200_user_status=STATUS)
    process = start(root, "migrate", "apply", "--target-url", target_db.conninfo)
    try:
        blocked_until_third_attempt(target_db, target_conn)
    finally:
        out, err = finish(process)
    assert process.returncode == 0, err
    assert "\r" not in out + err and "\x1b" not in out + err
    assert out.startswith(f"applied 2 migrations to the {target_db.label} ")
    failed = [line for line in err.splitlines() if ": attempt " in line]
    total = attempts(target_conn, 200, "create_index")
    assert [line.split(": statement timeout")[0] for line in failed] == [
        f"  section 2/3 create_index: attempt {k}/10 failed" for k in range(1, total)]
    assert all(line.endswith("; retrying in 0 s") for line in failed)
    assert plain([line for line in err.splitlines() if line not in failed]) == EXAMPLE_LINES


SLEEPER = ('-- pgmt:section name="first"\nCREATE TABLE t (id int);\n\n'
           '-- pgmt:section name="sleep"\nSELECT pg_sleep(600);\n')


# The sleeping section's backend in this test's database (another test's, on a shared
# server, may sleep the same way).
SLEEPING = ("FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(600);' "
            "AND datname = current_database()")


def interrupt(terminal: Terminal, conn: psycopg.Connection) -> None:
    terminal.process.send_signal(signal.SIGINT)


def lose_connection(terminal: Terminal, conn: psycopg.Connection) -> None:
    conn.execute(f"SELECT pg_terminate_backend(pid) {SLEEPING}")


@pytest.mark.parametrize(("stop", "code", "last"), [
    (interrupt, 130, "aborted"),
    (lose_connection, 1, "error: lost the connection to the target: "),
])
def test_a_section_that_ends_abnormally_keeps_its_line(
        tmp_path: Path, target_db: Target, target_conn: psycopg.Connection,
        stop: Callable[[Terminal, psycopg.Connection], None], code: int, last: str) -> None:
    root = write_project(tmp_path / "p", {"migrations/V1_sleep.sql": SLEEPER})
    terminal = Terminal(root, "migrate", "apply", "--target-url", target_db.conninfo)
    try:
        wait_for(lambda: target_conn.execute(
            f"SELECT 1 {SLEEPING} AND state = 'active'").fetchone() is not None,
            "the section to sleep")
        stop(terminal, target_conn)
    finally:
        exit_code = terminal.finish()
    assert exit_code == code, terminal.output
    shown = plain(screen(terminal.output))
    assert shown[:3] == ["applying migrations/V1_sleep.sql",
                         "  section 1/2 first: done (D s)",
                         "Section 2/2: sleep ..."]
    assert shown[3].startswith(last), terminal.output


# ---------------------------------------------------------------------------- apply


USERS_EMAIL = "CREATE TABLE users (id int PRIMARY KEY, email text);\n"
PROMPT = "apply them? [y/N]: "


def columns(conn: psycopg.Connection) -> list[str]:
    return [r[0] for r in conn.execute(
        "SELECT column_name::text FROM information_schema.columns WHERE table_name = 'users' "
        "ORDER BY ordinal_position")]


def hazardous_project(tmp_path: Path, target: Target, conn: psycopg.Connection) -> Path:
    """A dev database with data in a column the schema files no longer have."""
    root = write_project(tmp_path / "p", {"schema/users.sql": USERS_EMAIL})
    pgmt_git(root, "apply", "--dev-url", target.conninfo)
    conn.execute("INSERT INTO users VALUES (1, 'a@example.com')")
    (root / "schema/users.sql").write_text("CREATE TABLE users (id int PRIMARY KEY);\n")
    return root


def answer(root: Path, target: Target, reply: str) -> tuple[int, str]:
    terminal = Terminal(root, "apply", "--dev-url", target.conninfo)
    try:
        wait_for(lambda: terminal.output.endswith(PROMPT), "the question", limit=300)
        terminal.type(reply)
    finally:
        code = terminal.finish()
    return code, terminal.output


@pytest.mark.parametrize(("reply", "code", "last"), [
    ("n\n", 1, "error: refusing hazardous changes:"),
    ("\n", 1, "error: refusing hazardous changes:"),  # Enter: the default, no
    ("\x04", 130, "aborted"),  # Ctrl-D
])
def test_hazards_refused_at_the_terminal_change_nothing(
        tmp_path: Path, target_db: Target, target_conn: psycopg.Connection,
        shadow_env: None, reply: str, code: int, last: str) -> None:
    root = hazardous_project(tmp_path, target_db, target_conn)
    exit_code, output = answer(root, target_db, reply)
    assert exit_code == code, output
    shown = screen(output)
    assert shown[0] == "these changes are hazardous:"
    assert shown[1].startswith("  data_loss: public.users.email: ")
    assert shown[2] == PROMPT + reply.strip("\n\x04")
    assert shown[3] == last
    assert columns(target_conn) == ["id", "email"]
    assert target_conn.execute("SELECT email FROM users").fetchall() == [("a@example.com",)]


def test_hazards_confirmed_at_the_terminal_are_applied(
        tmp_path: Path, target_db: Target, target_conn: psycopg.Connection,
        shadow_env: None) -> None:
    root = hazardous_project(tmp_path, target_db, target_conn)
    code, output = answer(root, target_db, "y\n")
    assert code == 0, output
    assert screen(output)[-2].startswith(f"applied 1 change to the {target_db.label} ")
    assert screen(output)[-2].endswith(" in one transaction")
    assert columns(target_conn) == ["id"]
    assert target_conn.execute("SELECT id FROM users").fetchall() == [(1,)]
