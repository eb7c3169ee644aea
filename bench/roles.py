"""The roles the generated schemas grant to, for the benchmarks that replay them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from pgmt_git.pg.server import Server, connect
from schemagen import ROLES  # bench/, beside it


@contextmanager
def bench_roles(server: Server) -> Iterator[None]:
    """The roles the schema grants to: created if missing, dropped after if created here."""
    created = []
    with connect(server) as conn:
        for role in ROLES:
            if not conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone():
                conn.execute(f"CREATE ROLE {role} NOLOGIN")  # type: ignore[arg-type]
                created.append(role)
    try:
        yield
    finally:
        with connect(server) as conn:
            for role in created:
                try:
                    conn.execute(f"DROP ROLE {role}")  # type: ignore[arg-type]
                except psycopg.Error as exc:
                    print(f"note: role {role} left in place: {exc}".strip())
