"""The embedded shadow server: PostgreSQL binaries from the ``pgserver`` package.

One private server per user cache directory, on a Unix socket only, started on first use and
reused by later runs (it is not stopped at process exit: starting a server costs seconds, a
replay should not). Nothing in it needs to survive a crash, so it runs without fsync.

pgserver's own ``PostgresServer`` is deliberately not used: it stops the server when the
Python process exits, and importing it pulls in modules we do not need.
"""

from __future__ import annotations

import fcntl
import hashlib
import importlib.util
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from pgmt_git.errors import ServerError
from pgmt_git.paths import cache_dir
from pgmt_git.pg import accounts
from pgmt_git.pg.accounts import Account

# Only names the socket file (.s.PGSQL.5432): the server listens on no TCP address.
PORT = 5432
SUPERUSER = "postgres"
MAINTENANCE_DB = "postgres"
# sun_path holds 108 bytes on Linux and 104 on macOS, terminating NUL included.
_SOCKET_PATH_MAX = 103
_SOCKET_NAME = f".s.PGSQL.{PORT}"
_LOG_ROTATE_BYTES = 10 * 1024 * 1024
_START_TIMEOUT_S = 60
_RELATIVE_BIN = Path("pgserver", "pginstall", "bin")

# Written into postgresql.conf at initdb, so a restart keeps them.
_SETTINGS = {
    "listen_addresses": "",
    "port": str(PORT),
    # Throwaway databases: durability buys nothing and costs most of a replay's time.
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "wal_level": "minimal",
    "max_wal_senders": "0",
    # A large schema replayed file by file still takes ~14 locks per table in one transaction.
    "max_locks_per_transaction": "1024",
    # Replays that fail on purpose (tests, bad migrations) would otherwise fill the log.
    "log_min_messages": "fatal",
    "lc_messages": "C",
}


@dataclass(frozen=True)
class Binaries:
    bin_dir: Path
    version: str  # e.g. "16.2"

    @property
    def major(self) -> str:
        return self.version.split(".")[0]

    def tool(self, name: str) -> str:
        return str(self.bin_dir / name)


@dataclass(frozen=True)
class Layout:
    """Where one embedded server lives. ``account`` None = run as the current user."""

    base: Path  # holds the lock file (and, as root, a reachable copy of the binaries)
    server_dir: Path
    socket_dir: Path
    account: Account | None

    @property
    def data_dir(self) -> Path:
        return self.server_dir / "data"

    @property
    def log_path(self) -> Path:
        return self.server_dir / "server.log"

    @property
    def lock_path(self) -> Path:
        return self.base / f"{self.server_dir.name}.lock"


@dataclass(frozen=True)
class ServerInfo:
    """The embedded server's state; ``pid`` is None when it is not running."""

    running: bool
    version: str
    data_dir: Path
    socket_dir: Path
    log_path: Path
    base_dir: Path
    port: int = PORT
    user: str = SUPERUSER
    pid: int | None = None
    os_user: str | None = None  # the account the server runs as, when started by root


def ensure_embedded_server() -> ServerInfo:
    """Start the embedded server unless it already runs; safe against concurrent starts."""
    binaries = find_binaries()
    with _locked_layout(binaries) as layout:
        if not _accepting(layout):
            binaries = _reachable_binaries(binaries, layout)
            if not (layout.data_dir / "PG_VERSION").exists():
                _initdb(binaries, layout)
            _start(binaries, layout)
        return _info(binaries, layout)


def server_status() -> ServerInfo:
    """The embedded server's state, without starting it (nor creating anything)."""
    binaries = find_binaries()
    layout = _layout(binaries, account=None)
    owner = accounts.existing_owner(layout.server_dir) if os.geteuid() == 0 else None
    return _info(binaries, _layout(binaries, account=owner))


def stop_server() -> bool:
    """Stop the embedded server (fast shutdown). Returns False when it was not running."""
    binaries = find_binaries()
    if not _layout(binaries, account=None).server_dir.exists():
        return False
    with _locked_layout(binaries) as layout:
        if _postmaster_pid(layout.data_dir) is None:
            return False
        binaries = _reachable_binaries(binaries, layout)
        _run(binaries, layout, "pg_ctl", "-D", str(layout.data_dir), "-w", "-t", "60",
             "-m", "fast", "-s", "stop")
        return True


def purge_server() -> Path | None:
    """Stop the embedded server and delete its directory (every cached state with it).

    Returns the directory removed, or None when there was none.
    """
    stop_server()
    binaries = find_binaries()
    if not _layout(binaries, account=None).server_dir.exists():
        return None
    with _locked_layout(binaries) as layout:
        if _postmaster_pid(layout.data_dir) is not None:
            raise ServerError(f"the embedded server in {layout.server_dir} is still running",
                              hint="run `pgmt-git shadow stop` and retry")
        if layout.socket_dir != layout.server_dir:
            shutil.rmtree(layout.socket_dir, ignore_errors=True)
        if layout.base != cache_dir():
            # root's server directory (see _base_dir) holds nothing else of the user's:
            # remove it whole, with the copy of the binaries made for the server's account.
            shutil.rmtree(layout.base)
            return layout.base
        shutil.rmtree(layout.server_dir)
        return layout.server_dir


def find_binaries() -> Binaries:
    # find_spec locates the package without importing it (its __init__ imports psutil etc.).
    spec = importlib.util.find_spec("pgserver")
    if spec is None or not spec.submodule_search_locations:
        raise ServerError(
            "no shadow server: the embedded PostgreSQL (the pgserver package) is not installed",
            hint="install pgserver, or set --shadow-url / PGMT_SHADOW_URL / databases.shadow.url",
        )
    install = Path(next(iter(spec.submodule_search_locations))) / "pginstall"
    return Binaries(bin_dir=install / "bin", version=_binaries_version(install))


def _binaries_version(install: Path) -> str:
    header = install / "include" / "pg_config.h"
    try:
        match = re.search(r'#define PG_VERSION "([^"]+)"', header.read_text(encoding="utf-8"))
    except OSError:
        match = None
    if match:
        return match.group(1)
    result = subprocess.run(
        [str(install / "bin" / "postgres"), "--version"], capture_output=True, text=True,
        check=False,
    )
    found = re.search(r"(\d+(?:\.\d+)?)", result.stdout)
    if result.returncode != 0 or not found:
        raise ServerError(f"cannot run the embedded PostgreSQL in {install}: {result.stderr}")
    return found.group(1)


@contextmanager
def _locked_layout(binaries: Binaries) -> Iterator[Layout]:
    """The layout, created if needed, with the per-server lock held (flock: released on exit
    of the process too, so a killed starter never blocks the next one)."""
    base = _base_dir()
    _make_private_dir(base, mode=0o755 if os.geteuid() == 0 else 0o700)
    with open(_layout(binaries, account=None).lock_path, "a+b") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        account = accounts.server_account(base / f"server-{binaries.major}")
        layout = _layout(binaries, account=account)
        _prepare_dirs(layout)
        yield layout


def _base_dir() -> Path:
    own = cache_dir()
    if os.geteuid() != 0:
        return own
    # PostgreSQL refuses to run as root, and root's home (hence its cache dir) is usually
    # mode 700, out of reach of the unprivileged account that runs the server. So root's
    # server lives in a shared temporary directory, named after root's cache directory so
    # that a different HOME / PGMT_GIT_CACHE_DIR still gets a server of its own.
    # /var/tmp rather than /tmp: it survives reboots and is not cleaned as eagerly.
    parent = Path("/var/tmp") if Path("/var/tmp").is_dir() else Path(tempfile.gettempdir())
    return parent / f"pgmt-git-{_short_hash(str(own.resolve()), 12)}"


def _layout(binaries: Binaries, *, account: Account | None) -> Layout:
    base = _base_dir()
    server_dir = base / f"server-{binaries.major}"
    return Layout(base=base, server_dir=server_dir, socket_dir=_socket_dir(server_dir),
                  account=account)


def _socket_dir(server_dir: Path) -> Path:
    """The server directory itself, unless the socket path would be too long for sun_path."""
    if len(os.fsencode(server_dir / _SOCKET_NAME)) <= _SOCKET_PATH_MAX:
        return server_dir
    name = f"pgmt-git-{_short_hash(str(server_dir), 16)}"
    for parent in (Path(tempfile.gettempdir()), Path("/tmp")):
        if len(os.fsencode(parent / name / _SOCKET_NAME)) <= _SOCKET_PATH_MAX:
            return parent / name
    raise ServerError(f"no short enough directory for the server socket of {server_dir}")


def _short_hash(text: str, length: int) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:length]


def _prepare_dirs(layout: Layout) -> None:
    owner = layout.account.uid if layout.account else os.geteuid()
    group = layout.account.gid if layout.account else os.getegid()
    for path in dict.fromkeys((layout.server_dir, layout.socket_dir)):
        _make_private_dir(path, mode=0o700, owner=owner, group=group)


def _make_private_dir(path: Path, *, mode: int, owner: int | None = None,
                      group: int | None = None) -> None:
    """Create (or check) a directory; refuse one that someone else planted (shared /tmp)."""
    owner = os.geteuid() if owner is None else owner
    try:
        path.mkdir(mode=mode, parents=True)
    except FileExistsError:
        pass
    info = path.lstat()
    if info.st_uid not in (owner, os.geteuid()) or not path.is_dir() or path.is_symlink():
        raise ServerError(f"{path} exists but is not a directory owned by the server's user",
                          hint=f"remove {path} and retry")
    if info.st_uid != owner and owner != os.geteuid():
        os.chown(path, owner, group if group is not None else -1)
    os.chmod(path, mode)


def _reachable_binaries(binaries: Binaries, layout: Layout) -> Binaries:
    """Binaries the server's account can execute: as root, a virtualenv under root's home
    (mode 700) is out of its reach, so the installation is copied next to the server once."""
    if layout.account is None:
        return binaries
    copy = layout.base / f"pginstall-{binaries.version}"
    copied = Binaries(bin_dir=copy / _RELATIVE_BIN, version=binaries.version)
    if (copied.bin_dir / "postgres").exists():
        return copied
    if _can_execute(binaries, layout):
        return binaries
    scratch = layout.base / f"pginstall.tmp-{os.getpid()}"
    shutil.rmtree(scratch, ignore_errors=True)
    package = binaries.bin_dir.parent.parent
    shutil.copytree(package / "pginstall", scratch / _RELATIVE_BIN.parent, symlinks=True)
    # The wheel's executables find their shared libraries through an RPATH of
    # $ORIGIN/../../../pgserver.libs (auditwheel): keep that layout in the copy.
    libs = package.parent / f"{package.name}.libs"
    if libs.is_dir():
        shutil.copytree(libs, scratch / libs.name, symlinks=True)
    for path in [scratch, *scratch.rglob("*")]:
        if path.is_dir() and not path.is_symlink():
            path.chmod(0o755)
    scratch.rename(copy)
    return copied


def _can_execute(binaries: Binaries, layout: Layout) -> bool:
    try:
        probe = subprocess.run(
            [binaries.tool("postgres"), "--version"], capture_output=True, check=False,
            cwd=layout.server_dir, **accounts.run_as(layout.account),
        )
    except OSError:
        return False
    return probe.returncode == 0


def _initdb(binaries: Binaries, layout: Layout) -> None:
    # initdb into a scratch directory and rename: a killed initdb leaves no half cluster.
    scratch = layout.server_dir / f"data.tmp-{os.getpid()}"
    shutil.rmtree(scratch, ignore_errors=True)
    _run(binaries, layout, "initdb", "-D", str(scratch), "-U", SUPERUSER, "--auth=trust",
         "--encoding=UTF8", "--locale=C", "--no-sync", "--no-instructions")
    with open(scratch / "postgresql.conf", "a", encoding="utf-8") as conf:
        conf.write("\n# pgmt-git: a private throwaway server; nothing here must survive.\n")
        settings = {**_SETTINGS, "unix_socket_directories": str(layout.socket_dir)}
        for key, value in settings.items():
            conf.write(f"{key} = '{_conf_quote(value)}'\n")
    scratch.rename(layout.data_dir)


def _conf_quote(value: str) -> str:
    return value.replace("\\", "\\\\").replace("'", "''")


def _start(binaries: Binaries, layout: Layout) -> None:
    _rotate_log(layout.log_path)
    try:
        _run(binaries, layout, "pg_ctl", "-D", str(layout.data_dir), "-l", str(layout.log_path),
             "-w", "-t", str(_START_TIMEOUT_S), "-s", "start")
    except ServerError as exc:
        raise ServerError(f"{exc.message}\n{_log_tail(layout.log_path)}",
                          hint=f"see {layout.log_path}") from exc
    if not _accepting(layout):
        raise ServerError(f"the embedded server started but does not accept connections\n"
                          f"{_log_tail(layout.log_path)}", hint=f"see {layout.log_path}")


def _rotate_log(log_path: Path) -> None:
    try:
        if log_path.stat().st_size > _LOG_ROTATE_BYTES:
            log_path.replace(log_path.with_name(log_path.name + ".1"))
    except FileNotFoundError:
        pass


def _log_tail(log_path: Path, lines: int = 20) -> str:
    try:
        text = log_path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return f"(no server log at {log_path})"
    tail = "\n".join(text.splitlines()[-lines:])
    return f"last lines of {log_path}:\n{tail}"


def _run(binaries: Binaries, layout: Layout, tool: str, *args: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env.update(LC_ALL="C", LANG="C")
    # Output goes to files, not pipes: the postmaster that pg_ctl forks may keep inherited
    # pipes open and make a capturing parent wait forever.
    with tempfile.TemporaryFile() as out:
        try:
            result = subprocess.run(
                [binaries.tool(tool), *args], stdin=subprocess.DEVNULL, stdout=out, stderr=out,
                cwd=layout.server_dir, env=env, check=False, **accounts.run_as(layout.account),
            )
        except OSError as exc:
            raise ServerError(f"cannot run {tool} of the embedded server: {exc}") from exc
        out.seek(0)
        output = out.read().decode("utf-8", errors="replace").strip()
    if result.returncode != 0:
        raise ServerError(f"{tool} failed (exit {result.returncode}): {output}")


def _accepting(layout: Layout) -> bool:
    if not (layout.socket_dir / _SOCKET_NAME).exists():
        return False
    import psycopg

    try:
        with psycopg.connect(host=str(layout.socket_dir), port=PORT, user=SUPERUSER,
                             dbname=MAINTENANCE_DB, connect_timeout=5):
            return True
    except psycopg.Error:
        return False


def _postmaster_pid(data_dir: Path) -> int | None:
    try:
        first = (data_dir / "postmaster.pid").read_text(encoding="utf-8").split("\n", 1)[0]
        pid = int(first)
    except (OSError, ValueError):
        return None
    return pid if accounts.pid_alive(pid) else None


def _info(binaries: Binaries, layout: Layout) -> ServerInfo:
    pid = _postmaster_pid(layout.data_dir)
    running = pid is not None and (layout.socket_dir / _SOCKET_NAME).exists()
    return ServerInfo(
        running=running, version=binaries.version, data_dir=layout.data_dir,
        socket_dir=layout.socket_dir, log_path=layout.log_path, base_dir=layout.base,
        pid=pid if running else None, os_user=layout.account.name if layout.account else None,
    )
