"""The command line. The only place where errors become messages and exit codes.

Importing this module must stay cheap (git hooks start it): no click, psycopg or pglast
here. ``pgmt-git hook ...``, what git hooks run, goes straight to the hook runner: importing
click and the command modules costs about as much as the whole check. Every other command
goes through the click application, built on first use by ``app()`` (register commands
there); command modules import psycopg and pglast inside the functions that need them.
"""

from __future__ import annotations

import os
import signal
import sys
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from pgmt_git import __version__
from pgmt_git.errors import PgmtGitError

if TYPE_CHECKING:
    import click

EXIT_CRASH = 3


# Each command's module, imported only when that command runs (or help lists them all):
# a command pays for its own imports, not for every other command's.
_COMMANDS = {
    "apply": ("apply", "apply"),
    "baseline": ("baseline", "baseline"),
    "check": ("check", "check"),
    "diff": ("diff", "diff"),
    "hook": ("hook", "main"),  # made by _hook_command
    "init": ("init", "init"),
    "install": ("install", "install"),
    "merge-driver": ("merge_driver", "merge_driver"),
    "migrate": ("migrate", "migrate"),
    "replay": ("replay", "replay"),
    "shadow": ("shadow", "shadow"),
    "uninstall": ("install", "uninstall"),
}


@lru_cache(maxsize=None)
def app() -> click.Group:
    """The click application with every command."""
    import click

    from pgmt_git.commands.context import AppContext, Verbosity

    class LazyGroup(click.Group):
        def list_commands(self, ctx: click.Context) -> list[str]:
            return sorted({*super().list_commands(ctx), *_COMMANDS})

        def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
            if cmd_name not in self.commands and cmd_name in _COMMANDS:
                self.add_command(_load_command(cmd_name), cmd_name)
            return super().get_command(ctx, cmd_name)

    @click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
    @click.version_option(__version__, "--version", prog_name="pgmt-git")
    @click.option(
        "-C",
        "directory",
        type=click.Path(file_okay=False, path_type=Path),
        help="Run as if started in DIRECTORY (like git -C).",
    )
    @click.option(
        "--config-file",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Use this pgmt.yaml instead of searching upwards from the current directory.",
    )
    @click.option("-q", "--quiet", "quiet", count=True, help="Print less (errors only).")
    @click.option("-v", "--verbose", "verbose", count=True, help="Print more (repeat for more).")
    @click.pass_context
    def main(
        ctx: click.Context,
        directory: Path | None,
        config_file: Path | None,
        quiet: int,
        verbose: int,
    ) -> None:
        """PostgreSQL schema as code, with migrations that git cannot break."""
        if directory is not None:
            try:
                os.chdir(directory)
            except OSError as exc:
                raise click.UsageError(f"cannot change to {directory}: {exc.strerror}") from exc
        ctx.obj = AppContext(
            config_file=config_file,
            verbosity=Verbosity.from_counts(quiet=quiet, verbose=verbose),
        )

    return main


def _load_command(name: str) -> click.Command:
    import importlib

    if name == "hook":
        return _hook_command()
    module, attribute = _COMMANDS[name]
    command: click.Command = getattr(importlib.import_module(f"pgmt_git.commands.{module}"),
                                     attribute)
    if name == "migrate":  # its rebase subcommand lives in a module of its own
        from pgmt_git.commands.rebase import rebase_command

        command.add_command(rebase_command)  # type: ignore[attr-defined]
    return command


def _hook_command() -> click.Command:
    """``hook`` as a click command too, for ``pgmt-git -C DIR hook ...`` and the help."""
    import click

    from pgmt_git.commands.hook import HOOK_NAMES
    from pgmt_git.commands.hook import main as hook_main

    @click.command(
        "hook",
        context_settings={"ignore_unknown_options": True, "allow_interspersed_args": False},
        add_help_option=False,
        help=f"Run a git hook's checks ({', '.join(HOOK_NAMES)}); the installed hooks call it.",
    )
    @click.argument("args", nargs=-1, type=click.UNPROCESSED)
    def hook(args: tuple[str, ...]) -> None:
        click.get_current_context().exit(hook_main(list(args)))

    return hook


def __getattr__(name: str) -> object:
    # `from pgmt_git.cli import main` keeps working: the application, built on first use.
    if name == "main":
        return app()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _raise_keyboard_interrupt(signum: int, frame: object) -> None:
    # SIGTERM takes the same path as Ctrl-C so that finally-blocks drop shadow databases.
    raise KeyboardInterrupt


def run(argv: list[str] | None = None, *, exiting: bool = False) -> int:
    """Run the CLI and return its exit code instead of exiting (for tests and hooks).

    The caller's working directory (``-C`` changes it) and SIGTERM handler are restored,
    and what the command kept for the exit is let go, unless the process is ``exiting``.
    """
    cwd = os.getcwd()
    previous = signal.signal(signal.SIGTERM, _raise_keyboard_interrupt)
    try:
        return _run(argv)
    finally:
        signal.signal(signal.SIGTERM, previous)
        os.chdir(cwd)
        if not exiting:
            from pgmt_git.commands.context import KEPT_UNTIL_EXIT

            KEPT_UNTIL_EXIT.clear()


def _run(argv: list[str] | None) -> int:
    import click

    try:
        # Without standalone mode, click returns ctx.exit()'s code instead of exiting.
        code = app().main(args=argv, prog_name="pgmt-git", standalone_mode=False)
    except PgmtGitError as exc:
        click.echo(f"error: {exc}", err=True)
        return exc.exit_code
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return 2
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        return 130
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        return 130
    except Exception:  # noqa: BLE001 - the crash path: anything unexpected
        return _report_crash()
    return code if isinstance(code, int) else 0


def run_hook(argv: list[str]) -> int:
    """``pgmt-git hook ARGS``, without click (see the module's docstring)."""
    try:
        from pgmt_git.commands.hook import main as hook_main

        return hook_main(argv)
    except PgmtGitError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception:  # noqa: BLE001 - the crash path: anything unexpected
        return _report_crash()


def _report_crash() -> int:
    import traceback

    log = _crash_log_path()
    text = traceback.format_exc()
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text(f"pgmt-git {__version__}\nargv: {sys.argv!r}\n\n{text}", encoding="utf-8")
        where = f"; details in {log}"
    except OSError:
        where = ""
    last = text.strip().splitlines()[-1]
    print(f"pgmt-git crashed: {last}{where}", file=sys.stderr)
    print("Please report this with the crash log.", file=sys.stderr)
    return EXIT_CRASH


def _crash_log_path() -> Path:
    from pgmt_git.paths import cache_dir

    return cache_dir() / "crash.log"


def main_entry() -> None:
    argv = sys.argv[1:]
    if argv[:1] == ["hook"]:
        sys.exit(run_hook(argv[1:]))
    _exit_at_once(run(exiting=True))


def _exit_at_once(code: int) -> None:
    """Exit without tearing the interpreter down. A command that read two large catalogs
    keeps a few hundred MB of small objects (AppContext.keep_until_exit), and freeing them
    one by one took another 0.4 s after the work was done. Everything a command opens is
    closed by then (context managers and finally blocks, which have run); only the standard
    streams still need flushing."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (`pgmt-git diff ... | head`)
            pass
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    main_entry()
