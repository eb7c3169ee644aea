"""The four schemas the oracle verifies a merge with, read from git, and the way back from
a problem it finds to the statements of the merged file.

Base, ours and theirs are the trees of the merge's commits with the file being merged
replaced by the exact versions git handed the driver (after a rename, or in a merge with
several merge bases, git's idea of a version is what counts). The merged tree is what git
will make of the whole merge: ours, with every schema file only theirs changed taken from
theirs, this file merged, and any other schema file both sides changed merged the same way
in-process (git runs the driver on them in turn; when one of them conflicts, the merged
schema cannot be known yet and verification is skipped).
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import TYPE_CHECKING, Any

from pgmt_git.config import LoadedConfig
from pgmt_git.errors import PgmtGitError
from pgmt_git.git.merge import CannotMerge, merge_sql
from pgmt_git.git.merge_context import (
    MergeCommits,
    project_path,
    read_blob,
    schema_blobs,
    tree_at,
)
from pgmt_git.git.merge_keys import Key
from pgmt_git.git.merge_text import SqlText
from pgmt_git.git.oracle import MergeProblem, MergeStates
from pgmt_git.git.repo import Repo, project_prefix
from pgmt_git.project.source import load_project_from_tree

if TYPE_CHECKING:
    from pgmt_git.diff.model import ObjectId


def merge_states(repo: Repo, commits: MergeCommits, loaded: LoadedConfig, *, path: str,
                 texts: tuple[str, str, str], merged: str) -> MergeStates | str:
    """The replay inputs of the four schemas, or why there are none ("" when ``path`` is
    not a schema file of the project: nothing to say)."""
    prefix = project_prefix(repo, loaded.root)
    file = project_path(path, prefix)
    dirs = loaded.config.directories
    schema_dir = dirs.schema_dir.strip("/")
    if file is None or not (schema_dir in ("", ".") or file.startswith(schema_dir + "/")):
        return ""
    sides = (commits.base, commits.ours, commits.theirs)
    blobs = [schema_blobs(repo, c, prefix, dirs.schema_dir, dirs.roles_file) for c in sides]
    merged_files = _merged_files(repo, file, blobs)
    if isinstance(merged_files, str):
        return merged_files
    merged_files[file] = merged.encode("utf-8")
    labels = ("the common ancestor", "ours", "theirs")
    files = [{file: text.encode("utf-8")} for text in texts]
    trees = [tree_at(repo, c, prefix, f, label) for c, f, label in zip(sides, files, labels)]
    trees.append(tree_at(repo, commits.ours, prefix, merged_files, "the merged result"))
    inputs = []
    for tree in trees:
        try:
            project = load_project_from_tree(tree, loaded.config, origin=tree.label)
        except PgmtGitError as exc:
            return f"{tree.label} cannot be read: {str(exc).splitlines()[0]}"
        inputs.append(project.schema_inputs())
    return MergeStates(*inputs)


def _merged_files(repo: Repo, file: str, blobs: list[dict[str, str]]
                  ) -> dict[str, bytes | None] | str:
    """The files git's merge takes from theirs or merges, other than ``file``."""
    base, ours, theirs = blobs
    out: dict[str, bytes | None] = {}
    for path in sorted({*base, *ours, *theirs} - {file}):
        b, o, t = base.get(path), ours.get(path), theirs.get(path)
        if o == t or b == t:
            continue
        if b == o:
            out[path] = None if t is None else read_blob(repo, t)
            continue
        if None in (o, t):
            return f"{path} is deleted on one side and changed on the other"
        try:
            texts = [read_blob(repo, blob).decode("utf-8") if blob else "" for blob in (b, o, t)]
            result = merge_sql(*texts, path=path)
        except (UnicodeDecodeError, CannotMerge):
            return f"{path} also needs a merge the SQL merge cannot do"
        if not result.clean:
            return f"{path} has conflicts too; verify after resolving them (`pgmt-git check`)"
        out[path] = result.text.encode("utf-8")
    return out


# ------------------------------------------------------------------ problems -> statements


def keys_for(problem: MergeProblem, text: SqlText, here: str) -> list[Key]:
    """The pieces of the merged file (at project path ``here``) a problem is about."""
    if problem.path is not None:
        if problem.path != here or problem.line is None:
            return []
        for piece in text.pieces:
            statement = piece.statement
            if statement is not None and statement.line <= problem.line <= statement.end_line:
                return [piece.key]
        return []
    keys: list[Key] = []
    for oid in problem.ids:
        found = _about(text, oid)
        if oid.parent is not None and (not found or oid.kind.value == "column"):
            found += _about(text, oid.parent, column=oid.name if oid.kind.value == "column"
                            else None)
        keys += [k for k in found if k not in keys]
    return keys


_KEY_KINDS = {
    "table": "relation", "view": "relation", "materialized view": "relation",
    "sequence": "relation", "index": "relation", "composite": "type", "enum": "type",
    "domain": "type", "range": "type", "function": "routine", "procedure": "routine",
    "aggregate": "routine",
}


def _about(text: SqlText, oid: ObjectId, *, column: str | None = None) -> list[Key]:
    """Pieces about ``oid``: the one that creates it when there is one, else all. With
    ``column``, the relation's creation and the ALTER statements naming that column."""
    found = [p.key for p in text.pieces if _matches(_identity(p.key), oid)]
    creating = [key for key in found if key[0] == "create"]
    if column is not None:
        altering = [key for key in found if key[0] == "AlterTableStmt"
                    and any(isinstance(c, tuple) and column in c for c in key[2])]
        return creating + altering
    return creating or found


def _identity(key: Key) -> tuple[Any, ...] | None:
    identity = key[1] if len(key) > 1 else None
    return identity if isinstance(identity, tuple) and len(identity) == 5 else None


def _matches(identity: tuple[Hashable, ...] | None, oid: ObjectId) -> bool:
    if identity is None:
        return False
    kind, schema, name, args, parent = identity
    if kind != _KEY_KINDS.get(oid.kind.value, oid.kind.value) or name != oid.name:
        return False
    if oid.parent is None and schema is not None and schema != oid.schema:
        return False
    if oid.kind.is_routine and isinstance(args, tuple) and ", ".join(args) != oid.args:
        return False
    if oid.parent is not None and kind != "relation":
        return isinstance(parent, tuple) and _matches(parent, oid.parent)
    return True

