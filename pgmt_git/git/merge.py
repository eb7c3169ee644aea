"""The SQL-aware three-way merge of a schema file. Pure: three texts in, a result out.

Each version is cut into pieces keyed by the database object their statement is about
(merge_text, merge_keys). Per key: unchanged on one side takes the other, the same change
on both is taken once, added on one side is added next to its neighbours from that side,
deleted on one side and unchanged on the other is deleted. When both sides change one
``CREATE TABLE``, its columns and table constraints are merged one by one (merge_table).
The blank lines above a statement, the comments above it and the statement itself are
merged separately, so a comment edited on one side travels with a statement changed on the
other, also when that side added a statement above it.

What is left (both sides change one object differently, one deletes what the other
changes, both add one name differently) becomes a conflict: git's markers, of the size
git asks for, around that object only. Untouched text stays byte for byte; the file's line
breaks, final line break and byte order mark are kept.

The merge refuses (``CannotMerge``) what it cannot read: a version that is not valid SQL or
that holds conflict markers already. The caller then falls back to a line merge.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from pgmt_git.errors import SourceError
from pgmt_git.git.merge_keys import Key
from pgmt_git.git.merge_seq import Conflicted, merge_values, merged_order, pick
from pgmt_git.git.merge_table import merge_table
from pgmt_git.git.merge_text import (
    HEADER,
    TAIL,
    KeyCache,
    Piece,
    SqlText,
    join,
    line_break_before,
    split,
)
from pgmt_git.project.sqltext import statement_tree

__all__ = ["CannotMerge", "Conflict", "ConflictStyle", "Labels", "MergeResult", "merge_sql",
           "pieces", "short_label"]

EXPLANATION_PREFIX = "-- pgmt-git: "
_BLANK_LINES = re.compile(r"(?:[ \t]*\r?\n)*")
_SIDES = ("base", "ours", "theirs")


class ConflictStyle(str, enum.Enum):
    """git's ``merge.conflictStyle``: ``diff3`` (and ``zdiff3``) also show the base."""

    MERGE = "merge"
    DIFF3 = "diff3"


@dataclass(frozen=True)
class Labels:
    """What the conflict markers say: branch names when git provides them."""

    ours: str = "ours"
    base: str = "base"
    theirs: str = "theirs"


@dataclass(frozen=True)
class Conflict:
    """One conflicting object: what it is, why, and the line of its ``<<<<<<<`` marker."""

    what: str
    reason: str
    line: int


@dataclass(frozen=True)
class MergeResult:
    text: str
    conflicts: tuple[Conflict, ...]

    @property
    def clean(self) -> bool:
        return not self.conflicts


class CannotMerge(Exception):
    """The SQL merge cannot read an input; ``reason`` says which and why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def merge_sql(base: str, ours: str, theirs: str, *, labels: Labels = Labels(),
              marker_size: int = 7, style: ConflictStyle = ConflictStyle.MERGE,
              path: str = "<sql>", forced: Mapping[Key, str] | None = None) -> MergeResult:
    """Merge the three versions of a SQL file (see the module's docstring).

    ``forced``: keys (from ``pieces``) to present as conflicts whatever the merge decides,
    each with an explanation written above its markers: how the oracle reports a merge
    that is clean as text but wrong as a schema.
    """
    texts = {"base": base, "ours": ours, "theirs": theirs}
    for side, text in texts.items():
        _refuse_markers(side, text, marker_size)
    if not forced:
        if ours == theirs or base == theirs:
            return MergeResult(ours, ())
        if base == ours:
            return MergeResult(theirs, ())
    keys = KeyCache()
    versions = {side: _split(side, text, path, keys) for side, text in texts.items()}
    return _Merger(versions, labels=labels, marker_size=marker_size, style=style,
                   forced=forced or {}).run()


def pieces(text: str, *, path: str = "<sql>") -> SqlText:
    """The keyed pieces of a SQL text, as ``merge_sql`` sees them (for ``forced``)."""
    try:
        return split(text, path=path)
    except SourceError as exc:
        raise CannotMerge(str(exc).split("\n", 1)[0]) from exc


def _split(side: str, text: str, path: str, keys: KeyCache) -> SqlText:
    try:
        return split(text, path=path, keys=keys)
    except SourceError as exc:
        first = str(exc).split("\n", 1)[0]
        raise CannotMerge(f"{_SIDE_WORDS[side]} is not SQL the merge can read: {first}"
                          ) from exc


_SIDE_WORDS = {"base": "the common ancestor", "ours": "our version",
               "theirs": "their version"}


def _refuse_markers(side: str, text: str, size: int) -> None:
    pattern = re.compile(
        rf"^(?:<{{{size}}}|>{{{size}}}|\|{{{size}}})(?: |\r?$)|^={{{size}}}\r?$", re.MULTILINE)
    found = pattern.search(text)
    if found is not None:
        line = text.count("\n", 0, found.start()) + 1
        raise CannotMerge(f"{_SIDE_WORDS[side]} already holds a conflict marker "
                          f"(line {line})")


class _Merger:
    def __init__(self, versions: Mapping[str, SqlText], *, labels: Labels, marker_size: int,
                 style: ConflictStyle, forced: Mapping[Key, str]) -> None:
        self.base, self.ours, self.theirs = (versions[side] for side in _SIDES)
        self.labels = labels
        self.size = marker_size
        self.style = style
        self.forced = forced
        self.newline = self.ours.newline

    def run(self) -> MergeResult:
        b, o, t = self.base.keyed(), self.ours.keyed(), self.theirs.keyed()
        outcomes = merge_values(b, o, t, self._resolve, trivial=_only_blank_lines)
        for key in self.forced:
            if key in b or key in o or key in t:
                outcomes[key] = Conflicted(b.get(key), o.get(key), t.get(key))
        order = merged_order(list(b), list(o), list(t), outcomes)
        done: list[Piece | str] = []
        found: list[tuple[str, str]] = []
        for key in order:
            outcome = outcomes[key]
            if isinstance(outcome, Conflicted):
                done.append(self._block(key, outcome, mid_line=line_break_before(done)))
                reason = self.forced.get(key) or _reason(outcome, self.labels)
                found.append((_what(key, outcome), reason))
            else:
                done.append(outcome)
        _, final = pick(self.base.final_newline, self.ours.final_newline,
                        self.theirs.final_newline)
        _, bom = pick(self.base.bom, self.ours.bom, self.theirs.bom)
        text = join(done, newline=self.newline,
                    final_newline=self.ours.final_newline if final is None else final,
                    bom=bool(bom))
        return MergeResult(text, _located(found, text, self.size))

    # ------------------------------------------------------------------ one key

    def _resolve(self, key: Key, base: Piece | None, ours: Piece | None,
                 theirs: Piece | None) -> Piece | Conflicted[Piece]:
        """Both sides have the key, and changed it differently (or both added it)."""
        assert ours is not None and theirs is not None
        lead = _merge_lead(base, ours, theirs)
        body = self._merge_body(base, ours, theirs)
        if lead is None or body is None:
            return Conflicted(base, ours, theirs)
        sep_from = ours if body == ours.body else theirs
        return Piece(key, lead, body, sep_from.sep, sep_from.statement, sep_from.what)

    def _merge_body(self, base: Piece | None, ours: Piece, theirs: Piece) -> str | None:
        decided, body = pick(None if base is None else base.body, ours.body, theirs.body)
        if decided:
            return body
        if base is None or not all(_is_table(p) for p in (base, ours, theirs)):
            return None
        trailers = {_trailer(p) for p in (base, ours, theirs)}
        if len(trailers) != 1:
            return None  # a changed comment after the statement: not worth guessing
        (trailer,) = trailers
        merged = merge_table(*(_table_input(p) for p in (base, ours, theirs)))
        return None if merged is None else merged + trailer

    # ------------------------------------------------------------------ conflicts

    def _block(self, key: Key, conflict: Conflicted[Piece], *, mid_line: bool) -> str:
        nl = self.newline
        present = conflict.ours or conflict.theirs or conflict.base
        assert present is not None
        outside = _BLANK_LINES.match(present.lead)
        prefix = outside.group() if outside else ""
        lines = [""] * prefix.count("\n")  # the blank lines above stay above
        explanation = self.forced.get(key)
        if explanation is not None:
            lines += [EXPLANATION_PREFIX + line for line in explanation.splitlines()]
        lines.append(_marker("<", self.size, self.labels.ours))
        lines += _side(conflict.ours)
        if self.style is ConflictStyle.DIFF3:
            lines.append(_marker("|", self.size, self.labels.base))
            lines += _side(conflict.base)
        lines.append(_marker("=", self.size, ""))
        lines += _side(conflict.theirs)
        lines.append(_marker(">", self.size, self.labels.theirs))
        block = nl.join(lines)
        return (nl if mid_line else "") + block


def _side(piece: Piece | None) -> list[str]:
    """A side's text inside the markers: its lead after the blank lines, and its body."""
    if piece is None:
        return []
    lead = _BLANK_LINES.match(piece.lead)
    start = lead.end() if lead else 0
    return [piece.lead[start:] + piece.body]


def _marker(char: str, size: int, label: str) -> str:
    return char * size + (f" {label}" if label else "")


def _merge_lead(base: Piece | None, ours: Piece, theirs: Piece) -> str | None:
    """The blank lines above a statement and the comments below them, merged separately:
    a statement one side adds above this one changes the blank lines, a comment the other
    side writes the comments."""
    decided, lead = pick(None if base is None else base.lead, ours.lead, theirs.lead)
    if decided:
        return lead
    if ours.lead.strip() == theirs.lead.strip():
        return _longer(ours.lead, theirs.lead)
    b, o, t = (None if p is None else _lead_parts(p.lead) for p in (base, ours, theirs))
    assert o is not None and t is not None
    decided, comments = pick(None if b is None else b[1], o[1], t[1])
    if not decided or comments is None:
        return None
    decided, blank = pick(None if b is None else b[0], o[0], t[0])
    return (blank if decided and blank is not None else _longer(o[0], t[0])) + comments


def _longer(ours: str, theirs: str) -> str:
    """Of two texts that differ only in blank lines, not a conflict worth anyone's time,
    the longer one, whichever side it is on."""
    return max(ours, theirs, key=lambda text: (len(text), text))


def _lead_parts(lead: str) -> tuple[str, str]:
    """(the blank lines at the top of a lead, the rest)."""
    blank = _BLANK_LINES.match(lead)
    cut = blank.end() if blank else 0
    return lead[:cut], lead[cut:]


def _only_blank_lines(before: Piece, after: Piece) -> bool:
    return before.body == after.body and before.lead.strip() == after.lead.strip()


def _is_table(piece: Piece) -> bool:
    return piece.statement is not None and piece.statement.node == "CreateStmt"


def _trailer(piece: Piece) -> str:
    assert piece.statement is not None
    return piece.body[len(piece.statement.text):]


def _table_input(piece: Piece) -> tuple[str, dict]:
    assert piece.statement is not None
    return piece.statement.text, statement_tree(piece.statement)


def _reason(conflict: Conflicted[Piece], labels: Labels) -> str:
    ours, theirs = short_label(labels.ours), short_label(labels.theirs)
    if conflict.base is None:
        return "both sides add it, differently"
    if conflict.ours is None:
        return f"{ours} deletes it, {theirs} changes it"
    if conflict.theirs is None:
        return f"{ours} changes it, {theirs} deletes it"
    return "both sides change it, differently"


def short_label(label: str) -> str:
    """``1a2b3c4 (Add a view)`` -> ``1a2b3c4``: enough to name a side in a sentence."""
    return label.split(" (", 1)[0] or label


def _what(key: Key, conflict: Conflicted[Piece]) -> str:
    if key == HEADER:
        return "the comments at the top of the file"
    if key == TAIL:
        return "the comments at the end of the file"
    for piece in (conflict.ours, conflict.theirs, conflict.base):
        if piece is not None and piece.what:
            return piece.what
    present = conflict.ours or conflict.theirs or conflict.base
    first = present.body.split("\n", 1)[0].strip() if present else ""
    return f"statement `{first[:60]}`"


def _located(found: Sequence[tuple[str, str]], text: str, size: int) -> tuple[Conflict, ...]:
    marker = re.compile(rf"^<{{{size}}}(?: |\r?$)", re.MULTILINE)
    lines = [text.count("\n", 0, m.start()) + 1 for m in marker.finditer(text)]
    return tuple(Conflict(what, reason, line) for (what, reason), line in zip(found, lines))
