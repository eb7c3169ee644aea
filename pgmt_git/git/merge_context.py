"""Where a run of the merge driver stands in git: the commits merged, labels, trees.

Git tells a merge driver little: three temporary files, the marker size and the path.
``MERGE_HEAD``, ``REBASE_HEAD`` and ``CHERRY_PICK_HEAD`` are only written once a merge has
stopped on a conflict, after the drivers ran. What there is while they run:

- ``git merge`` exports ``GITHEAD_<commit>=<name>`` for the commit being merged in;
- ``git rebase`` (the merge backend) has already moved the command it is running to
  ``rebase-merge/done``; git swaps the sides: ours is the upstream being built on (HEAD),
  theirs the commit being replayed, the base its parent;
- ``git cherry-pick A..B`` and ``git revert`` keep ``sequencer/todo``, the current command
  first; a single ``git cherry-pick C`` or ``git revert C`` leaves nothing, so the commit
  is searched for: one whose file is theirs and whose parent's is the base (the other way
  round for a revert). First among the revisions on the command line of the git process
  that runs the driver (where the system shows it, as Linux does in /proc), then in the
  HEAD reflog (a commit on no branch any more), then on the branches and tags.

``MERGE_HEAD`` and the others are candidates too, for a driver run again by hand while a
merge is stopped. Every candidate is checked against the blobs git handed over (HEAD must
hold our file and the commit their file), so the oracle never verifies against the wrong
commits: when nothing fits (an inner merge of a criss-cross history, a rename), the
commits are unknown and verification is skipped with a note.
"""

from __future__ import annotations

import enum
import itertools
import os
import posixpath
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pygit2

from pgmt_git.errors import GitError
from pgmt_git.git.merge import ConflictStyle, Labels
from pgmt_git.git.repo import CommitTree, Repo, commit_of, merge_base, open_repo_from_env

SEARCH_LIMIT = 5000  # commits looked at to find the one a single cherry-pick applies
_PICKS = frozenset({"pick", "p", "reword", "r", "edit", "e", "fixup", "f", "squash", "s"})
_REVERTS = frozenset({"revert"})
_EMPTY_BLOB = str(pygit2.hash(b""))


class Operation(str, enum.Enum):
    MERGE = "merge"
    REBASE = "rebase"
    CHERRY_PICK = "cherry-pick"
    REVERT = "revert"


@dataclass(frozen=True)
class MergeCommits:
    """The commits whose trees are merged: base is None without a common ancestor."""

    operation: Operation
    base: str | None
    ours: str
    theirs: str


@dataclass(frozen=True)
class DriverContext:
    repo: Repo | None
    labels: Labels
    style: ConflictStyle
    commits: MergeCommits | None
    note: str | None = None  # why the commits are unknown


@dataclass(frozen=True)
class Blobs:
    """The ids of the three versions git handed the driver."""

    base: str
    ours: str
    theirs: str

    @classmethod
    def of(cls, base: bytes, ours: bytes, theirs: bytes) -> "Blobs":
        return cls(*(str(pygit2.hash(data)) for data in (base, ours, theirs)))


def driver_context(cwd: Path, environ: Mapping[str, str], *, path: str, blobs: Blobs
                   ) -> DriverContext:
    """What the driver can learn about the merge it runs in (see the module's docstring)."""
    try:
        repo = open_repo_from_env(cwd)
    except GitError:
        return DriverContext(None, Labels(), ConflictStyle.MERGE, None, "not in a repository")
    style = _conflict_style(repo)
    head = None if repo.git.head_is_unborn else repo.git.head.target
    if head is None or _blob_at(repo, str(head), path) != blobs.ours:
        return DriverContext(repo, _labels_without_commits(environ), style, None,
                             "HEAD does not hold our version at this path (a rename, or an "
                             "inner merge of a criss-cross history)")
    for found in _candidates(repo, environ, path, blobs):
        commits, labels = found
        return DriverContext(repo, labels, style, commits)
    return DriverContext(repo, _labels_without_commits(environ), style, None,
                         "could not tell which commit is being merged in")


def _labels_without_commits(environ: Mapping[str, str]) -> Labels:
    """Labels for the markers when the commits are unknown: still the branch name a merge
    exports, when there is one."""
    names = [name for key, name in environ.items() if key.startswith("GITHEAD_")]
    return Labels("HEAD", "base", names[0]) if len(names) == 1 else Labels("HEAD")


def _conflict_style(repo: Repo) -> ConflictStyle:
    try:
        value = str(repo.git.config["merge.conflictStyle"]).lower()
    except (KeyError, pygit2.GitError):
        return ConflictStyle.MERGE
    return ConflictStyle.DIFF3 if value in ("diff3", "zdiff3") else ConflictStyle.MERGE


def _candidates(repo: Repo, environ: Mapping[str, str], path: str, blobs: Blobs
                ) -> Iterator[tuple[MergeCommits, Labels]]:
    head = str(repo.git.head.target)
    heads = [(key[len("GITHEAD_"):], name) for key, name in environ.items()
             if key.startswith("GITHEAD_")]
    if len(heads) == 1:  # an octopus merge has several: no one pair of sides
        theirs, name = heads[0]
        if _blob_at(repo, theirs, path) == blobs.theirs:
            base = merge_base(repo, head, theirs)
            short = base[:7] if base else "empty tree"
            yield MergeCommits(Operation.MERGE, base, head, theirs), Labels("HEAD", short, name)
    merging = commit_of(repo, "MERGE_HEAD")
    if merging is not None and _blob_at(repo, merging, path) == blobs.theirs:
        base = merge_base(repo, head, merging)
        yield (MergeCommits(Operation.MERGE, base, head, merging),
               Labels("HEAD", base[:7] if base else "empty tree", merging[:7]))
    git_dir = Path(repo.git.path)
    for operation, commit in [*_sequencer_commands(git_dir), *_git_command_line()]:
        found = _picked(repo, operation, commit, head, path, blobs)
        if found is not None:
            yield found
    for commit in itertools.chain(_head_reflog(repo), _walk_refs(repo)):  # lazily
        for operation in (Operation.CHERRY_PICK, Operation.REVERT):
            found = _picked(repo, operation, commit, head, path, blobs)
            if found is not None:
                yield found


def _sequencer_commands(git_dir: Path) -> Iterator[tuple[Operation, str]]:
    # Written once a command stopped: a driver run again by hand, or a later git.
    for name, operation in (("REBASE_HEAD", Operation.REBASE),
                            ("CHERRY_PICK_HEAD", Operation.CHERRY_PICK),
                            ("REVERT_HEAD", Operation.REVERT)):
        commit = _lines(git_dir / name)
        if commit:
            yield operation, commit[0].strip()
    done = _lines(git_dir / "rebase-merge" / "done")
    if done:
        words = done[-1].split()
        if len(words) > 1 and words[0] in _PICKS:
            yield Operation.REBASE, words[1]
    todo = _lines(git_dir / "sequencer" / "todo")
    if todo:
        words = todo[0].split()
        if len(words) > 1 and words[0] in _PICKS:
            yield Operation.CHERRY_PICK, words[1]
        elif len(words) > 1 and words[0] in _REVERTS:
            yield Operation.REVERT, words[1]


def _git_command_line() -> Iterator[tuple[Operation, str]]:
    """The revisions of a ``git cherry-pick`` or ``git revert`` among the driver's parent
    processes (git runs it through a shell): read from /proc where there is one."""
    pid = os.getppid()
    for _ in range(4):
        try:
            argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
            stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
        except OSError:
            return
        words = [w.decode("utf-8", "replace") for w in argv if w]
        for command, operation in (("cherry-pick", Operation.CHERRY_PICK),
                                   ("revert", Operation.REVERT)):
            if command in words[1:3]:
                at = words.index(command)
                yield from ((operation, w) for w in words[at + 1:] if not w.startswith("-"))
                return
        # The fields after the command name, which is in parentheses: state, then ppid.
        fields = stat.rpartition(")")[2].split()
        if len(fields) < 2 or not fields[1].isdigit() or int(fields[1]) <= 1:
            return
        pid = int(fields[1])


def _head_reflog(repo: Repo) -> Iterator[str]:
    """Commits HEAD was on, newest first, up to SEARCH_LIMIT."""
    try:
        entries = repo.git.references["HEAD"].log()
        for count, entry in enumerate(entries):
            if count >= SEARCH_LIMIT:
                return
            yield str(entry.oid_new)
    except (KeyError, pygit2.GitError):
        return


def _lines(path: Path) -> list[str]:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


def _picked(repo: Repo, operation: Operation, rev: str, head: str, path: str, blobs: Blobs
            ) -> tuple[MergeCommits, Labels] | None:
    """``rev`` as the commit a rebase, cherry-pick or revert applies, if the blobs fit."""
    try:
        commit = repo.git.revparse_single(rev).peel(pygit2.Commit)
    except (KeyError, ValueError, pygit2.GitError):
        return None
    if len(commit.parents) != 1:
        return None
    this, parent = str(commit.id), str(commit.parents[0].id)
    base, theirs = (this, parent) if operation is Operation.REVERT else (parent, this)
    # A file both sides add has an empty ancestor: git hands over an empty base version.
    base_blob = _blob_at(repo, base, path) or _EMPTY_BLOB
    if _blob_at(repo, theirs, path) != blobs.theirs or base_blob != blobs.base:
        return None
    subject = commit.message.split("\n", 1)[0]
    name = f"{this[:7]} ({subject})"
    base_label = f"{'' if operation is Operation.REVERT else 'parent of '}{name}"
    theirs_label = f"parent of {name}" if operation is Operation.REVERT else name
    return (MergeCommits(operation, base, head, theirs), Labels("HEAD", base_label, theirs_label))


def _walk_refs(repo: Repo) -> Iterator[str]:
    """Commits of the branches and tags, newest first, up to SEARCH_LIMIT."""
    walker = None
    for name in repo.git.references:
        if not name.startswith(("refs/heads/", "refs/remotes/", "refs/tags/")):
            continue
        try:
            target = repo.git.revparse_single(name).peel(pygit2.Commit).id
        except (KeyError, ValueError, pygit2.GitError):
            continue
        if walker is None:
            walker = repo.git.walk(target, pygit2.enums.SortMode.TIME)
        else:
            walker.push(target)
    if walker is None:
        return
    for count, commit in enumerate(walker):
        if count >= SEARCH_LIMIT:
            return
        yield str(commit.id)


def _blob_at(repo: Repo, commit: str, path: str) -> str | None:
    try:
        entry = repo.git[commit].peel(pygit2.Commit).tree[path]
    except (KeyError, ValueError, pygit2.GitError):
        return None
    return str(entry.id) if entry.type == pygit2.GIT_OBJECT_BLOB else None


# ------------------------------------------------------------------------------ trees


class OverlayTree:
    """A project tree with some files replaced, added (bytes) or deleted (None)."""

    def __init__(self, inner: CommitTree | None, files: Mapping[str, bytes | None],
                 label: str) -> None:
        self._inner = inner
        self._files = dict(files)
        self._label = label

    @property
    def label(self) -> str:
        return self._label

    def read(self, path: str) -> bytes | None:
        if path in self._files:
            return self._files[path]
        return None if self._inner is None else self._inner.read(path)

    def walk(self, directory: str) -> Iterator[str]:
        found = set(self._inner.walk(directory)) if self._inner is not None else set()
        prefix = f"{directory}/" if directory else ""
        for path, data in self._files.items():
            if path.startswith(prefix):
                (found.add if data is not None else found.discard)(path)
        yield from sorted(found)


def project_path(repo_path: str, project_root: str) -> str | None:
    """A repository path relative to the project root, or None when outside it."""
    if not project_root:
        return repo_path
    if repo_path.startswith(project_root + "/"):
        return repo_path[len(project_root) + 1:]
    return None


def schema_blobs(repo: Repo, commit: str | None, prefix: str, schema_dir: str,
                 roles_file: str) -> dict[str, str]:
    """Blob id by project path of the schema files and the roles file of a commit."""
    if commit is None:
        return {}
    tree = repo.git[commit].peel(pygit2.Commit).tree
    found: dict[str, str] = {}
    top = posixpath.join(prefix, schema_dir) if schema_dir not in ("", ".") else prefix
    try:
        start = tree[top] if top else tree
    except KeyError:
        start = None
    if start is not None and start.type == pygit2.GIT_OBJECT_TREE:
        pending = [("" if schema_dir in ("", ".") else schema_dir, repo.git[start.id])]
        while pending:
            rel, subtree = pending.pop()
            for entry in subtree:
                path = f"{rel}/{entry.name}" if rel else entry.name
                if entry.type == pygit2.GIT_OBJECT_TREE:
                    pending.append((path, repo.git[entry.id]))
                elif entry.type == pygit2.GIT_OBJECT_BLOB and path.endswith(".sql"):
                    found[path] = str(entry.id)
    roles = _blob_at(repo, commit, posixpath.join(prefix, roles_file) if prefix else roles_file)
    if roles is not None:
        found[roles_file] = roles
    return found


def tree_at(repo: Repo, commit: str | None, prefix: str, files: Mapping[str, bytes | None],
            label: str) -> OverlayTree:
    inner = None if commit is None else CommitTree(repo, commit, prefix)
    return OverlayTree(inner, files, label)


def read_blob(repo: Repo, blob_id: str) -> bytes:
    return repo.git[blob_id].data
