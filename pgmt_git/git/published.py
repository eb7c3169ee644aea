"""Which migrations are published: a project's layout, and the files a protected ref holds.

A migration or baseline is *published* once its file is in the tree of a protected ref (see
``protected_refs`` in repo.py). rules.py judges a branch's changes against them.

Pure: git objects come in as paths and blob ids (see guard.py); nothing here talks to git.
"""

from __future__ import annotations

import enum
import posixpath
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from pgmt_git.project.migrations import (
    SQL_SUFFIX,
    parse_baseline_filename,
    parse_migration_filename,
)

if TYPE_CHECKING:
    from pgmt_git.config_model import Config


class FileKind(enum.Enum):
    MIGRATION = "migration"
    BASELINE = "baseline"
    SCHEMA = "schema file"
    ROLES = "roles file"


@dataclass(frozen=True)
class ProjectSettings:
    """What the guards need of a pgmt.yaml: where the files are (relative to the project
    root), the migration name prefix, the configured protected refs."""

    schema_dir: str
    migrations_dir: str
    baselines_dir: str
    roles_file: str
    filename_prefix: str
    protected_refs: tuple[str, ...]

    @classmethod
    def of(cls, config: Config) -> ProjectSettings:
        dirs = config.directories
        return cls(dirs.schema_dir, dirs.migrations_dir, dirs.baselines_dir, dirs.roles_file,
                   config.migration.filename_prefix, config.git.protected_refs)

    def as_json(self) -> list[object]:
        return [self.schema_dir, self.migrations_dir, self.baselines_dir, self.roles_file,
                self.filename_prefix, list(self.protected_refs)]

    @classmethod
    def from_json(cls, value: list[object]) -> ProjectSettings:
        *texts, refs = value
        if len(texts) != 5 or not all(isinstance(t, str) for t in texts) or not isinstance(
                refs, list) or not all(isinstance(r, str) for r in refs):
            raise ValueError(f"not project settings: {value!r}")
        return cls(*texts, tuple(refs))  # type: ignore[arg-type]


@dataclass(frozen=True)
class Layout:
    """Where one project keeps its files, as repository paths (``root`` is '' at the top)."""

    root: str
    schema_dir: str
    migrations_dir: str
    baselines_dir: str
    roles_file: str
    filename_prefix: str

    @classmethod
    def of(cls, root: str, settings: ProjectSettings) -> Layout:
        def at(path: str) -> str:
            joined = posixpath.normpath(posixpath.join(root, path))
            return "" if joined == "." else joined

        return cls(root, at(settings.schema_dir), at(settings.migrations_dir),
                   at(settings.baselines_dir), at(settings.roles_file),
                   settings.filename_prefix)

    def kind(self, path: str) -> FileKind | None:
        """What ``path`` is to this project, or None when it is none of its files."""
        if path == self.roles_file:
            return FileKind.ROLES
        directory, name = posixpath.split(path)
        # Hidden files are skipped, as project.migrations.is_hidden() does (without its
        # PurePosixPath: this runs for every name of a large migrations directory).
        if name.endswith(SQL_SUFFIX) and not name.startswith("."):
            if directory == self.baselines_dir and parse_baseline_filename(name) is not None:
                return FileKind.BASELINE
            if directory == self.migrations_dir:
                return FileKind.MIGRATION
            if _below(path, self.schema_dir):
                return FileKind.SCHEMA
        return None

    def version(self, path: str) -> int | None:
        name = posixpath.basename(path)
        kind = self.kind(path)
        if kind is FileKind.BASELINE:
            return parse_baseline_filename(name)
        if kind is FileKind.MIGRATION:
            parsed = parse_migration_filename(name, prefix=self.filename_prefix)
            return None if parsed is None else parsed[0]
        return None


def _below(path: str, directory: str) -> bool:
    return not directory or path.startswith(f"{directory}/")


_DIGITS = r"(\d+)"


@dataclass(frozen=True)
class Published:
    """The migrations and baselines in one protected ref's tree: blob id by path.

    A protected tree may hold thousands of migrations; their names are scanned once for
    their versions with a regular expression that accepts a superset of migration and
    baseline names, and only the names a question needs (the newest, one version, a shared
    one) are found again and parsed to confirm them.
    """

    ref: str
    layout: Layout
    files: Mapping[str, str]

    @cached_property
    def _scans(self) -> dict[FileKind, _Scan]:
        prefix = re.escape(self.layout.filename_prefix)
        patterns = {
            FileKind.MIGRATION: (self.layout.migrations_dir, rf"^(?:{prefix}|V)?(\d+)_"),
            FileKind.BASELINE: (self.layout.baselines_dir, r"^baseline_V?(\d+)\.sql$"),
        }
        found = {}
        for kind, (directory, pattern) in patterns.items():
            names = "\n".join(_names_in(self.files, directory))
            versions = re.findall(pattern, names, re.MULTILINE)
            found[kind] = _Scan(directory, names, Counter(map(int, versions)))
        return found

    def _paths(self, kind: FileKind, version: int) -> list[str]:
        """The files of ``kind`` with ``version``, by name, each confirmed by the parser:
        the names holding the version's digits, found with str.find."""
        scan = self._scans[kind]
        if version not in scan.counts:
            return []
        names, digits, found = scan.names, str(version), []
        at = names.find(digits)
        while at != -1:
            start = names.rfind("\n", 0, at) + 1
            end = names.find("\n", at)
            end = len(names) if end == -1 else end
            path = _join(scan.directory, names[start:end])
            if self.layout.kind(path) is kind and self.layout.version(path) == version:
                found.append(path)
            at = names.find(digits, end)
        return sorted(found)

    def newest(self, kind: FileKind) -> int | None:
        """The highest published version of ``kind``."""
        return self._newest[kind]

    @cached_property
    def _newest(self) -> dict[FileKind, int | None]:
        return {kind: next((v for v in sorted(scan.counts, reverse=True)
                            if self._paths(kind, v)), None)
                for kind, scan in self._scans.items()}

    def holder(self, kind: FileKind, version: int) -> str | None:
        """The published file of ``kind`` with ``version`` (the first by name)."""
        return next(iter(self._paths(kind, version)), None)

    def shared_versions(self) -> list[tuple[FileKind, int, tuple[str, ...]]]:
        """(kind, version, paths by name) of every version that more than one migration,
        or more than one baseline, holds."""
        return self._shared

    @cached_property
    def _shared(self) -> list[tuple[FileKind, int, tuple[str, ...]]]:
        shared = []
        for kind, scan in self._scans.items():
            for version in sorted(v for v, count in scan.counts.items() if count > 1):
                paths = self._paths(kind, version)
                if len(paths) > 1:
                    shared.append((kind, version, tuple(paths)))
        return shared


@dataclass(frozen=True)
class _Scan:
    """One directory's names (joined by newlines) and how many names hold each version."""

    directory: str
    names: str
    counts: Counter[int]


def _names_in(files: Mapping[str, str], directory: str) -> Sequence[str]:
    """The names of the files directly inside ``directory``: from the listing itself when
    it keeps them by directory (repo.DirectoryFiles), else from its paths."""
    names = getattr(files, "names", None)
    if callable(names):
        return names(directory)
    return [name for path in files
            for parent, name in [posixpath.split(path)] if parent == directory]


def _join(directory: str, name: str) -> str:
    return f"{directory}/{name}" if directory else name
