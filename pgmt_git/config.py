"""pgmt.yaml -> a frozen Config.

SHAPE ONLY for now: the loader (file discovery, env overrides, validation) is being written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

CONFIG_FILENAME = "pgmt.yaml"


@dataclass(frozen=True)
class Databases:
    dev_url: str | None = None
    target_url: str | None = None
    # databases.shadow.url (or the legacy databases.shadow_url); None = the embedded server.
    shadow_url: str | None = None
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
    filename_prefix: str = "V"
    default_mode: str = "safe_only"
    validate_baseline_consistency: bool = True
    create_baselines_by_default: bool = False
    column_order: str = "strict"
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
    regenerate_commit: str = "new"


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
