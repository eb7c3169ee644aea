"""The SRC arguments of commands: which database state to read, from where."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from pgmt_git.errors import UsageError
from pgmt_git.project.source import ProjectSource

SOURCE_HELP = (
    "SRC is `schema` (the schema files) or `migrations` (roles file, latest baseline and "
    "later migrations), read from the work tree, or from a git revision with `@REV` "
    "(`schema@HEAD~2`, `migrations@origin/main`)."
)
DIFF_SOURCE_HELP = SOURCE_HELP + (
    " Also `empty` (a new database) or a `postgresql://` URL (a live database, read only)."
)
_URL_SCHEMES = ("postgresql://", "postgres://")


class StateKind(enum.Enum):
    SCHEMA = "schema"
    MIGRATIONS = "migrations"
    EMPTY = "empty"
    DATABASE = "database"


@dataclass(frozen=True)
class SourceSpec:
    """A parsed SRC: what state and where from. ``url`` is set for DATABASE only."""

    state: StateKind
    source: ProjectSource
    text: str
    url: str | None = None

    @property
    def needs_project(self) -> bool:
        return self.state in (StateKind.SCHEMA, StateKind.MIGRATIONS)

    @property
    def label(self) -> str:
        """For messages; a URL is shown without its password."""
        if self.url is None:
            return self.text
        from pgmt_git.pg.server import Server

        server = Server.from_url(self.url)
        return f"database {server.maintenance_db} on {server.describe()}"


def parse_source_spec(text: str, *, allow_databases: bool = False) -> SourceSpec:
    if allow_databases and text.startswith(_URL_SCHEMES):
        return SourceSpec(StateKind.DATABASE, ProjectSource.worktree(), text, url=text)
    if allow_databases and text == StateKind.EMPTY.value:
        return SourceSpec(StateKind.EMPTY, ProjectSource.worktree(), text)
    head, sep, rev = text.partition("@")
    try:
        state = StateKind(head)
    except ValueError:
        state = None
    if state not in (StateKind.SCHEMA, StateKind.MIGRATIONS):
        choices = "schema, migrations, schema@REV or migrations@REV"
        if allow_databases:
            choices += ", empty or a postgresql:// URL"
        raise UsageError(f"unknown source {text!r}", hint=f"use {choices}")
    if sep and not rev:
        raise UsageError(f"{text!r} names no revision after '@'", hint=f"e.g. {head}@HEAD~1")
    source = ProjectSource.revision(rev) if sep else ProjectSource.worktree()
    return SourceSpec(state=state, source=source, text=text)
