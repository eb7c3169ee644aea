"""Shadow databases: always dropped (exceptions, Ctrl-C), leftovers of killed processes cleaned,
other databases never touched; the `shadow` commands."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pgmt_git.pg import databases as dbs
from pgmt_git.pg.databases import DatabaseKind, ManagedDatabase
from pgmt_git.pg.server import Server, connect
from pgmt_git.pg.shadow import clean_leftovers, is_leftover, shadow_database
from tests.fixtures_pg import (
    database_exists,
    external_server_url,
    managed_databases,
    shadow_databases_of,
)

HOST = socket.gethostname()
NOW = 1_800_000_000.0


def test_shadow_database_is_dropped_after_use(pg_server: Server) -> None:
    with shadow_database(pg_server) as shadow:
        assert shadow.dbname.startswith("pgmt_git_shadow_")
        with connect(pg_server, shadow.dbname) as conn:
            conn.execute("CREATE TABLE t (a int)")
        assert database_exists(pg_server, shadow.dbname)
    assert not database_exists(pg_server, shadow.dbname)


def test_shadow_database_is_dropped_after_an_exception_even_while_connected(
    pg_server: Server,
) -> None:
    with pytest.raises(RuntimeError):
        with shadow_database(pg_server) as shadow:
            conn = connect(pg_server, shadow.dbname)  # still open when the block ends
            raise RuntimeError("boom")
    conn.close()
    assert not database_exists(pg_server, shadow.dbname)


def test_shadow_database_records_its_creator(pg_server: Server) -> None:
    with shadow_database(pg_server) as shadow:
        found = {db.name: db for db in managed_databases(pg_server)}[shadow.dbname]
        assert found.kind is DatabaseKind.SHADOW
        assert found.meta["pid"] == os.getpid()
        assert found.meta["host"] == HOST
        assert abs(found.meta["started"] - time.time()) < 3600


def test_clean_keeps_the_shadow_database_of_a_live_process(pg_server: Server) -> None:
    with shadow_database(pg_server) as shadow:
        result = clean_leftovers(pg_server)
        assert shadow.dbname not in result.shadow_dropped
        assert database_exists(pg_server, shadow.dbname)


def test_clean_never_touches_databases_pgmt_git_did_not_create(
    pg_server: Server, unique: str
) -> None:
    other = f"pgmt_gitx_{unique}"  # close to our prefixes, but not one of them
    with connect(pg_server) as admin:
        admin.execute(f'CREATE DATABASE "{other}"')
    try:
        with pytest.raises(ValueError):
            with connect(pg_server) as admin:
                dbs.drop_database(admin, other, force=True)
        clean_leftovers(pg_server)
        assert database_exists(pg_server, other)
    finally:
        with connect(pg_server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{other}"')


# A child that replays a file which sleeps inside a shadow database, after saying so.
# SIGINT is restored first: a shell starts background jobs (as CI may run this suite) with
# SIGINT ignored, and Python then installs no KeyboardInterrupt handler.
_SLEEPER = """
import signal, sys
signal.signal(signal.SIGINT, signal.default_int_handler)
from pgmt_git.pg.cache import replayed_state
from pgmt_git.pg.plan import ReplayFile
from pgmt_git.pg.server import resolve_server

def ready(k, n, path):
    print("ready", flush=True)

url = sys.argv[1] or None
files = [ReplayFile("schema/slow.sql", "CREATE TABLE t (a int);\\nSELECT pg_sleep(60);\\n", "schema")]
with replayed_state(resolve_server(url), files, cache=False, progress=ready):
    pass
"""


def _start_sleeper() -> subprocess.Popen[str]:
    child = subprocess.Popen([sys.executable, "-c", _SLEEPER, external_server_url() or ""],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert child.stdout is not None
    line = child.stdout.readline()
    assert line.strip() == "ready", child.stderr.read() if child.stderr else ""
    time.sleep(0.3)  # let it reach pg_sleep
    return child


@pytest.mark.slow
def test_interrupted_replay_leaves_no_database(pg_server: Server) -> None:
    child = _start_sleeper()
    assert len(shadow_databases_of(pg_server, child.pid)) == 1
    child.send_signal(signal.SIGINT)
    _, err = child.communicate(timeout=60)
    assert child.returncode != 0
    assert "KeyboardInterrupt" in err
    assert shadow_databases_of(pg_server, child.pid) == []


@pytest.mark.slow
def test_cli_replay_terminated_with_sigterm_leaves_no_database(
    pg_server: Server, tmp_path: Path
) -> None:
    assert _cli(tmp_path, "init").returncode == 0
    (tmp_path / "schema" / "slow.sql").write_text("CREATE TABLE t (a int);\n"
                                                  "SELECT pg_sleep(60);\n")
    child = subprocess.Popen([sys.executable, "-m", "pgmt_git", "replay", "--no-cache"],
                             cwd=tmp_path, env=_cli_env(), stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not shadow_databases_of(pg_server, child.pid):
        assert child.poll() is None and time.monotonic() < deadline, child.communicate()
        time.sleep(0.05)
    time.sleep(0.3)  # let it reach pg_sleep
    child.send_signal(signal.SIGTERM)
    _, err = child.communicate(timeout=60)
    assert child.returncode == 130, err
    assert shadow_databases_of(pg_server, child.pid) == []


@pytest.mark.slow
def test_killed_replay_leaves_a_database_that_shadow_clean_removes(
    pg_server: Server, tmp_path: Path
) -> None:
    child = _start_sleeper()
    child.kill()
    child.communicate(timeout=60)
    left = shadow_databases_of(pg_server, child.pid)
    assert len(left) == 1
    others = _foreign_leftovers(pg_server, child.pid)
    if others:
        pytest.skip(f"other processes' leftovers on this server would be dropped too: {others}")
    result = _cli(tmp_path, "shadow", "clean")
    assert result.returncode == 0, result.stderr
    assert "dropped 1 leftover shadow database" in result.stdout
    assert shadow_databases_of(pg_server, child.pid) == []


def _foreign_leftovers(server: Server, pid: int) -> list[str]:
    found = managed_databases(server)
    return [db.name for db in found if db.kind is DatabaseKind.SHADOW
            and db.meta.get("pid") != pid and is_leftover(db, now=time.time(), host=HOST)]


def _cli_env() -> dict[str, str]:
    env = dict(os.environ)
    url = external_server_url()
    if url:
        env["PGMT_SHADOW_URL"] = url
    return env


def _cli(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pgmt_git", *args], cwd=cwd, env=_cli_env(),
                          capture_output=True, text=True, timeout=120, check=False)


def test_shadow_status_lists_pgmt_git_databases_as_json(pg_server: Server, tmp_path: Path) -> None:
    with shadow_database(pg_server) as shadow:
        result = _cli(tmp_path, "shadow", "status", "--format", "json")
        assert result.returncode == 0, result.stderr
        report = json.loads(result.stdout)
    rows = {row["name"]: row for row in report["databases"]}
    assert rows[shadow.dbname]["kind"] == "shadow"
    assert rows[shadow.dbname]["pid"] == os.getpid()
    assert isinstance(rows[shadow.dbname]["size_bytes"], int)
    assert all(name.startswith("pgmt_git_") for name in rows)
    if external_server_url() is None:
        assert report["server"]["embedded"] is True
        assert report["server"]["running"] is True
    else:
        assert report["server"]["embedded"] is False


def test_shadow_status_as_text(pg_server: Server, tmp_path: Path) -> None:
    result = _cli(tmp_path, "shadow", "status")
    assert result.returncode == 0, result.stderr
    assert "shadow databases:" in result.stdout
    assert "cache databases:" in result.stdout


def test_shadow_stop_and_clean_on_a_stopped_embedded_server(tmp_path: Path) -> None:
    env_cache = tmp_path / "cache"  # an embedded server that was never started
    env = {**os.environ, "PGMT_GIT_CACHE_DIR": str(env_cache)}
    env.pop("PGMT_SHADOW_URL", None)
    for args, expected in ((("shadow", "stop"), "not running"),
                           (("shadow", "clean"), "nothing to clean")):
        result = subprocess.run([sys.executable, "-m", "pgmt_git", *args], cwd=tmp_path,
                                env=env, capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stderr
        assert expected in result.stderr
    status = subprocess.run([sys.executable, "-m", "pgmt_git", "shadow", "status", "--format",
                             "json"], cwd=tmp_path, env=env, capture_output=True, text=True,
                            check=False)
    assert json.loads(status.stdout)["server"]["running"] is False


def _db(meta: dict[str, object], *, connections: int = 0, invalid: bool = False,
        kind: DatabaseKind = DatabaseKind.SHADOW) -> ManagedDatabase:
    return ManagedDatabase(name="pgmt_git_shadow_00", kind=kind, oid=1, connections=connections,
                           invalid=invalid, meta=meta)


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_is_leftover_rules() -> None:
    alive = {"pid": os.getpid(), "host": HOST, "started": NOW}
    dead = {"pid": _dead_pid(), "host": HOST, "started": NOW}
    assert not is_leftover(_db(alive), now=NOW, host=HOST)
    assert is_leftover(_db(dead), now=NOW, host=HOST)
    foreign = {"pid": 1, "host": "elsewhere", "started": NOW - 3600}
    assert not is_leftover(_db(foreign), now=NOW, host=HOST)
    assert is_leftover(_db({**foreign, "started": NOW - 2 * 86400}), now=NOW, host=HOST)
    # No comment: its creator died between CREATE DATABASE and COMMENT.
    assert not is_leftover(_db({}), now=NOW, host=HOST, files_age_s=None)
    assert not is_leftover(_db({}), now=NOW, host=HOST, files_age_s=60)
    assert is_leftover(_db({}), now=NOW, host=HOST, files_age_s=7200)
    assert not is_leftover(_db({}, connections=1), now=NOW, host=HOST, files_age_s=7200)
    assert is_leftover(_db(alive, invalid=True), now=NOW, host=HOST)
    assert not is_leftover(_db(dead, kind=DatabaseKind.CACHE), now=NOW, host=HOST)
