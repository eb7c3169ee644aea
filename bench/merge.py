"""Merge driver benchmark: a 5,000-statement schema file changed on both sides.

    python bench/merge.py [--shadow-url URL] [--statements 5000] [--runs 5]

Generates a schema (`schemagen.py`) of at least `--statements` statements in one file. Ours
is schemagen's changed version of it (about 5% of the objects: columns added, dropped and
retyped, indexes, views, functions, triggers, policies and grants changed); theirs changes
other objects: a column added to some tables (a few of them tables ours changes too, so
those merge column by column), comments reworded, grants dropped, tables added. Then:

- `SQL merge`: the merge itself, in-process (best and median of `--runs`); target <= 1 s;
- `merge-driver --no-verify`: the whole `pgmt-git merge-driver` process, as git runs it;
- `git merge, verified, cold`: `git merge` in a repository with the driver installed and
  verification on, nothing cached: the oracle replays the base, both sides and the result;
- `git merge, verified, warm`: the same merge again: the four states come from the cache;
- `replaying the four schemas`: what verification cannot avoid, measured in the same run:
  each of the four schemas replayed into a throwaway database, one after the other (the
  driver replays them side by side), and, apart, the time reading their catalogs.

Every run salts the schema, so the cold merge is cold; the run's cache entries are dropped
at the end, and the two roles the schema grants to are created for the run if missing.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from pathlib import Path

from roles import bench_roles  # bench/, beside it
from schemagen import schema_pair

from pgmt_git.git.merge import merge_sql
from pgmt_git.pg.cache import forget, replayed_state
from pgmt_git.pg.catalog.loader import load_catalog
from pgmt_git.pg.server import Server, connect, resolve_server
from pgmt_git.project.source import load_project

TARGET_S = 1.0
IDENTITY = {
    "GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "bench@example.com",
    "GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "bench@example.com",
}
CONFIG = "directories:\n  schema_dir: schema\n"
FILE = "schema/app.sql"
PGMT_GIT = str(Path(sys.executable).parent / "pgmt-git")
_CREATE_TABLE = re.compile(r"CREATE TABLE (\S+) \(")


# --- the three versions ----------------------------------------------------------------------


def versions(statements: int, salt: str) -> tuple[str, str, str]:
    """Base, ours and theirs of a file of at least ``statements`` statements."""
    tables = max(10, statements // 8)
    while True:
        pair = schema_pair(tables=tables, seed=1)
        if len(pair.before) >= statements:
            break
        tables += max(1, tables // 20)
    before, after = valid(pair.before), valid(pair.after)
    header = f"-- bench run {salt}\n\n"
    base = header + "\n\n".join(before) + "\n"
    ours = header + "\n\n".join(after) + "\n"
    return base, ours, header + "\n\n".join(theirs_changes(before, after)) + "\n"


def valid(statements: Sequence[str]) -> list[str]:
    # schemagen gives some materialized views WITH (security_barrier), which PostgreSQL
    # refuses (a view option only).
    return [s.replace(" WITH (security_barrier) AS", " AS", 1)
            if s.startswith("CREATE MATERIALIZED VIEW") else s for s in statements]


def theirs_changes(before: Sequence[str], after: Sequence[str]) -> list[str]:
    """Changes to objects ours leaves alone (ours' tables may get a column too)."""
    kept = set(after)
    touched = " ".join(s for s in before if s not in kept) + " ".join(
        s for s in after if s not in set(before))
    out: list[str] = []
    for n, statement in enumerate(before):
        table = _CREATE_TABLE.match(statement)
        if table is not None and n % 37 == 0:
            statement = statement.replace("\n);", ",\n    theirs_note text\n);", 1) \
                if statement.endswith("\n);") else statement
            out.append(statement)
            if statement in kept and n % 2:
                out.append(f"CREATE TABLE theirs_{n} (id bigint PRIMARY KEY, "
                           f"of_{n} text NOT NULL);")
            continue
        if statement in kept and _name_in(statement, touched):
            out.append(statement)
        elif statement.startswith("COMMENT ON") and statement in kept and n % 5 == 0:
            out.append(re.sub(r"IS '(.*)';$", r"IS '\1 (reworded)';", statement))
        elif statement.startswith("GRANT") and statement in kept and n % 11 == 0:
            continue
        else:
            out.append(statement)
    return out


def _name_in(statement: str, text: str) -> bool:
    words = re.findall(r"[a-z_][a-z0-9_.]*", statement.split("(", 1)[0])
    return any(len(w) > 6 and w in text for w in words[2:4])


# --- timing ----------------------------------------------------------------------------------


def time_merge(base: str, ours: str, theirs: str, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = merge_sql(base, ours, theirs)
        times.append(time.perf_counter() - start)
        assert result.clean, [c.what for c in result.conflicts]
    return times


def time_driver_process(tmp: Path, base: str, ours: str, theirs: str, runs: int) -> list[float]:
    times = []
    for run in range(runs):
        files = []
        for name, text in (("base", base), ("ours", ours), ("theirs", theirs)):
            path = tmp / f"driver-{run}-{name}.sql"
            path.write_text(text, encoding="utf-8")
            files.append(str(path))
        start = time.perf_counter()
        result = subprocess.run([PGMT_GIT, "merge-driver", "--no-verify", *files, "7", FILE],
                                cwd=tmp, capture_output=True, text=True, check=False)
        times.append(time.perf_counter() - start)
        assert result.returncode == 0, result.stderr
    return times


def git(cwd: Path, *args: str, env: dict[str, str] | None = None,
        check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True,
                            env={**os.environ, **IDENTITY, **(env or {})}, check=False)
    if check and result.returncode != 0:
        raise SystemExit(f"git {' '.join(args)} failed: {result.stderr}")
    return result


def repository(root: Path, base: str, ours: str, theirs: str) -> Path:
    repo = root / "repo"
    (repo / "schema").mkdir(parents=True)
    git(repo, "init", "-q", "-b", "main")
    (repo / "pgmt.yaml").write_text(CONFIG, encoding="utf-8")
    subprocess.run([PGMT_GIT, "install", "--merge-driver"], cwd=repo, check=True,
                   capture_output=True)
    # -v: the driver says when it verified, so the run shows the oracle ran.
    git(repo, "config", "merge.pgmt.driver", f"{PGMT_GIT} -v merge-driver %O %A %B %L %P")
    for checkout, text, message in ((None, base, "base"), (("-b", "feature"), theirs, "theirs"),
                                    (("main",), ours, "ours")):
        if checkout:
            git(repo, "checkout", "-q", *checkout)
        (repo / FILE).write_text(text, encoding="utf-8")
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", message)
    return repo


def time_git_merge(repo: Path, env: dict[str, str]) -> tuple[float, str]:
    start = time.perf_counter()
    result = git(repo, "merge", "--no-commit", "feature", env=env, check=False)
    elapsed = time.perf_counter() - start
    merged = (repo / FILE).read_text(encoding="utf-8")
    git(repo, "merge", "--abort", check=False)
    if result.returncode != 0:
        raise SystemExit(f"the merge conflicted:\n{result.stdout}{result.stderr}")
    if "verified on a shadow database" not in result.stderr:
        raise SystemExit(f"the merge was not verified:\n{result.stderr}")
    return elapsed, merged


def time_four_replays(server: Server, root: Path, texts: Sequence[str]
                      ) -> tuple[float, float, list]:
    """Each schema replayed from scratch, one after the other, and its catalog read: the
    seconds replaying, the seconds reading catalogs, and the replay inputs."""
    replaying = reading = 0.0
    inputs = []
    for n, text in enumerate(texts):
        project_dir = root / f"state-{n}"
        (project_dir / "schema").mkdir(parents=True)
        (project_dir / "pgmt.yaml").write_text(CONFIG, encoding="utf-8")
        (project_dir / FILE).write_text(text, encoding="utf-8")
        files = load_project(start_dir=project_dir).schema_inputs()
        start = time.perf_counter()
        with replayed_state(server, files, cache=False) as state:
            replayed = time.perf_counter()
            load_catalog(state.conninfo)
            reading += time.perf_counter() - replayed
        replaying += replayed - start
        inputs.append(files)
    return replaying, reading, inputs


def line(label: str, seconds: float, note: str = "") -> None:
    print(f"{label:<34} {seconds:8.3f} s   {note}".rstrip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shadow-url", metavar="URL")
    parser.add_argument("--statements", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    base, ours, theirs = versions(args.statements, uuid.uuid4().hex)
    counts = [text.count(";\n") for text in (base, ours, theirs)]
    print(f"{counts[0]} statements ({len(base) / 1e6:.1f} MB); ours {counts[1]}, "
          f"theirs {counts[2]}")
    merge_times = time_merge(base, ours, theirs, args.runs)
    best = min(merge_times)
    verdict = "PASS" if best <= TARGET_S else "MISS"
    line("SQL merge", best, f"best of {args.runs}, median "
         f"{statistics.median(merge_times):.3f} s; target <= {TARGET_S:.0f} s: {verdict}")
    server = resolve_server(args.shadow_url)
    env = {"PGMT_SHADOW_URL": args.shadow_url} if args.shadow_url else {}
    with tempfile.TemporaryDirectory(prefix="pgmt-git-bench-") as tmp, bench_roles(server):
        root = Path(tmp)
        process = time_driver_process(root, base, ours, theirs, min(args.runs, 3))
        line("merge-driver --no-verify", min(process), "the whole process, as git runs it")
        repo = repository(root, base, ours, theirs)
        inputs: list = []
        try:
            cold, merged = time_git_merge(repo, env)
            line("git merge, verified, cold", cold, "nothing cached")
            warm, _ = time_git_merge(repo, env)
            line("git merge, verified, warm", warm, "the four states from the cache")
            replaying, reading, inputs = time_four_replays(server, root,
                                                           (base, ours, theirs, merged))
            line("replaying the four schemas", replaying, "one after the other, from scratch")
            line("reading their four catalogs", reading)
            print(f"cold verified merge = {cold / replaying:.2f} x replaying the four schemas "
                  f"one after the other; warm = {warm / replaying:.2f} x")
        finally:
            for files in inputs:
                forget(server, files)


if __name__ == "__main__":
    main()
