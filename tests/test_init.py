"""pgmt-git init: the files it creates, and the ones it refuses to touch."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from pgmt_git.cli import main, run
from pgmt_git.commands.init import init_project
from pgmt_git.config import CONFIG_FILENAME, Config, Directories, load_config
from pgmt_git.errors import ConfigError

from tests.conftest import git


def test_init_creates_config_directories_and_roles(tmp_path: Path) -> None:
    created = init_project(tmp_path, force=False)
    names = [path.relative_to(tmp_path).as_posix() for path in created]
    assert names == [
        "pgmt.yaml",
        "schema",
        "schema/.gitkeep",
        "migrations",
        "migrations/.gitkeep",
        "schema_baselines",
        "schema_baselines/.gitkeep",
        "roles.sql",
    ]
    assert (tmp_path / "roles.sql").read_text() == ""
    loaded = load_config(start_dir=tmp_path, environ={})
    assert loaded.config == Config()
    assert loaded.config.warnings == ()


def test_init_output_is_tracked_by_git(repo: Path) -> None:
    init_project(repo, force=False)
    git(repo, "add", "-A")
    tracked = git(repo, "ls-files").split()
    assert sorted(tracked) == [
        "migrations/.gitkeep",
        "pgmt.yaml",
        "roles.sql",
        "schema/.gitkeep",
        "schema_baselines/.gitkeep",
    ]


def test_init_refuses_to_overwrite_config(tmp_path: Path) -> None:
    (tmp_path / CONFIG_FILENAME).write_text("databases:\n  dev_url: postgres://mine\n")
    with pytest.raises(ConfigError) as info:
        init_project(tmp_path, force=False)
    assert str(tmp_path / CONFIG_FILENAME) in str(info.value)
    assert "--force" in (info.value.hint or "")
    assert (tmp_path / CONFIG_FILENAME).read_text() == "databases:\n  dev_url: postgres://mine\n"
    assert not (tmp_path / "schema").exists()


def test_force_replaces_config_but_keeps_every_other_file(tmp_path: Path) -> None:
    (tmp_path / CONFIG_FILENAME).write_text("databases:\n  dev_url: postgres://old\n")
    (tmp_path / "schema").mkdir()
    (tmp_path / "schema" / "users.sql").write_text("CREATE TABLE users (id int);\n")
    (tmp_path / "migrations").mkdir()
    (tmp_path / "migrations" / "1700000000_init.sql").write_text("CREATE TABLE users (id int);\n")
    (tmp_path / "roles.sql").write_text("CREATE ROLE app;\n")

    created = init_project(tmp_path, force=True, dev_url="postgres://new")

    names = [path.relative_to(tmp_path).as_posix() for path in created]
    assert names == [
        "pgmt.yaml",
        "schema_baselines",
        "schema_baselines/.gitkeep",
    ]
    assert (tmp_path / "schema" / "users.sql").read_text() == "CREATE TABLE users (id int);\n"
    assert not (tmp_path / "schema" / ".gitkeep").exists()
    assert (tmp_path / "migrations" / "1700000000_init.sql").exists()
    assert (tmp_path / "roles.sql").read_text() == "CREATE ROLE app;\n"
    config = load_config(start_dir=tmp_path, environ={}).config
    assert config.databases.dev_url == "postgres://new"


def test_custom_directories_are_normalised_and_written(tmp_path: Path) -> None:
    init_project(
        tmp_path,
        force=False,
        shadow_url="postgres://localhost/postgres",
        directories=Directories("db/schema/", "db/migrations", "db/baselines", "db/roles.sql"),
        protected_refs=("origin/trunk",),
    )
    config = load_config(start_dir=tmp_path, environ={}).config
    assert config.directories == Directories(
        "db/schema", "db/migrations", "db/baselines", "db/roles.sql"
    )
    assert config.databases.shadow_url == "postgres://localhost/postgres"
    assert config.git.protected_refs == ("origin/trunk",)
    assert (tmp_path / "db" / "schema" / ".gitkeep").is_file()
    assert (tmp_path / "db" / "roles.sql").is_file()


def test_bad_directory_option_writes_nothing(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="directories.migrations_dir: must stay inside"):
        init_project(tmp_path, force=False, directories=Directories(migrations_dir="../m"))
    assert list(tmp_path.iterdir()) == []


def test_file_in_the_way_of_a_directory_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "schema").write_text("not a directory")
    with pytest.raises(ConfigError, match="schema exists and is not a directory"):
        init_project(tmp_path, force=False)
    assert not (tmp_path / CONFIG_FILENAME).exists()


def test_cli_init_then_refuse_then_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["-C", str(tmp_path), "init", "--dev-url", "postgres://localhost/app"]) == 0
    err = capsys.readouterr().err
    assert "created pgmt.yaml" in err
    assert "created schema/.gitkeep" in err
    assert "next:" in err and "pgmt-git replay" in err

    assert run(["-C", str(tmp_path), "init"]) == 2
    err = capsys.readouterr().err
    assert f"{tmp_path / CONFIG_FILENAME} already exists" in err
    assert "--force" in err

    assert run(["-C", str(tmp_path), "init", "--force"]) == 0
    assert "replaced pgmt.yaml" in capsys.readouterr().err
    assert load_config(start_dir=tmp_path, environ={}).config == Config()


def test_cli_options_reach_the_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        [
            "-C", str(tmp_path), "init",
            "--dev-url", "postgres://d",
            "--shadow-url", "postgres://s",
            "--schema-dir", "sql/schema",
            "--migrations-dir", "sql/migrations",
            "--baselines-dir", "sql/baselines",
            "--roles-file", "sql/roles.sql",
            "--protected-ref", "origin/main",
            "--protected-ref", "origin/release",
        ],
    )
    assert result.exit_code == 0, result.output
    config = load_config(start_dir=tmp_path, environ={}).config
    assert config.databases.dev_url == "postgres://d"
    assert config.databases.shadow_url == "postgres://s"
    assert config.directories == Directories(
        "sql/schema", "sql/migrations", "sql/baselines", "sql/roles.sql"
    )
    assert config.git.protected_refs == ("origin/main", "origin/release")


def test_cli_bad_option_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["-C", str(tmp_path), "init", "--schema-dir", "/abs"]) == 2
    assert "directories.schema_dir: must be relative" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
