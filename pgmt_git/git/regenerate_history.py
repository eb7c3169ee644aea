"""What regeneration reads from git: the projects at revisions, the commits that changed a
migration, the commits the branch pointed to before a rebase, and the work-tree writes that
record the result. Everything else in regeneration is pure or talks to PostgreSQL."""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pygit2

from pgmt_git.config import Config
from pgmt_git.errors import CheckFailed, GitError, UsageError
from pgmt_git.git.merge import Labels
from pgmt_git.git.repo import (
    CommitTree,
    Repo,
    commit_of,
    commits_between,
    git_dir,
    project_prefix,
    protected_refs,
)
from pgmt_git.project.files import read_sql_files, read_text
from pgmt_git.project.migrations import (
    BASELINE_PREFIX,
    MigrationChain,
    MigrationFile,
    is_hidden,
    read_migration,
)
from pgmt_git.project.schema_files import order_schema_files
from pgmt_git.project.source import Project, load_project_from_tree

# How far back the reflog is searched for the branch as it was before the rebase.
REFLOG_DEPTH = 30
# How many commits that changed a migration are tried to rebuild its generated text.
REBUILD_ATTEMPTS = 4


@dataclass(frozen=True)
class History:
    """A project's repository, read through git objects (never the work tree)."""

    repo: Repo
    root: Path
    config: Config

    @property
    def prefix(self) -> str:
        return project_prefix(self.repo, self.root)

    def project_at(self, commit: str) -> Project:
        """The project at ``commit``; its migration chain must be valid."""
        return load_project_from_tree(self._tree(commit), self.config, origin=commit[:12])

    def schema_at(self, commit: str) -> Project:
        """The schema files (and roles file) at ``commit``, without its migrations: a
        rebase can leave two migrations with one version, which a chain refuses."""
        tree = self._tree(commit)
        dirs = self.config.directories
        files = read_sql_files(tree, dirs.schema_dir, recursive=True)
        return Project(self.config, order_schema_files(files, schema_dir=dirs.schema_dir),
                       MigrationChain(), read_text(tree, dirs.roles_file), origin=commit[:12])

    def migrations_at(self, commit: str) -> tuple[MigrationFile, ...]:
        """The migration files at ``commit`` in version order, duplicate versions allowed."""
        dirs = self.config.directories
        prefix = self.config.migration.filename_prefix
        found = [read_migration(f.path, f.text, prefix=prefix)
                 for f in read_sql_files(self._tree(commit), dirs.migrations_dir,
                                         recursive=False)
                 if not is_hidden(f.path)
                 and not f.path.rsplit("/", 1)[-1].startswith(BASELINE_PREFIX)]
        return tuple(sorted(found, key=lambda m: (m.version, m.path)))

    def _tree(self, commit: str) -> CommitTree:
        return CommitTree(self.repo, commit, self.prefix)

    def repo_path(self, path: str) -> str:
        return f"{self.prefix}/{path}" if self.prefix else path

    def blob(self, commit: str, path: str) -> str | None:
        tree = self.repo.git[commit].peel(pygit2.Commit).tree
        try:
            return str(tree[self.repo_path(path)].id)
        except KeyError:
            return None

    def changed_in(self, commit: str, path: str) -> bool:
        """``commit`` adds or modifies ``path`` (against its first parent)."""
        parents = self.repo.git[commit].peel(pygit2.Commit).parent_ids
        before = self.blob(str(parents[0]), path) if parents else None
        after = self.blob(commit, path)
        return after is not None and after != before

    def contains(self, commit: str, ancestor: str) -> bool:
        """``ancestor`` is ``commit`` or in its history."""
        if commit == ancestor:
            return True
        try:
            return bool(self.repo.git.descendant_of(commit, ancestor))
        except (KeyError, ValueError, pygit2.GitError):
            return False

    def changes_of(self, tip: str, path: str, *, hidden: Sequence[str] = ()) -> Iterator[str]:
        """The commits reachable from ``tip`` that changed ``path``, newest first."""
        for commit in reversed(commits_between(self.repo, tip, tuple(hidden))):
            if self.changed_in(commit, path):
                yield commit


def open_history(repo: Repo, root: Path, config: Config) -> History:
    return History(repo, root, config)


def upstream_ref(repo: Repo, config: Config, onto: str | None) -> str:
    if onto is not None:
        return onto
    found = protected_refs(repo, config.git.protected_refs)
    if not found:
        raise UsageError("no upstream to regenerate against: no protected ref exists",
                         hint="pass --onto REF (e.g. --onto origin/main)")
    return found[0]


def require_commit(repo: Repo, rev: str) -> str:
    found = commit_of(repo, rev)
    if found is None:
        raise GitError(f"unknown revision {rev!r}",
                       hint="check the name with `git rev-parse --verify <rev>`")
    return found


def rebase_in_progress(repo: Repo) -> bool:
    base = git_dir(repo)
    return (base / "rebase-merge").is_dir() or (base / "rebase-apply").is_dir()


def before_rewrite(repo: Repo) -> tuple[str, ...]:
    """The commits HEAD pointed to before the latest rewrites: ORIG_HEAD, then the reflog.

    The pre-commit framework's post-rewrite gives no list of rewritten commits, and
    cherry-pick sets no ORIG_HEAD, so the reflog is the common ground."""
    found: list[str] = []
    orig = commit_of(repo, "ORIG_HEAD")
    if orig is not None:
        found.append(orig)
    try:
        entries = list(repo.git.references["HEAD"].log())
    except (KeyError, pygit2.GitError):
        entries = []
    for entry in entries[:REFLOG_DEPTH]:
        for oid in (entry.oid_old, entry.oid_new):
            text = str(oid)
            if text != "0" * 40 and text not in found and text in repo.git:
                found.append(text)
    return tuple(found)


# ------------------------------------------------------------------------------ writing


def dirty_paths(root: Path, paths: Sequence[str]) -> tuple[str, ...]:
    """Of ``paths`` (project-relative), those with uncommitted changes."""
    if not paths:
        return ()
    out = _git(root, "status", "--porcelain", "--untracked-files=no", "--", *paths)
    return tuple(line[3:] for line in out.splitlines() if line.strip())


def stage(root: Path, *, removed: Sequence[str], written: Sequence[str]) -> None:
    if removed:
        _git(root, "rm", "-q", "--cached", "--ignore-unmatch", "--", *removed)
        for path in removed:
            (root / path).unlink(missing_ok=True)
    if written:
        _git(root, "add", "--", *written)


def commit(root: Path, message: str, *, amend: bool) -> None:
    args = ["commit", "-q", "--amend", "--no-edit"] if amend else ["commit", "-q", "-m", message]
    _git(root, *args)


def line_merge(base: str, ours: str, theirs: str, labels: Labels) -> tuple[str, bool]:
    """``git merge-file`` of three texts, as git merges files it has no driver for: the
    result, with git's conflict markers where both sides changed the same lines, and
    whether it is clean."""
    with tempfile.TemporaryDirectory(prefix="pgmt-git-merge-") as tmp:
        paths = []
        for name, text in (("ours", ours), ("base", base), ("theirs", theirs)):
            path = Path(tmp) / name
            path.write_bytes(text.encode("utf-8"))
            paths.append(str(path))
        result = subprocess.run(["git", "merge-file", "-p", "-L", labels.ours, "-L",
                                 labels.base, "-L", labels.theirs, *paths],
                                capture_output=True, check=False)
    if not 0 <= result.returncode <= 127:  # git says the number of conflicts, or fails
        raise GitError("git merge-file failed: " + result.stderr.decode("utf-8", "replace"),
                       hint="check that `git merge-file` runs")
    return result.stdout.decode("utf-8"), result.returncode == 0


def _git(root: Path, *args: str) -> str:
    result = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True,
                            check=False)
    if result.returncode != 0:
        raise CheckFailed(f"git {args[0]} failed while recording regenerated migrations:\n"
                          + result.stderr.strip(),
                          hint="the regenerated files are in the work tree; commit them "
                               "by hand")
    return result.stdout


# ------------------------------------------------------------------------------ the fast path


def branch_migrations(head: Sequence[MigrationFile], upstream: Project
                      ) -> tuple[MigrationFile, ...]:
    """HEAD's migration files that the upstream tree does not have."""
    known = {m.path for m in (*upstream.chain.migrations, *upstream.chain.baselines)}
    return tuple(m for m in head if m.path not in known)


def needs_regeneration(history: History, *, onto: str, before: str | None) -> bool:
    """Cheap, from git objects only: the branch has migrations of its own, and before the
    rewrite (``before``) it did not already sit on every upstream migration."""
    head = commit_of(history.repo, "HEAD")
    upstream = commit_of(history.repo, onto)
    if head is None or upstream is None:
        return False
    upstream_project = history.project_at(upstream)
    if not branch_migrations(history.migrations_at(head), upstream_project):
        return False
    if before is None or before == head:
        return True
    old = {m.path for m in history.migrations_at(before)}
    return not all(m.path in old for m in upstream_project.chain.migrations)
