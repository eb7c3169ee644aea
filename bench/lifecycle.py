"""`migrate new` benchmark: a 300-migration history and a 500-table schema.

    python bench/lifecycle.py [--shadow-url URL] [--tables 500] [--migrations 300]

Generates a project in a temporary directory: migrations whose first ones create the tables
(two indexes each) and the rest alter them (a column, an index, a comment each), and schema
files holding the same state plus a few changes, so that `migrate new` has a migration to
write. Every run salts the files, so the first `migrate new` is cold: it replays the chain
and the schema files from scratch. Then:

- `migrate new, cold`: the `pgmt-git migrate new` process, start to exit, nothing cached;
- `migrate new, warm`: the same again: both states come from the template cache;
- `PostgreSQL, one transaction`: the chain's DDL, then the schema files' DDL, each sent as
  one transaction into an empty database, measured in the same run: what any tool that
  builds both states must at least spend.

The generated migration is deleted after each run; the run's cache entries are dropped at
the end.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from pgmt_git.pg.cache import forget
from pgmt_git.pg.server import Server, connect, resolve_server
from pgmt_git.pg.shadow import shadow_database
from pgmt_git.project.source import load_project

TABLES_PER_MIGRATION = 10


def creating(first: int, tables: int) -> list[str]:
    lines = []
    for t in range(first, min(first + TABLES_PER_MIGRATION, tables)):
        lines += [f"CREATE TABLE t{t} (id bigserial PRIMARY KEY, name text NOT NULL, "
                  f"created timestamptz NOT NULL DEFAULT now());",
                  f"CREATE INDEX t{t}_name ON t{t} (name);",
                  f"CREATE INDEX t{t}_created ON t{t} (created);"]
    return lines


def altering(n: int, tables: int) -> list[str]:
    t = (n * 7) % tables
    return [f"ALTER TABLE t{t} ADD COLUMN c{n} integer;",
            f"CREATE INDEX t{t}_c{n} ON t{t} (c{n});",
            f"COMMENT ON COLUMN t{t}.c{n} IS 'added by migration {n}';"]


def write_project(root: Path, *, tables: int, migrations: int, salt: str) -> list[str]:
    """The project's files; returns the chain's DDL, migration by migration."""
    count = -(-tables // TABLES_PER_MIGRATION)
    if migrations <= count:
        raise SystemExit(f"--migrations must exceed {count} to create {tables} tables")
    (root / "migrations").mkdir(parents=True)
    (root / "schema").mkdir()
    (root / "pgmt.yaml").write_text("migration:\n  filename_prefix: V\n")
    chain = [creating(n * TABLES_PER_MIGRATION, tables) for n in range(count)]
    chain += [altering(n, tables) for n in range(migrations - count)]
    chain[0].insert(0, f"-- bench run {salt}")
    texts = ["\n".join(lines) + "\n" for lines in chain]
    for n, text in enumerate(texts):
        (root / "migrations" / f"V{1_000_000 + n}_bench.sql").write_text(text)
    # The schema files: the same state, a file per 50 migrations, then the new changes.
    for part in range(0, len(texts), 50):
        (root / "schema" / f"{part // 50:03d}.sql").write_text("".join(texts[part:part + 50]))
    (root / "schema" / "zzz_changes.sql").write_text(
        "ALTER TABLE t0 ADD COLUMN added_now text DEFAULT 'x';\n"
        "CREATE INDEX t1_name_created ON t1 (name, created);\n"
        "CREATE TABLE brand_new (id int PRIMARY KEY, t0_id bigint REFERENCES t0 (id));\n"
        "COMMENT ON TABLE t2 IS 'commented now';\n")
    return texts


def run_new(root: Path, shadow_url: str | None) -> float:
    env = dict(os.environ)
    if shadow_url:
        env["PGMT_SHADOW_URL"] = shadow_url
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "pgmt_git", "-q", "-C", str(root),
                             "migrate", "new", "bench"], capture_output=True, text=True,
                            env=env)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"migrate new failed:\n{result.stdout}{result.stderr}")
    written = result.stdout.split()[1]
    (root / written).unlink()
    return elapsed


def one_transaction(server: Server, ddl: str) -> float:
    with shadow_database(server) as shadow, connect(server, shadow.dbname) as conn:
        start = time.perf_counter()
        with conn.transaction():
            conn.execute(ddl)  # type: ignore[arg-type]  # generated above
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shadow-url", metavar="URL")
    parser.add_argument("--tables", type=int, default=500)
    parser.add_argument("--migrations", type=int, default=300)
    args = parser.parse_args()
    server = resolve_server(args.shadow_url)
    with tempfile.TemporaryDirectory(prefix="pgmt-git-bench-") as tmp:
        root = Path(tmp)
        chain = write_project(root, tables=args.tables, migrations=args.migrations,
                              salt=uuid.uuid4().hex)
        project = load_project(start_dir=root)
        print(f"{server.describe()}: {args.migrations} migrations, {args.tables} tables "
              f"({sum(t.count(';') for t in chain)} statements in the chain; the schema "
              "files hold the same state plus 4 changes)")
        try:
            cold = run_new(root, args.shadow_url)
            print(f"{'migrate new, cold':<32} {cold:8.2f} s")
            warm = run_new(root, args.shadow_url)
            print(f"{'migrate new, warm':<32} {warm:8.2f} s")
            chain_s = one_transaction(server, "".join(chain))
            schema_s = one_transaction(server, "".join(f.text for f in project.schema_files))
            floor = chain_s + schema_s
            print(f"{'PostgreSQL, chain DDL':<32} {chain_s:8.2f} s   (one transaction)")
            print(f"{'PostgreSQL, schema DDL':<32} {schema_s:8.2f} s   (one transaction)")
            print(f"{'PostgreSQL, both':<32} {floor:8.2f} s")
            print(f"cold = {cold / floor:.1f} x PostgreSQL's time for both states; "
                  f"warm = {warm / floor:.2f} x ({warm / cold:.0%} of cold)")
        finally:
            forget(server, project.chain_inputs())
            forget(server, project.schema_inputs())


if __name__ == "__main__":
    main()
