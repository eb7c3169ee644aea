"""Content-addressed replay results: ``pgmt_git_cache_<key>`` databases on the shadow server.

The key of a chain of files is a hash chain over their kinds and texts, not their paths, so
renaming a migration keeps its cache. Reading a cached state uses the kept database in place;
a chain that extends a cached one clones it (CREATE DATABASE ... TEMPLATE: cost follows the
database's size, typically 20-40% of replaying it) and replays only the new files; the result
is kept in turn by renaming the clone. Entries are evicted least-recently-used first, down
to ``git.cache.max_databases`` and ``git.cache.max_size_mb``.

Sharing rules between processes:

- a process using or cloning an entry *pins* it (a shared advisory lock held on a
  maintenance connection for as long as it needs it); eviction claims the exclusive lock
  first, and never drops an entry something is connected to;
- CREATE DATABASE ... TEMPLATE fails while any session is connected to the template
  (PostgreSQL waits up to 5 s for them to leave first); a busy template is then skipped for
  a shorter cached prefix, or a replay from scratch.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Collection, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, replace

import psycopg
from psycopg import errors

from pgmt_git.config import CacheSettings
from pgmt_git.pg import databases as dbs
from pgmt_git.pg.databases import CACHE_PREFIX, DatabaseKind
from pgmt_git.pg.plan import ReplaySource, file_kind
from pgmt_git.pg.replay import Progress, replay_into
from pgmt_git.pg.server import Server, connect
from pgmt_git.pg.shadow import ShadowDatabase, TemplateUnavailable, shadow_database

# Part of every key: bump it when a replay of the same files may give a different database.
FORMAT_VERSION = "pgmt-git replay cache v1"
# 15 + 48 = 63 bytes, PostgreSQL's limit for a name; 192 bits of the key.
_KEY_CHARS = dbs.MAX_NAME_BYTES - len(CACHE_PREFIX)
_TEMPLATE_ATTEMPTS = 3
_MB = 1024 * 1024


@dataclass(frozen=True)
class ReplayStats:
    """What a replay did. ``cached_files``: how many leading files a cached state covered."""

    files_replayed: int = 0
    statements_executed: int = 0
    databases_created: int = 0
    cached_files: int = 0

    @property
    def cache_used(self) -> bool:
        return self.cached_files > 0


@dataclass(frozen=True)
class ReplayedState:
    """A database holding the state reached by replaying the files.

    ``kept`` is True when it is a shared cache entry: read it, never change it (use
    :func:`shadow_copy` for a database of your own).
    """

    server: Server
    dbname: str
    key: str
    stats: ReplayStats
    kept: bool

    @property
    def conninfo(self) -> str:
        return self.server.conninfo(self.dbname)


def chain_keys(files: Sequence[ReplaySource]) -> tuple[str, ...]:
    """keys[k] identifies the state after the first k files: h_k = sha256(h_{k-1} + kind +
    sha256(text_k)), h_0 = sha256(FORMAT_VERSION)."""
    key = _sha256(FORMAT_VERSION)
    keys = [key]
    for file in files:
        key = _sha256(key + file_kind(file).value + _sha256(file.text))
        keys.append(key)
    return tuple(keys)


def cache_name(key: str) -> str:
    return CACHE_PREFIX + key[:_KEY_CHARS]


@contextmanager
def replayed_state(
    server: Server,
    files: Sequence[ReplaySource],
    *,
    cache: bool = True,
    limits: CacheSettings = CacheSettings(),
    progress: Progress | None = None,
) -> Iterator[ReplayedState]:
    """The state after replaying ``files``, for reading, valid inside the ``with`` block."""
    keys = chain_keys(files)
    if not cache or limits.max_databases <= 0:
        with _uncached(server, files, keys[-1], progress) as state:
            yield state
        return
    with connect(server) as admin:  # holds the pins until the block ends
        hit = _cached_in_place(admin, server, keys, len(files))
        if hit is not None:
            yield hit
            return
        with _build(admin, server, files, keys, limits, progress) as state:
            yield state


@contextmanager
def shadow_copy(
    server: Server,
    files: Sequence[ReplaySource],
    *,
    cache: bool = True,
    limits: CacheSettings = CacheSettings(),
    progress: Progress | None = None,
) -> Iterator[ReplayedState]:
    """A database of the caller's own holding the state after ``files``: change it at will;
    it is dropped when the block ends."""
    keys = chain_keys(files)
    if not cache or limits.max_databases <= 0:
        with _uncached(server, files, keys[-1], progress) as state:
            yield state
        return
    with replayed_state(server, files, limits=limits, progress=progress) as source:
        try:
            with shadow_database(server, template=source.dbname) as copy:
                stats = replace(source.stats,
                                databases_created=source.stats.databases_created + 1)
                yield ReplayedState(server, copy.dbname, source.key, stats, kept=False)
                return
        except TemplateUnavailable:
            pass  # someone is reading the entry in place: replay a copy from scratch
    with _uncached(server, files, keys[-1], progress) as state:
        yield state


@contextmanager
def _uncached(server: Server, files: Sequence[ReplaySource], key: str,
              progress: Progress | None) -> Iterator[ReplayedState]:
    with shadow_database(server) as shadow:
        counts = replay_into(server, shadow.dbname, files, progress=progress)
        stats = ReplayStats(counts.files, counts.statements, databases_created=1)
        yield ReplayedState(server, shadow.dbname, key, stats, kept=False)


def _cached_in_place(admin: psycopg.Connection, server: Server, keys: Sequence[str],
                     count: int) -> ReplayedState | None:
    name = cache_name(keys[-1])
    if not _pin_existing(admin, name):
        return None
    dbs.touch(admin, name)
    return ReplayedState(server, name, keys[-1], ReplayStats(cached_files=count), kept=True)


def _pin_existing(admin: psycopg.Connection, name: str) -> bool:
    """Pin, then check it still exists (an eviction may have dropped it just before)."""
    if not dbs.existing(admin, [name]):
        return False
    dbs.pin(admin, name)
    return bool(dbs.existing(admin, [name]))


@contextmanager
def _build(admin: psycopg.Connection, server: Server, files: Sequence[ReplaySource],
           keys: Sequence[str], limits: CacheSettings,
           progress: Progress | None) -> Iterator[ReplayedState]:
    """Clone the longest cached prefix (or start empty), replay the rest, keep the result."""
    target = cache_name(keys[-1])
    dbs.pin(admin, target)  # before it exists: nobody may evict it between rename and use
    with ExitStack() as stack:
        start, template, shadow = _clone_longest_prefix(stack, admin, server, keys)
        counts = replay_into(server, shadow.dbname, files[start:], progress=progress,
                             first=start, total=len(files))
        kept = _keep(admin, shadow.dbname, target, keys[-1], len(files))
        if template is not None:
            dbs.touch(admin, template)
        if kept:
            evict(admin, limits, keep={target})
        stats = ReplayStats(counts.files, counts.statements, 1, cached_files=start)
        yield ReplayedState(server, target if kept else shadow.dbname, keys[-1], stats,
                            kept=kept)


def _clone_longest_prefix(stack: ExitStack, admin: psycopg.Connection, server: Server,
                          keys: Sequence[str]) -> tuple[int, str | None, ShadowDatabase]:
    """A new shadow database cloned from the longest usable cached prefix: a template in use
    is skipped for the next shorter one, and after a few, replay starts from scratch."""
    busy: set[str] = set()
    while True:
        start, template = (0, None)
        if len(busy) < _TEMPLATE_ATTEMPTS:
            start, template = _longest_prefix(admin, keys, busy)
        try:
            shadow = stack.enter_context(shadow_database(server, template=template))
        except TemplateUnavailable:
            busy.add(template or "")
            continue
        return start, template, shadow


def _longest_prefix(admin: psycopg.Connection, keys: Sequence[str],
                    skip: Collection[str]) -> tuple[int, str | None]:
    """(k, name) of the longest cached proper prefix, pinned; (0, None) when there is none."""
    names = [cache_name(key) for key in keys[:-1]]
    present = dbs.existing(admin, names)
    for start in range(len(names) - 1, -1, -1):
        name = names[start]
        if name in present and name not in skip and _pin_existing(admin, name):
            return start, name
    return 0, None


def _keep(admin: psycopg.Connection, shadow: str, target: str, key: str, files: int) -> bool:
    """Rename the replayed shadow database into the cache. False when that is impossible
    (the shadow database then serves once and is dropped)."""
    try:
        dbs.rename_database(admin, shadow, target)
    except (errors.DuplicateDatabase, errors.UniqueViolation):
        # Another process kept the same state meanwhile: use theirs, ours is dropped on exit.
        # (A rename racing theirs hits pg_database's unique index instead of the check.)
        return True
    except (errors.ObjectInUse, errors.InsufficientPrivilege):
        return False
    now = time.time()
    meta = dbs.creator_meta(DatabaseKind.CACHE, now=now)
    dbs.set_meta(admin, target, {**meta, "key": key, "files": files, "last_used": now})
    return True


def forget(server: Server, files: Sequence[ReplaySource]) -> bool:
    """Drop the cache entry of exactly this chain, unless it is in use."""
    name = cache_name(chain_keys(files)[-1])
    with connect(server) as admin:
        for entry in dbs.list_managed(admin):
            if entry.name == name:
                return dbs.drop_unused_cache_entry(admin, entry)
    return False


def evict(admin: psycopg.Connection, limits: CacheSettings, *,
          keep: Collection[str] = ()) -> tuple[str, ...]:
    """Drop least-recently-used cache entries until within ``limits``; pinned, connected and
    ``keep`` entries are skipped. Returns the names dropped."""
    entries = [d for d in dbs.list_managed(admin, sizes=True) if d.kind is DatabaseKind.CACHE]
    count = len(entries)
    size = sum(d.size_bytes or 0 for d in entries)
    dropped: list[str] = []
    for entry in sorted(entries, key=lambda d: (not d.invalid, d.last_used, d.name)):
        within = count <= limits.max_databases and size <= limits.max_size_mb * _MB
        if (within and not entry.invalid) or entry.name in keep:
            continue
        if dbs.drop_unused_cache_entry(admin, entry):
            count -= 1
            size -= entry.size_bytes or 0
            dropped.append(entry.name)
    return tuple(dropped)


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
