"""The parts of a Config: frozen values with pgmt's defaults, and no I/O.

Import these from :mod:`pgmt_git.config`, which re-exports them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import enum
from dataclasses import dataclass, field
from pathlib import Path

if TYPE_CHECKING:  # the diff engine is imported only when diffing
    from pgmt_git.diff import DiffOptions


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
    # git.diff.*: what generated SQL covers beyond the schema itself.
    diff_owners: bool = False
    diff_concurrent_indexes: bool = False

    @property
    def diff_options(self) -> DiffOptions:
        """These settings as the diff engine's options (the engine is pure: it reads no
        configuration itself)."""
        from pgmt_git.diff import DiffOptions

        return DiffOptions(owners=self.diff_owners,
                           concurrent_indexes=self.diff_concurrent_indexes)


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
