"""The rules that keep published migrations immutable and ordered.

Checked on the files a branch changed (its merge base with the protected ref against the
index or a commit), against what the protected ref publishes:

- a published file keeps its exact content (compared with CRLF read as LF, so a checkout
  with ``core.autocrlf`` is not an edit), its name, its version and its place;
- a new migration has a version above every published migration and baseline; a new
  baseline one at or above every published migration and above every published baseline;
- no two migrations (or two baselines) anywhere in the checked tree share a version (when
  two published files do, renumbering one of them above the newest is the fix, not a
  refused rename);
- no project file keeps conflict markers.

Pure: changes come in as paths and blob ids with a blob reader (see guard.py).
"""

from __future__ import annotations

import enum
import posixpath
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from pgmt_git.git.published import FileKind, Layout, Published
from pgmt_git.project.migrations import SQL_SUFFIX, parse_migration_filename

# A merge leaves these at the start of a line (the middle one only with merge.conflictStyle
# diff3/zdiff3); a lone "=======" is left out: it is also a plausible SQL comment rule line.
_CONFLICT_MARKERS = ("<<<<<<<", "|||||||", ">>>>>>>")


class Rule(str, enum.Enum):
    """What a finding breaks. The value is its name in reports (JSON ``rule``)."""

    MODIFIED = "published-modified"
    DELETED = "published-deleted"
    RENAMED = "published-renamed"
    ORDER = "migration-order"
    DUPLICATE = "duplicate-version"
    CONFLICT = "conflict-markers"
    # Found by `pgmt-git check` only: they need a shadow database or a whole project.
    UNREADABLE = "project-unreadable"
    REPLAY = "replay-failed"
    DRIFT = "chain-differs-from-schema"
    STALE = "stale-from-hash"


# The groups a hook can be limited to (`--rules`), as the pre-commit hook ids split them.
RULE_GROUPS: Mapping[str, frozenset[Rule]] = {
    "immutable": frozenset({Rule.MODIFIED, Rule.DELETED, Rule.RENAMED}),
    "order": frozenset({Rule.ORDER, Rule.DUPLICATE}),
    "conflicts": frozenset({Rule.CONFLICT}),
}


@dataclass(frozen=True)
class Finding:
    """One broken rule: the file (a repository path), what is wrong, and how to fix it."""

    rule: Rule
    path: str
    problem: str
    fix: str
    ref: str | None = None  # the protected ref the rule was checked against
    details: tuple[str, ...] = ()  # e.g. the differences a replay found, one per line

    def as_json(self) -> dict[str, object]:
        return {"rule": self.rule.value, "path": self.path, "ref": self.ref,
                "problem": self.problem, "fix": self.fix, "details": list(self.details)}


@dataclass(frozen=True)
class Change:
    """A file the branch changed: ``new_id`` is None when it deleted it."""

    path: str
    new_id: str | None


Reader = Callable[[str], bytes]


def check_changes(
    changes: Iterable[Change], *, layout: Layout, published: Published, read: Reader,
    target: str, base: Published | None = None,
) -> list[Finding]:
    """Every rule broken by ``changes`` (what ``target`` changed since its merge base with
    the protected ref) against the files ``published`` on that ref. ``base``: the
    migrations and baselines of the tree the changes were made to (the merge base; often
    the protected tree itself, then pass ``published``), for versions shared by files the
    branch did not change."""
    changes = list(changes)
    mine = [c for c in changes if layout.kind(c.path) or published.layout.kind(c.path)]
    rules = _Rules(layout, published, read, target)
    findings = rules.conflicts(mine)
    deleted, new = rules.published_edits(mine, findings)
    new = rules.renames(deleted, new, findings)
    findings += rules.ordering(new)
    if base is not None:
        findings += rules.shared_versions(base, {c.path for c in changes}, new, findings)
    return sorted(findings, key=lambda f: (f.path, f.rule.value))


class _Rules:
    def __init__(self, layout: Layout, published: Published, read: Reader, target: str):
        self.layout = layout
        self.published = published
        self.ref = published.ref
        self.read = read
        self.target = target

    def _finding(self, rule: Rule, path: str, problem: str, fix: str) -> Finding:
        return Finding(rule, path, problem, fix, self.ref)

    def _restore(self, path: str) -> str:
        return f"git restore --source={self.ref} --staged --worktree {path}"

    # -------------------------------------------------------------------- conflict markers

    def conflicts(self, changes: Sequence[Change]) -> list[Finding]:
        found = []
        for change in changes:
            if change.new_id is None or not self.layout.kind(change.path):
                continue
            line = conflict_marker_line(_text(self.read(change.new_id)))
            if line is not None:
                found.append(self._finding(
                    Rule.CONFLICT, change.path,
                    f"conflict marker left at line {line}",
                    f"resolve the conflict in {change.path}, then `git add {change.path}`"))
        return found

    # -------------------------------------------------------------------- published files

    def published_edits(self, changes: Sequence[Change], findings: list[Finding]
                        ) -> tuple[list[str], list[Change]]:
        """Record edits of published files; return the deleted ones and the new files."""
        deleted: list[str] = []
        new: list[Change] = []
        for change in changes:
            published_id = self.published.files.get(change.path)
            if published_id is None:
                if change.new_id is not None and self._is_chain_file(change.path):
                    new.append(change)
            elif change.new_id is None:
                deleted.append(change.path)
            elif change.new_id != published_id:
                edit = describe_edit(_text(self.read(published_id)),
                                     _text(self.read(change.new_id)))
                if edit is not None:
                    findings.append(self._finding(
                        Rule.MODIFIED, change.path,
                        f"published on {self.ref}, but {self.target} {edit}",
                        f"{self._restore(change.path)}, then make the change in a new "
                        "migration"))
        return deleted, new

    def _is_chain_file(self, path: str) -> bool:
        return self.layout.kind(path) in (FileKind.MIGRATION, FileKind.BASELINE)

    def renames(self, deleted: Sequence[str], new: list[Change], findings: list[Finding]
                ) -> list[Change]:
        """Record each deleted published file as deleted, or renamed when one of the new
        files has its content; return the new files that are not such renames."""
        remaining = list(new)
        renumberable = self._renumberable(deleted) if deleted else set()
        for path in deleted:
            match = self._same_content(self.published.files[path], remaining)
            if match is not None and path in renumberable:
                continue  # the new name is checked as a new file: above every version
            if match is None:
                findings.append(self._finding(
                    Rule.DELETED, path, f"published on {self.ref}, but {self.target} deletes it",
                    self._restore(path)))
                continue
            remaining.remove(match)
            findings.append(self._finding(
                Rule.RENAMED, path,
                f"published on {self.ref}, but {self.target} renames it to {match.path}"
                f"{self._rename_detail(path, match.path)}",
                f"git mv {match.path} {path}"))
        return remaining

    def _renumberable(self, deleted: Sequence[str]) -> set[str]:
        """Deleted published files whose version another published file keeps: renaming
        one out of a shared version is how the duplicate is mended."""
        gone = set(deleted)
        return {path for _kind, _version, paths in self.published.shared_versions()
                if not set(paths) <= gone for path in paths if path in gone}

    def _same_content(self, blob_id: str, candidates: Sequence[Change]) -> Change | None:
        for change in candidates:
            if change.new_id == blob_id:
                return change
        text = _text(self.read(blob_id))
        for change in candidates:
            assert change.new_id is not None
            if _text(self.read(change.new_id)) == text:
                return change
        return None

    def _rename_detail(self, old: str, new: str) -> str:
        old_version = self.published.layout.version(old)
        new_version = self.layout.version(new)
        if old_version != new_version:
            return f" (version {old_version} becomes {new_version})"
        old_name, new_name = posixpath.basename(old), posixpath.basename(new)
        if old_name.endswith(new_name) or new_name.endswith(old_name):
            return " (its file name prefix changes)"
        return ""

    # -------------------------------------------------------------------- ordering

    def _newest(self) -> int | None:
        """The highest published version, migration or baseline."""
        versions = (self.published.newest(FileKind.MIGRATION),
                    self.published.newest(FileKind.BASELINE))
        return max((v for v in versions if v is not None), default=None)

    def ordering(self, new: Sequence[Change]) -> list[Finding]:
        newest_migration = self.published.newest(FileKind.MIGRATION)
        newest_baseline = self.published.newest(FileKind.BASELINE)
        newest = self._newest()
        findings = []
        claimed: dict[tuple[FileKind, int], str] = {}
        for change in sorted(new, key=lambda c: c.path):
            kind = self.layout.kind(change.path)
            version = self.layout.version(change.path)
            if kind is None or version is None:
                continue  # not a readable name: `pgmt-git check` reports it
            twin = claimed.setdefault((kind, version), change.path)
            same = self.published.holder(kind, version) if version <= (newest or -1) else None
            if same is not None or twin != change.path:
                findings.append(self._duplicate(change.path, version, same, twin, newest))
            elif _sorts_below(kind, version, newest_migration, newest_baseline):
                assert newest is not None
                findings.append(self._too_old(change.path, kind, version, newest))
        return findings

    def _duplicate(self, path: str, version: int, published: str | None, twin: str,
                   newest: int | None) -> Finding:
        other = (f"the published {published} on {self.ref}" if published is not None
                 else twin)
        return self._finding(
            Rule.DUPLICATE, path, f"version {version} is also the version of {other}",
            f"give it a new version: run `pgmt-git migrate rebase`, or "
            f"`git mv {path} {self._renamed(path, newest)}`")

    def shared_versions(self, base: Published, changed: set[str], new: Sequence[Change],
                        findings: Sequence[Finding]) -> list[Finding]:
        """Versions that files of the checked tree share beyond what the new files' checks
        saw: two files the branch did not change (both published, or the protected ref
        moved on since the merge base), or a new file and such a file."""
        reported = {f.path for f in findings if f.rule is Rule.DUPLICATE}
        newest = self._newest()
        groups = [[p for p in paths if p not in changed]
                  for _kind, _version, paths in base.shared_versions()]
        if base is not self.published:  # an unchanged file the protected ref no longer has
            for change in new:
                kind, version = self.layout.kind(change.path), self.layout.version(change.path)
                holder = base.holder(kind, version) if kind and version is not None else None
                if holder is not None and holder not in changed:
                    groups.append([holder, change.path])
        found = []
        for group in groups:
            if len(group) < 2:
                continue
            version = self.layout.version(group[0])
            assert version is not None
            # The published ones first: the others are the ones to renumber.
            first, *others = sorted(group, key=lambda p: (p not in self.published.files, p))
            for path in others:
                if path in reported:
                    continue
                reported.add(path)
                if first in self.published.files and path in self.published.files:
                    found.append(self._finding(
                        Rule.DUPLICATE, path,
                        f"version {version} is also the version of {first}; both published "
                        f"on {self.ref}, and a database records one migration per version",
                        "renumber the one your databases have not run (`pgmt-git migrate "
                        f"status` tells) in a commit of its own: `git mv {path} "
                        f"{self._renamed(path, newest)}` (renaming a file out of a shared "
                        "version is allowed)"))
                else:
                    published = first if first in self.published.files else None
                    found.append(self._duplicate(path, version, published, first, newest))
        return found

    def _too_old(self, path: str, kind: FileKind, version: int, newest: int) -> Finding:
        return self._finding(
            Rule.ORDER, path,
            f"new {kind.value} with version {version}, not above version {newest} "
            f"published on {self.ref}",
            f"run `pgmt-git migrate rebase`, or `git mv {path} {self._renamed(path, newest)}`")

    def _renamed(self, path: str, newest: int | None) -> str:
        """``path`` with the next free version (above ``newest``)."""
        directory, name = posixpath.split(path)
        version = self.layout.version(path)
        target = (newest or 0) + 1
        if self.layout.kind(path) is FileKind.BASELINE:
            new_name = f"baseline_{target}{SQL_SUFFIX}"
        else:
            parsed = parse_migration_filename(name, prefix=self.layout.filename_prefix)
            description = parsed[1] if parsed else "migration"
            prefix = name[: name.index(str(version))] if version is not None else ""
            new_name = f"{prefix}{target}_{description}{SQL_SUFFIX}"
        return posixpath.join(directory, new_name)


def _sorts_below(kind: FileKind, version: int, newest_migration: int | None,
                 newest_baseline: int | None) -> bool:
    migration = -1 if newest_migration is None else newest_migration
    baseline = -1 if newest_baseline is None else newest_baseline
    if kind is FileKind.MIGRATION:
        return version <= max(migration, baseline)
    # A baseline stands for the state after the migrations up to its own version.
    return version < migration or version <= baseline


# ------------------------------------------------------------------------ text comparisons


def _text(data: bytes) -> str:
    """Blob text with CRLF read as LF; undecodable bytes kept distinct, never an error."""
    return data.decode("utf-8", "surrogateescape").replace("\r\n", "\n")


def describe_edit(old: str, new: str) -> str | None:
    """How ``new`` differs from ``old`` ("changes line 3", "changes a section header ..."),
    or None when they are the same text."""
    if old == new:
        return None
    old_lines, new_lines = _lines(old), _lines(new)
    line = next((n for n, (a, b) in enumerate(zip(old_lines, new_lines), 1) if a != b),
                min(len(old_lines), len(new_lines)) + 1)
    if _header_lines(old_lines) != _header_lines(new_lines):
        return f"changes a section header (line {line})"
    if len(new_lines) > len(old_lines) and new_lines[: len(old_lines)] == old_lines:
        return f"adds lines after line {len(old_lines)}"
    return f"changes line {line}"


def _lines(text: str) -> list[str]:
    """Lines without their terminators (a final newline ends the last line, adds none)."""
    return text.removesuffix("\n").split("\n") if text else []


def _header_lines(lines: Sequence[str]) -> list[str]:
    # Imported here: only an edited published file needs it, and hooks start on every commit.
    from pgmt_git.project.sections import is_directive, is_header

    return [line.strip() for line in lines if is_header(line) or is_directive(line)]


def conflict_marker_line(text: str) -> int | None:
    """The 1-based line of the first merge conflict marker, or None."""
    for number, line in enumerate(text.split("\n"), 1):
        if line.startswith(_CONFLICT_MARKERS):
            return number
    return None
