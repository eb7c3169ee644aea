"""A schema file as the merge sees it: keyed pieces that join back into the exact text.

A piece is one statement with what belongs to it: the blank lines and comments above it
(``lead``), the statement and a comment on the rest of its last line (``body``), and the line
break after it (``sep``, not part of the content: a statement that becomes the last one, or
stops being it, keeps its content). Two more pieces hold a file header (the comments at the
top, when a blank line parts them from the first statement: ``-- require:`` lines live
there) and the comments after the last statement. A byte order mark and the file's final
line break are properties of the file, merged on their own.

``join`` of what ``split`` gives is the text it was given, byte for byte.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from pgmt_git.git.merge_keys import Key, describe, numbered, statement_merge_key
from pgmt_git.project.sqltext import Statement, split_statements, statement_tree

HEADER: Key = ("<header>",)
TAIL: Key = ("<tail>",)
BOM = "\ufeff"

_REST_OF_LINE = re.compile(r"[ \t]*(?:--[^\r\n]*)?\r?")
_BLANK_LINE = re.compile(r"\n[ \t]*\r?\n")


@dataclass(frozen=True)
class Piece:
    key: Key
    lead: str
    body: str
    # "\n", "\r\n", "" (the next statement is on the same line), None (the last piece)
    sep: str | None = field(compare=False)
    statement: Statement | None = field(default=None, compare=False)
    what: str | None = field(default=None, compare=False)  # the object, in words

    @property
    def content(self) -> tuple[str, str]:
        return self.lead, self.body

    @property
    def text(self) -> str:
        return self.lead + self.body


@dataclass(frozen=True)
class SqlText:
    bom: bool
    final_newline: str
    newline: str  # the file's line break, for lines the merge adds
    pieces: tuple[Piece, ...]

    def keyed(self) -> dict[Key, Piece]:
        return {piece.key: piece for piece in self.pieces}


class KeyCache:
    """Keys and descriptions by statement text, shared by the three versions of a file:
    most statements are the same in all three, and decoding a parse tree is the cost."""

    def __init__(self) -> None:
        self._known: dict[tuple[str, str], tuple[Key, str | None]] = {}

    def of(self, statement: Statement) -> tuple[Key, str | None]:
        cache_key = (statement.node, statement.text)
        found = self._known.get(cache_key)
        if found is None:
            tree = statement_tree(statement)
            found = (statement_merge_key(statement.node, tree), describe(statement.node, tree))
            self._known[cache_key] = found
        return found


def split(text: str, *, path: str = "<sql>", keys: KeyCache | None = None) -> SqlText:
    """The pieces of ``text``. Raises SourceError when it is not valid SQL."""
    keys = keys or KeyCache()
    bom = text.startswith(BOM)
    body = text[1:] if bom else text
    final = "\r\n" if body.endswith("\r\n") else "\n" if body.endswith("\n") else ""
    body = body[: len(body) - len(final)]
    statements = split_statements(body, path=path)
    pieces: list[Piece] = []
    position = 0
    for statement in statements:
        lead = body[position:statement.start]
        if not pieces:
            header, lead = _header(lead)
            if header is not None:
                pieces.append(Piece(HEADER, "", header[0], header[1]))
        trailer, sep, position = _rest_of_line(body, statement.end)
        key, what = keys.of(statement)
        pieces.append(Piece(key, lead, statement.text + trailer, sep, statement, what))
    if position < len(body) or (pieces and pieces[-1].sep is not None):
        pieces.append(Piece(TAIL, "", body[position:], None))
    unique = numbered(p.key for p in pieces)
    pieces = [p if p.key == k else _rekeyed(p, k) for p, k in zip(pieces, unique)]
    return SqlText(bom, final, _newline(text), tuple(pieces))


def _rekeyed(piece: Piece, key: Key) -> Piece:
    return Piece(key, piece.lead, piece.body, piece.sep, piece.statement, piece.what)


def _header(lead: str) -> tuple[tuple[str, str] | None, str]:
    """Split a file header off the first statement's lead: the comment lines up to the
    last blank line, when there are any."""
    blanks = list(_BLANK_LINE.finditer(lead))
    if not blanks:
        return None, lead
    cut = blanks[-1].start()
    header = lead[:cut]
    if not header.strip():
        return None, lead
    sep = "\r\n" if header.endswith("\r") else "\n"
    return (header.removesuffix("\r"), sep), lead[cut + 1:]


def _rest_of_line(text: str, end: int) -> tuple[str, str | None, int]:
    """What follows a statement on its line: (trailing comment and spaces, line break,
    where the next piece starts)."""
    match = _REST_OF_LINE.match(text, end)
    assert match is not None  # the pattern matches the empty string
    stop = match.end()
    if stop == len(text):
        return text[end:stop], None, stop
    if text[stop] == "\n":
        rest = text[end:stop]
        if rest.endswith("\r"):
            return rest[:-1], "\r\n", stop + 1
        return rest, "\n", stop + 1
    return "", "", end  # another statement or a block comment follows on this line


def _newline(text: str) -> str:
    crlf = text.count("\r\n")
    return "\r\n" if crlf and crlf >= text.count("\n") - crlf else "\n"


def join(pieces: Sequence[Piece | str], *, newline: str, final_newline: str,
         bom: bool) -> str:
    """The text of ``pieces`` (a str is literal text, such as a conflict block, ending
    where a line ends)."""
    out: list[str] = [BOM] if bom else []
    last = len(pieces) - 1
    for index, piece in enumerate(pieces):
        if isinstance(piece, str):
            out.append(piece)
            if index < last:
                out.append(newline)
            continue
        out.append(piece.text)
        if index < last:
            out.append(newline if piece.sep is None else piece.sep)
    out.append(final_newline)
    return "".join(out)


def line_break_before(done: Sequence[Piece | str]) -> bool:
    """Whether the text so far ends mid-line (a statement followed by another on its line)."""
    if not done:
        return False
    last = done[-1]
    return not isinstance(last, str) and last.sep == ""

