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


@lru_cache(maxsize=None)
def app() -> click.Group:
    """The click application with every command."""
    import click

    from pgmt_git.commands import apply as apply_cmd
    from pgmt_git.commands import baseline as baseline_cmd
    from pgmt_git.commands import check as check_cmd
    from pgmt_git.commands import diff as diff_cmd
    from pgmt_git.commands import init as init_cmd
    from pgmt_git.commands import install as install_cmd
    from pgmt_git.commands import merge_driver as merge_driver_cmd
    from pgmt_git.commands import migrate as migrate_cmd
    from pgmt_git.commands import rebase as rebase_cmd
    from pgmt_git.commands import replay as replay_cmd
    from pgmt_git.commands import shadow as shadow_cmd
    from pgmt_git.commands.context import AppContext, Verbosity

    @click.group(context_settings={"help_option_names": ["-h", "--help"]})
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

    main.add_command(diff_cmd.diff)
    main.add_command(init_cmd.init)
    main.add_command(replay_cmd.replay)
    main.add_command(shadow_cmd.shadow)
    main.add_command(check_cmd.check)
    main.add_command(install_cmd.install)
    main.add_command(install_cmd.uninstall)
    main.add_command(merge_driver_cmd.merge_driver)
    main.add_command(_hook_command())
    main.add_command(migrate_cmd.migrate)
    migrate_cmd.migrate.add_command(rebase_cmd.rebase_command)
    main.add_command(apply_cmd.apply)
    main.add_command(baseline_cmd.baseline)
    return main


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


def run(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code instead of exiting (for tests and hooks).

    The caller's working directory (``-C`` changes it) and SIGTERM handler are restored.
    """
    cwd = os.getcwd()
    previous = signal.signal(signal.SIGTERM, _raise_keyboard_interrupt)
    try:
        return _run(argv)
    finally:
        signal.signal(signal.SIGTERM, previous)
        os.chdir(cwd)


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
    sys.exit(run())


if __name__ == "__main__":  # pragma: no cover
    main_entry()
