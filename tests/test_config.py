"""pgmt.yaml reading: keys, aliases, defaults, precedence, discovery and error messages."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from pgmt_git.config import (
    CONFIG_FILENAME,
    ENV_VARS,
    ColumnOrder,
    Config,
    Directories,
    RegenerateCommit,
    find_config_file,
    load_config,
    parse_config_text,
    render_default_config,
)
from pgmt_git.errors import ConfigError

FULL = """\
databases:
  dev_url: postgres://localhost/app_dev
  target_url: postgres://prod/app
  shadow:
    auto: false
    url: postgres://localhost/shadow
    reset: template
    docker:
      version: 16
      image: postgis/postgis:16-3.5
      platform: linux/amd64
      environment:
        POSTGRES_PASSWORD: secret
        PORT: 5432
      container_name: shadow
      auto_cleanup: false
      volumes: [a:/b]
      network: net
directories:
  schema_dir: db/schema/
  migrations_dir: ./db/migrations
  baselines_dir: db//baselines
  roles_file: db/roles.sql
objects:
  include:
    schemas: [public, app]
    tables: [users, "orders_*"]
  exclude:
    schemas: ["pg_*"]
    tables: ["temp_*"]
migration:
  filename_prefix: V
  default_mode: confirm_all
  validate_baseline_consistency: false
  create_baselines_by_default: true
  column_order: relaxed
  tracking_table:
    schema: meta
    name: applied
schema:
  augment_dependencies_from_files: false
  validate_file_dependencies: false
  verbose_file_processing: true
docker:
  auto_cleanup: false
  check_system_identifier: false
git:
  protected_refs: [origin/main, origin/release]
  cache:
    max_databases: 5
    max_size_mb: 100
  merge:
    verify: false
  regenerate:
    commit: amend
"""


def parse(text: str, **kwargs: object) -> Config:
    kwargs.setdefault("environ", {})
    text = textwrap.dedent(text)
    return parse_config_text(text, source=CONFIG_FILENAME, **kwargs)  # type: ignore[arg-type]


def error_of(text: str, **kwargs: object) -> str:
    with pytest.raises(ConfigError) as info:
        parse(text, **kwargs)
    assert info.value.exit_code == 2
    return str(info.value)


def write(directory: Path, text: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / CONFIG_FILENAME
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


# --------------------------------------------------------------------------- every key


def test_every_key_is_read() -> None:
    config = parse(FULL)
    db = config.databases
    assert (db.dev_url, db.target_url) == ("postgres://localhost/app_dev", "postgres://prod/app")
    assert (db.shadow_url, db.shadow_auto) == ("postgres://localhost/shadow", False)
    assert config.directories == Directories(
        schema_dir="db/schema",
        migrations_dir="db/migrations",
        baselines_dir="db/baselines",
        roles_file="db/roles.sql",
    )
    assert config.objects.include.schemas == ("public", "app")
    assert config.objects.include.tables == ("users", "orders_*")
    assert config.objects.exclude.schemas == ("pg_*",)
    assert config.objects.exclude.tables == ("temp_*",)
    m = config.migration
    assert (m.filename_prefix, m.default_mode) == ("V", "confirm_all")
    assert (m.validate_baseline_consistency, m.create_baselines_by_default) == (False, True)
    assert m.column_order is ColumnOrder.RELAXED
    assert (m.tracking_table.schema, m.tracking_table.name) == ("meta", "applied")
    s = config.schema
    assert not s.augment_dependencies_from_files and not s.validate_file_dependencies
    assert s.verbose_file_processing
    g = config.git
    assert g.protected_refs == ("origin/main", "origin/release")
    assert (g.cache.max_databases, g.cache.max_size_mb) == (5, 100)
    assert g.merge_verify is False
    assert g.regenerate_commit is RegenerateCommit.AMEND
    assert config.warnings == ()
    assert config.source == CONFIG_FILENAME


def test_defaults_match_pgmt() -> None:
    config = parse("")
    assert config == Config()
    assert config.databases.dev_url is None and config.databases.shadow_url is None
    assert config.databases.shadow_auto is True
    assert config.directories == Directories(
        "schema", "migrations", "schema_baselines", "roles.sql"
    )
    assert config.objects.include.schemas == () and config.objects.include.tables == ()
    assert config.objects.exclude.schemas == ("pg_*", "information_schema")
    assert config.migration.filename_prefix == ""  # pgmt >= 0.4.4 writes no "V"
    assert config.migration.default_mode == "safe_only"
    assert config.migration.column_order == "strict"
    assert config.migration.tracking_table.schema == "public"
    assert config.migration.tracking_table.name == "pgmt_migrations"
    assert config.schema.augment_dependencies_from_files
    assert config.schema.validate_file_dependencies
    assert config.git.protected_refs == ()
    assert (config.git.cache.max_databases, config.git.cache.max_size_mb) == (20, 4096)
    assert config.git.merge_verify is True and config.git.regenerate_commit == "new"


def test_empty_sections_and_null_values_mean_unset() -> None:
    config = parse(
        """\
        databases:
          dev_url:
        directories:
        git:
          cache:
        """
    )
    assert config == Config()


def test_exclude_block_without_schemas_keeps_default_schemas() -> None:
    config = parse("objects:\n  exclude:\n    tables: [tmp]\n")
    assert config.objects.exclude.schemas == ("pg_*", "information_schema")
    assert config.objects.exclude.tables == ("tmp",)


# --------------------------------------------------------------------------- legacy aliases


def test_legacy_exclude_keys() -> None:
    config = parse("objects:\n  exclude:\n    exclude_schemas: [a]\n    exclude_tables: [b]\n")
    assert config.objects.exclude.schemas == ("a",)
    assert config.objects.exclude.tables == ("b",)


def test_alias_and_new_name_together_is_an_error() -> None:
    message = error_of("objects:\n  exclude:\n    schemas: [a]\n    exclude_schemas: [b]\n")
    assert message.startswith("pgmt.yaml: objects.exclude.exclude_schemas: given twice")


def test_legacy_shadow_url() -> None:
    assert parse("databases:\n  shadow_url: postgres://s\n").databases.shadow_url == "postgres://s"


def test_legacy_shadow_url_wins_over_shadow_block_as_in_pgmt() -> None:
    config = parse("databases:\n  shadow_url: postgres://old\n  shadow:\n    url: postgres://new\n")
    assert config.databases.shadow_url == "postgres://old"
    assert any("databases.shadow_url" in w for w in config.warnings)


def test_single_protected_ref_string() -> None:
    assert parse("git:\n  protected_refs: origin/trunk\n").git.protected_refs == ("origin/trunk",)


# --------------------------------------------------------------------------- unknown keys


def test_unknown_keys_outside_git_are_warnings() -> None:
    config = parse(
        """\
        x-anchors: 1
        databases:
          dev_url: postgres://d
          colour: blue
        objects:
          comments: true
        modules:
          core:
            paths: ["schema/core/**"]
        """
    )
    assert config.databases.dev_url == "postgres://d"
    assert config.warnings == (
        "pgmt.yaml: x-anchors: unknown setting, ignored",
        "pgmt.yaml: databases.colour: unknown setting, ignored",
        "pgmt.yaml: objects.comments: unknown setting, ignored",
        "pgmt.yaml: modules: pgmt modules are not supported by pgmt-git; ignored",
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "git:\n  protected_ref: [main]\n",
            "pgmt.yaml: git.protected_ref: unknown setting (did you mean git.protected_refs?)",
        ),
        ("git:\n  cache:\n    max_dbs: 3\n", "pgmt.yaml: git.cache.max_dbs: unknown setting"),
        (
            "git:\n  bogus: 1\n",
            "pgmt.yaml: git.bogus: unknown setting"
            " (known: cache, diff, merge, protected_refs, regenerate)",
        ),
    ],
)
def test_unknown_git_keys_are_errors(text: str, expected: str) -> None:
    assert error_of(text).startswith(expected)


# --------------------------------------------------------------------------- wrong values


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "git:\n  protected_refs: 42\n",
            "pgmt.yaml: git.protected_refs: expected a list of strings, got 42 (line 2)",
        ),
        ("git: [main]\n", "pgmt.yaml: git: expected a mapping, got a list ['main'] (line 1)"),
        (
            "git:\n  cache:\n    max_databases: 0\n",
            "pgmt.yaml: git.cache.max_databases: expected a positive integer, got 0 (line 3)",
        ),
        (
            "git:\n  cache:\n    max_size_mb: '10'\n",
            "pgmt.yaml: git.cache.max_size_mb: expected a positive integer, got '10'",
        ),
        ("git:\n  cache: 5\n", "pgmt.yaml: git.cache: expected a mapping, got 5"),
        (
            "git:\n  merge:\n    verify: maybe\n",
            "pgmt.yaml: git.merge.verify: expected true or false, got 'maybe'",
        ),
        (
            "git:\n  regenerate:\n    commit: squash\n",
            "pgmt.yaml: git.regenerate.commit: expected one of new, amend, none, got 'squash'",
        ),
        (
            "git:\n  protected_refs: ['-x']\n",
            "pgmt.yaml: git.protected_refs: '-x' is not a valid ref name",
        ),
        (
            "databases: postgres://x\n",
            "pgmt.yaml: databases: expected a mapping, got 'postgres://x'",
        ),
        (
            "databases:\n  dev_url: [a]\n",
            "pgmt.yaml: databases.dev_url: expected a string, got a list ['a']",
        ),
        (
            "databases:\n  shadow:\n    auto: 1\n",
            "pgmt.yaml: databases.shadow.auto: expected true or false, got 1",
        ),
        (
            "databases:\n  shadow:\n    docker:\n      environment: [A]\n",
            "pgmt.yaml: databases.shadow.docker.environment: expected a mapping",
        ),
        (
            "objects:\n  include:\n    schemas: public\n",
            "pgmt.yaml: objects.include.schemas: expected a list of strings, got 'public'",
        ),
        (
            "migration:\n  column_order: loose\n",
            "pgmt.yaml: migration.column_order: expected one of strict, warn, relaxed, got 'loose'",
        ),
        (
            "migration:\n  tracking_table:\n    name: ''\n",
            "pgmt.yaml: migration.tracking_table.name: expected a non-empty name",
        ),
        (
            "schema:\n  validate_file_dependencies: 'no'\n",
            "pgmt.yaml: schema.validate_file_dependencies: expected true or false, got 'no'",
        ),
        (
            "docker:\n  auto_cleanup: sometimes\n",
            "pgmt.yaml: docker.auto_cleanup: expected true or false",
        ),
        ("[1, 2]\n", "pgmt.yaml: expected a mapping of settings, got a list [1, 2]"),
    ],
)
def test_wrong_types_name_file_and_key(text: str, expected: str) -> None:
    assert error_of(text).startswith(expected)


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("/abs/schema", "must be relative to the project root, got '/abs/schema'"),
        ("C:/schema", "must be relative to the project root"),
        ("../elsewhere", "must stay inside the project root, got '../elsewhere'"),
        ("a/../../b", "must stay inside the project root"),
        (".", "must name a path inside the project root"),
        ("''", "expected a path relative to the project root"),
    ],
)
def test_directories_must_stay_inside_the_root(value: str, problem: str) -> None:
    message = error_of(f"directories:\n  schema_dir: {value}\n")
    assert message.startswith(f"pgmt.yaml: directories.schema_dir: {problem}")


def test_directories_are_normalised() -> None:
    config = parse("directories:\n  schema_dir: ./a/b/../c/\n  roles_file: x//r.sql\n")
    assert config.directories.schema_dir == "a/c"
    assert config.directories.roles_file == "x/r.sql"


def test_two_settings_on_one_directory_is_an_error() -> None:
    message = error_of("directories:\n  schema_dir: db\n  migrations_dir: db/\n")
    assert message == "pgmt.yaml: directories.migrations_dir: 'db' is also directories.schema_dir"


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("databases:\n  dev_url: a\n   bad: b\n", "pgmt.yaml:3:"),
        ("git:\n  protected_refs: [main\n", "pgmt.yaml:3:"),
        ("a: 'unterminated\n", "pgmt.yaml:2:"),
        ("git: {}\ndatabases: {}\ngit: {}\n", "pgmt.yaml:3:"),
    ],
)
def test_yaml_errors_name_file_and_line(text: str, where: str) -> None:
    message = error_of(text)
    assert message.startswith(where)
    assert "invalid YAML" in message


def test_duplicate_key_is_an_error_but_merge_keys_may_be_overridden() -> None:
    assert "duplicate key 'dev_url'" in error_of("databases:\n  dev_url: a\n  dev_url: b\n")
    text = "x-base: &base\n  dev_url: a\n  target_url: t\ndatabases:\n  <<: *base\n  dev_url: b\n"
    config = parse(text)
    assert (config.databases.dev_url, config.databases.target_url) == ("b", "t")


# --------------------------------------------------------------------------- precedence

PRECEDENCE_FILE = """\
databases:
  dev_url: postgres://file/dev
  shadow:
    url: postgres://file/shadow
directories:
  schema_dir: file_schema
git:
  protected_refs: [file/main]
  cache:
    max_databases: 7
"""

CASES = [
    # (dotted key, env var, env value, flag value, file value, default, read)
    (
        "databases.dev_url", "PGMT_DEV_URL", "postgres://env/dev", "postgres://flag/dev",
        "postgres://file/dev", None, lambda c: c.databases.dev_url,
    ),
    (
        "databases.shadow.url", "PGMT_SHADOW_URL",
        "postgres://env/shadow", "postgres://flag/shadow",
        "postgres://file/shadow", None, lambda c: c.databases.shadow_url,
    ),
    (
        "directories.schema_dir", "PGMT_SCHEMA_DIR", "env_schema/", "flag_schema",
        "file_schema", "schema", lambda c: c.directories.schema_dir,
    ),
    (
        "git.protected_refs", "PGMT_GIT_PROTECTED_REFS", "env/a, env/b", ["flag/main"],
        ("file/main",), (), lambda c: c.git.protected_refs,
    ),
    (
        "git.cache.max_databases", "PGMT_GIT_CACHE_MAX_DATABASES", "9", 11,
        7, 20, lambda c: c.git.cache.max_databases,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[case[0] for case in CASES])
def test_flag_beats_env_beats_file_beats_default(case: tuple) -> None:
    key, var, env_value, flag_value, file_value, default, read = case
    env = {var: env_value}
    flags = {key: flag_value}
    normalise = {"env_schema/": "env_schema", "env/a, env/b": ("env/a", "env/b"), "9": 9}
    flag_expected = tuple(flag_value) if isinstance(flag_value, list) else flag_value

    assert read(parse(PRECEDENCE_FILE, environ=env, overrides=flags)) == flag_expected
    assert read(parse(PRECEDENCE_FILE, environ=env)) == normalise.get(env_value, env_value)
    assert read(parse(PRECEDENCE_FILE)) == file_value
    assert read(parse("")) == default
    assert ENV_VARS[key] == var


def test_empty_env_var_counts_as_unset() -> None:
    config = parse(PRECEDENCE_FILE, environ={"PGMT_DEV_URL": ""})
    assert config.databases.dev_url == "postgres://file/dev"


def test_none_override_means_flag_not_given() -> None:
    config = parse(PRECEDENCE_FILE, overrides={"databases.dev_url": None})
    assert config.databases.dev_url == "postgres://file/dev"


def test_env_var_names() -> None:
    assert dict(ENV_VARS) == {
        "databases.dev_url": "PGMT_DEV_URL",
        "databases.target_url": "PGMT_TARGET_URL",
        "databases.shadow.url": "PGMT_SHADOW_URL",
        "directories.schema_dir": "PGMT_SCHEMA_DIR",
        "directories.migrations_dir": "PGMT_MIGRATIONS_DIR",
        "directories.baselines_dir": "PGMT_BASELINES_DIR",
        "directories.roles_file": "PGMT_ROLES_FILE",
        "git.protected_refs": "PGMT_GIT_PROTECTED_REFS",
        "git.cache.max_databases": "PGMT_GIT_CACHE_MAX_DATABASES",
        "git.cache.max_size_mb": "PGMT_GIT_CACHE_MAX_SIZE_MB",
        "git.merge.verify": "PGMT_GIT_MERGE_VERIFY",
        "git.diff.owners": "PGMT_GIT_DIFF_OWNERS",
        "git.diff.concurrent_indexes": "PGMT_GIT_DIFF_CONCURRENT_INDEXES",
        "git.regenerate.commit": "PGMT_GIT_REGENERATE_COMMIT",
    }


def test_other_env_vars() -> None:
    env = {
        "PGMT_TARGET_URL": "postgres://t",
        "PGMT_MIGRATIONS_DIR": "m",
        "PGMT_BASELINES_DIR": "b",
        "PGMT_ROLES_FILE": "r.sql",
        "PGMT_GIT_CACHE_MAX_SIZE_MB": "64",
        "PGMT_GIT_MERGE_VERIFY": "off",
        "PGMT_GIT_REGENERATE_COMMIT": "none",
    }
    config = parse("", environ=env)
    assert config.databases.target_url == "postgres://t"
    assert config.directories == Directories("schema", "m", "b", "r.sql")
    assert config.git.cache.max_size_mb == 64
    assert config.git.merge_verify is False
    assert config.git.regenerate_commit is RegenerateCommit.NONE


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        (
            {"PGMT_GIT_CACHE_MAX_DATABASES": "lots"},
            "PGMT_GIT_CACHE_MAX_DATABASES: git.cache.max_databases:"
            " expected a positive integer, got 'lots'",
        ),
        (
            {"PGMT_GIT_MERGE_VERIFY": "perhaps"},
            "PGMT_GIT_MERGE_VERIFY: git.merge.verify: expected true or false, got 'perhaps'",
        ),
        (
            {"PGMT_SCHEMA_DIR": "/abs"},
            "PGMT_SCHEMA_DIR: directories.schema_dir: must be relative to the project root",
        ),
    ],
)
def test_env_errors_name_variable_and_key(env: dict[str, str], expected: str) -> None:
    assert error_of("", environ=env).startswith(expected)


def test_override_errors_name_key() -> None:
    assert error_of("", overrides={"directories.schema_dir": "../x"}).startswith(
        "command line: directories.schema_dir: must stay inside the project root"
    )
    assert error_of("", overrides={"databases.dev-url": "x"}) == (
        "command line: databases.dev-url: unknown setting (did you mean databases.dev_url?)"
    )


def test_legacy_shadow_url_override_key() -> None:
    config = parse(PRECEDENCE_FILE, overrides={"databases.shadow_url": "postgres://flag"})
    assert config.databases.shadow_url == "postgres://flag"


def test_process_environment_is_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PGMT_DEV_URL", "postgres://from-process")
    config = parse_config_text("", source=CONFIG_FILENAME)
    assert config.databases.dev_url == "postgres://from-process"


# --------------------------------------------------------------------------- discovery


def test_discovery_from_nested_subdirectory(tmp_path: Path) -> None:
    path = write(tmp_path / "proj", "databases:\n  dev_url: postgres://d\n")
    nested = tmp_path / "proj" / "schema" / "tables" / "deep"
    nested.mkdir(parents=True)
    assert find_config_file(nested) == path.resolve()
    loaded = load_config(start_dir=nested, environ={})
    assert loaded.root == path.parent.resolve()
    assert loaded.path == path.resolve()
    assert loaded.config.databases.dev_url == "postgres://d"
    assert loaded.schema_path == loaded.root / "schema"
    assert loaded.roles_path == loaded.root / "roles.sql"


def test_nearest_of_two_projects_wins(tmp_path: Path) -> None:
    write(tmp_path, "directories:\n  schema_dir: outer\n")
    write(tmp_path / "services" / "billing", "directories:\n  schema_dir: inner\n")
    (tmp_path / "services" / "billing" / "inner").mkdir()
    (tmp_path / "services" / "other").mkdir(parents=True)

    inner = load_config(start_dir=tmp_path / "services" / "billing" / "inner", environ={})
    assert inner.root == (tmp_path / "services" / "billing").resolve()
    assert inner.config.directories.schema_dir == "inner"

    outer = load_config(start_dir=tmp_path / "services" / "other", environ={})
    assert outer.root == tmp_path.resolve()
    assert outer.config.directories.schema_dir == "outer"


def test_not_found_has_a_hint(tmp_path: Path) -> None:
    start = tmp_path / "empty"
    start.mkdir()
    if any((parent / CONFIG_FILENAME).is_file() for parent in start.resolve().parents):
        pytest.skip("a pgmt.yaml above the temporary directory")
    with pytest.raises(ConfigError) as info:
        find_config_file(start)
    assert "no pgmt.yaml" in str(info.value)
    assert "pgmt-git init" in (info.value.hint or "")


def test_config_file_bypasses_the_search(tmp_path: Path) -> None:
    write(tmp_path, "directories:\n  schema_dir: near\n")
    elsewhere = write(tmp_path / "conf", "directories:\n  schema_dir: chosen\n")
    loaded = load_config(start_dir=tmp_path, config_file=Path("conf/pgmt.yaml"), environ={})
    assert loaded.path == elsewhere.resolve()
    assert loaded.root == elsewhere.parent.resolve()
    assert loaded.config.directories.schema_dir == "chosen"
    assert loaded.config.source == "conf/pgmt.yaml"


def test_pgmt_config_file_env_var(tmp_path: Path) -> None:
    write(tmp_path, "directories:\n  schema_dir: near\n")
    write(tmp_path / "conf", "directories:\n  schema_dir: chosen\n")
    loaded = load_config(start_dir=tmp_path, environ={"PGMT_CONFIG_FILE": "conf/pgmt.yaml"})
    assert loaded.config.directories.schema_dir == "chosen"


def test_missing_config_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="config file nope.yaml does not exist"):
        load_config(start_dir=tmp_path, config_file=Path("nope.yaml"), environ={})


def test_load_config_errors_name_the_file(tmp_path: Path) -> None:
    write(tmp_path, "git:\n  protected_refs: 42\n")
    with pytest.raises(ConfigError) as info:
        load_config(start_dir=tmp_path, environ={})
    expected = "pgmt.yaml: git.protected_refs: expected a list of strings, got 42"
    assert str(info.value).startswith(expected)


def test_load_config_applies_env_and_overrides(tmp_path: Path) -> None:
    write(tmp_path, PRECEDENCE_FILE)
    loaded = load_config(
        start_dir=tmp_path,
        environ={"PGMT_DEV_URL": "postgres://env"},
        overrides={"directories.schema_dir": "flag"},
    )
    assert loaded.config.databases.dev_url == "postgres://env"
    assert loaded.config.directories.schema_dir == "flag"
    assert loaded.schema_path == tmp_path.resolve() / "flag"


def test_non_utf8_file(tmp_path: Path) -> None:
    (tmp_path / CONFIG_FILENAME).write_bytes(b"databases:\n  dev_url: \xff\n")
    with pytest.raises(ConfigError, match="pgmt.yaml: not UTF-8"):
        load_config(start_dir=tmp_path, environ={})


# --------------------------------------------------------------------------- rendering


def test_rendered_default_parses_back_to_defaults() -> None:
    text = render_default_config()
    assert parse(text) == Config()
    assert parse(text).warnings == ()
    assert "# git:" in text  # pgmt-git's section is there, commented out


def test_rendered_values_round_trip_with_awkward_characters() -> None:
    text = render_default_config(
        dev_url="postgres://u:p@h/db?sslmode=require",
        shadow_url="postgres://u:p #x@h/db",
        directories=Directories("db/schema", "db/migrations", "db/baselines", "db/roles.sql"),
        protected_refs=("origin/main", "true"),
    )
    config = parse(text)
    assert config.databases.dev_url == "postgres://u:p@h/db?sslmode=require"
    assert config.databases.shadow_url == "postgres://u:p #x@h/db"
    assert config.directories.schema_dir == "db/schema"
    assert config.git.protected_refs == ("origin/main", "true")


def test_diff_switches_reach_the_diff_engine_options() -> None:
    from pgmt_git.config import parse_config_text
    from pgmt_git.diff import DiffOptions

    assert parse_config_text("", source="t").git.diff_options == DiffOptions()
    config = parse_config_text("git:\n  diff:\n    owners: true\n    concurrent_indexes: true\n",
                               source="t")
    assert config.git.diff_options == DiffOptions(owners=True, concurrent_indexes=True)
    env = parse_config_text("", source="t", environ={"PGMT_GIT_DIFF_OWNERS": "1"})
    assert env.git.diff_options.owners
