"""Shadow-database replay of states read from git, as the oracle for what a state *is*.

``catalog_hash`` names a database state: what a generated migration's ``from=`` records
(the state it was generated against) and what ``pgmt-git check`` recomputes from the chain.
Both sides must hash the same way, so there is one recipe, the one the migration generator
writes with (``pgmt_git.migrate.hashing``): SHA-256 of a canonical JSON form of the catalog
objects, by name, without dependency pairs, owners or fields at their default value, and
tagged with its recipe (``c1-...``). A hash of another recipe is not comparable: ``check``
says so instead of calling the migration stale.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

from pgmt_git.config import Config

if TYPE_CHECKING:
    from pgmt_git.diff import Catalog
    from pgmt_git.pg.plan import ReplaySource
    from pgmt_git.pg.replay import Progress
    from pgmt_git.pg.server import Server


def catalog_hash(catalog: Catalog) -> str:
    """The name of a database state (see the module's docstring)."""
    from pgmt_git.migrate.hashing import catalog_hash as recipe

    return recipe(catalog)


def comparable(value: str) -> bool:
    """Whether ``value`` was made by the recipe ``catalog_hash`` uses."""
    from pgmt_git.migrate.hashing import comparable as same_recipe

    return same_recipe(value)


class Oracle:
    """Catalogs of replayed states on one shadow server, through the replay cache."""

    def __init__(self, server: Server, config: Config, *, cache: bool = True,
                 progress: Progress | None = None) -> None:
        self.server = server
        self._config = config
        self._cache = cache
        self._progress = progress

    def catalog(self, files: Sequence[ReplaySource]) -> Catalog:
        """The catalog of the state ``files`` replay to (roles, schema or chain files)."""
        with self._state(files) as conninfo:
            from pgmt_git.pg.catalog.loader import load_catalog

            return load_catalog(conninfo, objects_filter=self._config.objects,
                                tracking_table=self._config.migration.tracking_table)

    def state_hash(self, files: Sequence[ReplaySource]) -> str:
        return catalog_hash(self.catalog(files))

    @contextmanager
    def _state(self, files: Sequence[ReplaySource]) -> Iterator[str]:
        from pgmt_git.pg.cache import replayed_state

        with replayed_state(self.server, files, cache=self._cache,
                            limits=self._config.git.cache, progress=self._progress) as state:
            yield state.conninfo
