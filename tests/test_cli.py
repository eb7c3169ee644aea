"""The CLI edge: exit codes, crash path, cheap start-up."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from pgmt_git import __version__
from pgmt_git.cli import run


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--version"]) == 0
    assert __version__ in capsys.readouterr().out


def test_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["no-such-command"]) == 2
    assert "No such command" in capsys.readouterr().err


def test_missing_directory_for_dash_c(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["-C", str(tmp_path / "missing"), "init"]) == 2


def test_importing_the_cli_stays_cheap() -> None:
    """Git hooks start the CLI: it must not pull in the database driver or the SQL parser."""
    code = (
        "import sys, pgmt_git.cli; "
        "heavy = [m for m in ('psycopg', 'pglast', 'pygit2') if m in sys.modules]; "
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_commands_load_when_run_and_carry_their_listed_names() -> None:
    """Each command's module is imported when that command runs, not before."""
    code = (
        "import sys, click\n"
        "from pgmt_git.cli import app, _COMMANDS\n"
        "group = app()\n"
        "loaded = [m for m in sys.modules if m.startswith('pgmt_git.commands.')\n"
        "          and m != 'pgmt_git.commands.context']\n"
        "ctx = click.Context(group)\n"
        "names = [group.get_command(ctx, n).name for n in _COMMANDS]\n"
        "print(','.join(loaded)); print(names == list(_COMMANDS))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.splitlines() == ["", "True"]


def test_crash_exits_3_and_writes_a_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import pgmt_git.commands.init as init_module

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("kaboom")

    monkeypatch.setenv("PGMT_GIT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(init_module, "init_project", boom)
    monkeypatch.chdir(tmp_path)
    assert run(["init"]) == 3
    err = capsys.readouterr().err
    assert "RuntimeError: kaboom" in err
    log = tmp_path / "cache" / "crash.log"
    assert "kaboom" in log.read_text()


@pytest.mark.parametrize(
    ("text", "state", "rev"),
    [("schema", "schema", None), ("migrations@HEAD~2", "migrations", "HEAD~2"),
     ("schema@origin/main", "schema", "origin/main")],
)
def test_source_specs(text: str, state: str, rev: str | None) -> None:
    from pgmt_git.commands.sources import parse_source_spec

    spec = parse_source_spec(text)
    assert spec.state.value == state
    assert spec.source.rev == rev


@pytest.mark.parametrize("text", ["tables", "schema@", "migration"])
def test_bad_source_specs_are_usage_errors(text: str) -> None:
    from pgmt_git.commands.sources import parse_source_spec
    from pgmt_git.errors import UsageError

    with pytest.raises(UsageError):
        parse_source_spec(text)


def test_run_restores_the_working_directory(tmp_path: Path) -> None:
    import os

    before = os.getcwd()
    assert run(["-C", str(tmp_path), "replay", "nonsense"]) == 2
    assert os.getcwd() == before
