"""The embedded server: start, reuse, concurrent starts, status, stop; server URLs.

These tests start private embedded servers in temporary cache directories (whatever the
session's test server is), and stop and remove them afterwards.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from pgmt_git.errors import ServerError, UsageError
from pgmt_git.pg import embedded
from pgmt_git.pg.server import (
    Server,
    ServerInfo,
    connect,
    embedded_server,
    ensure_embedded_server,
    purge_server,
    server_status,
    stop_server,
)


@pytest.fixture(scope="module")
def private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """PGMT_GIT_CACHE_DIR pointing at a new directory: a server of this module's own."""
    cache = tmp_path_factory.mktemp("cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PGMT_GIT_CACHE_DIR", str(cache))
        try:
            yield cache
        finally:
            _remove_server()


def _remove_server() -> None:
    """`pgmt-git shadow stop --purge`, checked: nothing of the server is left."""
    info = server_status()
    purge_server()
    assert not info.data_dir.exists()
    assert not info.socket_dir.exists()
    assert purge_server() is None


@pytest.fixture(scope="module")
def started(private_cache: Path) -> ServerInfo:
    return ensure_embedded_server()


def _setting(info: ServerInfo, name: str) -> str:
    with connect(embedded_server(info)) as conn:
        row = conn.execute("SELECT current_setting(%s)", (name,)).fetchone()
    assert row is not None
    return str(row[0])


def test_embedded_server_starts_on_first_use(started: ServerInfo) -> None:
    assert started.running
    assert started.pid is not None
    assert (started.data_dir / "PG_VERSION").read_text().strip() == started.version.split(".")[0]
    assert _setting(started, "server_version").startswith(started.version)


def test_embedded_server_runs_as_a_throwaway_server(started: ServerInfo) -> None:
    assert _setting(started, "fsync") == "off"
    assert _setting(started, "synchronous_commit") == "off"
    assert _setting(started, "full_page_writes") == "off"
    assert int(_setting(started, "max_locks_per_transaction")) >= 1024
    assert _setting(started, "listen_addresses") == ""


def test_embedded_server_is_reused(started: ServerInfo) -> None:
    again = ensure_embedded_server()
    assert again.pid == started.pid
    assert again.socket_dir == started.socket_dir


def test_embedded_server_never_runs_as_root(started: ServerInfo) -> None:
    # The backend's /proc entry is read while its connection is open: once closed, the
    # backend exits and the entry may be gone.
    with connect(embedded_server(started)) as conn:
        row = conn.execute("SELECT pg_backend_pid()").fetchone()
        assert row is not None
        owner = (Path(f"/proc/{row[0]}").stat().st_uid if Path("/proc").is_dir()
                 else os.geteuid())
    if os.geteuid() == 0:
        assert owner != 0
        assert started.os_user is not None


def test_status_and_stop_then_restart_keeps_the_cluster(started: ServerInfo) -> None:
    assert server_status().running
    marker = started.data_dir / "PG_VERSION"
    assert stop_server() is True
    stopped = server_status()
    assert not stopped.running
    assert stopped.pid is None
    assert stop_server() is False
    restarted = ensure_embedded_server()
    assert restarted.running
    assert marker.exists()
    assert _setting(restarted, "fsync") == "off"  # postgresql.conf kept the settings


def test_start_failure_shows_the_server_log(started: ServerInfo) -> None:
    conf = started.data_dir / "postgresql.conf"
    original = conf.read_text()
    stop_server()
    conf.write_text(original + "\nno_such_setting_at_all = 1\n")
    try:
        with pytest.raises(ServerError) as failure:
            ensure_embedded_server()
        message = str(failure.value)
        assert "last lines of" in message
        assert "no_such_setting_at_all" in message
    finally:
        conf.write_text(original)
    assert ensure_embedded_server().running


def test_two_processes_starting_the_server_at_once_both_succeed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PGMT_GIT_CACHE_DIR", str(tmp_path / "cache"))
    code = ("from pgmt_git.pg.server import ensure_embedded_server\n"
            "print(ensure_embedded_server().pid)\n")
    try:
        starters = [subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True) for _ in range(2)]
        results = [starter.communicate(timeout=120) for starter in starters]
        for starter, (out, err) in zip(starters, results):
            assert starter.returncode == 0, err
        pids = {out.strip() for out, _ in results}
        assert len(pids) == 1
        assert server_status().pid == int(pids.pop())
    finally:
        _remove_server()


def test_socket_directory_falls_back_when_the_path_is_too_long(tmp_path: Path) -> None:
    long_dir = tmp_path / ("x" * 120) / "server-16"
    chosen = embedded._socket_dir(long_dir)
    assert chosen != long_dir
    assert len(os.fsencode(chosen / ".s.PGSQL.5432")) <= 103
    assert embedded._socket_dir(long_dir) == chosen  # stable: the same server, the same socket
    short_dir = Path("/srv/s")
    assert embedded._socket_dir(short_dir) == short_dir


def test_server_from_url_keeps_the_maintenance_database_and_hides_the_password() -> None:
    server = Server.from_url("postgresql://alice:secret@db.example:6543/ops?sslmode=disable")
    assert server.maintenance_db == "ops"
    assert "secret" not in server.describe()
    assert "db.example:6543" in server.describe()
    conninfo = server.conninfo("pgmt_git_shadow_ab")
    assert "dbname=pgmt_git_shadow_ab" in conninfo
    assert "sslmode=disable" in conninfo
    assert Server.from_url("postgresql://h/").maintenance_db == "postgres"
    assert Server.from_url("host=h user=u") == Server.from_url("user=u host=h")


def test_invalid_url_is_a_usage_error() -> None:
    with pytest.raises(UsageError):
        Server.from_url("host='unterminated")


def test_unreachable_server_is_a_server_error() -> None:
    server = Server.from_url("postgresql://nobody@127.0.0.1:1/postgres?connect_timeout=2")
    with pytest.raises(ServerError) as failure:
        connect(server)
    assert "127.0.0.1:1" in str(failure.value)
