"""pgmt-git install / uninstall: the git hooks and the merge driver, in this repository."""

from __future__ import annotations

from pathlib import Path

import click

from pgmt_git.commands.context import AppContext, pass_app


def _targets(hooks: bool, merge_driver: bool) -> tuple[bool, bool]:
    """Neither flag means both."""
    return (True, True) if not (hooks or merge_driver) else (hooks, merge_driver)


def _project(app: AppContext) -> tuple[Path, str]:
    from pgmt_git.config import load_config

    loaded = load_config(start_dir=Path.cwd(), config_file=app.config_file)
    return loaded.root, loaded.config.directories.schema_dir


def install_into(app: AppContext, *, hooks: bool, merge_driver: bool, force: bool) -> int:
    from pgmt_git.git import install as setup

    cwd = Path.cwd()
    # What can refuse comes first (no project, core.hooksPath): nothing is half done.
    project = _project(app) if merge_driver else None
    steps = setup.install_hooks(cwd, force=force) if hooks else []
    if project is not None:
        steps += setup.install_merge_driver(cwd, *project)
    for step in steps:
        app.info(step.text)
    return 0


def uninstall_from(app: AppContext, *, hooks: bool, merge_driver: bool) -> int:
    from pgmt_git.git import install as setup

    cwd = Path.cwd()
    # What can refuse comes first (no project), as for install: nothing is half undone.
    project = _project(app) if merge_driver else None
    steps = setup.uninstall_hooks(cwd) if hooks else []
    if project is not None:
        steps += setup.uninstall_merge_driver(cwd, *project)
    for step in steps or [setup.Step("nothing of pgmt-git's was installed")]:
        app.info(step.text)
    return 0


@click.command()
@click.option("--hooks", is_flag=True,
              help="The git hooks (pre-commit, pre-push, post-rewrite, post-merge).")
@click.option("--merge-driver", is_flag=True,
              help="The merge driver in the git config and its .gitattributes line.")
@click.option("--force", is_flag=True, help="Install the hooks even if core.hooksPath is set.")
@pass_app
def install(app: AppContext, hooks: bool, merge_driver: bool, force: bool) -> None:
    """Install pgmt-git into this repository (both parts unless one is chosen).

    Hooks go where git runs them (shared by linked worktrees); a hook already there is kept
    as <hook>.legacy and runs first. The merge driver is registered in the repository's git
    config, and the schema directory gets a `merge=pgmt` line in the project's
    .gitattributes (commit it): git then merges schema files with `pgmt-git merge-driver`."""
    want_hooks, want_driver = _targets(hooks, merge_driver)
    click.get_current_context().exit(install_into(
        app, hooks=want_hooks, merge_driver=want_driver, force=force))


@click.command()
@click.option("--hooks", is_flag=True, help="Only the git hooks.")
@click.option("--merge-driver", is_flag=True, help="Only the merge driver and its attributes.")
@pass_app
def uninstall(app: AppContext, hooks: bool, merge_driver: bool) -> None:
    """Undo `pgmt-git install`: remove its hooks (restoring the ones they replaced), the
    merge driver (restoring a merge.pgmt section it replaced) and the .gitattributes line
    it added (one that was there before install stays)."""
    want_hooks, want_driver = _targets(hooks, merge_driver)
    click.get_current_context().exit(
        uninstall_from(app, hooks=want_hooks, merge_driver=want_driver))
