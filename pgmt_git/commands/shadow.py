"""pgmt-git shadow status|stop|clean (placeholder: being written)."""

import click


@click.group()
def shadow() -> None:
    """Manage the shadow server and its throwaway databases."""
