"""Regeneration after a rebase: a branch's own migrations, rebuilt on the new upstream chain.

A branch migration is a migration file of HEAD that the upstream tree does not have. In
version order, each is regenerated: from the state of the upstream chain plus the branch
migrations already regenerated, to the schema files at the branch commit that last changed
it. A file still as generated (its ``generated=`` hash matches) gets the new text; a hand
edited one is merged statement by statement (base: its old generated text, rebuilt from the
state it was generated against before the rebase; ours: the file; theirs: the new text). A
file without a header was written by hand: it is kept and only renumbered. Versions go above
the newest upstream version, in the same order. The oracle then replays the upstream chain
plus the result and requires the schema files at HEAD.

All of this runs only when a branch migration is stale (``Regenerator.up_to_date``): its
version does not sort above the upstream's, or its ``from=`` is not the state the chain
before it now replays to.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from pgmt_git.diff import Catalog, render_sql, render_statements
from pgmt_git.errors import SourceError
from pgmt_git.git.merge import CannotMerge, Labels, merge_sql
from pgmt_git.git.regenerate_history import (
    REBUILD_ATTEMPTS,
    History,
    branch_migrations,
    line_merge,
)
from pgmt_git.migrate.generate import migration_body
from pgmt_git.migrate.hashing import catalog_hash, comparable
from pgmt_git.pg.cache import chain_keys
from pgmt_git.pg.states import StateReader, diff_to_schema
from pgmt_git.project.migrations import (
    GENERATED_MARKER,
    MigrationFile,
    body_hash,
    migration_filename,
    parse_generated_header,
    strip_generated_header,
)
from pgmt_git.project.source import Project, ReplayInput


class Outcome(str, enum.Enum):
    REGENERATED = "regenerated"
    MERGED = "merged hand edits"
    UNCHANGED = "unchanged"
    REMOVED = "removed"
    CONFLICT = "conflict"
    HAND_WRITTEN = "hand-written, kept"


@dataclass(frozen=True)
class Regenerated:
    """One branch migration's fate. ``text`` is None when the file goes away."""

    old_path: str
    new_path: str
    outcome: Outcome
    text: str | None
    notes: tuple[str, ...] = ()
    previous_text: str | None = None  # the file before: what ``changed`` compares with

    @property
    def changed(self) -> bool:
        """Whether the file is renamed, rewritten or removed (a hand-written or merged file
        may come out as it was: then there is nothing to write, stage or commit)."""
        return self.old_path != self.new_path or self.text != self.previous_text


@dataclass(frozen=True)
class Regeneration:
    onto: str
    migrations: tuple[Regenerated, ...]
    differences: str = ""  # what the oracle found missing, as SQL; "" when verified
    verified: bool = True

    @property
    def conflicts(self) -> tuple[Regenerated, ...]:
        return tuple(m for m in self.migrations if m.outcome is Outcome.CONFLICT)

    @property
    def ok(self) -> bool:
        return not self.conflicts and not self.differences

    @property
    def changed(self) -> bool:
        return any(m.changed for m in self.migrations)


@dataclass
class _Chain:
    """The replay inputs so far: upstream chain, then regenerated branch migrations."""

    inputs: list[ReplayInput]
    replayable: bool = True


def newest_version(project: Project) -> int:
    return max((m.version for m in (*project.chain.migrations, *project.chain.baselines)),
               default=0)


def renumbered(versions: Sequence[int], floor: int) -> tuple[int, ...]:
    """Versions above ``floor``, in the same order: kept where they already are."""
    result: list[int] = []
    for version in versions:
        lowest = max(floor, result[-1] if result else floor) + 1
        result.append(max(version, lowest))
    return tuple(result)


class Regenerator:
    def __init__(self, history: History, reader: StateReader, *, onto: str, upstream: str,
                 head: str, before: Sequence[str]) -> None:
        self.history = history
        self.reader = reader
        self.onto = onto
        self.upstream_commit = upstream
        self.head_commit = head
        self.before = tuple(before)
        self._catalogs: dict[str, Catalog] = {}  # chain states by replay cache key

    @cached_property
    def upstream(self) -> Project:
        return self.history.project_at(self.upstream_commit)

    @cached_property
    def branch(self) -> tuple[MigrationFile, ...]:
        return branch_migrations(self.history.migrations_at(self.head_commit), self.upstream)

    @cached_property
    def versions(self) -> tuple[int, ...]:
        return renumbered([m.version for m in self.branch], newest_version(self.upstream))

    def up_to_date(self) -> bool:
        """No branch migration is stale: each already sorts above the upstream's newest
        version (and above the one before it), and each generated one's ``from=`` names
        the state the upstream chain plus the branch migrations before it replay to. The
        versions come from git objects; the states from the template cache, where a
        regeneration finds them again. A ``from=`` of another hash recipe counts as stale:
        regenerating rewrites it. A hand-written migration has no ``from=``: with one, the
        chain must also still replay to the schema files at HEAD (else the regeneration
        warns about it and reports what the oracle finds missing)."""
        if self.versions != tuple(m.version for m in self.branch):
            return False
        inputs = list(self.upstream.chain_inputs())
        hand_written = False
        for migration in self.branch:
            header = parse_generated_header(migration.text)
            if header is not None and not self._generated_from(inputs, header.from_hash):
                return False
            hand_written = hand_written or header is None
            inputs.append(ReplayInput(migration.path, migration.text, "migration"))
        return not hand_written or not self._missing(inputs)

    @cached_property
    def _head(self) -> tuple[Project, Catalog]:
        """The schema files at HEAD and their catalog, read once per run (both the staleness
        check and the regeneration's verification compare with them)."""
        head = self.history.schema_at(self.head_commit)
        return head, self.reader.files(head.schema_inputs())

    def _missing(self, inputs: Sequence[ReplayInput]) -> str:
        """What the chain ``inputs`` replays to lacks of the schema files at HEAD, as SQL."""
        head, desired = self._head
        missing = diff_to_schema(self._state(inputs), desired, head)
        return render_sql(missing) if missing else ""

    def _generated_from(self, inputs: Sequence[ReplayInput], from_hash: str) -> bool:
        if not comparable(from_hash):
            return False
        try:
            return catalog_hash(self._state(inputs)) == from_hash
        except SourceError:
            return False  # a branch migration fails to replay: the regeneration says so

    def _state(self, inputs: Sequence[ReplayInput]) -> Catalog:
        """The catalog ``inputs`` replay to, read once per run."""
        key = chain_keys(inputs)[-1]
        if key not in self._catalogs:
            self._catalogs[key] = self.reader.files(inputs)
        return self._catalogs[key]

    def regenerate(self) -> Regeneration:
        """Every branch migration rebuilt on the upstream chain, then the oracle's verdict
        (run it when ``up_to_date`` says no: a fresh migration would come out unchanged,
        at the cost of its replays and of a verification)."""
        if not self.branch:
            return Regeneration(self.onto, ())
        chain = _Chain(list(self.upstream.chain_inputs()))
        done = [self._one(m, v, chain) for m, v in zip(self.branch, self.versions)]
        if not chain.replayable:
            return Regeneration(self.onto, tuple(done), verified=False)
        return Regeneration(self.onto, tuple(done), self._missing(chain.inputs))

    def _one(self, migration: MigrationFile, version: int, chain: _Chain) -> Regenerated:
        prefix = self.history.config.migration.filename_prefix
        directory = migration.path[: -len(migration.filename)]
        new_path = directory + migration_filename(version, migration.description, prefix)
        header = parse_generated_header(migration.text)
        if header is None:
            text = migration.text
            _append(chain, new_path, text)
            note = "no generated= header: written by hand, kept as is (only renumbered)"
            return Regenerated(migration.path, new_path, Outcome.HAND_WRITTEN, text, (note,),
                               migration.text)
        start = self._state(chain.inputs)
        body = self._generated(migration, start)
        from_hash = catalog_hash(start)
        ours = strip_generated_header(migration.text)
        if header.generated == body_hash(ours):
            return self._replaced(migration, new_path, body, from_hash, chain)
        return self._merged(migration, new_path, body, from_hash, chain, header.generated)

    def _generated(self, migration: MigrationFile, start: Catalog) -> str:
        commit = next(self.history.changes_of(self.head_commit, migration.path,
                                              hidden=(self.upstream_commit,)),
                      self.head_commit)
        if not self.history.contains(commit, self.upstream_commit):
            # Upstream was merged in after this commit: its schema files lack upstream's
            # changes, and a diff to them would undo those. HEAD has both.
            commit = self.head_commit
        return self._body(start, self.history.schema_at(commit))

    def _body(self, start: Catalog, project: Project) -> str:
        """What ``migrate new`` writes from ``start`` to ``project``'s schema files."""
        changes = diff_to_schema(start, self.reader.files(project.schema_inputs()), project)
        return migration_body(changes, render_statements(changes), start) if changes else ""

    def _replaced(self, migration: MigrationFile, new_path: str, body: str, from_hash: str,
                  chain: _Chain) -> Regenerated:
        if not body:
            note = "its changes are already upstream: the file is removed"
            return Regenerated(migration.path, new_path, Outcome.REMOVED, None, (note,),
                               migration.text)
        text = _with_header(body, body, from_hash)
        _append(chain, new_path, text)
        same = text == migration.text and new_path == migration.path
        return Regenerated(migration.path, new_path,
                           Outcome.UNCHANGED if same else Outcome.REGENERATED, text,
                           previous_text=migration.text)

    def _merged(self, migration: MigrationFile, new_path: str, body: str, from_hash: str,
                chain: _Chain, generated: str) -> Regenerated:
        ours = strip_generated_header(migration.text)
        base = self._old_generated(migration, generated)
        notes: tuple[str, ...] = ()
        if base is None:
            base = body
            notes = ("its generated text could not be rebuilt from the history before the "
                     "rebase: the file is kept as edited (the oracle checks the result)",)
        labels = Labels(ours="as edited", base="as generated before", theirs="as regenerated")
        try:
            result = merge_sql(base, ours, body, labels=labels, path=new_path)
        except CannotMerge as exc:
            return self._conflict(migration, new_path, line_conflicts(base, ours, body, labels),
                                  body, from_hash, chain,
                                  (f"the SQL merge cannot read it: {exc.reason}",
                                   "merged line by line (git merge-file) instead: the "
                                   "markers show where the file as edited and the "
                                   "regenerated text differ"))
        if not result.clean:
            reasons = tuple(f"{c.what} (line {c.line}): {c.reason}"
                            for c in result.conflicts)
            return self._conflict(migration, new_path, result.text, body, from_hash, chain,
                                  reasons)
        text = _with_header(result.text, body, from_hash)
        _append(chain, new_path, text)
        same = text == migration.text and new_path == migration.path  # merged before
        return Regenerated(migration.path, new_path,
                           Outcome.UNCHANGED if same else Outcome.MERGED, text, notes,
                           migration.text)

    def _conflict(self, migration: MigrationFile, new_path: str, merged: str, body: str,
                  from_hash: str, chain: _Chain, reasons: tuple[str, ...]) -> Regenerated:
        # Later migrations build on the regenerated text; the oracle cannot run on markers.
        _append(chain, new_path, body)
        chain.replayable = False
        return Regenerated(migration.path, new_path, Outcome.CONFLICT,
                           _with_header(merged, body, from_hash), reasons, migration.text)

    def _old_generated(self, migration: MigrationFile, generated: str) -> str | None:
        """The text the migration was generated with: regenerated against the state it
        was generated from, in the history of the branch before the rebase."""
        tried: set[str] = set()
        for tip in (*self.before, self.head_commit):
            if self.history.blob(tip, migration.path) is None:
                continue
            for commit in self.history.changes_of(tip, migration.path,
                                                  hidden=(self.upstream_commit,)):
                if commit in tried or len(tried) >= REBUILD_ATTEMPTS:
                    continue
                tried.add(commit)
                body = self._generated_at(commit, migration)
                if body is not None and body_hash(body) == generated:
                    return body
        return None

    def _generated_at(self, commit: str, migration: MigrationFile) -> str | None:
        try:
            project = self.history.project_at(commit)
        except SourceError:
            return None  # not a chain that was ever generated against
        own = [m for m in project.chain.migrations if m.path == migration.path]
        if not own:
            return None
        return self._body(self.reader.files(project.chain_inputs(before=own[0].version)),
                          project)


def line_conflicts(base: str, ours: str, theirs: str, labels: Labels) -> str:
    """Conflict markers for a hand edit the SQL merge cannot read: git's line merge of the
    three texts; where that comes out clean, ours against theirs over an empty base, so
    that the markers hold everything the two differ in. A clean line merge of SQL that
    nothing could read would be taken on trust, and dropping the edit would be silent."""
    text, clean = line_merge(base, ours, theirs, labels)
    if clean:
        text, _ = line_merge("", ours, theirs, labels)
    return text


def _with_header(text: str, generated_body: str, from_hash: str) -> str:
    """``text`` under a header that records the generated body (not ``text``): a merged
    file keeps counting as hand edited."""
    return f"{GENERATED_MARKER} generated={body_hash(generated_body)} from={from_hash}\n{text}"


def _append(chain: _Chain, path: str, text: str) -> None:
    chain.inputs.append(ReplayInput(path, text, "migration"))


# ------------------------------------------------------------------------------ report


def report_lines(regeneration: Regeneration) -> list[str]:
    lines = []
    for m in regeneration.migrations:
        moved = m.new_path != m.old_path and m.text is not None
        where = f"{m.old_path} -> {m.new_path}" if moved else m.old_path
        lines.append(f"{where}: {m.outcome.value}")
        lines += [f"    {note}" for note in m.notes]
    if regeneration.differences:
        lines.append("the oracle found the regenerated chain short of the schema files at "
                     "HEAD; still missing:")
        lines += ["    " + line for line in regeneration.differences.rstrip().splitlines()]
    elif not regeneration.verified:
        lines.append("not verified: resolve the conflicts, then run `pgmt-git check`")
    return lines
