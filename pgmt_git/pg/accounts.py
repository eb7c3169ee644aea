"""The operating-system account the embedded server runs as.

PostgreSQL refuses to run as root (initdb, pg_ctl and postgres all check). When pgmt-git runs
as root -- CI containers, this is common -- the server runs as a dedicated unprivileged system
account instead, created on first use, else as ``nobody``.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ACCOUNT_NAME = "pgmt-git"
FALLBACK_ACCOUNT = "nobody"


@dataclass(frozen=True)
class Account:
    name: str
    uid: int
    gid: int


def server_account(server_dir: Path) -> Account | None:
    """None when not root (the server runs as the current user); else the account that owns
    an existing server directory (so a server keeps its owner), else a new or fallback one."""
    if os.geteuid() != 0:
        return None
    owner = existing_owner(server_dir)
    if owner is not None:
        return owner
    return _lookup(ACCOUNT_NAME) or _create(ACCOUNT_NAME) or _lookup(FALLBACK_ACCOUNT) or _missing()


def existing_owner(server_dir: Path) -> Account | None:
    """The non-root owner of an existing server directory, if any."""
    try:
        uid = server_dir.stat().st_uid
    except OSError:
        return None
    if uid == 0:
        return None
    try:
        entry = pwd.getpwuid(uid)
    except KeyError:
        return None
    return Account(entry.pw_name, entry.pw_uid, entry.pw_gid)


def run_as(account: Account | None) -> dict[str, Any]:
    """subprocess.run keyword arguments that drop root privileges to ``account``."""
    if account is None:
        return {}
    return {"user": account.uid, "group": account.gid, "extra_groups": [], "umask": 0o077}


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
    return True


def _lookup(name: str) -> Account | None:
    try:
        entry = pwd.getpwnam(name)
    except KeyError:
        return None
    return Account(entry.pw_name, entry.pw_uid, entry.pw_gid)


def _create(name: str) -> Account | None:
    useradd = shutil.which("useradd")
    if useradd is None:
        return None
    shell = shutil.which("nologin") or "/bin/false"
    subprocess.run(
        [useradd, "--system", "--user-group", "--no-create-home", "--home-dir", "/nonexistent",
         "--shell", shell, "--comment", "pgmt-git embedded PostgreSQL", name],
        capture_output=True, check=False,
    )
    # Another process may have created it meanwhile: look it up either way.
    return _lookup(name)


def _missing() -> Account:
    from pgmt_git.errors import ServerError

    raise ServerError(
        f"running as root, and neither a {ACCOUNT_NAME!r} nor a {FALLBACK_ACCOUNT!r} account "
        "exists to run the embedded PostgreSQL (it refuses to run as root)",
        hint="run as a normal user, or set --shadow-url / PGMT_SHADOW_URL",
    )
