"""The only module that talks to git (through pygit2): repositories, revisions, trees, index.

Everything is read from git objects; nothing is ever checked out.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pygit2

from pgmt_git.errors import GitError

_FILE_MODES = (pygit2.GIT_FILEMODE_BLOB, pygit2.GIT_FILEMODE_BLOB_EXECUTABLE)
_LINK_MODE = pygit2.GIT_FILEMODE_LINK
_MAX_LINK_HOPS = 8


@dataclass(frozen=True)
class Repo:
    """An open repository. ``workdir`` is None for a bare repository."""

    git: pygit2.Repository
    workdir: Path | None

    def resolve(self, rev: str) -> pygit2.Commit:
        """A commit from any revision expression git accepts (HEAD~3, a branch, an id)."""
        try:
            obj = self.git.revparse_single(rev)
            return obj.peel(pygit2.Commit)
        except (KeyError, ValueError, pygit2.GitError) as exc:
            raise GitError(
                f"unknown revision {rev!r}",
                hint="check the name with `git rev-parse --verify <rev>`",
            ) from exc


def open_repo(start: Path) -> Repo:
    """The repository containing ``start`` (like git, walking upwards)."""
    found = pygit2.discover_repository(str(start))
    if found is None:
        raise GitError(
            f"not inside a git repository: {start}",
            hint="run `git init`, or pass -C with a directory inside the repository",
        )
    repo = pygit2.Repository(found)
    workdir = None if repo.is_bare else Path(repo.workdir).resolve()
    return Repo(git=repo, workdir=workdir)


def project_prefix(repo: Repo, project_root: Path) -> str:
    """The project root relative to the repository's work tree, POSIX style ('' at the top)."""
    if repo.workdir is None:
        raise GitError("a bare repository has no work tree to locate the project in")
    try:
        rel = project_root.resolve().relative_to(repo.workdir)
    except ValueError as exc:
        raise GitError(f"{project_root} is outside the repository at {repo.workdir}") from exc
    text = rel.as_posix()
    return "" if text == "." else text


class CommitTree:
    """The files of one commit below ``prefix`` (the project root inside the repository)."""

    def __init__(self, repo: Repo, rev: str, prefix: str) -> None:
        commit = repo.resolve(rev)
        self._git = repo.git
        self._root = commit.tree
        self._prefix = prefix
        self.commit_id = str(commit.id)
        self._label = f"{rev} ({self.commit_id[:7]})"

    @property
    def label(self) -> str:
        return self._label

    def read(self, path: str) -> bytes | None:
        return self._read_full(_join(self._prefix, path), hops=0)

    def _read_full(self, full: str, *, hops: int) -> bytes | None:
        try:
            entry = self._root[full]
        except KeyError:
            return None
        if entry.filemode in _FILE_MODES:
            return self._git[entry.id].data
        if entry.filemode == _LINK_MODE and hops < _MAX_LINK_HOPS:
            # A symlink blob holds its target; follow it inside the commit, as the work tree would.
            target = self._git[entry.id].data.decode("utf-8", "surrogateescape")
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(full), target))
            return self._read_full(resolved, hops=hops + 1)
        return None

    def walk(self, directory: str) -> Iterator[str]:
        full = _join(self._prefix, directory)
        try:
            tree = self._root[full] if full else self._root
        except KeyError:
            return
        if not isinstance(self._git[tree.id], pygit2.Tree):
            return
        yield from self._walk_tree(self._git[tree.id], directory)

    def _walk_tree(self, tree: pygit2.Tree, rel: str) -> Iterator[str]:
        for entry in tree:
            path = _join(rel, entry.name)
            if entry.filemode == pygit2.GIT_FILEMODE_TREE:
                yield from self._walk_tree(self._git[entry.id], path)
            elif entry.filemode in _FILE_MODES or (
                entry.filemode == _LINK_MODE and self.read(path) is not None
            ):
                yield path


class IndexTree:
    """The staged content (the index) below ``prefix``: what the next commit would hold."""

    def __init__(self, repo: Repo, prefix: str) -> None:
        self._git = repo.git
        self._index = repo.git.index
        self._index.read(False)
        self._prefix = prefix
        self._entries = {
            entry.path: entry for entry in self._index if entry.mode in _FILE_MODES
        }

    @property
    def label(self) -> str:
        return "index"

    def read(self, path: str) -> bytes | None:
        entry = self._entries.get(_join(self._prefix, path))
        return None if entry is None else self._git[entry.id].data

    def walk(self, directory: str) -> Iterator[str]:
        full = _join(self._prefix, directory)
        start = f"{full}/" if full else ""
        cut = len(self._prefix) + 1 if self._prefix else 0
        for path in sorted(self._entries):
            if path.startswith(start):
                yield path[cut:]


def _join(prefix: str, path: str) -> str:
    if not prefix:
        return path
    if not path:
        return prefix
    return f"{prefix}/{path}"


def default_protected_refs(repo: Repo) -> tuple[str, ...]:
    """The branch whose tree says what is published when ``git.protected_refs`` is unset.

    The remote-tracking default branch (what ``origin/HEAD`` points to, else ``origin/main``
    or ``origin/master``); without a remote, the local ``main`` or ``master``; else nothing.
    """
    refs = repo.git.references
    head = refs.get("refs/remotes/origin/HEAD")
    if head is not None and head.type == pygit2.enums.ReferenceType.SYMBOLIC:
        target = head.target
        if isinstance(target, str) and target in refs:
            return (target.removeprefix("refs/remotes/"),)
    for name in ("origin/main", "origin/master"):
        if f"refs/remotes/{name}" in refs:
            return (name,)
    for name in ("main", "master"):
        if f"refs/heads/{name}" in refs:
            return (name,)
    return ()


def protected_refs(repo: Repo, configured: tuple[str, ...]) -> tuple[str, ...]:
    """The configured protected refs that exist, or the default when none is configured."""
    if not configured:
        return default_protected_refs(repo)
    return tuple(ref for ref in configured if _ref_exists(repo, ref))


def _ref_exists(repo: Repo, ref: str) -> bool:
    try:
        repo.git.revparse_single(ref)
    except (KeyError, ValueError, pygit2.GitError):
        return False
    return True
