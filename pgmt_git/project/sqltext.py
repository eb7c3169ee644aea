"""Statement splitting and object identity, with PostgreSQL's own parser (pglast).

INTERFACE STUB: the implementation is being written; signatures and types are the contract.
The only module that imports pglast.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ObjectRef:
    """The database object a statement defines or alters.

    kind: lower-case words as in DDL ("table", "view", "materialized view", "function",
    "procedure", "aggregate", "index", "sequence", "type", "domain", "schema", "extension",
    "trigger", "policy", "constraint", "column", "role", "collation", "event trigger", ...).
    schema: None when the statement does not qualify the name (search_path decides).
    args: argument types for functions/procedures/aggregates as written, normalised to
    lower case without argument names or modes other than IN; None for other kinds.
    parent: the object attached to (table of a trigger, index, policy, constraint; the
    relation of a column), else None.
    """

    kind: str
    schema: str | None
    name: str
    args: tuple[str, ...] | None = None
    parent: "ObjectRef | None" = None


@dataclass(frozen=True)
class Statement:
    """One statement of a file, exactly as written.

    start/end: character offsets into the file's text (str indices, not bytes); text ==
    source[start:end], from the first token to the terminating semicolon included (or the
    end of the last token when the file ends without one).
    line/column, end_line/end_column: 1-based, of the first and last character.
    copy_data: for COPY ... FROM stdin, the data lines that follow (up to and including the
    terminating "\\." line), else None; the statement's end then covers the data too.
    node: the pglast node type name ("CreateStmt", "IndexStmt", ...).
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


def split_statements(text: str, *, path: str = "<sql>") -> tuple[Statement, ...]:
    """Split SQL text into statements. Raises SourceError(path, line, column) on bad SQL."""
    raise NotImplementedError


def defined_object(statement: Statement) -> ObjectRef | None:
    """The object the statement creates, alters, drops, comments on or grants on."""
    raise NotImplementedError


def needs_autocommit(statement: Statement) -> bool:
    """True for statements PostgreSQL refuses inside a transaction block.

    CREATE/DROP INDEX CONCURRENTLY, REINDEX CONCURRENTLY, VACUUM, CREATE/DROP DATABASE,
    CREATE/DROP TABLESPACE, ALTER SYSTEM, DETACH PARTITION CONCURRENTLY, ...
    Decided from the parse tree, never from text (a comment mentioning CONCURRENTLY is not).
    """
    raise NotImplementedError
