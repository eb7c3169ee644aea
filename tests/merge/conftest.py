"""Real repositories with the merge driver installed by `pgmt-git install --merge-driver`,
merged by real `git merge`, `git rebase` and `git cherry-pick`."""

from __future__ import annotations

import os
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from pgmt_git.pg import databases as dbs
from pgmt_git.pg.accounts import pid_alive
from pgmt_git.pg.databases import DatabaseKind
from pgmt_git.pg.server import Server, connect
from tests.fixtures_pg import external_server_url
from tests.git.conftest import BIN, PGMT_GIT, Workspace, new_repo, pgmt_git, run
from tests.git.conftest import origin  # noqa: F401 - the fixture, for the hook tests

CONFIG = "directories:\n  schema_dir: schema\n"


@pytest.fixture(autouse=True)
def _driver_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    url = external_server_url()
    if url:  # the driver's oracle replays on the test server
        monkeypatch.setenv("PGMT_SHADOW_URL", url)


@pytest.fixture
def replays(pg_server: Server) -> Iterator[Server]:
    """The server the driver verifies on; the cache entries its processes leave (they are
    gone by the end of the test) are dropped afterwards."""
    with connect(pg_server) as admin:
        before = {db.name for db in dbs.list_managed(admin)}
    yield pg_server
    host = socket.gethostname()
    with connect(pg_server) as admin:
        for db in dbs.list_managed(admin):
            pid = db.meta.get("pid")
            if (db.kind is DatabaseKind.CACHE and db.name not in before
                    and db.meta.get("host") == host and isinstance(pid, int)
                    and pid != os.getpid() and not pid_alive(pid)):
                dbs.drop_unused_cache_entry(admin, db)


class MergeRepo(Workspace):
    """A project whose schema/app.sql is merged; main and feature branch off ``base``."""

    def commit_all(self, message: str) -> None:
        self.git("add", "-A")
        self.git("commit", "-q", "--no-verify", "-m", message)

    def branches(self, *, ours: str, theirs: str, file: str = "schema/app.sql",
                 stop_on_notes: bool = False) -> None:
        """feature changes the file to ``theirs``, main to ``ours``; main is checked out.
        ``stop_on_notes``: both also change notes.txt, on which a merge then stops."""
        if stop_on_notes:
            self.write("notes.txt", "base\n")
            self.commit_all("notes")
        for branch, text, side in (("feature", theirs, "theirs"), ("main", ours, "ours")):
            self.git("checkout", "-q", *(["-b"] if branch == "feature" else []), branch)
            self.write(file, text)
            if stop_on_notes:
                self.write("notes.txt", f"{side}\n")
            self.commit_all(side)

    def driver_by_hand(self, tmp: Path, *revisions: str
                       ) -> tuple[subprocess.CompletedProcess[str], Path]:
        """`pgmt-git merge-driver` run by hand on schema/app.sql of the base, ours and theirs
        ``revisions``: its result, and the file it wrote the merge to."""
        versions = []
        for n, rev in enumerate(revisions):
            path = tmp / f"version{n}.sql"
            path.write_text(self.git("show", f"{rev}:schema/app.sql"), encoding="utf-8")
            versions.append(str(path))
        result = run(self.path, PGMT_GIT, "merge-driver", *versions, "7", "schema/app.sql")
        return result, Path(versions[1])

    def run_git(self, *args: str) -> subprocess.CompletedProcess[str]:
        return run(self.path, "git", *args)

    def merge(self, *args: str) -> subprocess.CompletedProcess[str]:
        return run(self.path, "git", "merge", "--no-edit", *args, "feature")


def merge_repo(tmp_path: Path, base: str, *, file: str = "schema/app.sql",
               config: str = CONFIG, binary: bytes | None = None) -> MergeRepo:
    ws = MergeRepo(new_repo(tmp_path / "work"))
    ws.write("pgmt.yaml", config)
    if binary is not None:
        (ws.path / file).parent.mkdir(parents=True, exist_ok=True)
        (ws.path / file).write_bytes(binary)
    else:
        ws.write(file, base)
    installed = pgmt_git(ws.path, "install", "--merge-driver")
    assert installed.returncode == 0, installed.stderr
    ws.commit_all("base")
    return ws


# ------------------------------------------------------------------ a schema file to merge


def schema(u: str) -> str:
    return f"""\
-- People who sign in.
CREATE TABLE users_{u} (
    id int PRIMARY KEY,
    email text NOT NULL,
    name text
);

COMMENT ON TABLE users_{u} IS 'people';

CREATE FUNCTION greeting_{u}(who text) RETURNS text LANGUAGE sql
    AS $$ SELECT 'hello ' || who $$;

CREATE VIEW named_{u} AS SELECT id, name FROM users_{u};
"""


@pytest.fixture
def base(unique: str) -> str:
    return schema(unique)


def merged(tmp_path: Path, base: str, ours: str, theirs: str) -> tuple[MergeRepo, int, str]:
    ws = merge_repo(tmp_path, base)
    ws.branches(ours=ours, theirs=theirs)
    result = ws.merge()
    return ws, result.returncode, result.stdout + result.stderr


def drop_and_view(base: str, unique: str) -> tuple[str, str]:
    """main drops a column that feature's new view selects: clean as text, wrong as SQL."""
    ours = base.replace("    email text NOT NULL,\n", "")
    theirs = base + f"\nCREATE VIEW emails_{unique} AS SELECT id, email FROM users_{unique};\n"
    return ours, theirs
