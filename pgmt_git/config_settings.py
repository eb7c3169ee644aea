"""Every pgmt.yaml setting: its dotted key, how its value is checked, where it lands in
Config and which environment variable overrides it; plus pgmt's aliases and the keys
pgmt-git accepts but ignores. Pure data and checks: reading happens in ``config_read``.
"""

from __future__ import annotations

import enum
import posixpath
import re
from dataclasses import dataclass
from typing import Callable, Mapping

from pgmt_git.config_model import ColumnOrder, RegenerateCommit


# --------------------------------------------------------------------------- value kinds


class InvalidValue(Exception):
    """A value is unusable; the reader adds where it came from and which key."""


def describe(value: object) -> str:
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, (list, tuple)):
        return f"a list {list(value)!r}"
    if value is None:
        return "null"
    return repr(value)


def _as_str(value: object) -> str:
    if not isinstance(value, str):
        raise InvalidValue(f"expected a string, got {describe(value)}")
    return value


def _as_name(value: object) -> str:
    text = _as_str(value)
    if not text.strip():
        raise InvalidValue("expected a non-empty name")
    return text


def _as_scalar(value: object) -> object:
    # Only for keys of pgmt's Docker settings, which pgmt-git accepts and ignores.
    if isinstance(value, (Mapping, list)):
        raise InvalidValue(f"expected a single value, got {describe(value)}")
    return value


def _as_bool(value: object) -> bool:
    if not isinstance(value, bool):
        raise InvalidValue(f"expected true or false, got {describe(value)}")
    return value


def _as_positive_int(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise InvalidValue(f"expected a positive integer, got {describe(value)}")
    return value


def _as_str_list(value: object) -> tuple[str, ...]:
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise InvalidValue(f"expected a list of strings, got {describe(value)}")
    return tuple(value)


def _as_str_map(value: object) -> dict[str, object]:
    nested = isinstance(value, Mapping) and any(
        isinstance(v, (Mapping, list)) for v in value.values()
    )
    if not isinstance(value, Mapping) or nested:
        raise InvalidValue(f"expected a mapping of names to values, got {describe(value)}")
    return {str(k): v for k, v in value.items()}


_WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:[/\\]")


def _as_relative_path(value: object) -> str:
    text = _as_str(value).strip()
    if not text:
        raise InvalidValue("expected a path relative to the project root, got ''")
    if text.startswith("/") or _WINDOWS_DRIVE.match(text):
        raise InvalidValue(f"must be relative to the project root, got {text!r}")
    normal = posixpath.normpath(text)
    if normal == ".." or normal.startswith("../"):
        raise InvalidValue(f"must stay inside the project root, got {text!r}")
    if normal == ".":
        raise InvalidValue(f"must name a path inside the project root, got {text!r}")
    return normal


# Characters git refuses in ref names (git-check-ref-format), plus whitespace.
_BAD_REF = re.compile(r"[\s~^:?*\[\\\x00-\x1f\x7f]|\.\.|@\{")


def _as_refs(value: object) -> tuple[str, ...]:
    items = (value,) if isinstance(value, str) else value
    if not isinstance(items, (list, tuple)) or not all(isinstance(v, str) for v in items):
        raise InvalidValue(f"expected a list of strings, got {describe(value)}")
    refs: list[str] = []
    for ref in (item.strip() for item in items):
        # A leading '-' would read as an option wherever the ref reaches git's command line.
        if not ref or ref.startswith("-") or _BAD_REF.search(ref):
            raise InvalidValue(f"{ref!r} is not a valid ref name")
        if ref not in refs:
            refs.append(ref)
    return tuple(refs)


def _as_choice(kind: type[enum.Enum]) -> Callable[[object], enum.Enum]:
    def check(value: object) -> enum.Enum:
        allowed = [member.value for member in kind]
        if not isinstance(value, str) or value not in allowed:
            raise InvalidValue(f"expected one of {', '.join(allowed)}, got {describe(value)}")
        return kind(value)

    return check


_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})


def _env_bool(text: str) -> object:
    lowered = text.strip().lower()
    return True if lowered in _TRUE else False if lowered in _FALSE else text


def _env_int(text: str) -> object:
    try:
        return int(text.strip())
    except ValueError:
        return text


def _env_list(text: str) -> object:
    return [item.strip() for item in text.split(",") if item.strip()]


def _env_str(text: str) -> object:
    return text


# --------------------------------------------------------------------------- the settings


@dataclass(frozen=True)
class Setting:
    check: Callable[[object], object]
    # Where the value lands in Config; None = accepted for pgmt's sake and ignored.
    target: tuple[str, ...] | None = None
    env: str | None = None
    from_env: Callable[[str], object] = _env_str


SETTINGS: dict[str, Setting] = {
    "databases.dev_url": Setting(_as_str, ("databases", "dev_url"), "PGMT_DEV_URL"),
    "databases.target_url": Setting(_as_str, ("databases", "target_url"), "PGMT_TARGET_URL"),
    # Legacy spelling; folded into databases.shadow.url (and wins over it, as in pgmt).
    "databases.shadow_url": Setting(_as_str),
    "databases.shadow.url": Setting(_as_str, ("databases", "shadow_url"), "PGMT_SHADOW_URL"),
    "databases.shadow.auto": Setting(_as_bool, ("databases", "shadow_auto")),
    # pgmt's reset strategy and Docker shadow: pgmt-git manages its own throwaway databases.
    "databases.shadow.reset": Setting(_as_scalar),
    "databases.shadow.docker.version": Setting(_as_scalar),
    "databases.shadow.docker.image": Setting(_as_scalar),
    "databases.shadow.docker.platform": Setting(_as_scalar),
    "databases.shadow.docker.environment": Setting(_as_str_map),
    "databases.shadow.docker.container_name": Setting(_as_scalar),
    "databases.shadow.docker.auto_cleanup": Setting(_as_bool),
    "databases.shadow.docker.volumes": Setting(_as_str_list),
    "databases.shadow.docker.network": Setting(_as_scalar),
    "directories.schema_dir": Setting(
        _as_relative_path, ("directories", "schema_dir"), "PGMT_SCHEMA_DIR"
    ),
    "directories.migrations_dir": Setting(
        _as_relative_path, ("directories", "migrations_dir"), "PGMT_MIGRATIONS_DIR"
    ),
    "directories.baselines_dir": Setting(
        _as_relative_path, ("directories", "baselines_dir"), "PGMT_BASELINES_DIR"
    ),
    "directories.roles_file": Setting(
        _as_relative_path, ("directories", "roles_file"), "PGMT_ROLES_FILE"
    ),
    "objects.include.schemas": Setting(_as_str_list, ("objects", "include", "schemas")),
    "objects.include.tables": Setting(_as_str_list, ("objects", "include", "tables")),
    "objects.exclude.schemas": Setting(_as_str_list, ("objects", "exclude", "schemas")),
    "objects.exclude.tables": Setting(_as_str_list, ("objects", "exclude", "tables")),
    "migration.filename_prefix": Setting(_as_str, ("migration", "filename_prefix")),
    "migration.default_mode": Setting(_as_str, ("migration", "default_mode")),
    "migration.validate_baseline_consistency": Setting(
        _as_bool, ("migration", "validate_baseline_consistency")
    ),
    "migration.create_baselines_by_default": Setting(
        _as_bool, ("migration", "create_baselines_by_default")
    ),
    "migration.column_order": Setting(_as_choice(ColumnOrder), ("migration", "column_order")),
    "migration.tracking_table.schema": Setting(
        _as_name, ("migration", "tracking_table", "schema")
    ),
    "migration.tracking_table.name": Setting(_as_name, ("migration", "tracking_table", "name")),
    "schema.augment_dependencies_from_files": Setting(
        _as_bool, ("schema", "augment_dependencies_from_files")
    ),
    "schema.validate_file_dependencies": Setting(
        _as_bool, ("schema", "validate_file_dependencies")
    ),
    "schema.verbose_file_processing": Setting(_as_bool, ("schema", "verbose_file_processing")),
    "docker.auto_cleanup": Setting(_as_bool),
    "docker.check_system_identifier": Setting(_as_bool),
    "git.protected_refs": Setting(
        _as_refs, ("git", "protected_refs"), "PGMT_GIT_PROTECTED_REFS", _env_list
    ),
    "git.cache.max_databases": Setting(
        _as_positive_int,
        ("git", "cache", "max_databases"),
        "PGMT_GIT_CACHE_MAX_DATABASES",
        _env_int,
    ),
    "git.cache.max_size_mb": Setting(
        _as_positive_int, ("git", "cache", "max_size_mb"), "PGMT_GIT_CACHE_MAX_SIZE_MB", _env_int
    ),
    "git.merge.verify": Setting(
        _as_bool, ("git", "merge_verify"), "PGMT_GIT_MERGE_VERIFY", _env_bool
    ),
    "git.diff.owners": Setting(
        _as_bool, ("git", "diff_owners"), "PGMT_GIT_DIFF_OWNERS", _env_bool
    ),
    "git.diff.concurrent_indexes": Setting(
        _as_bool,
        ("git", "diff_concurrent_indexes"),
        "PGMT_GIT_DIFF_CONCURRENT_INDEXES",
        _env_bool,
    ),
    "git.regenerate.commit": Setting(
        _as_choice(RegenerateCommit),
        ("git", "regenerate_commit"),
        "PGMT_GIT_REGENERATE_COMMIT",
        _env_str,
    ),
}

# pgmt's serde aliases (exclude_* predate the rename to match include.*).
ALIASES: dict[str, str] = {
    "objects.exclude.exclude_schemas": "objects.exclude.schemas",
    "objects.exclude.exclude_tables": "objects.exclude.tables",
}
# Accepted by overrides too, so a --shadow-url flag can be passed under either name.
OVERRIDE_ALIASES: dict[str, str] = {**ALIASES, "databases.shadow_url": "databases.shadow.url"}

SECTIONS: frozenset[str] = frozenset(
    key.rsplit(".", i)[0] for key in SETTINGS for i in range(1, key.count(".") + 1)
) | {"docker"}

# Keys pgmt understands that pgmt-git does not implement: accepted, reported, ignored.
UNSUPPORTED: dict[str, str] = {
    "modules": "pgmt modules are not supported by pgmt-git; ignored",
}

ENV_VARS: Mapping[str, str] = {
    key: setting.env for key, setting in SETTINGS.items() if setting.env is not None
}
"""Dotted setting -> the environment variable that overrides it."""
