"""The only module that talks to git (through pygit2): repositories, revisions, trees, index.

Everything is read from git objects; nothing is ever checked out.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Mapping

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


# ---------------------------------------------------------------------------------------------
# Git objects for the guards: blob ids by repository path, changes between trees, history.
# Paths here are relative to the top of the repository, POSIX style.

ZERO_ID = "0" * 40


def open_repo_from_env(start: Path) -> Repo:
    """The repository as git hooks see it: honours GIT_DIR, GIT_INDEX_FILE,
    GIT_OBJECT_DIRECTORY and friends, else discovers upwards from ``start``.

    ``git commit -a`` and ``git commit <paths>`` stage into a temporary index and point
    GIT_INDEX_FILE at it for the hooks; ``.git/index`` is not what will be committed then.
    """
    try:
        repo = pygit2.Repository(str(start), pygit2.enums.RepositoryOpenFlag.FROM_ENV)
    except pygit2.GitError as exc:
        raise GitError(
            f"not inside a git repository: {start}",
            hint="run `git init`, or pass -C with a directory inside the repository",
        ) from exc
    workdir = None if repo.is_bare else Path(repo.workdir).resolve()
    return Repo(git=repo, workdir=workdir)


def git_dir(repo: Repo) -> Path:
    """The repository's git directory (a linked worktree's own one)."""
    return Path(repo.git.path)


@dataclass(frozen=True)
class PathChange:
    """A file that differs between two trees: ``old_id`` is None when it was added,
    ``new_id`` when it was deleted. Ids are blob ids (hex)."""

    path: str
    old_id: str | None
    new_id: str | None


class Files:
    """The files of a commit, or of the index, addressed by repository path."""

    label: str  # for messages
    key: str  # what identifies the content: a tree id, or "index"

    def blob_id(self, path: str) -> str | None:
        raise NotImplementedError

    def changes_since(self, base_tree: str) -> tuple[PathChange, ...]:
        """Every file that differs from the tree ``base_tree``."""
        raise NotImplementedError


class CommitFiles(Files):
    def __init__(self, repo: Repo, commit_id: str, *, label: str | None = None) -> None:
        self._git = repo.git
        commit = repo.git[commit_id].peel(pygit2.Commit)
        self.commit_id = str(commit.id)
        self.tree_id = str(commit.tree_id)
        self._tree = commit.tree
        self.label = label or self.commit_id[:7]
        self.key = self.tree_id

    def blob_id(self, path: str) -> str | None:
        return _blob_in_tree(self._tree, path)

    def changes_since(self, base_tree: str) -> tuple[PathChange, ...]:
        if base_tree == self.tree_id:
            return ()
        return _path_changes(self._git[base_tree].diff_to_tree(self._tree))

    def find(self, filename: str) -> tuple[str, ...]:
        return find_in_tree(self._git, self.tree_id, filename)


class IndexFiles(Files):
    """The staged files: what the next commit will hold."""

    label = "index"
    key = "index"

    def __init__(self, repo: Repo) -> None:
        self._git = repo.git
        self._index = repo.git.index  # GIT_INDEX_FILE when opened with open_repo_from_env

    def blob_id(self, path: str) -> str | None:
        try:
            entry = self._index[path]
        except KeyError:
            return None
        return str(entry.id) if entry.mode in _FILE_MODES else None

    def changes_since(self, base_tree: str) -> tuple[PathChange, ...]:
        return _path_changes(self._git[base_tree].diff_to_index(self._index))

    def find(self, filename: str) -> tuple[str, ...]:
        """Paths of every staged file called ``filename``; reads the whole index, so for
        when there is no commit to search instead."""
        suffix = f"/{filename}"
        return tuple(sorted(entry.path for entry in self._index
                            if entry.path == filename or entry.path.endswith(suffix)))


def _blob_in_tree(tree: pygit2.Tree, path: str) -> str | None:
    try:
        entry = tree[path]
    except KeyError:
        return None
    return str(entry.id) if entry.filemode in _FILE_MODES else None


def _path_changes(diff: pygit2.Diff) -> tuple[PathChange, ...]:
    changes = []
    for delta in diff.deltas:
        old, new = delta.old_file, delta.new_file
        old_id = str(old.id) if old.mode in _FILE_MODES else None
        new_id = str(new.id) if new.mode in _FILE_MODES else None
        if old_id != new_id:
            changes.append(PathChange(new.path or old.path, old_id, new_id))
    return tuple(changes)


def read_blob(repo: Repo, blob_id: str) -> bytes:
    return repo.git[blob_id].data


class DirectoryFiles(Mapping[str, str]):
    """Blob id by repository path of the files directly inside some directories of a tree.

    Names are listed up front, ids looked up when asked for: a migrations directory may hold
    thousands of files and the guards run on every commit. Entries are told apart by object
    type rather than file mode (so a symlink counts as a file): ``filemode`` builds an enum
    per entry. Directories are repository paths, '' for the top.
    """

    def __init__(self, repo: Repo, tree_id: str, directories: Iterable[str]) -> None:
        self._git = repo.git
        self._tree = repo.git[tree_id]
        self._names = {d: self._list(d) for d in dict.fromkeys(directories)}
        self._sets = {d: frozenset(names) for d, names in self._names.items()}

    def _list(self, directory: str) -> list[str]:
        tree = self._tree
        if directory:
            try:
                entry = tree[directory]
            except KeyError:
                return []
            if entry.type != pygit2.GIT_OBJECT_TREE:
                return []
            tree = self._git[entry.id]
        blob = pygit2.GIT_OBJECT_BLOB
        return [entry.name for entry in tree if entry.type == blob]

    def names(self, directory: str) -> list[str]:
        """The file names (not paths) directly inside ``directory``."""
        return self._names.get(directory, [])

    def __getitem__(self, path: str) -> str:
        if path not in self:
            raise KeyError(path)
        return str(self._tree[path].id)

    def __iter__(self) -> Iterator[str]:
        for directory, names in self._names.items():
            yield from (_join(directory, name) for name in names)

    def __len__(self) -> int:
        return sum(len(names) for names in self._names.values())

    def __contains__(self, path: object) -> bool:
        if not isinstance(path, str):
            return False
        directory, _, name = path.rpartition("/")
        return name in self._sets.get(directory, ())


def find_in_tree(git: pygit2.Repository, tree_id: str, filename: str) -> tuple[str, ...]:
    """Repository paths of every regular file called ``filename``, at any depth."""
    found: list[str] = []
    pending = [("", git[tree_id])]
    subtree = pygit2.GIT_OBJECT_TREE
    while pending:
        prefix, tree = pending.pop()
        if filename in tree and tree[filename].filemode in _FILE_MODES:
            found.append(prefix + filename)
        for entry in tree:
            if entry.type == subtree:
                pending.append((f"{prefix}{entry.name}/", git[entry.id]))
    return tuple(sorted(found))


def head_commit(repo: Repo) -> str | None:
    """The commit HEAD points to; None on an unborn branch."""
    if repo.git.head_is_unborn:
        return None
    return str(repo.git.head.target)


def commit_of(repo: Repo, rev: str) -> str | None:
    """The commit a revision names, or None when it names none."""
    try:
        return str(repo.git.revparse_single(rev).peel(pygit2.Commit).id)
    except (KeyError, ValueError, pygit2.GitError):
        return None


def tree_of(repo: Repo, commit_id: str) -> str:
    return str(repo.git[commit_id].peel(pygit2.Commit).tree_id)


def merge_base(repo: Repo, one: str, other: str) -> str | None:
    """The best common ancestor; None without one (unrelated or cut-off shallow history)."""
    try:
        found = repo.git.merge_base(one, other)
    except (KeyError, ValueError, pygit2.GitError):
        return None
    return None if found is None else str(found)


def commits_between(repo: Repo, tip: str, hidden: tuple[str, ...]) -> tuple[str, ...]:
    """Commits reachable from ``tip`` but from none of ``hidden``, oldest first."""
    walker = repo.git.walk(
        tip, pygit2.enums.SortMode.TOPOLOGICAL | pygit2.enums.SortMode.REVERSE
    )
    for commit_id in hidden:
        try:
            walker.hide(commit_id)
        except (KeyError, ValueError, pygit2.GitError):
            continue  # not in this repository (e.g. a remote commit never fetched)
    return tuple(str(commit.id) for commit in walker)


def remote_tracking_tips(repo: Repo, remote: str) -> tuple[str, ...]:
    """The commits of every ``refs/remotes/<remote>/*`` branch: already on that remote."""
    prefix = f"refs/remotes/{remote}/"
    tips = []
    for name in repo.git.references:
        if name.startswith(prefix) and name != f"{prefix}HEAD":
            commit = commit_of(repo, name)
            if commit is not None:
                tips.append(commit)
    return tuple(tips)


def commit_subject(repo: Repo, commit_id: str) -> str:
    return repo.git[commit_id].peel(pygit2.Commit).message.split("\n", 1)[0]
