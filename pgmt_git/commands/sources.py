"""The SRC arguments of commands: which project state to read, from where."""

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


class StateKind(enum.Enum):
    SCHEMA = "schema"
    MIGRATIONS = "migrations"


@dataclass(frozen=True)
class SourceSpec:
    """A parsed SRC: what state (schema files or migration chain) and where from."""

    state: StateKind
    source: ProjectSource
    text: str


def parse_source_spec(text: str) -> SourceSpec:
    head, sep, rev = text.partition("@")
    try:
        state = StateKind(head)
    except ValueError:
        raise UsageError(
            f"unknown source {text!r}",
            hint="use schema, migrations, schema@REV or migrations@REV",
        ) from None
    if sep and not rev:
        raise UsageError(f"{text!r} names no revision after '@'", hint=f"e.g. {head}@HEAD~1")
    source = ProjectSource.revision(rev) if sep else ProjectSource.worktree()
    return SourceSpec(state=state, source=source, text=text)
