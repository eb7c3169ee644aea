"""File trees a project can be read from, and the text files read out of them.

A project is read the same way whatever holds it: a directory on disk, the git index, or the
tree of any commit. The git-backed trees live in pgmt_git.git.repo (the only module that
talks to git); this module knows nothing of git.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Protocol

from pgmt_git.errors import SourceError


@dataclass(frozen=True)
class SourceFile:
    """A text file of the project. ``path`` is relative to the project root, POSIX style."""

    path: str
    text: str


class FileTree(Protocol):
    """Read-only view of a project's files, rooted at the project root."""

    @property
    def label(self) -> str:
        """Where the files come from, for messages: "work tree", "index", "HEAD~2 (1a2b3c4)"."""
        ...

    def read(self, path: str) -> bytes | None:
        """The bytes of a regular file, or None when there is no such file."""
        ...

    def walk(self, directory: str) -> Iterator[str]:
        """Every regular file below ``directory`` (recursively), as root-relative paths."""
        ...


class DirectoryTree:
    """Files on disk under ``root`` (the work tree, or any directory)."""

    def __init__(self, root: Path, *, label: str = "work tree") -> None:
        self.root = root
        self._label = label

    @property
    def label(self) -> str:
        return self._label

    def read(self, path: str) -> bytes | None:
        full = self.root / path
        if not full.is_file():
            return None
        return full.read_bytes()

    def walk(self, directory: str) -> Iterator[str]:
        base = self.root / directory if directory else self.root
        if not base.is_dir():
            return
        for dirpath, dirnames, filenames in os.walk(base, followlinks=False):
            dirnames.sort()
            rel = Path(dirpath).relative_to(self.root).as_posix()
            for name in sorted(filenames):
                full = Path(dirpath) / name
                if full.is_file():
                    yield name if rel == "." else f"{rel}/{name}"


def decode(data: bytes, path: str, tree_label: str) -> str:
    """UTF-8 text exactly as stored (line endings kept: checksums are over the text as read)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SourceError(
            f"not valid UTF-8 (byte {exc.start}) in {tree_label}",
            path=path,
            line=line,
            hint="save the file as UTF-8",
        ) from exc


def read_text(tree: FileTree, path: str) -> SourceFile | None:
    data = tree.read(path)
    if data is None:
        return None
    return SourceFile(path=path, text=decode(data, path, tree.label))


def read_sql_files(tree: FileTree, directory: str, *, recursive: bool) -> tuple[SourceFile, ...]:
    """Every ``*.sql`` file under ``directory``, sorted by path."""
    prefix = f"{directory}/" if directory else ""
    paths = []
    for path in tree.walk(directory):
        if not path.endswith(".sql"):
            continue
        if not recursive and "/" in path[len(prefix):]:
            continue
        paths.append(path)
    return tuple(
        SourceFile(path=p, text=decode(tree.read(p) or b"", p, tree.label)) for p in sorted(paths)
    )
