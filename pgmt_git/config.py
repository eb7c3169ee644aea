"""pgmt.yaml -> a frozen Config.

pgmt.yaml is pgmt's file and is read the way pgmt reads it: the same keys, defaults and
legacy aliases; unknown keys are ignored (reported as warnings, never errors). pgmt-git's own
settings live under a top-level ``git:`` key, which pgmt ignores; there unknown keys are
errors. A value of the wrong type is an error anywhere.

Precedence, highest first: command-line flag (``overrides``) > environment variable > file >
default. Environment variables:

=============================  ==================================  =====================
variable                       setting                             origin
=============================  ==================================  =====================
PGMT_CONFIG_FILE               which pgmt.yaml (skips the search)  pgmt's docs
PGMT_DEV_URL                   databases.dev_url                   pgmt
PGMT_TARGET_URL                databases.target_url                pgmt
PGMT_SHADOW_URL                databases.shadow.url                pgmt
PGMT_SCHEMA_DIR                directories.schema_dir              PGMT_ + pgmt's flag
PGMT_MIGRATIONS_DIR            directories.migrations_dir          PGMT_ + pgmt's flag
PGMT_BASELINES_DIR             directories.baselines_dir           PGMT_ + pgmt's flag
PGMT_ROLES_FILE                directories.roles_file              PGMT_ + pgmt's flag
PGMT_GIT_PROTECTED_REFS        git.protected_refs (comma list)     PGMT_ + dotted key
PGMT_GIT_CACHE_MAX_DATABASES   git.cache.max_databases             PGMT_ + dotted key
PGMT_GIT_CACHE_MAX_SIZE_MB     git.cache.max_size_mb               PGMT_ + dotted key
PGMT_GIT_MERGE_VERIFY          git.merge.verify (true/false)       PGMT_ + dotted key
PGMT_GIT_REGENERATE_COMMIT     git.regenerate.commit               PGMT_ + dotted key
=============================  ==================================  =====================

As in pgmt, an empty variable counts as unset.
"""

from __future__ import annotations

import difflib
import enum
import os
import posixpath
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator, Mapping, Sequence

from pgmt_git.errors import ConfigError

if TYPE_CHECKING:  # PyYAML is imported lazily: importing the CLI must stay cheap for hooks.
    import yaml

CONFIG_FILENAME = "pgmt.yaml"
CONFIG_FILE_ENV = "PGMT_CONFIG_FILE"
INIT_HINT = "run `pgmt-git init` to create one, or pass --config-file"


class ColumnOrder(str, enum.Enum):
    """migration.column_order: what to do when a new column is not added at the end."""

    STRICT = "strict"
    WARN = "warn"
    RELAXED = "relaxed"


class RegenerateCommit(str, enum.Enum):
    """git.regenerate.commit: how regenerated migrations are recorded after a rebase."""

    NEW = "new"  # a new commit on top
    AMEND = "amend"  # folded into the last commit
    NONE = "none"  # left in the work tree


@dataclass(frozen=True)
class Databases:
    dev_url: str | None = None
    target_url: str | None = None
    # databases.shadow.url (or the legacy databases.shadow_url); None = the embedded server.
    shadow_url: str | None = None
    # databases.shadow.auto. pgmt refuses `auto: false` without a URL when it needs a shadow;
    # here that decision belongs to whoever picks the server.
    shadow_auto: bool = True


@dataclass(frozen=True)
class Directories:
    # All relative to the project root, POSIX separators, no trailing slash.
    schema_dir: str = "schema"
    migrations_dir: str = "migrations"
    baselines_dir: str = "schema_baselines"
    roles_file: str = "roles.sql"


@dataclass(frozen=True)
class ObjectFilter:
    schemas: tuple[str, ...] = ()
    tables: tuple[str, ...] = ()


@dataclass(frozen=True)
class Objects:
    include: ObjectFilter = ObjectFilter()
    exclude: ObjectFilter = ObjectFilter(schemas=("pg_*", "information_schema"))


@dataclass(frozen=True)
class TrackingTable:
    schema: str = "public"
    name: str = "pgmt_migrations"


@dataclass(frozen=True)
class MigrationSettings:
    # pgmt dropped the "V" from new file names in 0.4.4; files with it are still read.
    filename_prefix: str = ""
    default_mode: str = "safe_only"
    validate_baseline_consistency: bool = True
    create_baselines_by_default: bool = False
    column_order: ColumnOrder = ColumnOrder.STRICT
    tracking_table: TrackingTable = TrackingTable()


@dataclass(frozen=True)
class SchemaSettings:
    augment_dependencies_from_files: bool = True
    validate_file_dependencies: bool = True
    verbose_file_processing: bool = False


@dataclass(frozen=True)
class CacheSettings:
    # Bounds of the replayed-state cache (pgmt_git_cache_* databases) on the shadow server.
    max_databases: int = 20
    max_size_mb: int = 4096


@dataclass(frozen=True)
class GitSettings:
    # Empty = the default: the remote-tracking default branch, else local main/master.
    protected_refs: tuple[str, ...] = ()
    cache: CacheSettings = CacheSettings()
    merge_verify: bool = True
    regenerate_commit: RegenerateCommit = RegenerateCommit.NEW


@dataclass(frozen=True)
class Config:
    databases: Databases = Databases()
    directories: Directories = Directories()
    objects: Objects = Objects()
    migration: MigrationSettings = MigrationSettings()
    schema: SchemaSettings = SchemaSettings()
    git: GitSettings = GitSettings()
    # Where the config came from, for messages; not part of the value.
    source: str = field(default="<defaults>", compare=False)
    # Ignored keys and similar remarks, each naming its key; not part of the value.
    warnings: tuple[str, ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class LoadedConfig:
    """A Config with the place it was read from. Directories resolve against ``root``."""

    config: Config
    root: Path
    path: Path

    @property
    def warnings(self) -> tuple[str, ...]:
        return self.config.warnings

    @property
    def schema_path(self) -> Path:
        return self.root / self.config.directories.schema_dir

    @property
    def migrations_path(self) -> Path:
        return self.root / self.config.directories.migrations_dir

    @property
    def baselines_path(self) -> Path:
        return self.root / self.config.directories.baselines_dir

    @property
    def roles_path(self) -> Path:
        return self.root / self.config.directories.roles_file


# --------------------------------------------------------------------------- value kinds


class _Invalid(Exception):
    """A value is unusable; the walker adds where it came from and which key."""


def _describe(value: object) -> str:
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, (list, tuple)):
        return f"a list {list(value)!r}"
    if value is None:
        return "null"
    return repr(value)


def _as_str(value: object) -> str:
    if not isinstance(value, str):
        raise _Invalid(f"expected a string, got {_describe(value)}")
    return value


def _as_name(value: object) -> str:
    text = _as_str(value)
    if not text.strip():
        raise _Invalid("expected a non-empty name")
    return text


def _as_scalar(value: object) -> object:
    # Only for keys of pgmt's Docker settings, which pgmt-git accepts and ignores.
    if isinstance(value, (Mapping, list)):
        raise _Invalid(f"expected a single value, got {_describe(value)}")
    return value


def _as_bool(value: object) -> bool:
    if not isinstance(value, bool):
        raise _Invalid(f"expected true or false, got {_describe(value)}")
    return value


def _as_positive_int(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise _Invalid(f"expected a positive integer, got {_describe(value)}")
    return value


def _as_str_list(value: object) -> tuple[str, ...]:
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise _Invalid(f"expected a list of strings, got {_describe(value)}")
    return tuple(value)


def _as_str_map(value: object) -> dict[str, object]:
    nested = isinstance(value, Mapping) and any(
        isinstance(v, (Mapping, list)) for v in value.values()
    )
    if not isinstance(value, Mapping) or nested:
        raise _Invalid(f"expected a mapping of names to values, got {_describe(value)}")
    return {str(k): v for k, v in value.items()}


_WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:[/\\]")


def _as_relative_path(value: object) -> str:
    text = _as_str(value).strip()
    if not text:
        raise _Invalid("expected a path relative to the project root, got ''")
    if text.startswith("/") or _WINDOWS_DRIVE.match(text):
        raise _Invalid(f"must be relative to the project root, got {text!r}")
    normal = posixpath.normpath(text)
    if normal == ".." or normal.startswith("../"):
        raise _Invalid(f"must stay inside the project root, got {text!r}")
    if normal == ".":
        raise _Invalid(f"must name a path inside the project root, got {text!r}")
    return normal


# Characters git refuses in ref names (git-check-ref-format), plus whitespace.
_BAD_REF = re.compile(r"[\s~^:?*\[\\\x00-\x1f\x7f]|\.\.|@\{")


def _as_refs(value: object) -> tuple[str, ...]:
    items = (value,) if isinstance(value, str) else value
    if not isinstance(items, (list, tuple)) or not all(isinstance(v, str) for v in items):
        raise _Invalid(f"expected a list of strings, got {_describe(value)}")
    refs: list[str] = []
    for ref in (item.strip() for item in items):
        # A leading '-' would read as an option wherever the ref reaches git's command line.
        if not ref or ref.startswith("-") or _BAD_REF.search(ref):
            raise _Invalid(f"{ref!r} is not a valid ref name")
        if ref not in refs:
            refs.append(ref)
    return tuple(refs)


def _as_choice(kind: type[enum.Enum]) -> Callable[[object], enum.Enum]:
    def check(value: object) -> enum.Enum:
        allowed = [member.value for member in kind]
        if not isinstance(value, str) or value not in allowed:
            raise _Invalid(f"expected one of {', '.join(allowed)}, got {_describe(value)}")
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
class _Setting:
    check: Callable[[object], object]
    # Where the value lands in Config; None = accepted for pgmt's sake and ignored.
    target: tuple[str, ...] | None = None
    env: str | None = None
    from_env: Callable[[str], object] = _env_str


_SETTINGS: dict[str, _Setting] = {
    "databases.dev_url": _Setting(_as_str, ("databases", "dev_url"), "PGMT_DEV_URL"),
    "databases.target_url": _Setting(_as_str, ("databases", "target_url"), "PGMT_TARGET_URL"),
    # Legacy spelling; folded into databases.shadow.url (and wins over it, as in pgmt).
    "databases.shadow_url": _Setting(_as_str),
    "databases.shadow.url": _Setting(_as_str, ("databases", "shadow_url"), "PGMT_SHADOW_URL"),
    "databases.shadow.auto": _Setting(_as_bool, ("databases", "shadow_auto")),
    # pgmt's reset strategy and Docker shadow: pgmt-git manages its own throwaway databases.
    "databases.shadow.reset": _Setting(_as_scalar),
    "databases.shadow.docker.version": _Setting(_as_scalar),
    "databases.shadow.docker.image": _Setting(_as_scalar),
    "databases.shadow.docker.platform": _Setting(_as_scalar),
    "databases.shadow.docker.environment": _Setting(_as_str_map),
    "databases.shadow.docker.container_name": _Setting(_as_scalar),
    "databases.shadow.docker.auto_cleanup": _Setting(_as_bool),
    "databases.shadow.docker.volumes": _Setting(_as_str_list),
    "databases.shadow.docker.network": _Setting(_as_scalar),
    "directories.schema_dir": _Setting(
        _as_relative_path, ("directories", "schema_dir"), "PGMT_SCHEMA_DIR"
    ),
    "directories.migrations_dir": _Setting(
        _as_relative_path, ("directories", "migrations_dir"), "PGMT_MIGRATIONS_DIR"
    ),
    "directories.baselines_dir": _Setting(
        _as_relative_path, ("directories", "baselines_dir"), "PGMT_BASELINES_DIR"
    ),
    "directories.roles_file": _Setting(
        _as_relative_path, ("directories", "roles_file"), "PGMT_ROLES_FILE"
    ),
    "objects.include.schemas": _Setting(_as_str_list, ("objects", "include", "schemas")),
    "objects.include.tables": _Setting(_as_str_list, ("objects", "include", "tables")),
    "objects.exclude.schemas": _Setting(_as_str_list, ("objects", "exclude", "schemas")),
    "objects.exclude.tables": _Setting(_as_str_list, ("objects", "exclude", "tables")),
    "migration.filename_prefix": _Setting(_as_str, ("migration", "filename_prefix")),
    "migration.default_mode": _Setting(_as_str, ("migration", "default_mode")),
    "migration.validate_baseline_consistency": _Setting(
        _as_bool, ("migration", "validate_baseline_consistency")
    ),
    "migration.create_baselines_by_default": _Setting(
        _as_bool, ("migration", "create_baselines_by_default")
    ),
    "migration.column_order": _Setting(_as_choice(ColumnOrder), ("migration", "column_order")),
    "migration.tracking_table.schema": _Setting(
        _as_name, ("migration", "tracking_table", "schema")
    ),
    "migration.tracking_table.name": _Setting(_as_name, ("migration", "tracking_table", "name")),
    "schema.augment_dependencies_from_files": _Setting(
        _as_bool, ("schema", "augment_dependencies_from_files")
    ),
    "schema.validate_file_dependencies": _Setting(
        _as_bool, ("schema", "validate_file_dependencies")
    ),
    "schema.verbose_file_processing": _Setting(_as_bool, ("schema", "verbose_file_processing")),
    "docker.auto_cleanup": _Setting(_as_bool),
    "docker.check_system_identifier": _Setting(_as_bool),
    "git.protected_refs": _Setting(
        _as_refs, ("git", "protected_refs"), "PGMT_GIT_PROTECTED_REFS", _env_list
    ),
    "git.cache.max_databases": _Setting(
        _as_positive_int,
        ("git", "cache", "max_databases"),
        "PGMT_GIT_CACHE_MAX_DATABASES",
        _env_int,
    ),
    "git.cache.max_size_mb": _Setting(
        _as_positive_int, ("git", "cache", "max_size_mb"), "PGMT_GIT_CACHE_MAX_SIZE_MB", _env_int
    ),
    "git.merge.verify": _Setting(
        _as_bool, ("git", "merge_verify"), "PGMT_GIT_MERGE_VERIFY", _env_bool
    ),
    "git.regenerate.commit": _Setting(
        _as_choice(RegenerateCommit),
        ("git", "regenerate_commit"),
        "PGMT_GIT_REGENERATE_COMMIT",
        _env_str,
    ),
}

# pgmt's serde aliases (exclude_* predate the rename to match include.*).
_ALIASES: dict[str, str] = {
    "objects.exclude.exclude_schemas": "objects.exclude.schemas",
    "objects.exclude.exclude_tables": "objects.exclude.tables",
}
# Accepted by overrides too, so a --shadow-url flag can be passed under either name.
_OVERRIDE_ALIASES: dict[str, str] = {**_ALIASES, "databases.shadow_url": "databases.shadow.url"}

_SECTIONS: frozenset[str] = frozenset(
    key.rsplit(".", i)[0] for key in _SETTINGS for i in range(1, key.count(".") + 1)
) | {"docker"}

# Keys pgmt understands that pgmt-git does not implement: accepted, reported, ignored.
_UNSUPPORTED: dict[str, str] = {
    "modules": "pgmt modules are not supported by pgmt-git; ignored",
}

ENV_VARS: Mapping[str, str] = {
    key: setting.env for key, setting in _SETTINGS.items() if setting.env is not None
}
"""Dotted setting -> the environment variable that overrides it."""


# --------------------------------------------------------------------------- YAML reading


@dataclass(frozen=True)
class _Node:
    """A parsed file value with the 1-based line of each mapping key, for messages."""

    value: Any
    lines: Mapping[int, Mapping[object, int]]  # id(mapping) -> key -> line

    def line_of(self, mapping: object, key: object) -> int | None:
        return self.lines.get(id(mapping), {}).get(key)


def _load_yaml(text: str, source: str) -> _Node:
    import yaml

    lines: dict[int, dict[object, int]] = {}
    keep: list[dict] = []  # ids in `lines` stay valid only while their dicts are alive

    class Loader(yaml.SafeLoader):
        pass

    def construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> Iterator[dict]:
        data: dict[object, object] = {}
        keep.append(data)
        yield data
        explicit = sum(1 for key, _ in node.value if key.tag != "tag:yaml.org,2002:merge")
        loader.flatten_mapping(node)
        merged = len(node.value) - explicit
        where = lines.setdefault(id(data), {})
        for index, (key_node, value_node) in enumerate(node.value):
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, (str, int, float, bool)) and key is not None:
                raise yaml.constructor.ConstructorError(
                    None, None, "mapping keys must be plain values", key_node.start_mark
                )
            # Keys merged in with `<<:` may be overridden; a key written twice may not
            # (pgmt rejects it, and silently keeping the last one hides a mistake).
            if index >= merged and key in where:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            data[key] = loader.construct_object(value_node, deep=True)
            if index >= merged:
                where[key] = key_node.start_mark.line + 1

    Loader.add_constructor("tag:yaml.org,2002:map", construct_mapping)
    try:
        value = yaml.load(text, Loader=Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        raise ConfigError(_yaml_message(exc, source), hint=f"fix the syntax of {source}") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"{source}: invalid YAML: {exc}") from exc
    return _Node(value, lines)


def _yaml_message(exc: "yaml.MarkedYAMLError", source: str) -> str:
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or exc.context or "cannot parse"
    where = source if mark is None else f"{source}:{mark.line + 1}:{mark.column + 1}"
    return f"{where}: invalid YAML: {problem}"


# --------------------------------------------------------------------------- layers


@dataclass
class _Layer:
    """Validated values of one source, by canonical dotted key."""

    values: dict[str, object] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def _fail(where: str, key: str, problem: str, line: int | None = None) -> ConfigError:
    suffix = "" if line is None else f" (line {line})"
    return ConfigError(f"{where}: {key}: {problem}{suffix}")


def _file_layer(node: _Node, source: str) -> _Layer:
    layer = _Layer()
    root = node.value
    if root is None:
        return layer
    if not isinstance(root, Mapping):
        raise ConfigError(f"{source}: expected a mapping of settings, got {_describe(root)}")
    _walk(node, root, "", source, layer)
    _fold_legacy_shadow_url(layer, source)
    return layer


def _walk(node: _Node, mapping: Mapping, prefix: str, source: str, layer: _Layer) -> None:
    for key, value in mapping.items():
        dotted = f"{prefix}{key}"
        line = node.line_of(mapping, key)
        canonical = _ALIASES.get(dotted, dotted)
        if canonical in _SETTINGS:
            _take(layer, source, dotted, canonical, value, line)
        elif canonical in _SECTIONS:
            _enter(node, value, dotted, source, layer, line)
        elif canonical in _UNSUPPORTED:
            layer.warnings.append(f"{source}: {dotted}: {_UNSUPPORTED[canonical]}")
        elif dotted.startswith("git."):
            raise _fail(source, dotted, "unknown setting" + _suggest(prefix, str(key)), line)
        else:
            layer.warnings.append(f"{source}: {dotted}: unknown setting, ignored")


def _enter(
    node: _Node, value: object, dotted: str, source: str, layer: _Layer, line: int | None
) -> None:
    if value is None:
        return
    if not isinstance(value, Mapping):
        raise _fail(source, dotted, f"expected a mapping, got {_describe(value)}", line)
    _walk(node, value, f"{dotted}.", source, layer)


def _take(
    layer: _Layer, source: str, dotted: str, canonical: str, value: object, line: int | None
) -> None:
    if value is None:  # `key:` with nothing after it means unset, as in pgmt
        return
    if canonical in layer.values:
        other = canonical if dotted != canonical else _alias_of(canonical)
        raise _fail(source, dotted, f"given twice (also as {other}); keep one", line)
    try:
        layer.values[canonical] = _SETTINGS[canonical].check(value)
    except _Invalid as exc:
        raise _fail(source, dotted, str(exc), line) from None


def _alias_of(canonical: str) -> str:
    return next(alias for alias, key in _ALIASES.items() if key == canonical)


def _suggest(prefix: str, key: str) -> str:
    known = sorted(
        {k[len(prefix):].split(".")[0] for k in _SETTINGS if k.startswith(prefix)}
    )
    close = difflib.get_close_matches(key, known, n=1)
    if close:
        return f" (did you mean {prefix}{close[0]}?)"
    return f" (known: {', '.join(known)})" if known else ""


def _fold_legacy_shadow_url(layer: _Layer, source: str) -> None:
    legacy = layer.values.pop("databases.shadow_url", None)
    if legacy is None:
        return
    current = layer.values.get("databases.shadow.url")
    if current is not None and current != legacy:
        layer.warnings.append(
            f"{source}: databases.shadow_url and databases.shadow.url disagree; "
            "databases.shadow_url wins, as in pgmt"
        )
    layer.values["databases.shadow.url"] = legacy


def _env_layer(environ: Mapping[str, str]) -> _Layer:
    layer = _Layer()
    for key, setting in _SETTINGS.items():
        text = environ.get(setting.env) if setting.env else None
        if not text:  # unset or empty: pgmt treats an empty variable as unset
            continue
        try:
            layer.values[key] = setting.check(setting.from_env(text))
        except _Invalid as exc:
            raise _fail(str(setting.env), key, str(exc)) from None
    return layer


def _override_layer(overrides: Mapping[str, object]) -> _Layer:
    layer = _Layer()
    for given, value in overrides.items():
        key = _OVERRIDE_ALIASES.get(given, given)
        if key not in _SETTINGS:
            close = difflib.get_close_matches(given, list(_SETTINGS), n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            raise ConfigError(f"command line: {given}: unknown setting{hint}")
        if value is None:  # an option that was not given
            continue
        try:
            layer.values[key] = _SETTINGS[key].check(value)
        except _Invalid as exc:
            raise _fail("command line", given, str(exc)) from None
    return layer


# --------------------------------------------------------------------------- building


def _with(obj: Any, path: tuple[str, ...], value: object) -> Any:
    head, rest = path[0], path[1:]
    inner = value if not rest else _with(getattr(obj, head), rest, value)
    return replace(obj, **{head: inner})


def _build(values: Mapping[str, object], source: str, warnings: Sequence[str]) -> Config:
    config = Config(source=source, warnings=tuple(warnings))
    for key in sorted(values):
        target = _SETTINGS[key].target
        if target is not None:
            config = _with(config, target, values[key])
    _check_distinct_directories(config.directories, source)
    return config


def _check_distinct_directories(directories: Directories, source: str) -> None:
    seen: dict[str, str] = {}
    for name in ("schema_dir", "migrations_dir", "baselines_dir", "roles_file"):
        path = getattr(directories, name)
        if path in seen:
            raise ConfigError(
                f"{source}: directories.{name}: {path!r} is also directories.{seen[path]}"
            )
        seen[path] = name


# --------------------------------------------------------------------------- public API


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
    file = _file_layer(_load_yaml(text, source), source)
    env = _env_layer(os.environ if environ is None else environ)
    flags = _override_layer(overrides)
    values = {**file.values, **env.values, **flags.values}
    return _build(values, source, file.warnings)


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


# --------------------------------------------------------------------------- writing


def render_default_config(
    *,
    dev_url: str | None = None,
    shadow_url: str | None = None,
    directories: Directories = Directories(),
    protected_refs: Sequence[str] = (),
) -> str:
    """A commented pgmt.yaml that pgmt and pgmt-git both read; unset values stay defaults."""
    return _TEMPLATE.format(
        dev_url=_entry("dev_url", dev_url, "postgres://localhost/myapp_dev"),
        shadow_url=_entry("url", shadow_url, "postgres://localhost/postgres", indent=4),
        schema_dir=_scalar(directories.schema_dir),
        migrations_dir=_scalar(directories.migrations_dir),
        baselines_dir=_scalar(directories.baselines_dir),
        roles_file=_scalar(directories.roles_file),
        git=_git_section(protected_refs),
    )


def _entry(key: str, value: str | None, example: str, *, indent: int = 2) -> str:
    pad = " " * indent
    if value is None:
        return f"{pad}# {key}: {example}"
    return f"{pad}{key}: {_scalar(value)}"


_PLAIN = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_./:@?=&%+~-]*")


def _scalar(value: str) -> str:
    """A YAML scalar for value: plain when unambiguous, else double-quoted."""
    import json

    import yaml

    if _PLAIN.fullmatch(value) and ": " not in value and yaml.safe_load(value) == value:
        return value
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid YAML one


def _git_section(protected_refs: Sequence[str]) -> str:
    if not protected_refs:
        return "# git:\n#   protected_refs: [origin/main]"
    refs = ", ".join(_scalar(ref) for ref in protected_refs)
    return f"git:\n  protected_refs: [{refs}]"


_TEMPLATE = """\
# pgmt configuration, read by pgmt and by pgmt-git.
# Reference: https://pgmt.dev/docs/reference/configuration
# Precedence: command-line flag > PGMT_* environment variable > this file > default.

databases:
  # Development database, the one `pgmt apply` keeps in sync (--dev-url, PGMT_DEV_URL).
{dev_url}
  # Deployment target of `migrate apply` (--target-url, PGMT_TARGET_URL).
  # target_url: postgres://db.example.com/myapp
  shadow:
    # Throwaway databases to replay schema files and migrations in. pgmt starts a Docker
    # container; pgmt-git starts its own embedded PostgreSQL.
    auto: true
    # Or a server you run (--shadow-url, PGMT_SHADOW_URL). Never point it at real data.
{shadow_url}

directories:
  schema_dir: {schema_dir}  # declarative schema files, the source of truth
  migrations_dir: {migrations_dir}  # generated, reviewed, forward-only migrations
  baselines_dir: {baselines_dir}  # baseline_<version>.sql snapshots
  roles_file: {roles_file}  # roles created before anything else in a shadow database

# objects:
#   include:
#     schemas: [public]  # manage only these schemas (glob patterns); empty = all
#     tables: []
#   exclude:
#     schemas: ["pg_*", information_schema]
#     tables: []

migration:
  # default_mode: safe_only
  # validate_baseline_consistency: true
  # create_baselines_by_default: false
  # column_order: strict  # strict | warn | relaxed
  # filename_prefix: V  # pgmt's default is no prefix; "V" for Flyway-style names
  tracking_table:
    schema: public
    name: pgmt_migrations

# schema:
#   augment_dependencies_from_files: true  # honour `-- require:` lines in schema files
#   validate_file_dependencies: true

# pgmt-git only (pgmt ignores this section).
#   protected_refs: published migrations are those in these refs; default: the remote's
#     default branch (e.g. origin/main), else main or master (PGMT_GIT_PROTECTED_REFS)
#   cache: bounds of the replayed-state cache on the shadow server
#   merge.verify: check SQL merges on a shadow database
#   regenerate.commit: after a rebase, regenerated migrations go in a new commit, are
#     amended into the last one, or are left in the work tree (new | amend | none)
{git}
#   cache:
#     max_databases: 20
#     max_size_mb: 4096
#   merge:
#     verify: true
#   regenerate:
#     commit: new
"""
