"""Shadow-database replay of states read from git, as the oracle for what a state *is*.

``catalog_hash`` names a database state: what a generated migration's ``from=`` records
(the state it was generated against) and what ``pgmt-git check`` recomputes from the chain.
Both sides must hash the same way, so there is one recipe, the one the migration generator
writes with (``pgmt_git.migrate.hashing``): SHA-256 of a canonical JSON form of the catalog
objects, by name, without dependency pairs, owners or fields at their default value, and
tagged with its recipe (``c1-...``). A hash of another recipe is not comparable: ``check``
says so instead of calling the migration stale.

``check_merge`` is the merge driver's oracle: the schemas of the merge base, of both sides
and of the merged result, replayed (through the replay cache, so a second file of the same
merge costs little more than reading catalogs) and compared facet by facet.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pgmt_git.config import Config
from pgmt_git.errors import SourceError

if TYPE_CHECKING:
    from pgmt_git.diff import Catalog, ObjectId
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


# ------------------------------------------------------------------------------ merges


@dataclass(frozen=True)
class MergeStates:
    """The replay inputs of the four schemas a merge is verified with."""

    base: Sequence[ReplaySource]
    ours: Sequence[ReplaySource]
    theirs: Sequence[ReplaySource]
    merged: Sequence[ReplaySource]


@dataclass(frozen=True)
class MergeProblem:
    """Why a merged schema is wrong: the objects concerned, or where it fails to apply."""

    problem: str
    ids: tuple[ObjectId, ...] = ()
    path: str | None = None  # project path of a file that fails to apply
    line: int | None = None


@dataclass(frozen=True)
class MergeCheck:
    """The oracle's verdict on a merge: no problems, some, or why it could not tell."""

    problems: tuple[MergeProblem, ...] = ()
    skipped: str | None = None

    @property
    def ok(self) -> bool:
        return not self.problems and self.skipped is None


_QUOTED_NAME = re.compile(r'"((?:[^"]|"")+)"')


def check_merge(oracle: Oracle, states: MergeStates, *, ours_name: str = "ours",
                theirs_name: str = "theirs") -> MergeCheck:
    """Replay the four schemas and require that the merged one realises both sides'
    changes to the base, and nothing else (git/merge_verify.py)."""
    from pgmt_git.git.merge_verify import discrepancies, facets, side_changes

    sides = ("the common ancestor", ours_name, theirs_name)
    base, ours, theirs, merged = _catalogs(oracle, (states.base, states.ours, states.theirs,
                                                    states.merged))
    for side, catalog in zip(sides, (base, ours, theirs)):
        if isinstance(catalog, SourceError):
            return MergeCheck(skipped=f"{side}'s schema does not apply by itself: "
                                      f"{_first_line(catalog.message)}")
    if isinstance(merged, SourceError):
        message = _first_line(_unlocated(merged))
        names = {n.replace('""', '"') for n in _QUOTED_NAME.findall(message)}
        culprits = [f"{who} {change}"
                    for who, side in ((ours_name, ours), (theirs_name, theirs))
                    for change in side_changes(facets(base), facets(side))
                    if change.id.name in names]
        return MergeCheck(problems=(MergeProblem(
            "; ".join([f"the merged schema fails here: {message}", *culprits]),
            path=merged.path, line=merged.line),))
    found = discrepancies(base, ours, theirs, merged, ours_name=ours_name,
                          theirs_name=theirs_name)
    return MergeCheck(problems=tuple(MergeProblem(d.problem, ids=(d.id,)) for d in found))


def _catalogs(oracle: Oracle, states: Sequence[Sequence[ReplaySource]]
              ) -> list[Catalog | SourceError]:
    """The catalog of each state, or the error replaying it, replayed side by side: each
    replay waits on the server, which has the cores to run them at once."""
    from concurrent.futures import ThreadPoolExecutor

    def catalog(files: Sequence[ReplaySource]) -> Catalog | SourceError:
        try:
            return oracle.catalog(files)
        except SourceError as exc:
            return exc

    with ThreadPoolExecutor(max_workers=len(states)) as pool:
        return list(pool.map(catalog, states))


def _unlocated(exc: SourceError) -> str:
    """The message without the ``path:line:column: `` it starts with."""
    where = ""
    if exc.path is not None:
        where = exc.path + "".join(f":{n}" for n in (exc.line, exc.column) if n is not None)
    return exc.message.removeprefix(f"{where}: ") if where else exc.message


def _first_line(message: str) -> str:
    first = message.strip().split("\n", 1)[0]
    return re.sub(r" \[[0-9A-Z]{5}\]$", "", first)
