"""pgmt.yaml -> a frozen Config.

pgmt.yaml is pgmt's file and is read the way pgmt reads it: the same keys, defaults and
legacy aliases; unknown keys are ignored (reported as warnings, never errors). pgmt-git's own
settings live under a top-level ``git:`` key, which pgmt ignores; there unknown keys are
errors. A value of the wrong type is an error anywhere.

Precedence, highest first: command-line flag (``overrides``) > environment variable > file >
default. Environment variables:

=================================  ==================================  =====================
variable                           setting                             origin
=================================  ==================================  =====================
PGMT_CONFIG_FILE                   which pgmt.yaml (skips the search)  pgmt's docs
PGMT_DEV_URL                       databases.dev_url                   pgmt
PGMT_TARGET_URL                    databases.target_url                pgmt
PGMT_SHADOW_URL                    databases.shadow.url                pgmt
PGMT_SCHEMA_DIR                    directories.schema_dir              PGMT_ + pgmt's flag
PGMT_MIGRATIONS_DIR                directories.migrations_dir          PGMT_ + pgmt's flag
PGMT_BASELINES_DIR                 directories.baselines_dir           PGMT_ + pgmt's flag
PGMT_ROLES_FILE                    directories.roles_file              PGMT_ + pgmt's flag
PGMT_GIT_PROTECTED_REFS            git.protected_refs (comma list)     PGMT_ + dotted key
PGMT_GIT_CACHE_MAX_DATABASES       git.cache.max_databases             PGMT_ + dotted key
PGMT_GIT_CACHE_MAX_SIZE_MB         git.cache.max_size_mb               PGMT_ + dotted key
PGMT_GIT_MERGE_VERIFY              git.merge.verify (true/false)       PGMT_ + dotted key
PGMT_GIT_DIFF_OWNERS               git.diff.owners (true/false)        PGMT_ + dotted key
PGMT_GIT_DIFF_CONCURRENT_INDEXES   git.diff.concurrent_indexes         PGMT_ + dotted key
PGMT_GIT_REGENERATE_COMMIT         git.regenerate.commit               PGMT_ + dotted key
=================================  ==================================  =====================

As in pgmt, an empty variable counts as unset.

This module is the one to import from. Behind it: ``config_model`` (the frozen values),
``config_settings`` (every key: its check, its place in Config, its variable),
``config_read`` (YAML, environment and flags into a Config) and ``config_template``
(the pgmt.yaml that ``init`` writes).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Mapping

from pgmt_git.config_model import (
    CacheSettings,
    ColumnOrder,
    Config,
    Databases,
    Directories,
    GitSettings,
    LoadedConfig,
    MigrationSettings,
    ObjectFilter,
    Objects,
    RegenerateCommit,
    SchemaSettings,
    TrackingTable,
)
from pgmt_git.config_read import build_config, env_layer, file_layer, override_layer
from pgmt_git.config_settings import ENV_VARS
from pgmt_git.config_template import render_default_config
from pgmt_git.errors import ConfigError

__all__ = [
    "CONFIG_FILENAME",
    "CONFIG_FILE_ENV",
    "ENV_VARS",
    "INIT_HINT",
    "CacheSettings",
    "ColumnOrder",
    "Config",
    "Databases",
    "Directories",
    "GitSettings",
    "LoadedConfig",
    "MigrationSettings",
    "ObjectFilter",
    "Objects",
    "RegenerateCommit",
    "SchemaSettings",
    "TrackingTable",
    "find_config_file",
    "load_config",
    "parse_config_text",
    "render_default_config",
]

CONFIG_FILENAME = "pgmt.yaml"
CONFIG_FILE_ENV = "PGMT_CONFIG_FILE"
INIT_HINT = "run `pgmt-git init` to create one, or pass --config-file"


def parse_config_text(
    text: str,
    *,
    source: str,
    overrides: Mapping[str, object] = {},  # noqa: B006 - read-only
    environ: Mapping[str, str] | None = None,
) -> Config:
    """Parse the text of a pgmt.yaml (from disk or any git revision), then apply the
    environment (``os.environ`` when None) and the command-line overrides on top.

    ``source`` names the file in messages and is kept as ``Config.source``.
    """
    file = file_layer(text, source)
    env = env_layer(os.environ if environ is None else environ)
    flags = override_layer(overrides)
    values = {**file.values, **env.values, **flags.values}
    return build_config(values, source, file.warnings)


def find_config_file(start_dir: Path) -> Path:
    """The nearest pgmt.yaml in start_dir or above; it marks the project root."""
    start = Path(start_dir).resolve()
    for directory in (start, *start.parents):
        candidate = directory / CONFIG_FILENAME
        if candidate.is_file():
            return candidate
    raise ConfigError(f"no {CONFIG_FILENAME} in {start} or any directory above it", hint=INIT_HINT)


def load_config(
    *,
    start_dir: Path,
    config_file: Path | None = None,
    overrides: Mapping[str, object] = {},  # noqa: B006 - read-only
    environ: Mapping[str, str] | None = None,
) -> LoadedConfig:
    """Find and read pgmt.yaml: ``config_file``, else PGMT_CONFIG_FILE, else the nearest
    pgmt.yaml from ``start_dir`` upwards. Relative file names resolve against start_dir."""
    env = os.environ if environ is None else environ
    path = _locate(Path(start_dir), config_file, env)
    source = _display(path, Path(start_dir))
    text = _read(path, source)
    config = parse_config_text(text, source=source, overrides=overrides, environ=env)
    return LoadedConfig(config=config, root=path.parent, path=path)


def _locate(start_dir: Path, config_file: Path | None, environ: Mapping[str, str]) -> Path:
    from_env = environ.get(CONFIG_FILE_ENV)
    chosen = config_file or (Path(from_env) if from_env else None)
    if chosen is None:
        return find_config_file(start_dir)
    path = (start_dir / chosen).resolve()
    if not path.is_file():
        raise ConfigError(f"config file {chosen} does not exist", hint=INIT_HINT)
    return path


def _display(path: Path, start_dir: Path) -> str:
    """The path as the user would type it from where they are, when that is short."""
    try:
        return path.relative_to(start_dir.resolve()).as_posix()
    except ValueError:
        return str(path)


def _read(path: Path, source: str) -> str:
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{source}: not UTF-8 text (byte {exc.start})") from exc
    except OSError as exc:
        raise ConfigError(f"{source}: cannot read: {exc.strerror}") from exc
