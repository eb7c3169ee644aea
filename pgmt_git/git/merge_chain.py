"""A migration chain forked by a merge: both sides added migrations since their merge base.

Two branches that each add a migration merge without a textual conflict, but each migration
was written against a state without the other one: the later of the two may not apply, or
may undo or repeat the other's work. The post-merge hook says so right after the merge.
``pgmt-git check`` sees it through the ``from=`` hash of a generated migration, and through
this module for a migration written by hand (no hash to compare) when HEAD is the merge: a
pull request's merge commit in CI, or a branch right after merging.

Read from git objects only (two tree diffs), so it runs in a hook.
"""

from __future__ import annotations

from dataclasses import dataclass

import pygit2

from pgmt_git.git import repo as git
from pgmt_git.git.guard import Guard
from pgmt_git.git.published import FileKind, Layout
from pgmt_git.git.repo import CommitFiles


FIX = "run `pgmt-git migrate rebase` to put this branch's migrations on top"


@dataclass(frozen=True)
class ForkedChain:
    """New migrations of one project on both sides of a merge (repository paths)."""

    root: str  # the project's directory ('' at the top)
    migrations_dir: str
    ours: tuple[str, ...]
    theirs: tuple[str, ...]
    ours_label: str
    theirs_label: str

    @property
    def migrations(self) -> tuple[str, ...]:
        return self.ours + self.theirs

    def problem(self) -> str:
        return (f"the migration chain in {self.migrations_dir or '.'} forked: "
                f"{self.ours_label} adds {', '.join(self.ours)} and {self.theirs_label} adds "
                f"{', '.join(self.theirs)}, each written without the other")

    def message(self) -> str:
        return f"{self.problem()}; {FIX}"


def forked_chains(guard: Guard, commit_id: str) -> list[ForkedChain]:
    """The projects whose migration chain the merge ``commit_id`` forked (none when it is
    not a merge of two parents)."""
    repo = guard.repo
    commit = repo.git[commit_id].peel(pygit2.Commit)
    if len(commit.parents) != 2:
        return []
    first, second = (str(parent.id) for parent in commit.parents)
    base = git.merge_base(repo, first, second)
    if base is None:
        return []
    base_tree = git.tree_of(repo, base)
    added = [{change.path for change in CommitFiles(repo, side).changes_since(base_tree)
              if change.old_id is None and change.new_id is not None}
             for side in (first, second)]
    labels = (_label(repo, first), _label(repo, second))
    found = []
    for project in guard.projects(commit_id):
        layout = Layout.of(project.root, project.settings)
        ours, theirs = (sorted(p for p in mine - other if layout.kind(p) is FileKind.MIGRATION)
                        for mine, other in ((added[0], added[1]), (added[1], added[0])))
        if ours and theirs:
            found.append(ForkedChain(project.root, layout.migrations_dir, tuple(ours),
                                     tuple(theirs), *labels))
    return found


def _label(repo: git.Repo, commit_id: str) -> str:
    return f"{commit_id[:7]} ({git.commit_subject(repo, commit_id)})"
