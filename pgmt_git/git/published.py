"""Which migrations are published: a project's layout, and the files a protected ref holds.

A migration or baseline is *published* once its file is in the tree of a protected ref (see
``protected_refs`` in repo.py). rules.py judges a branch's changes against them.

Pure: git objects come in as paths and blob ids (see guard.py); nothing here talks to git.
"""

from __future__ import annotations

import enum
import heapq
import posixpath
import re
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
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


@dataclass(frozen=True)
class Published:
    """The migrations and baselines in one protected ref's tree: blob id by path.

    A protected tree may hold thousands of migrations; their names are scanned once with a
    regular expression that accepts a superset of migration and baseline names, and only
    the names a question needs (the newest, one version) are parsed to confirm them.
    """

    ref: str
    layout: Layout
    files: Mapping[str, str]

    @cached_property
    def _candidates(self) -> dict[FileKind, list[tuple[int, str]]]:
        """(-version, path) of every name that may be a migration or baseline, as heaps."""
        prefix = re.escape(self.layout.filename_prefix)
        patterns = {
            FileKind.MIGRATION: (self.layout.migrations_dir,
                                 rf"^(?:{prefix}|V)?(\d+)_[^\n]*\.sql$"),
            FileKind.BASELINE: (self.layout.baselines_dir, r"^baseline_V?(\d+)\.sql$"),
        }
        found = {}
        for kind, (directory, pattern) in patterns.items():
            names = "\n".join(_names_in(self.files, directory))
            found[kind] = [(-int(m[1]), _join(directory, m[0]))
                           for m in re.finditer(pattern, names, re.MULTILINE)]
            heapq.heapify(found[kind])
        return found

    def _confirmed(self, kind: FileKind) -> Iterator[tuple[int, str]]:
        """Confirmed (version, path) pairs, newest first: popped from a copy of the heap, so
        the newest costs no sort of thousands of names."""
        heap = list(self._candidates[kind])
        while heap:
            negative, path = heapq.heappop(heap)
            if self.layout.kind(path) is kind and self.layout.version(path) == -negative:
                yield -negative, path

    def newest(self, kind: FileKind) -> int | None:
        """The highest published version of ``kind``."""
        return next((version for version, _ in self._confirmed(kind)), None)

    def holder(self, kind: FileKind, version: int) -> str | None:
        """The published file of ``kind`` with ``version`` (the first by name)."""
        return next((p for v, p in self._confirmed(kind) if v == version), None)

    def shared_versions(self) -> list[tuple[FileKind, int, tuple[str, ...]]]:
        """(kind, version, paths by name) of every version that more than one migration,
        or more than one baseline, holds. Only names whose version is shared are parsed."""
        return self._shared

    @cached_property
    def _shared(self) -> list[tuple[FileKind, int, tuple[str, ...]]]:
        shared = []
        for kind, candidates in self._candidates.items():
            counts = Counter(negative for negative, _ in candidates)
            for negative in sorted(n for n, count in counts.items() if count > 1):
                version = -negative
                paths = sorted(p for n, p in candidates if n == negative
                               and self.layout.kind(p) is kind
                               and self.layout.version(p) == version)
                if len(paths) > 1:
                    shared.append((kind, version, tuple(paths)))
        return shared


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
