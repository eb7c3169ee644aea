"""The one exception family. Only the CLI turns these into messages and exit codes."""

from __future__ import annotations


class PgmtGitError(Exception):
    """An expected failure: bad input, a failed check, a database refusing a statement.

    ``hint`` is the next thing the user should do (a command to run, a file to fix).
    """

    exit_code = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if self.hint is None else f"{self.message}\nhint: {self.hint}"


class UsageError(PgmtGitError):
    """The command line asked for something impossible."""

    exit_code = 2


class ConfigError(UsageError):
    """pgmt.yaml (or an override of it) is missing, malformed or inconsistent."""


class SourceError(PgmtGitError):
    """A project file cannot be used as it is: unparseable SQL, a bad name, a broken hint.

    ``path`` is relative to the project root; ``line``/``column`` are 1-based.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        column: int | None = None,
        hint: str | None = None,
    ) -> None:
        self.path = path
        self.line = line
        self.column = column
        super().__init__(f"{_location(path, line, column)}{message}", hint=hint)


class ReplayError(SourceError):
    """PostgreSQL refused a statement while replaying project files into a shadow database."""


class CheckFailed(PgmtGitError):
    """A check ran and found a problem (exit code 1)."""


class GitError(PgmtGitError):
    """The repository cannot give what was asked (unknown revision, no repository, ...)."""


class ServerError(PgmtGitError):
    """The shadow server cannot be reached, started or used."""


def _location(path: str | None, line: int | None, column: int | None) -> str:
    if path is None:
        return ""
    where = path
    if line is not None:
        where += f":{line}"
        if column is not None:
            where += f":{column}"
    return where + ": "
