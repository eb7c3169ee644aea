"""The guards over git: the index, or commits, against the protected refs of every project.

Every ``pgmt.yaml`` in the checked tree is a project. For each of its protected refs, the
files the branch changed are those that differ between the merge base (of the branch and
that ref) and the checked tree; rules.py judges them against the ref's tree. Only git
objects are read, never a checkout or a database, and only the blobs that differ are read:
a repository with thousands of migrations costs one tree diff, not thousands of reads.

Without a merge base (unrelated histories, a shallow clone cut above it) the protected
tree itself is the base, and files the branch lacks are not taken for deletions: they may as
well have been published after the branch point (a note says so).
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from typing import TYPE_CHECKING

from pgmt_git.errors import GitError
from pgmt_git.git import repo as git
from pgmt_git.git.config_cache import ConfigCache
from pgmt_git.git.published import Layout, ProjectSettings, Published
from pgmt_git.git.rules import Change, Finding, check_changes
from pgmt_git.git.repo import CommitFiles, DirectoryFiles, Files, IndexFiles, PathChange, Repo

if TYPE_CHECKING:
    from pgmt_git.config_model import Config

DEFAULT_REFS_TEXT = "origin/HEAD, origin/main, origin/master, main or master"
# pgmt_git.config.CONFIG_FILENAME, without importing the config reader (and PyYAML) on the
# hooks' path when the config cache has the settings.
CONFIG_FILENAME = "pgmt.yaml"


@dataclass
class GuardReport:
    """Findings (each once), and notes worth saying once (e.g. no protected ref)."""

    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # The commit each finding was first seen in (pre-push and post-* hooks).
    commits: dict[Finding, str] = field(default_factory=dict)
    projects: set[str] = field(default_factory=set)

    def add(self, findings: Iterable[Finding], commit: str | None = None) -> None:
        seen = {(f.rule, f.path) for f in self.findings}
        for finding in findings:
            if (finding.rule, finding.path) in seen:
                continue
            seen.add((finding.rule, finding.path))
            self.findings.append(finding)
            if commit is not None:
                self.commits[finding] = commit

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)


@dataclass(frozen=True)
class ProjectAt:
    """A project as one tree holds it: its pgmt.yaml (repository path, blob) and what the
    guards need of it (Guard.config() gives the whole of it)."""

    config_path: str
    config_blob: str
    settings: ProjectSettings

    @property
    def root(self) -> str:
        return posixpath.dirname(self.config_path)


class Guard:
    """Checks trees of one repository; caches diffs, listings and parsed settings."""

    def __init__(self, repo: Repo, *, environ: Mapping[str, str] | None = None,
                 refs: tuple[str, ...] | None = None, cache: ConfigCache | None = None
                 ) -> None:
        """``refs``: check against these refs instead of each project's protected refs.
        ``cache``: where parsed pgmt.yaml files are kept between runs (hooks)."""
        self.repo = repo
        self._environ = environ
        self._refs_override = refs
        self._cache = cache
        self._settings: dict[str, ProjectSettings] = {}
        self._configs: dict[str, Config] = {}
        self._diffs: dict[tuple[str, str], tuple[PathChange, ...]] = {}
        self._found: dict[str, tuple[str, ...]] = {}  # pgmt.yaml paths by tree
        self._listings: dict[tuple[str, tuple[str, ...]], DirectoryFiles] = {}

    # -------------------------------------------------------------------- entry points

    def index(self, report: GuardReport) -> None:
        """The staged files (what the next commit will hold) against the protected refs."""
        head = git.head_commit(self.repo)
        target = IndexFiles(self.repo)
        if head is None:  # the first commit
            pending = [(path, target) for path in target.find(CONFIG_FILENAME)]
        else:
            before = CommitFiles(self.repo, head, label="HEAD")
            # A project whose pgmt.yaml this commit deletes is checked as HEAD has it.
            pending = [(path, target if target.blob_id(path) else before)
                       for path in self._find_configs(before)]
            if not pending:  # a project being added in this very commit
                changes = self._changes(target, before.tree_id)
                pending = [(path, target) for path in _configs_in(changes)]
        self._check(report, target, head, pending, label="the index")

    def commit(self, report: GuardReport, commit_id: str, *, label: str | None = None) -> None:
        """One commit's tree against the protected refs (as of now)."""
        target = CommitFiles(self.repo, commit_id)
        pending: list[tuple[str, Files]] = [
            (path, target) for path in self._find_configs(target)]
        # A project the commit deleted is checked as the protected refs have it.
        for ref in self._refs_override or git.default_protected_refs(self.repo):
            ref_commit = git.commit_of(self.repo, ref)
            if ref_commit is None:
                continue
            published = CommitFiles(self.repo, ref_commit, label=ref)
            pending += [(path, published) for path in self._find_configs(published)
                        if target.blob_id(path) is None]
        self._check(report, target, target.commit_id, pending,
                    label=label or f"commit {target.commit_id[:7]}", commit=target.commit_id)

    def projects(self, commit_id: str) -> tuple[ProjectAt, ...]:
        """Every project in a commit's tree."""
        target = CommitFiles(self.repo, commit_id)
        return tuple(self._project(target, path) for path in target.find(CONFIG_FILENAME))

    def published(self, ref: str, project: ProjectAt) -> Published:
        """The migrations and baselines of ``project`` published on ``ref``."""
        ref_commit = git.commit_of(self.repo, ref)
        if ref_commit is None:
            raise GitError(f"unknown revision {ref!r}")
        return self._published(ref, ref_commit, project)

    # -------------------------------------------------------------------- the work

    def _check(self, report: GuardReport, target: Files, head: str | None,
               pending: list[tuple[str, Files]], *, label: str, commit: str | None = None
               ) -> None:
        """Check ``target`` for each (pgmt.yaml path, tree to read its settings from)."""
        done: set[str] = set()
        while pending:
            config_path, settings_from = pending.pop(0)
            if config_path in done:
                continue
            done.add(config_path)
            report.projects.add(config_path)
            project = self._project(settings_from, config_path)
            for ref in self._refs(report, project):
                changes = self._against(report, target, head, project, ref, label, commit)
                pending += [(p, target) for p in _configs_in(changes) if p not in done]

    def _find_configs(self, files: CommitFiles) -> tuple[str, ...]:
        if files.tree_id not in self._found:
            self._found[files.tree_id] = files.find(CONFIG_FILENAME)
        return self._found[files.tree_id]

    def _against(self, report: GuardReport, target: Files, head: str | None,
                 project: ProjectAt, ref: str, label: str, commit: str | None
                 ) -> tuple[PathChange, ...]:
        ref_commit = git.commit_of(self.repo, ref)
        assert ref_commit is not None  # protected_refs() keeps existing refs only
        base = git.merge_base(self.repo, head, ref_commit) if head else None
        base_tree = git.tree_of(self.repo, base or ref_commit)
        changes = self._changes(target, base_tree)
        if base is None and head is not None:
            changes = self._without_deletions(report, changes, ref)
        published = self._published(ref, ref_commit, project)
        layout = Layout.of(project.root, project.settings)
        # What the branch did not change is as the merge base has it: most often the
        # protected tree itself, whose names are already scanned.
        directories = (layout.migrations_dir, layout.baselines_dir)
        listing = self._listing(base_tree, directories)
        base_files = (published if listing is published.files and layout == published.layout
                      else Published(f"the merge base of {ref}", layout, listing))
        report.add(check_changes(
            (Change(c.path, c.new_id) for c in changes), layout=layout, published=published,
            read=lambda blob: git.read_blob(self.repo, blob), target=label, base=base_files),
            commit)
        return changes

    def _listing(self, tree_id: str, directories: tuple[str, ...]) -> DirectoryFiles:
        key = (tree_id, directories)
        if key not in self._listings:
            self._listings[key] = git.DirectoryFiles(self.repo, tree_id, directories)
        return self._listings[key]

    @staticmethod
    def _without_deletions(report: GuardReport, changes: tuple[PathChange, ...], ref: str,
                           ) -> tuple[PathChange, ...]:
        """Against the protected tree itself (no merge base), a file the branch lacks may
        be one it deleted or one published after the branch point: deletions are left to
        the checks that have the history, and said so."""
        kept = tuple(c for c in changes if c.new_id is not None)
        if len(kept) < len(changes):
            report.note(f"no merge base with {ref} (a shallow clone cut above it, or "
                        "unrelated histories): files this branch lacks are not checked as "
                        "deletions; `git fetch --unshallow` checks them, and so does "
                        "`pgmt-git check` in CI with the whole history")
        return kept

    def _changes(self, target: Files, base_tree: str) -> tuple[PathChange, ...]:
        key = (target.key, base_tree)
        if key not in self._diffs:
            self._diffs[key] = target.changes_since(base_tree)
        return self._diffs[key]

    def _refs(self, report: GuardReport, project: ProjectAt) -> tuple[str, ...]:
        if self._refs_override is not None:
            return self._refs_override
        configured = project.settings.protected_refs
        refs = git.protected_refs(self.repo, configured)
        if refs:
            return refs
        if configured:
            report.note(f"none of the protected refs of {project.config_path} exists "
                        f"({', '.join(configured)}): nothing counts as published; "
                        "fetch them, or fix git.protected_refs")
        else:
            report.note(f"no protected ref (no {DEFAULT_REFS_TEXT}): nothing counts as "
                        "published yet; set git.protected_refs in pgmt.yaml to choose one")
        return ()

    def _published(self, ref: str, ref_commit: str, project: ProjectAt) -> Published:
        tree = CommitFiles(self.repo, ref_commit, label=ref)
        settings = project.settings
        if tree.blob_id(project.config_path) is not None:
            settings = self._project(tree, project.config_path).settings
        layout = Layout.of(project.root, settings)
        files = self._listing(tree.tree_id, (layout.migrations_dir, layout.baselines_dir))
        return Published(ref, layout, files)

    def config(self, project: ProjectAt) -> Config:
        """The whole of a project's pgmt.yaml, as this tree holds it."""
        return self._parse(project.config_blob, project.config_path)

    def _parse(self, blob: str, config_path: str) -> Config:
        if blob not in self._configs:
            from pgmt_git.config import parse_config_text

            text = git.read_blob(self.repo, blob).decode("utf-8-sig", "replace")
            self._configs[blob] = parse_config_text(text, source=config_path,
                                                    environ=self._environ)
        return self._configs[blob]

    def _project(self, files: Files, config_path: str) -> ProjectAt:
        blob = files.blob_id(config_path)
        assert blob is not None
        settings = self._settings.get(blob) or (self._cache.get(blob) if self._cache else None)
        if settings is None:
            settings = ProjectSettings.of(self._parse(blob, config_path))
            if self._cache is not None:
                self._cache.put(blob, settings)
        self._settings[blob] = settings
        return ProjectAt(config_path, blob, settings)


def _configs_in(changes: Iterable[PathChange]) -> list[str]:
    """pgmt.yaml files the changes add or edit: projects the starting tree lacks."""
    return [c.path for c in changes
            if c.new_id is not None and posixpath.basename(c.path) == CONFIG_FILENAME]


def pushed_commits(repo: Repo, remote: str, updates: Iterable[tuple[str, str, str, str]],
                   protected: Iterable[str]) -> tuple[str, ...]:
    """The commits a push sends, oldest first: reachable from the pushed commits but not
    from what the remote already has (its remote-tracking branches and the commits being
    replaced) nor from the protected refs (published by definition)."""
    hidden = list(git.remote_tracking_tips(repo, remote))
    hidden += [c for ref in protected if (c := git.commit_of(repo, ref)) is not None]
    tips = []
    for _local_ref, local_id, _remote_ref, remote_id in updates:
        tip = git.commit_of(repo, local_id) if local_id != git.ZERO_ID else None
        if tip is None:
            continue  # a deletion sends nothing; a tag of a tree or a blob holds no project
        tips.append(tip)
        if remote_id != git.ZERO_ID:
            hidden.append(remote_id)
    commits: dict[str, None] = {}
    for tip in tips:
        commits.update(dict.fromkeys(git.commits_between(repo, tip, tuple(hidden))))
    return tuple(commits)
