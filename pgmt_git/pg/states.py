"""Catalogs of the states the lifecycle commands compare: the migration chain (or a prefix
of it), the schema files, any set of files, a live database. Replays go through the
replay cache on the shadow server."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from pgmt_git.diff import Catalog, Change, diff_catalogs
from pgmt_git.config import Config
from pgmt_git.diff.model import Kind, ObjectId
from pgmt_git.pg.cache import replayed_state
from pgmt_git.pg.plan import ReplaySource
from pgmt_git.pg.replay import Progress
from pgmt_git.pg.server import Server, resolve_server
from pgmt_git.project.require_hints import require_hints
from pgmt_git.project.source import Project


class StateReader:
    """Reads catalogs for one project; the shadow server is resolved on first use."""

    def __init__(self, project: Project, *, cache: bool = True,
                 progress: Callable[[], Progress | None] = lambda: None) -> None:
        self.project = project
        self._cache = cache
        self._progress = progress
        self._server: Server | None = None

    @property
    def server(self) -> Server:
        if self._server is None:
            self._server = resolve_server(self.project.config.databases.shadow_url)
        return self._server

    def load(self, conninfo_or_conn: object) -> Catalog:
        return load_managed(conninfo_or_conn, self.project.config)

    def files(self, inputs: Sequence[ReplaySource]) -> Catalog:
        with self.replayed(inputs) as conninfo:
            return self.load(conninfo)

    @contextmanager
    def replayed(self, inputs: Sequence[ReplaySource]) -> Iterator[str]:
        """The conninfo of a database holding the state (read it, do not change it)."""
        with replayed_state(self.server, inputs, cache=self._cache,
                            limits=self.project.config.git.cache,
                            progress=self._progress()) as state:
            yield state.conninfo

    def chain(self, *, before: int | None = None) -> Catalog:
        return self.files(self.project.chain_inputs(before=before))

    def schema(self) -> Catalog:
        return self.files(self.project.schema_inputs())


def diff_to_schema(start: Catalog, schema: Catalog, project: Project) -> tuple[Change, ...]:
    """The changes from ``start`` to ``schema``, the state of ``project``'s schema files:
    with the project's diff options, and its files' ``-- require:`` lines as ordering hints
    (what a function body reads, which pg_depend does not record)."""
    return diff_catalogs(start, schema, options=project.config.git.diff_options,
                         hints=require_hints(project.schema_files, schema))


def load_managed(conninfo_or_conn: object, config: Config) -> Catalog:
    """The catalog the lifecycle compares: pgmt's object filters, without the tracking
    tables, and without a tracking schema other than ``public`` that holds nothing else
    (it exists on a target because pgmt needs it, not because the project declares it)."""
    from pgmt_git.pg.catalog.loader import load_catalog

    tracking = config.migration.tracking_table
    catalog = load_catalog(conninfo_or_conn,  # type: ignore[arg-type]
                           objects_filter=config.objects, tracking_table=tracking)
    return without_tracking_schema(catalog, tracking.schema)


def without_tracking_schema(catalog: Catalog, schema: str) -> Catalog:
    oid = ObjectId(Kind.SCHEMA, "", schema)
    if schema == "public" or oid not in catalog:
        return catalog
    if any(o.schema == schema for o in catalog if o != oid):
        return catalog
    kept = {o: obj for o, obj in catalog.objects.items() if o != oid}
    return Catalog(kept, frozenset((a, b) for a, b in catalog.depends if oid not in (a, b)),
                   in_order=True)


def touched(change: Change) -> set[ObjectId]:
    return {change.id, *change.creates, *change.drops, *change.alters}


def _lineage(oid: ObjectId) -> set[ObjectId]:
    found = {oid}
    while oid.parent is not None:
        oid = oid.parent
        found.add(oid)
    return found


def related(a: ObjectId, b: ObjectId) -> bool:
    """The same object, or one contains the other (a table and its column)."""
    return a in _lineage(b) or b in _lineage(a)


def missing_effects(effect: Sequence[Change], remaining: Sequence[Change]) -> tuple[Change, ...]:
    """The changes of ``remaining`` (what still separates a database from the state after a
    migration) that concern an object the migration's ``effect`` changes."""
    ids = {oid for change in effect for oid in touched(change)}
    return tuple(c for c in remaining
                 if any(related(a, b) for a in touched(c) for b in ids))


def migration_effect(reader: StateReader, version: int,
                     extra: ReplaySource) -> tuple[Catalog, tuple[Change, ...]]:
    """The state after the migration (the chain up to it, then it) and its changes."""
    before_inputs = reader.project.chain_inputs(before=version)
    before = reader.files(before_inputs)
    after = reader.files((*before_inputs, extra))
    return after, diff_catalogs(before, after, options=reader.project.config.git.diff_options)
