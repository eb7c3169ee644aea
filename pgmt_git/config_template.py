"""The commented pgmt.yaml that ``pgmt-git init`` writes, valid for pgmt and pgmt-git."""

from __future__ import annotations

import re
from typing import Sequence

from pgmt_git.config_model import Directories


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
