"""A project read from the work tree, the git index, or any git revision.

The same loading code runs over every kind of tree, so a project read from ``HEAD~2``'s git
objects equals the same commit checked out.
"""

from __future__ import annotations

import enum
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from pgmt_git.config import Config, load_config, parse_config_text
from pgmt_git.errors import ConfigError
from pgmt_git.project.files import DirectoryTree, FileTree, SourceFile, read_sql_files, read_text
from pgmt_git.project.migrations import MigrationChain, MigrationFile, build_chain
from pgmt_git.project.schema_files import SchemaFile, order_schema_files


class SourceKind(enum.Enum):
    WORKTREE = "worktree"
    INDEX = "index"
    REVISION = "revision"


@dataclass(frozen=True)
class ProjectSource:
    """Where to read a project from. ``rev`` is set for REVISION only."""

    kind: SourceKind
    rev: str | None = None

    @classmethod
    def worktree(cls) -> "ProjectSource":
        return cls(SourceKind.WORKTREE)

    @classmethod
    def index(cls) -> "ProjectSource":
        return cls(SourceKind.INDEX)

    @classmethod
    def revision(cls, rev: str) -> "ProjectSource":
        return cls(SourceKind.REVISION, rev)

    def __str__(self) -> str:
        return self.rev if self.kind is SourceKind.REVISION else self.kind.value


@dataclass(frozen=True)
class ReplayInput:
    """A file to replay into a shadow database, in order. ``kind`` tells how to run it."""

    path: str
    text: str
    kind: str  # "roles" | "schema" | "baseline" | "migration"


@dataclass(frozen=True)
class Project:
    """The files of a pgmt project. Paths are relative to the project root."""

    config: Config
    schema_files: tuple[SchemaFile, ...]  # in replay order (-- require: hints applied)
    chain: MigrationChain  # migrations and baselines, validated, sorted by version
    roles: SourceFile | None
    # Where it was read from, for messages; not part of the value.
    origin: str = ""

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Project):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def _key(self) -> tuple[object, ...]:
        return (self.config, self.schema_files, self.chain, self.roles)

    def schema_inputs(self) -> tuple[ReplayInput, ...]:
        """Roles file, then the schema files in order: the desired state."""
        files = [ReplayInput(f.path, f.text, "schema") for f in self.schema_files]
        return self._roles_input() + tuple(files)

    def chain_inputs(self, *, before: int | None = None) -> tuple[ReplayInput, ...]:
        """Roles file, latest baseline, later migrations: the state the chain produces.

        With ``before``, the state just before that migration version.
        """
        files = [_migration_input(m) for m in self.chain.replay_inputs(before=before)]
        return self._roles_input() + tuple(files)

    def _roles_input(self) -> tuple[ReplayInput, ...]:
        if self.roles is None:
            return ()
        return (ReplayInput(self.roles.path, self.roles.text, "roles"),)


def _migration_input(migration: MigrationFile) -> ReplayInput:
    kind = "baseline" if migration.is_baseline else "migration"
    return ReplayInput(migration.path, migration.text, kind)


def load_project_from_tree(tree: FileTree, config: Config, *, origin: str) -> Project:
    """Read every project file of ``tree`` as ``config`` lays them out."""
    dirs = config.directories
    schema_sources = read_sql_files(tree, dirs.schema_dir, recursive=True)
    return Project(
        config=config,
        schema_files=order_schema_files(schema_sources, schema_dir=dirs.schema_dir),
        chain=build_chain(
            _pairs(read_sql_files(tree, dirs.migrations_dir, recursive=False)),
            _pairs(read_sql_files(tree, dirs.baselines_dir, recursive=False)),
            prefix=config.migration.filename_prefix,
        ),
        roles=read_text(tree, dirs.roles_file),
        origin=origin,
    )


def _pairs(files: tuple[SourceFile, ...]) -> list[tuple[str, str]]:
    return [(f.path, f.text) for f in files]


def load_project(
    source: ProjectSource = ProjectSource.worktree(),
    *,
    start_dir: Path | None = None,
    config_file: Path | None = None,
    overrides: Mapping[str, object] | None = None,
    environ: Mapping[str, str] | None = None,
) -> Project:
    """Load the project around ``start_dir`` (default: the current directory) from ``source``.

    The project is located in the work tree (the nearest pgmt.yaml upwards); for the index
    and revisions, the files at the same place inside the repository are read from git.
    """
    start = start_dir if start_dir is not None else Path.cwd()
    env = os.environ if environ is None else environ
    loaded = load_config(
        start_dir=start, config_file=config_file, overrides=overrides or {}, environ=env
    )
    if source.kind is SourceKind.WORKTREE:
        tree: FileTree = DirectoryTree(loaded.root)
        return load_project_from_tree(tree, loaded.config, origin=tree.label)
    tree = _git_tree(source, loaded.root)
    config_name = loaded.path.name
    data = tree.read(config_name)
    if data is None:
        raise ConfigError(
            f"{config_name} does not exist in {tree.label}",
            hint="that revision predates the project; pick a later one",
        )
    config = parse_config_text(
        data.decode("utf-8"),
        source=f"{tree.label}:{config_name}",
        overrides=overrides or {},
        environ=env,
    )
    return load_project_from_tree(tree, config, origin=tree.label)


def _git_tree(source: ProjectSource, root: Path) -> FileTree:
    # Imported here: reading the work tree must not pay for pygit2.
    from pgmt_git.git.repo import (
        CommitTree,
        IndexTree,
        open_repo,
        open_repo_from_env,
        project_prefix,
    )

    if source.kind is SourceKind.INDEX:
        # As git hooks see it: `git commit -a` stages into the index GIT_INDEX_FILE names.
        repo = open_repo_from_env(root)
        return IndexTree(repo, project_prefix(repo, root))
    repo = open_repo(root)
    prefix = project_prefix(repo, root)
    assert source.rev is not None
    return CommitTree(repo, source.rev, prefix)
