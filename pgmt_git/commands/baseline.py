"""pgmt-git baseline create|list: baselines sum up the migration chain for new databases.

PostgreSQL and the diff engine are imported inside the commands: importing the CLI must
stay cheap.
"""

from __future__ import annotations

import json

import click

from pgmt_git.commands.context import AppContext, pass_app
from pgmt_git.commands.migrate import load, project_root, shadow_option, state_reader, \
    write_new_file


@click.group()
def baseline() -> None:
    """Create and list baselines (`schema_baselines/baseline_<version>.sql`)."""


@baseline.command("create")
@click.option("--force", is_flag=True,
              help="Write the baseline without checking that it rebuilds the chain's state.")
@shadow_option
@pass_app
def create(app: AppContext, force: bool, shadow_url: str | None) -> None:
    """Write a baseline at the newest migration's version: the state the migration chain
    produces, as one file that builds it on an empty database. It is replayed alone and
    compared with the chain's state before it is written. Migrations stay: they are
    published history, and the baseline covers them (a database provisioned from it skips
    every migration up to its version)."""
    from pgmt_git.pg.generation import new_baseline

    project = load(app, **{"shadow.url": shadow_url})
    result = new_baseline(state_reader(app, project), check=not force)
    write_new_file(project_root(app), result.path, result.text)
    covered = sum(1 for m in project.chain.migrations if m.version <= (result.version or 0))
    click.echo(f"wrote {result.path} ({len(result.changes)} changes; covers {covered} "
               f"migration{'' if covered == 1 else 's'})")


@baseline.command("list")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@pass_app
def list_baselines(app: AppContext, output_format: str) -> None:
    """List the baselines, newest first, with the migrations each covers."""
    project = load(app)
    chain = project.chain
    rows = [{"version": b.version, "file": b.path, "bytes": len(b.text.encode("utf-8")),
             "covers": sum(1 for m in chain.migrations if m.version <= b.version),
             "latest": b is chain.latest_baseline()}
            for b in reversed(chain.baselines)]
    if output_format == "json":
        click.echo(json.dumps({"baselines": rows}, indent=2))
        return
    if not rows:
        click.echo("no baselines")
        return
    for row in rows:
        latest = "  (latest: new databases start here)" if row["latest"] else ""
        click.echo(f"{row['version']}  {row['file']}  {row['bytes']} bytes, covers "
                   f"{row['covers']} migrations{latest}")
