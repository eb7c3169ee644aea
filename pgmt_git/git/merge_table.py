"""Merging two changes of one ``CREATE TABLE``: per column and per table constraint.

The statement is cut into the text before its element list, the elements (columns, table
constraints, ``LIKE`` clauses) and the text after the list; each part is merged three-way,
the elements by key like statements are (merge_seq). Cutting needs to know where the
element list's parentheses and commas are, outside strings, quoted names and comments; the
parse tree says what each element is. An element's text is the blank lines and comments
above it, the element, and a comment after its comma on the same line; the commas are put
back when the statement is joined, so an element that becomes the last one (or stops being
it) keeps its content.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterator
from dataclasses import dataclass

from pgmt_git.git.merge_keys import content_key
from pgmt_git.git.merge_seq import Conflicted, merge_values, merged_order, pick
from pgmt_git.project.sqlobjects import Json

_OPEN, _CLOSE, _COMMA = "(", ")", ","
_SPACE = re.compile(r"[ \t\r\n\f\v]+")
_LINE_COMMENT = re.compile(r"--[^\n]*")
_QUOTED = {"'": re.compile(r"'(?:[^']|'')*'"), '"': re.compile(r'"(?:[^"]|"")*"')}
_ESCAPE_STRING = re.compile(r"[eE]'(?:[^'\\]|\\.|'')*'", re.DOTALL)
_DOLLAR_TAG = re.compile(r"\$(?:[A-Za-z_\x80-\uffff][A-Za-z0-9_\x80-\uffff]*)?\$")
_WORD = re.compile(r"[A-Za-z0-9_$\x80-\uffff]+")
_AFTER_COMMA = re.compile(r"[ \t]*--[^\r\n]*")
_NOT_ELEMENTS = ("ofTypename", "partbound")


class CannotSplit(Exception):
    """The statement is not a plain CREATE TABLE (..) this module can take apart."""


@dataclass(frozen=True)
class Element:
    key: Hashable
    text: str  # lead + element + trailing comment after its comma


@dataclass(frozen=True)
class TableText:
    head: str  # up to and including the opening parenthesis
    elements: tuple[Element, ...]
    closing: str  # blank text between the last element and the closing parenthesis
    rest: str  # from the closing parenthesis on

    def keyed(self) -> dict[Hashable, str]:
        return {e.key: e.text for e in self.elements}


def split_table(text: str, tree: Json) -> TableText:
    """The parts of a CREATE TABLE statement's text; CannotSplit when it has no plain list."""
    if any(field in tree for field in _NOT_ELEMENTS):
        raise CannotSplit("typed table or partition")
    keys = [_element_key(e) for e in tree.get("tableElts", [])]
    tokens = list(_tokens(text))
    opening = next((i for i, (start, end) in enumerate(tokens)
                    if text[start:end] == _OPEN), None)
    if opening is None:
        raise CannotSplit("no element list")
    bounds, close = _element_bounds(text, tokens, opening)
    if len(bounds) != len(keys) or len(set(keys)) != len(keys):
        raise CannotSplit("elements do not match the parse tree")
    elements = []
    head_end = tokens[opening][1]
    position = head_end
    for index, (start, end, comma) in enumerate(bounds):
        stop = end if comma is None else comma
        match = _AFTER_COMMA.match(text, end if comma is None else comma + 1)
        trail = match.group() if match else ""
        elements.append(Element(keys[index], text[position:stop] + trail))
        position = match.end() if match else stop if comma is None else comma + 1
    closing_start = position if bounds else head_end
    return TableText(text[:head_end], tuple(elements), text[closing_start:close],
                     text[close:])


def join_table(table: TableText) -> str:
    parts = [table.head]
    last = len(table.elements) - 1
    for index, element in enumerate(table.elements):
        lead_and_element, trail = _cut_trail(element.text)
        parts.append(lead_and_element)
        if index < last:
            parts.append(_COMMA)
        parts.append(trail)
    parts += [table.closing, table.rest]
    return "".join(parts)


def merge_table(base: tuple[str, Json], ours: tuple[str, Json], theirs: tuple[str, Json]
                ) -> str | None:
    """The merged statement text, or None when the changes conflict (or the statements
    cannot be taken apart)."""
    try:
        b, o, t = (split_table(text, tree) for text, tree in (base, ours, theirs))
    except CannotSplit:
        return None
    parts = []
    for part in ("head", "closing", "rest"):
        decided, value = pick(getattr(b, part), getattr(o, part), getattr(t, part))
        if not decided:
            return None
        parts.append(value)
    merged = merge_values(b.keyed(), o.keyed(), t.keyed(), _conflict)
    if any(isinstance(v, Conflicted) for v in merged.values()):
        return None
    order = merged_order([e.key for e in b.elements], [e.key for e in o.elements],
                         [e.key for e in t.elements], merged)
    elements = tuple(Element(k, merged[k]) for k in order)  # type: ignore[arg-type]
    head, closing, rest = parts
    return join_table(TableText(head or "", elements, closing or "", rest or ""))


def _conflict(key: Hashable, base: str | None, ours: str | None, theirs: str | None
              ) -> Conflicted[str]:
    return Conflicted(base, ours, theirs)


# ------------------------------------------------------------------------------ elements


def _element_key(node: Json) -> Hashable:
    ((kind, body),) = node.items()
    if kind == "ColumnDef":
        return ("column", body.get("colname"))
    if kind == "Constraint" and body.get("conname"):
        return ("constraint", body["conname"])
    if kind == "TableLikeClause":
        relation = body.get("relation", {})
        return ("like", relation.get("schemaname"), relation.get("relname"))
    return (kind, content_key(body))


def _cut_trail(text: str) -> tuple[str, str]:
    """An element's text without its trailing comment, and that comment."""
    end = _last_token_end(text)
    if _AFTER_COMMA.fullmatch(text, end):
        return text[:end], text[end:]
    return text, ""


def _last_token_end(text: str) -> int:
    end = 0
    for _, token_end in _tokens(text):
        end = token_end
    return end


def _element_bounds(text: str, tokens: list[tuple[int, int]], opening: int
                    ) -> tuple[list[tuple[int, int, int | None]], int]:
    """(start, end, comma) of each element of the list that opens at ``tokens[opening]``
    (end: after its last token; comma: the index of the comma after it, or None) and the
    index of the closing parenthesis."""
    bounds: list[tuple[int, int, int | None]] = []
    depth = 0
    start: int | None = None
    end = 0
    for token_start, token_end in tokens[opening + 1:]:
        token = text[token_start:token_end]
        if depth == 0 and token in (_COMMA, _CLOSE):
            if start is None:
                if token == _CLOSE and not bounds:
                    return bounds, token_start  # CREATE TABLE t ()
                raise CannotSplit("empty element")
            bounds.append((start, end, token_start if token == _COMMA else None))
            start = None
            if token == _CLOSE:
                return bounds, token_start
            continue
        if start is None:
            start = token_start
        depth += token == _OPEN
        depth -= token == _CLOSE
        end = token_end
    raise CannotSplit("unbalanced parentheses")


def _tokens(text: str) -> Iterator[tuple[int, int]]:
    """Spans of the tokens that matter here: words, quoted strings and names, dollar-quoted
    strings, and single characters; spaces and comments are skipped."""
    index, length = 0, len(text)
    while index < length:
        char = text[index]
        match = _SPACE.match(text, index) or _LINE_COMMENT.match(text, index)
        if match:
            index = match.end()
            continue
        if text.startswith("/*", index):
            index = _block_comment_end(text, index)
            continue
        end = _quoted_end(text, index, char)
        if end is None:
            word = _WORD.match(text, index)
            end = word.end() if word else index + 1
        yield index, end
        index = end


def _quoted_end(text: str, index: int, char: str) -> int | None:
    if char in "eE" and text.startswith("'", index + 1):
        match = _ESCAPE_STRING.match(text, index)
        if match is None:
            raise CannotSplit("unterminated string")
        return match.end()
    if char in _QUOTED:
        match = _QUOTED[char].match(text, index)
        if match is None:
            raise CannotSplit("unterminated string")
        return match.end()
    if char == "$":
        tag = _DOLLAR_TAG.match(text, index)
        if tag is not None and not (index and _WORD.match(text[index - 1])):
            close = text.find(tag.group(), tag.end())
            if close == -1:
                raise CannotSplit("unterminated dollar quote")
            return close + len(tag.group())
    return None


def _block_comment_end(text: str, index: int) -> int:
    depth = 0
    for mark in re.finditer(r"/\*|\*/", text[index:]):
        depth += 1 if mark.group() == "/*" else -1
        if depth == 0:
            return index + mark.end()
    raise CannotSplit("unterminated comment")
