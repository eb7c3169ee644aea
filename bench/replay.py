"""Replay benchmark: cold replay vs the same state again vs the state plus one migration.

    python bench/replay.py [--shadow-url URL] [--tables 1000] [--migrations 300]

A generated chain (no baseline): the early migrations create the tables, with two indexes
each; the later ones alter them. Every run salts the chain, so the first replay is cold.
The run's cache entries are dropped at the end.
"""

from __future__ import annotations

import argparse
import time
import uuid
from collections.abc import Callable
from contextlib import AbstractContextManager

from pgmt_git.pg.cache import ReplayedState, forget, replayed_state
from pgmt_git.pg.plan import FileKind, ReplayFile
from pgmt_git.pg.replay import terminal_progress
from pgmt_git.pg.server import Server, resolve_server

TABLES_PER_MIGRATION = 10


def generate_chain(*, tables: int, migrations: int, salt: str) -> list[ReplayFile]:
    creating = -(-tables // TABLES_PER_MIGRATION)
    if migrations <= creating:
        raise SystemExit(f"--migrations must exceed {creating} to create {tables} tables")
    chain = [_creating(n, tables, salt) for n in range(creating)]
    chain += [_altering(n, tables) for n in range(migrations - creating)]
    return chain


def _creating(n: int, tables: int, salt: str) -> ReplayFile:
    first = n * TABLES_PER_MIGRATION
    lines = [f"-- bench run {salt}"] if n == 0 else []
    for t in range(first, min(first + TABLES_PER_MIGRATION, tables)):
        lines += [
            f"CREATE TABLE t{t} (id bigserial PRIMARY KEY, name text NOT NULL, "
            f"created timestamptz NOT NULL DEFAULT now());",
            f"CREATE INDEX t{t}_name ON t{t} (name);",
            f"CREATE INDEX t{t}_created ON t{t} (created);",
        ]
    return _migration(n, lines)


def _altering(n: int, tables: int) -> ReplayFile:
    t = (n * 7) % tables
    lines = [
        f"ALTER TABLE t{t} ADD COLUMN c{n} integer;",
        f"CREATE INDEX t{t}_c{n} ON t{t} (c{n});",
        f"COMMENT ON COLUMN t{t}.c{n} IS 'added by migration {n}';",
    ]
    return _migration(10_000 + n, lines)


def _migration(version: int, lines: list[str]) -> ReplayFile:
    return ReplayFile(f"migrations/V{version}_bench.sql", "\n".join(lines) + "\n",
                      FileKind.MIGRATION)


def timed(open_state: Callable[[], AbstractContextManager[ReplayedState]],
          label: str) -> tuple[float, ReplayedState]:
    start = time.perf_counter()
    with open_state() as state:
        elapsed = time.perf_counter() - start
    stats = state.stats
    print(f"{label:<22} {elapsed:8.2f} s   files replayed {stats.files_replayed:4d}, "
          f"statements {stats.statements_executed:5d}, databases created "
          f"{stats.databases_created}, cached files {stats.cached_files}")
    return elapsed, state


def run(server: Server, *, tables: int, migrations: int) -> None:
    chain = generate_chain(tables=tables, migrations=migrations, salt=uuid.uuid4().hex)
    longer = [*chain, _migration(99_999, ["ALTER TABLE t0 ADD COLUMN last integer;"])]
    progress = terminal_progress()
    print(f"{server.describe()}: {migrations} migrations creating {tables} tables, then "
          f"altering them")
    try:
        cold, _ = timed(lambda: replayed_state(server, chain, progress=progress), "cold replay")
        cached, _ = timed(lambda: replayed_state(server, chain), "same state again")
        plus, _ = timed(lambda: replayed_state(server, longer), "cached + 1 migration")
    finally:
        forget(server, chain)
        forget(server, longer)
    for label, seconds in (("same state again", cached), ("cached + 1 migration", plus)):
        print(f"{label:<22} {seconds / cold:8.1%} of the cold replay")


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shadow-url", help="a server of your own (default: the embedded one)")
    parser.add_argument("--tables", type=int, default=1000)
    parser.add_argument("--migrations", type=int, default=300)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = _arguments(argv)
    run(resolve_server(args.shadow_url), tables=args.tables, migrations=args.migrations)


if __name__ == "__main__":
    main()
