"""The command line. The only place where errors become messages and exit codes.

Importing this module must stay cheap (git hooks start it): no psycopg, no pglast here;
command modules import them inside the functions that need them.
"""

from __future__ import annotations

import os
import signal
import sys
import traceback
from pathlib import Path

import click

from pgmt_git import __version__
from pgmt_git.commands import diff as diff_cmd
from pgmt_git.commands import init as init_cmd
from pgmt_git.commands import replay as replay_cmd
from pgmt_git.commands import shadow as shadow_cmd
from pgmt_git.commands.context import AppContext, Verbosity
from pgmt_git.errors import PgmtGitError

EXIT_CRASH = 3


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


def _raise_keyboard_interrupt(signum: int, frame: object) -> None:
    # SIGTERM takes the same path as Ctrl-C so that finally-blocks drop shadow databases.
    raise KeyboardInterrupt


def run(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code instead of exiting (for tests and hooks)."""
    signal.signal(signal.SIGTERM, _raise_keyboard_interrupt)
    try:
        # Without standalone mode, click returns ctx.exit()'s code instead of exiting.
        code = main.main(args=argv, prog_name="pgmt-git", standalone_mode=False)
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


def _report_crash() -> int:
    log = _crash_log_path()
    text = traceback.format_exc()
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text(f"pgmt-git {__version__}\nargv: {sys.argv!r}\n\n{text}", encoding="utf-8")
        where = f"; details in {log}"
    except OSError:
        where = ""
    last = text.strip().splitlines()[-1]
    click.echo(f"pgmt-git crashed: {last}{where}", err=True)
    click.echo("Please report this with the crash log.", err=True)
    return EXIT_CRASH


def _crash_log_path() -> Path:
    from pgmt_git.paths import cache_dir

    return cache_dir() / "crash.log"


def main_entry() -> None:
    sys.exit(run())


if __name__ == "__main__":  # pragma: no cover
    main_entry()
