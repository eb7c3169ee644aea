"""What every command receives from the global options."""

from __future__ import annotations

import enum
import sys
from dataclasses import dataclass
from pathlib import Path

import click


class Verbosity(enum.IntEnum):
    QUIET = 0
    NORMAL = 1
    VERBOSE = 2
    DEBUG = 3

    @classmethod
    def from_counts(cls, *, quiet: int, verbose: int) -> "Verbosity":
        level = cls.NORMAL - quiet + verbose
        return cls(max(cls.QUIET, min(cls.DEBUG, level)))


@dataclass(frozen=True)
class AppContext:
    config_file: Path | None = None
    verbosity: Verbosity = Verbosity.NORMAL

    def keep_until_exit(self, *objects: object) -> None:
        """Hold large results (catalogs) until the process exits: the console entry point
        exits without freeing them one by one, which takes longer than reading a catalog's
        rows did. When the CLI runs inside a process (tests, hooks), they are let go when
        the command returns."""
        KEPT_UNTIL_EXIT.extend(objects)

    def info(self, message: str) -> None:
        """A normal message on stderr (stdout is kept for the command's result)."""
        if self.verbosity >= Verbosity.NORMAL:
            click.echo(message, err=True)

    def debug(self, message: str) -> None:
        if self.verbosity >= Verbosity.VERBOSE:
            click.echo(message, err=True)

    def progress_enabled(self) -> bool:
        """Progress lines only on a terminal, never when quiet."""
        return self.verbosity >= Verbosity.NORMAL and sys.stderr.isatty()

    def replay_progress(self):  # type: ignore[no-untyped-def]  # -> Progress | None
        """The "replaying file k/N" line for long replays, when progress is enabled."""
        if not self.progress_enabled():
            return None
        from pgmt_git.pg.replay import terminal_progress

        return terminal_progress()


pass_app = click.make_pass_decorator(AppContext, ensure=True)

KEPT_UNTIL_EXIT: list[object] = []
