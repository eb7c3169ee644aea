"""pgmt-git diff end to end: sources from the work tree, revisions, empty and live URLs."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from urllib.parse import quote

import pytest

from pgmt_git.cli import run
from pgmt_git.pg.cache import replayed_state
from pgmt_git.pg.server import Server
from tests.conftest import git
from tests.fixtures_pg import external_server_url

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "blog"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of a small project in a git repository, on the test server."""
    root = tmp_path / "project"
    root.mkdir()
    (root / "pgmt.yaml").write_text("directories:\n  schema_dir: schema\n")
    (root / "schema").mkdir()
    (root / "schema/app.sql").write_text(
        "CREATE TABLE items (id bigint PRIMARY KEY, name text NOT NULL);\n")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "one")
    if external_server_url():
        monkeypatch.setenv("PGMT_SHADOW_URL", external_server_url())
    return root


def diff(root: Path, *args: str) -> int:
    return run(["-C", str(root), "diff", *args])


def test_same_state_exits_0_with_no_output(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert diff(project, "--from", "schema", "--to", "schema@HEAD") == 0
    assert capsys.readouterr().out == ""


def test_work_tree_change_against_a_revision(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "schema/app.sql").write_text(
        "CREATE TABLE items (id bigint PRIMARY KEY, name text NOT NULL, price numeric);\n")
    assert diff(project, "--from", "schema@HEAD", "--to", "schema") == 1
    assert capsys.readouterr().out == "ALTER TABLE public.items ADD COLUMN price numeric;\n"
    assert diff(project, "--from", "schema", "--to", "schema@HEAD", "--format", "json") == 1
    report = json.loads(capsys.readouterr().out)
    assert report["from"] == "schema" and report["to"] == "schema@HEAD"
    [change] = report["changes"]
    assert change["action"] == "drop_column"
    assert change["object"] == "public.items.price"
    assert [h["kind"] for h in change["hazards"]] == ["data_loss"]
    assert change["sql"] == ["ALTER TABLE public.items DROP COLUMN price"]


def test_summary_from_empty(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert diff(project, "--from", "empty", "--to", "schema", "--format", "summary") == 1
    out = capsys.readouterr().out.splitlines()
    assert "create_table public.items" in out


def test_live_database_url(project: Path, pg_server: Server,
                           capsys: pytest.CaptureFixture[str]) -> None:
    from pgmt_git.project.source import ReplayInput

    files = [ReplayInput("live.sql", "CREATE TABLE items (id bigint PRIMARY KEY);\n", "schema")]
    with replayed_state(pg_server, files) as state:
        url = _url(pg_server, state.dbname)
        assert diff(project, "--from", url, "--to", "schema", "--format", "summary") == 1
    out = capsys.readouterr().out
    assert "add_column public.items.name" in out


def test_outside_a_project_two_databases_compare(tmp_path: Path, pg_server: Server,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    from pgmt_git.project.source import ReplayInput

    files = [ReplayInput("a.sql", "CREATE TABLE lone (id int);\n", "schema")]
    with replayed_state(pg_server, files) as state:
        url = _url(pg_server, state.dbname)
        assert diff(tmp_path, "--from", url, "--to", url) == 0


def test_bad_source_is_a_usage_error(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert diff(project, "--from", "nonsense", "--to", "schema") == 2
    assert "unknown source 'nonsense'" in capsys.readouterr().err


def _url(server: Server, dbname: str) -> str:
    params = dict(server.params)
    host = params.pop("host", "")
    user = params.pop("user", "")
    port = params.pop("port", "")
    netloc = f"{quote(user)}@" if user else ""
    if host.startswith("/"):
        query = f"?host={quote(host)}" + (f"&port={port}" if port else "")
        return f"postgresql://{netloc}/{dbname}{query}"
    return f"postgresql://{netloc}{host}{':' + port if port else ''}/{dbname}"


def test_owners_switch_in_pgmt_yaml(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # One fixed role (roles are cluster-wide; replays tolerate an existing one), so reruns
    # on a shared server add no new roles.
    role = "pgmt_git_test_owner"
    (project / "roles.sql").write_text(f"CREATE ROLE {role} NOLOGIN;\n")
    (project / "schema/app.sql").write_text(
        "CREATE TABLE items (id bigint PRIMARY KEY, name text NOT NULL);\n"
        f"ALTER TABLE items OWNER TO {role};\n")
    assert diff(project, "--from", "schema@HEAD", "--to", "schema") == 0  # owners ignored
    (project / "pgmt.yaml").write_text(
        "directories:\n  schema_dir: schema\ngit:\n  diff:\n    owners: true\n")
    assert diff(project, "--from", "schema@HEAD", "--to", "schema") == 1
    assert f"OWNER TO {role}" in capsys.readouterr().out
