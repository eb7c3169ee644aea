"""pgmt-git init (placeholder: being written)."""

import click


@click.command()
def init() -> None:
    """Create pgmt.yaml and the project directories."""
    raise click.ClickException("not implemented yet")
