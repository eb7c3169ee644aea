"""pgmt-git init: write pgmt.yaml and the project directories, never touching existing files."""

from __future__ import annotations

import os
import posixpath
from pathlib import Path

import click

from pgmt_git.commands.context import AppContext, pass_app
from pgmt_git.config import (
    CONFIG_FILENAME,
    Config,
    Directories,
    parse_config_text,
    render_default_config,
)
from pgmt_git.errors import ConfigError, UsageError

GITKEEP = ".gitkeep"


def init_project(
    directory: Path,
    *,
    force: bool,
    dev_url: str | None = None,
    shadow_url: str | None = None,
    directories: Directories = Directories(),
    protected_refs: tuple[str, ...] = (),
) -> list[Path]:
    """Create pgmt.yaml, the schema, migration and baseline directories and the roles file
    in ``directory``; return what was written, in order.

    An existing pgmt.yaml is replaced only with ``force``. Existing directories and files
    are kept as they are: init never deletes or rewrites schema or migration files.
    """
    config_path = directory / CONFIG_FILENAME
    if config_path.exists() and not force:
        raise ConfigError(
            f"{config_path} already exists",
            hint="pass --force to replace it (schema and migration files are never touched)",
        )
    chosen = _checked_options(dev_url, shadow_url, directories, protected_refs)
    directories = chosen.directories
    text = render_default_config(
        dev_url=chosen.databases.dev_url,
        shadow_url=chosen.databases.shadow_url,
        directories=directories,
        protected_refs=chosen.git.protected_refs,
    )
    folders = [directories.schema_dir, directories.migrations_dir, directories.baselines_dir]
    _check_free(directory, folders, directories.roles_file)
    created = [_write_atomically(config_path, text)]
    for folder in folders:
        created.extend(_ensure_tracked_dir(directory / folder))
    created.extend(_ensure_file(directory / directories.roles_file))
    return created


def _checked_options(
    dev_url: str | None,
    shadow_url: str | None,
    directories: Directories,
    protected_refs: tuple[str, ...],
) -> Config:
    """The options read the way command-line flags are: checked, and normalised
    ("schema/" -> "schema"), so a bad one fails before anything is written."""
    return parse_config_text(
        "",
        source=CONFIG_FILENAME,
        environ={},
        overrides={
            "databases.dev_url": dev_url,
            "databases.shadow.url": shadow_url,
            "directories.schema_dir": directories.schema_dir,
            "directories.migrations_dir": directories.migrations_dir,
            "directories.baselines_dir": directories.baselines_dir,
            "directories.roles_file": directories.roles_file,
            "git.protected_refs": protected_refs,
        },
    )


def _check_free(directory: Path, folders: list[str], roles_file: str) -> None:
    for folder in folders:
        path = directory / folder
        if path.exists() and not path.is_dir():
            raise ConfigError(f"{path} exists and is not a directory")
    roles = directory / roles_file
    if roles.exists() and not roles.is_file():
        raise ConfigError(f"{roles} exists and is not a file")


def _write_atomically(path: Path, text: str) -> Path:
    partial = path.with_name(f".{path.name}.partial")
    partial.write_bytes(text.encode("utf-8"))
    os.replace(partial, path)
    return path


def _ensure_tracked_dir(path: Path) -> list[Path]:
    """Create path if needed; give an empty directory a .gitkeep (git tracks no empty ones)."""
    created: list[Path] = []
    if not path.is_dir():
        path.mkdir(parents=True)
        created.append(path)
    if not any(path.iterdir()):
        keep = path / GITKEEP
        keep.touch()
        created.append(keep)
    return created


def _ensure_file(path: Path) -> list[Path]:
    if path.exists():
        return []
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch()
    return [path]


_DEFAULTS = Directories()


@click.command()
@click.option("--dev-url", metavar="URL", help="Development database (databases.dev_url).")
@click.option(
    "--shadow-url",
    metavar="URL",
    help="Server for throwaway databases (databases.shadow.url); default: the embedded one.",
)
@click.option("--schema-dir", default=_DEFAULTS.schema_dir, show_default=True, metavar="DIR")
@click.option(
    "--migrations-dir", default=_DEFAULTS.migrations_dir, show_default=True, metavar="DIR"
)
@click.option("--baselines-dir", default=_DEFAULTS.baselines_dir, show_default=True, metavar="DIR")
@click.option("--roles-file", default=_DEFAULTS.roles_file, show_default=True, metavar="FILE")
@click.option(
    "--protected-ref",
    "protected_refs",
    multiple=True,
    metavar="REF",
    help="A ref whose migrations are published (repeatable); default: origin's default branch.",
)
@click.option(
    "--force",
    "--fresh",
    "force",
    is_flag=True,
    help="Replace an existing pgmt.yaml (other files are never touched).",
)
@pass_app
def init(
    app: AppContext,
    dev_url: str | None,
    shadow_url: str | None,
    schema_dir: str,
    migrations_dir: str,
    baselines_dir: str,
    roles_file: str,
    protected_refs: tuple[str, ...],
    force: bool,
) -> None:
    """Create pgmt.yaml and the project directories in the current directory."""
    if app.config_file is not None:
        raise UsageError(
            "init writes pgmt.yaml in the current directory; use -C DIR, not --config-file"
        )
    directories = Directories(
        schema_dir=schema_dir,
        migrations_dir=migrations_dir,
        baselines_dir=baselines_dir,
        roles_file=roles_file,
    )
    root = Path.cwd()
    replacing = (root / CONFIG_FILENAME).exists()
    created = init_project(
        root,
        force=force,
        dev_url=dev_url,
        shadow_url=shadow_url,
        directories=directories,
        protected_refs=protected_refs,
    )
    for index, path in enumerate(created):
        verb = "replaced" if index == 0 and replacing else "created"
        app.info(f"{verb} {path.relative_to(root).as_posix()}")
    app.info(_next_steps(dev_url, schema_dir))


def _next_steps(dev_url: str | None, schema_dir: str) -> str:
    steps = []
    if dev_url is None:
        steps.append("set databases.dev_url in pgmt.yaml (or PGMT_DEV_URL)")
    steps.append(f"add CREATE statements under {posixpath.normpath(schema_dir)}/")
    steps.append("run `pgmt-git replay` to check them on a shadow database")
    return "next: " + "; ".join(steps)
