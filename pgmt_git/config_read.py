"""Reading settings into a Config: pgmt.yaml text (keeping each key's line for messages),
the environment and command-line overrides each give a layer of checked values; the
merged layers are built into a Config. Precedence is decided by the caller.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Iterator, Mapping, Sequence

from pgmt_git.config_model import Config, Directories
from pgmt_git.config_settings import (
    ALIASES,
    OVERRIDE_ALIASES,
    SECTIONS,
    SETTINGS,
    UNSUPPORTED,
    InvalidValue,
    describe,
)
from pgmt_git.errors import ConfigError

if TYPE_CHECKING:  # PyYAML is imported lazily: importing the CLI must stay cheap for hooks.
    import yaml


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
class Layer:
    """Validated values of one source, by canonical dotted key."""

    values: dict[str, object] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def _fail(where: str, key: str, problem: str, line: int | None = None) -> ConfigError:
    suffix = "" if line is None else f" (line {line})"
    return ConfigError(f"{where}: {key}: {problem}{suffix}")


def file_layer(text: str, source: str) -> Layer:
    """The settings of a pgmt.yaml's text; ``source`` names it in messages."""
    layer = Layer()
    if not text.strip():  # no file, or an empty one: nothing to parse (nor PyYAML to load)
        return layer
    node = _load_yaml(text, source)
    root = node.value
    if root is None:
        return layer
    if not isinstance(root, Mapping):
        raise ConfigError(f"{source}: expected a mapping of settings, got {describe(root)}")
    _walk(node, root, "", source, layer)
    _fold_legacy_shadow_url(layer, source)
    return layer


def _walk(node: _Node, mapping: Mapping, prefix: str, source: str, layer: Layer) -> None:
    for key, value in mapping.items():
        dotted = f"{prefix}{key}"
        line = node.line_of(mapping, key)
        canonical = ALIASES.get(dotted, dotted)
        if canonical in SETTINGS:
            _take(layer, source, dotted, canonical, value, line)
        elif canonical in SECTIONS:
            _enter(node, value, dotted, source, layer, line)
        elif canonical in UNSUPPORTED:
            layer.warnings.append(f"{source}: {dotted}: {UNSUPPORTED[canonical]}")
        elif dotted.startswith("git."):
            raise _fail(source, dotted, "unknown setting" + _suggest(prefix, str(key)), line)
        else:
            layer.warnings.append(f"{source}: {dotted}: unknown setting, ignored")


def _enter(
    node: _Node, value: object, dotted: str, source: str, layer: Layer, line: int | None
) -> None:
    if value is None:
        return
    if not isinstance(value, Mapping):
        raise _fail(source, dotted, f"expected a mapping, got {describe(value)}", line)
    _walk(node, value, f"{dotted}.", source, layer)


def _take(
    layer: Layer, source: str, dotted: str, canonical: str, value: object, line: int | None
) -> None:
    if value is None:  # `key:` with nothing after it means unset, as in pgmt
        return
    if canonical in layer.values:
        other = canonical if dotted != canonical else _alias_of(canonical)
        raise _fail(source, dotted, f"given twice (also as {other}); keep one", line)
    try:
        layer.values[canonical] = SETTINGS[canonical].check(value)
    except InvalidValue as exc:
        raise _fail(source, dotted, str(exc), line) from None


def _alias_of(canonical: str) -> str:
    return next(alias for alias, key in ALIASES.items() if key == canonical)


def _suggest(prefix: str, key: str) -> str:
    known = sorted(
        {k[len(prefix):].split(".")[0] for k in SETTINGS if k.startswith(prefix)}
    )
    close = difflib.get_close_matches(key, known, n=1)
    if close:
        return f" (did you mean {prefix}{close[0]}?)"
    return f" (known: {', '.join(known)})" if known else ""


def _fold_legacy_shadow_url(layer: Layer, source: str) -> None:
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


def env_layer(environ: Mapping[str, str]) -> Layer:
    """The settings given by PGMT_* variables; an empty variable counts as unset."""
    layer = Layer()
    for key, setting in SETTINGS.items():
        text = environ.get(setting.env) if setting.env else None
        if not text:  # unset or empty: pgmt treats an empty variable as unset
            continue
        try:
            layer.values[key] = setting.check(setting.from_env(text))
        except InvalidValue as exc:
            raise _fail(str(setting.env), key, str(exc)) from None
    return layer


def override_layer(overrides: Mapping[str, object]) -> Layer:
    """The settings given on the command line, by dotted key; None = not given."""
    layer = Layer()
    for given, value in overrides.items():
        key = OVERRIDE_ALIASES.get(given, given)
        if key not in SETTINGS:
            close = difflib.get_close_matches(given, list(SETTINGS), n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            raise ConfigError(f"command line: {given}: unknown setting{hint}")
        if value is None:  # an option that was not given
            continue
        try:
            layer.values[key] = SETTINGS[key].check(value)
        except InvalidValue as exc:
            raise _fail("command line", given, str(exc)) from None
    return layer


# --------------------------------------------------------------------------- building


def _with(obj: Any, path: tuple[str, ...], value: object) -> Any:
    head, rest = path[0], path[1:]
    inner = value if not rest else _with(getattr(obj, head), rest, value)
    return replace(obj, **{head: inner})


def build_config(values: Mapping[str, object], source: str, warnings: Sequence[str]) -> Config:
    """The defaults with ``values`` (checked, by canonical dotted key) applied."""
    config = Config(source=source, warnings=tuple(warnings))
    for key in sorted(values):
        target = SETTINGS[key].target
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
