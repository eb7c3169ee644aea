"""pgmt-git migrate rebase, and what the post-rewrite hook runs after `git rebase`:
regenerate the branch's own migrations on top of the upstream chain, keep hand edits,
renumber, verify, and record the result as `git.regenerate.commit` says."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import click

from pgmt_git.commands.context import AppContext, pass_app
from pgmt_git.config_model import RegenerateCommit
from pgmt_git.errors import CheckFailed, UsageError

if TYPE_CHECKING:
    from pgmt_git.git.regenerate import Regeneration

COMMIT_MESSAGE = "Regenerate migrations after rebase onto {onto}"


@dataclass(frozen=True)
class RebaseOptions:
    onto: str | None = None
    dry_run: bool = False
    # The post-rewrite hook runs once the rebase is done, while git still holds its state.
    after_rebase: bool = False
    # Say so when the migrations are up to date (by hand, on a terminal; never in the hook).
    terminal: bool = False
    overrides: tuple[tuple[str, str], ...] = ()


def regenerate_branch(start: Path, options: RebaseOptions, *, config_file: Path | None = None,
                      say: Callable[[str], None] = print) -> int:
    """Regenerate, write, record; the exit code: 0 done (or nothing stale, then quietly),
    1 conflicts or a failed verification."""
    # Imported here: the CLI and the hooks load this module without PostgreSQL or pygit2.
    from pgmt_git.git import regenerate_history as history_mod
    from pgmt_git.git.regenerate import Regenerator, report_lines
    from pgmt_git.git.repo import open_repo
    from pgmt_git.config import load_config
    from pgmt_git.pg.states import StateReader
    from pgmt_git.project.migrations import MigrationChain
    from pgmt_git.project.source import Project

    loaded = load_config(start_dir=start, config_file=config_file,
                         overrides=dict(options.overrides))
    # Only the settings: HEAD's chain may hold two files with one version until renumbered.
    project = Project(loaded.config, (), MigrationChain(), None)
    repo = open_repo(start)
    if not options.after_rebase and history_mod.rebase_in_progress(repo):
        raise UsageError("a rebase is in progress: its migrations are not final yet",
                         hint="finish it (`git rebase --continue`), then run "
                              "`pgmt-git migrate rebase`")
    root = loaded.root
    history = history_mod.open_history(repo, root, project.config)
    onto = history_mod.upstream_ref(repo, project.config, options.onto)
    regenerator = Regenerator(
        history, StateReader(project), onto=onto,
        upstream=history_mod.require_commit(repo, onto),
        head=history_mod.require_commit(repo, "HEAD"),
        before=history_mod.before_rewrite(repo),
    )
    if regenerator.up_to_date():
        if options.terminal:
            say(f"migrations are up to date with {onto}")
        return 0
    if options.after_rebase:
        say(f"regenerating this branch's migrations on top of {onto}")
    regeneration = regenerator.regenerate()
    for line in report_lines(regeneration):
        say(line)
    if regeneration.differences:
        say("nothing written: the regenerated chain does not reach the schema files at HEAD")
    elif regeneration.changed and not options.dry_run:
        _record(root, regeneration, project.config.git.regenerate_commit, say)
    return 0 if regeneration.ok else 1


def _record(root: Path, regeneration: Regeneration, mode: RegenerateCommit,
            say: Callable[[str], None]) -> None:
    from pgmt_git.git import regenerate_history as history_mod

    changed = [m for m in regeneration.migrations if m.changed]
    paths = sorted({p for m in changed for p in (m.old_path, m.new_path)})
    dirty = history_mod.dirty_paths(root, paths)
    if dirty:
        raise CheckFailed("uncommitted changes in migrations to regenerate: "
                          + ", ".join(dirty), hint="commit or stash them, then run "
                                                   "`pgmt-git migrate rebase`")
    removed = [m.old_path for m in changed if m.old_path != m.new_path or m.text is None]
    written = []
    for m in changed:
        if m.text is not None:
            target = root / m.new_path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(m.text.encode("utf-8"))
            if m not in regeneration.conflicts:  # markers stay for the user to resolve
                written.append(m.new_path)
    history_mod.stage(root, removed=removed, written=written)
    if regeneration.conflicts:
        say("conflicts left in the files above: resolve them, then commit")
        return
    if mode is RegenerateCommit.NONE:
        say("regenerated migrations are staged (git.regenerate.commit: none)")
        return
    history_mod.commit(root, COMMIT_MESSAGE.format(onto=regeneration.onto),
                       amend=mode is RegenerateCommit.AMEND)
    say("committed: " + ("amended the last commit" if mode is RegenerateCommit.AMEND
                         else COMMIT_MESSAGE.format(onto=regeneration.onto)))


@click.command("rebase")
@click.option("--onto", metavar="REF",
              help="The upstream the branch now sits on (default: the protected ref).")
@click.option("--dry-run", is_flag=True, help="Report what would change; write nothing.")
@click.option("--shadow-url", metavar="URL",
              help="Replay on this server instead of databases.shadow.url / "
                   "PGMT_SHADOW_URL / the embedded one.")
@pass_app
def rebase_command(app: AppContext, onto: str | None, dry_run: bool,
                   shadow_url: str | None) -> None:
    """Regenerate the branch's own migrations on top of the upstream chain (after a rebase,
    a cherry-pick, or a merge of upstream): hand edits are merged in, files are renumbered
    above the newest upstream version, and the result is verified by replay. With no
    branch migration stale (each above the upstream's versions, its from= hash the state
    the chain before it replays to), nothing is done: exit 0. Exit 1 on a conflict or a
    failed verification. The post-rewrite hook runs this after `git rebase`."""
    overrides = (("databases.shadow.url", shadow_url),) if shadow_url else ()
    options = RebaseOptions(onto, dry_run, overrides=overrides, terminal=sys.stdout.isatty())
    code = regenerate_branch(Path.cwd(), options, config_file=app.config_file, say=click.echo)
    if code:
        click.get_current_context().exit(code)
