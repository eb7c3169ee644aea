"""Statement splitting and object identity, with PostgreSQL's own parser (pglast).

The only module that imports pglast. A file is parsed once, as a whole: the parser knows
where statements end (dollar quotes, `BEGIN ATOMIC ... END`, nested comments, E'' strings),
which no hand-written splitter gets entirely right. pglast reports UTF-8 byte offsets;
statements carry str indices.

Each Statement keeps its slice of that one parse's JSON output, as text: holding it costs
nothing, and decoding it only when defined_object or needs_autocommit asks is cheaper than
either building pglast's Python tree for every statement up front or parsing again.
Identity (which object a tree names) lives in sqlobjects.py, which needs no parser.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from pglast.parser import ParseError, parse_sql_json, scan

from pgmt_git.errors import SourceError
from pgmt_git.project.sqlobjects import Json, ObjectRef, object_key, object_of

__all__ = [
    "ObjectRef",
    "Statement",
    "defined_object",
    "needs_autocommit",
    "split_statements",
    "statement_key",
    "statement_tree",
]


@dataclass(frozen=True)
class Statement:
    """One statement of a file, exactly as written.

    start/end: character offsets into the file's text (str indices, not bytes); text ==
    source[start:end], from the first token to the terminating semicolon included (or the
    end of the last token when the file ends without one). Comments and blank lines before
    the first token belong to no statement.
    line/column, end_line/end_column: 1-based, of the first and last character; columns
    count characters, so a tab or a multi-byte character is one column.
    copy_data: for COPY ... FROM stdin, the data lines that follow (up to and including the
    terminating "\\." line, without that line's line break), else None; the statement's end
    then covers the data too. Data running to the end of the file (no "\\.") is kept whole.
    node: the pglast node type name ("CreateStmt", "IndexStmt", ...).
    parse_json: the statement's parse tree as libpg_query JSON, kept from the one parse of
    the file; read it with `statement_tree`. Not compared: it follows from the text.
    """

    text: str
    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int
    node: str
    copy_data: str | None = None
    parse_json: str | None = field(default=None, compare=False, repr=False)


def split_statements(text: str, *, path: str = "<sql>") -> tuple[Statement, ...]:
    """Split SQL text into statements. Raises SourceError(path, line, column) on bad SQL."""
    _refuse_nul(text, path)
    copies = _copy_blocks(text, path)
    # COPY data is not SQL: it is replaced by as many spaces as it has UTF-8 bytes, so the
    # parser skips it and every byte offset it reports still holds for the original text.
    blanks = [(c.data_start, c.data_end) for c in copies]
    if text.startswith("\ufeff"):  # a byte order mark some editors write
        blanks.insert(0, (0, 1))
    sql = _blank(text, blanks)
    try:
        parsed = parse_sql_json(sql)
    except ParseError as error:
        raise _parse_error(error, text, sql, path) from None
    offsets, lines = _Offsets(text), _Lines(text)
    copy_at = {c.semicolon: c for c in copies}
    statements: list[Statement] = []
    previous_end = blanks[0][1] if blanks and blanks[0][0] == 0 else 0
    for raw in _raw_statements(parsed):
        start, end = _span(raw, text, offsets, previous_end)
        copy = copy_at.get(end - 1) if raw.node == "CopyStmt" else None
        if copy is not None:
            end = copy.data_end
        statements.append(
            Statement(
                text=text[start:end],
                start=start,
                end=end,
                line=lines.line(start),
                column=lines.column(start),
                end_line=lines.line(end - 1),
                end_column=lines.column(end - 1),
                node=raw.node,
                copy_data=None if copy is None else text[copy.data_start : copy.data_end],
                parse_json=raw.tree,
            )
        )
        previous_end = end
    return tuple(statements)


def statement_tree(statement: Statement) -> Json:
    """The statement's parse tree (the node's fields, as libpg_query's JSON has them).

    Statements from split_statements carry their tree from the file's one parse; a
    Statement built by hand is parsed again here.
    """
    tree = statement.parse_json
    if tree is None:
        parsed = split_statements(statement.text)
        if not parsed:
            raise SourceError("not a SQL statement", hint=f"got {statement.text!r}")
        tree = parsed[0].parse_json
    return json.loads(tree or "{}")[statement.node]


def defined_object(statement: Statement) -> ObjectRef | None:
    """The object the statement creates, alters, drops, comments on or grants on.

    GRANT/REVOKE and DROP naming several objects give the first; ON ALL ... IN SCHEMA s
    gives schema s. ALTER TABLE with one ADD CONSTRAINT gives the constraint (parent: the
    table); any other ALTER TABLE gives the table. Data statements (INSERT, UPDATE, DELETE,
    SELECT, COPY, ...) and session statements (SET, ...) give None.
    """
    return object_of(statement.node, statement_tree(statement))


def statement_key(statement: Statement) -> tuple[Any, ...] | None:
    """A hashable identity of the object the statement is about, or None (see object_key).

    Several statements share a key when they are about one object: CREATE TABLE t,
    COMMENT ON TABLE t and GRANT ... ON t all have the key of table t.
    """
    ref = defined_object(statement)
    return None if ref is None else object_key(ref)


def needs_autocommit(statement: Statement) -> bool:
    """True for statements PostgreSQL refuses inside a transaction block.

    CREATE/DROP INDEX CONCURRENTLY, REINDEX CONCURRENTLY, VACUUM, CREATE/DROP DATABASE,
    CREATE/DROP TABLESPACE, ALTER SYSTEM, DETACH PARTITION CONCURRENTLY, ...
    Decided from the parse tree, never from text (a comment mentioning CONCURRENTLY is not).
    """
    check = _AUTOCOMMIT.get(statement.node)
    return check is not None and check(statement_tree(statement))


# ------------------------------------------------------------------ offsets and positions


class _Offsets:
    """Byte offsets of the text's UTF-8 encoding to str indices and back.

    libpg_query reports byte offsets; only non-ASCII characters make the two differ, so
    only their positions are stored.
    """

    def __init__(self, text: str) -> None:
        self._chars: list[int] = []  # str index of each non-ASCII character
        self._bytes: list[int] = []  # byte offset of each non-ASCII character
        self._extra: list[int] = [0]  # extra bytes of the first k non-ASCII characters
        if text.isascii():
            return
        for match in re.finditer(r"[^\x00-\x7f]", text):
            self._chars.append(match.start())
            self._bytes.append(match.start() + self._extra[-1])
            self._extra.append(self._extra[-1] + len(match.group().encode()) - 1)

    def char(self, byte: int) -> int:
        return byte - self._extra[bisect_left(self._bytes, byte)]

    def byte(self, char: int) -> int:
        return char + self._extra[bisect_left(self._chars, char)]


class _Lines:
    """1-based line and column of a str index; lines end at "\\n" (so CRLF works too)."""

    def __init__(self, text: str) -> None:
        self._starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def line(self, index: int) -> int:
        return bisect_right(self._starts, index)

    def column(self, index: int) -> int:
        return index - self._starts[self.line(index) - 1] + 1


# ------------------------------------------------------------------------ raw statements


class _Raw(NamedTuple):
    node: str
    location: int  # byte offset of the statement (its first token, since PostgreSQL 18)
    length: int  # bytes up to the terminating semicolon; 0: runs to the end of the text
    tree: str  # JSON of {node: fields}


# libpg_query's JSON is {"version":N,"stmts":[{"stmt":{"Node":{...}},"stmt_location":L,
# "stmt_len":N}, ...]}, with zero values left out. Decoding all of it costs several times
# the parse itself, so each RawStmt is cut out of the text instead and its tree decoded only
# when asked for. This is exact: RawStmt is the only node with a field named "stmt", and a
# quote inside a JSON string is escaped, so `{"stmt":{"` starts a RawStmt and nothing else.
_RAW_START = re.compile(r'\{"stmt":\{"(\w+)":')
_RAW_END = re.compile(r'\}(?:,"stmt_location":(\d+))?(?:,"stmt_len":(\d+))?\}(?:,|\]\})$')


def _raw_statements(parsed: str) -> list[_Raw]:
    starts = [(m.start(), m.group(1)) for m in _RAW_START.finditer(parsed)]
    bounds = [s for s, _ in starts[1:]] + [len(parsed)]
    raws = []
    for (start, node), bound in zip(starts, bounds):
        tail = _RAW_END.search(parsed, max(start, bound - 64), bound)
        if tail is None:  # not the shape above: take the slow, certain way
            return _raw_statements_decoded(parsed)
        location, length = (int(g or 0) for g in tail.groups())
        raws.append(_Raw(node, location, length, parsed[start + 8 : tail.start() + 1]))
    return raws


def _raw_statements_decoded(parsed: str) -> list[_Raw]:
    raws = []
    for raw in json.loads(parsed).get("stmts", []):
        ((node, _),) = raw["stmt"].items()
        tree = json.dumps(raw["stmt"], separators=(",", ":"))
        raws.append(_Raw(node, raw.get("stmt_location", 0), raw.get("stmt_len", 0), tree))
    return raws


_BLANK = re.compile(r"(?:[ \t\n\r\f\v]+|--[^\n\r]*)+")
_COMMENT_MARK = re.compile(r"/\*|\*/")


def _skip_blank(text: str, index: int) -> int:
    """The index of the first token at or after `index` (skipping spaces and comments)."""
    while True:
        match = _BLANK.match(text, index)
        index = match.end() if match else index
        if not text.startswith("/*", index):
            return index
        depth = 0  # PostgreSQL's block comments nest
        for mark in _COMMENT_MARK.finditer(text, index):
            depth += 1 if mark.group() == "/*" else -1
            if depth == 0:
                index = mark.end()
                break
        else:
            return len(text)


def _span(raw: _Raw, text: str, offsets: _Offsets, previous_end: int) -> tuple[int, int]:
    """Start and end (str indices) of a statement: first token to semicolon included."""
    # PostgreSQL before 18 puts stmt_location right after the previous semicolon, before
    # comments and COPY data: starting from the previous statement's end and skipping
    # blanks gives the first token with either version.
    start = _skip_blank(text, max(offsets.char(raw.location), previous_end))
    if raw.length:
        return start, offsets.char(raw.location + raw.length) + 1
    # The last statement, without a semicolon: it ends with its last token, not with the
    # comments or blanks after it.
    tokens = [t for t in scan(text[start:]) if t.name not in _COMMENT_TOKENS]
    return start, start + tokens[-1].end + 1


def _blank(text: str, ranges: list[tuple[int, int]]) -> str:
    if not ranges:
        return text
    pieces, done = [], 0
    for start, end in ranges:
        pieces += [text[done:start], " " * len(text[start:end].encode())]
        done = end
    return "".join(pieces) + text[done:]


# ---------------------------------------------------------------------- COPY ... FROM stdin


class _Copy(NamedTuple):
    semicolon: int  # str index of the semicolon ending the COPY statement
    data_start: int  # first character of the data (the line after the statement)
    data_end: int  # just after the "\." that ends the data, or the end of the text


class _Token(NamedTuple):
    name: str
    start: int
    end: int  # exclusive


_STDIN = re.compile(r"(?<![\w$])stdin(?![\w$])", re.IGNORECASE)
_COPY = re.compile(r"(?<![\w$])copy(?![\w$])", re.IGNORECASE)
_END_OF_DATA = re.compile(r"^\\\.(?=\r?\n|\Z)", re.MULTILINE)
_COMMENT_TOKENS = frozenset({"SQL_COMMENT", "C_COMMENT"})
_SEMICOLON = "ASCII_59"


def _copy_blocks(text: str, path: str) -> list[_Copy]:
    """Every COPY ... FROM stdin statement and the data after it, as psql reads a file.

    The parser cannot be asked first: the data is not SQL and may not even scan (a lone
    quote). So each "stdin" in the text is checked with the scanner, from a point where the
    scanner is known to be between tokens, up to that word.
    """
    copies: list[_Copy] = []
    # The scanner is between tokens at `resume`: after a semicolon, a COPY's data, a BOM.
    resume = 1 if text.startswith("\ufeff") else 0
    for match in _STDIN.finditer(text):
        if match.start() < resume:
            continue
        resume = _nearer_start(text, resume, match.start())
        tokens = _tokens(text, resume, match.end())
        if tokens is None:  # "stdin" inside a string, quoted name or comment
            continue
        semicolons = [i for i, t in enumerate(tokens) if t.name == _SEMICOLON]
        statement = tokens[semicolons[-1] + 1 :] if semicolons else tokens
        resume = tokens[semicolons[-1]].end if semicolons else resume
        if not _is_copy_from_stdin(statement, match.end()):
            continue
        semicolon = _statement_end(text, match.end())
        if semicolon is None:  # the last statement, without a semicolon: no data follows
            break
        copies.append(_copy_data(text, semicolon, path))
        resume = copies[-1].data_end
    return copies


def _nearer_start(text: str, resume: int, stdin: int) -> int:
    """The last COPY keyword before `stdin` if it provably starts a statement, else `resume`.

    Scanning from `resume` is exact but slow over a long stretch (pglast converts each
    token's offset with a linear search). Parsing is fast, and when the text before the
    keyword parses as whole statements followed by blanks, the keyword starts a statement.
    """
    keyword = None
    for keyword in _COPY.finditer(text, resume, stdin):
        pass
    if keyword is None:
        return resume
    before = text[resume : keyword.start()]
    try:
        raws = _raw_statements(parse_sql_json(before))
    except ParseError:
        return resume
    after = 0
    if raws:
        if not raws[-1].length:  # the keyword is inside an unfinished statement
            return resume
        after = _Offsets(before).char(raws[-1].location + raws[-1].length) + 1
    # The sentinel stops a comment that runs to the keyword from passing as blank.
    proven = _skip_blank(before + "x", after) == len(before)
    return keyword.start() if proven else resume


def _tokens(text: str, start: int, end: int) -> list[_Token] | None:
    """Tokens of text[start:end] without comments (absolute str indices), None if it won't scan."""
    try:
        scanned = scan(text[start:end])
    except ParseError:
        return None
    return [
        _Token(t.name, start + t.start, start + t.end + 1)
        for t in scanned
        if t.name not in _COMMENT_TOKENS
    ]


def _is_copy_from_stdin(statement: list[_Token], stdin_end: int) -> bool:
    # COPY's grammar puts the file name right after FROM: COPY t (a, b) FROM STDIN [WITH ...];
    # COPY (query) only goes TO, so a FROM STDIN after "COPY (" is inside the query.
    return (
        len(statement) >= 3
        and statement[0].name == "COPY"
        and statement[1].name != "ASCII_40"
        and statement[-2].name == "FROM"
        and statement[-1].name == "STDIN"
        and statement[-1].end == stdin_end
    )


def _statement_end(text: str, start: int) -> int | None:
    """The index of the semicolon ending the statement that goes on at `start`."""
    candidate = text.find(";", start)
    while candidate != -1:
        tokens = _tokens(text, start, candidate + 1)
        if tokens and tokens[-1].name == _SEMICOLON and tokens[-1].end == candidate + 1:
            return candidate
        candidate = text.find(";", candidate + 1)  # that one was in a string or comment
    return None


def _copy_data(text: str, semicolon: int, path: str) -> _Copy:
    line_end = text.find("\n", semicolon)
    line_end = len(text) if line_end == -1 else line_end
    rest = text[semicolon + 1 : line_end].strip()
    if rest and not rest.startswith("--"):
        # psql would read the data from the next line and run this text after it.
        lines = _Lines(text)
        raise SourceError(
            "text after COPY ... FROM stdin; on the same line",
            path=path, line=lines.line(semicolon + 1), column=lines.column(semicolon + 1),
            hint="start the COPY data on the line after the COPY statement",
        )
    data_start = min(line_end + 1, len(text))
    end = _END_OF_DATA.search(text, data_start)
    return _Copy(semicolon, data_start, len(text) if end is None else end.end())


# ------------------------------------------------------------------------------- errors

_PARSE_HINT = (
    "fix the SQL at this position; schema and migration files must be plain SQL that "
    "PostgreSQL accepts (psql backslash commands other than COPY data are not supported)"
)


def _parse_error(error: ParseError, text: str, sql: str, path: str) -> SourceError:
    message, index = error.args[0], error.args[1] if len(error.args) > 1 else None
    if index is None:  # "at end of input": point just after the last character
        index = len(text.rstrip())
    elif sql != text:
        # pglast counts characters of the text it parsed, where COPY data became spaces.
        index = _Offsets(text).char(_Offsets(sql).byte(index))
    lines = _Lines(text)
    return SourceError(
        f"invalid SQL: {message}",
        path=path, line=lines.line(index), column=lines.column(index), hint=_PARSE_HINT,
    )


def _refuse_nul(text: str, path: str) -> None:
    # The parser reads a C string: it would silently stop at the first NUL.
    index = text.find("\x00")
    if index != -1:
        lines = _Lines(text)
        raise SourceError(
            "NUL character in SQL text",
            path=path, line=lines.line(index), column=lines.column(index),
            hint="remove it; PostgreSQL does not accept NUL characters in SQL",
        )


# ---------------------------------------------------------------------------- autocommit


def _enabled(options: list[Json] | None, name: str, default: bool) -> bool:
    """A boolean option (DefElem) of a statement: `name`, `name true`, `name = off`, ..."""
    for option in options or ():
        elem = option["DefElem"]
        if elem["defname"] != name:
            continue
        arg = elem.get("arg")
        if arg is None:
            return True
        if "Boolean" in arg:
            return bool(arg["Boolean"].get("boolval"))
        if "Integer" in arg:
            return bool(arg["Integer"].get("ival"))
        value = arg.get("String", {}).get("sval", "")
        return value.lower() not in ("false", "off", "no", "0")
    return default


def _detaches_concurrently(stmt: Json) -> bool:
    return any(
        cmd["AlterTableCmd"].get("subtype") == "AT_DetachPartition"
        and cmd["AlterTableCmd"].get("def", {}).get("PartitionCmd", {}).get("concurrent", False)
        for cmd in stmt.get("cmds", [])
    )


def _creates_slot(stmt: Json) -> bool:
    # create_slot defaults to the value of connect, which defaults to true.
    connect = _enabled(stmt.get("options"), "connect", True)
    return _enabled(stmt.get("options"), "create_slot", connect)


def _refreshes(stmt: Json) -> bool:
    kind = stmt.get("kind", "")
    if kind == "ALTER_SUBSCRIPTION_REFRESH":
        return True
    publication = kind.endswith("_PUBLICATION")
    return publication and _enabled(stmt.get("options"), "refresh", True)


_MULTI_TABLE_REINDEX = frozenset(
    {"REINDEX_OBJECT_SCHEMA", "REINDEX_OBJECT_SYSTEM", "REINDEX_OBJECT_DATABASE"}
)


_PREPARED_COMMANDS = frozenset({"TRANS_STMT_COMMIT_PREPARED", "TRANS_STMT_ROLLBACK_PREPARED"})


def _always(stmt: Json) -> bool:
    return True


# Each entry mirrors a PreventInTransactionBlock call in PostgreSQL's sources.
_AUTOCOMMIT: dict[str, Callable[[Json], bool]] = {
    "IndexStmt": lambda s: bool(s.get("concurrent")),
    "DropStmt": lambda s: bool(s.get("concurrent")),
    "ReindexStmt": lambda s: (
        _enabled(s.get("params"), "concurrently", False) or s.get("kind") in _MULTI_TABLE_REINDEX
    ),
    "AlterTableStmt": _detaches_concurrently,
    "VacuumStmt": lambda s: bool(s.get("is_vacuumcmd")),  # ANALYZE alone is allowed
    "ClusterStmt": lambda s: "relation" not in s,  # CLUSTER of every table
    "CreatedbStmt": _always,
    "DropdbStmt": _always,
    "AlterDatabaseStmt": lambda s: any(
        o["DefElem"]["defname"] == "tablespace" for o in s.get("options", [])
    ),
    "CreateTableSpaceStmt": _always,
    "DropTableSpaceStmt": _always,
    "AlterSystemStmt": _always,
    "CreateSubscriptionStmt": _creates_slot,
    "AlterSubscriptionStmt": _refreshes,
    # Refused when the subscription has a replication slot, which cannot be seen from here.
    "DropSubscriptionStmt": _always,
    "DiscardStmt": lambda s: s.get("target") == "DISCARD_ALL",
    "TransactionStmt": lambda s: s.get("kind") in _PREPARED_COMMANDS,
}
