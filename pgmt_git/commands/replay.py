"""pgmt-git replay (placeholder: being written)."""

import click


@click.command()
def replay() -> None:
    """Replay the project into a shadow database."""
    raise click.ClickException("not implemented yet")
