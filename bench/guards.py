"""Guard benchmark: `pgmt-git hook pre-commit` on a large repository, as a whole process.

    python bench/guards.py [--migrations 5000] [--commits 20000] [--runs 21] [--keep DIR]

Builds a repository with `git fast-import` in a temporary directory (5,000 migrations over
20,000 commits, a remote-tracking origin/main at the tip), stages one new migration on a
branch, then times, in the same run and interleaved:

- `pgmt-git hook pre-commit` (interpreter start-up included),
- `python -c 'import pygit2'` (the floor for any pygit2-based check),
- `git diff --cached --name-status` (what git itself needs to list the staged change).

Prints medians, ratios and PASS/MISS against the targets (median <= 150 ms, goal 100 ms;
<= 1.5x the pygit2 floor), and checks with `python -X importtime` that the hook path imports
neither psycopg, pglast nor click. Also shown, not a target: the hook when it must parse
pgmt.yaml again (the first commit after pgmt.yaml changed; later runs use the settings it
keeps in the git directory).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

TARGET_MS = 150.0
GOAL_MS = 100.0
TARGET_RATIO = 1.5
FIRST_VERSION = 1_700_000_000
SCHEMA_FILES = 50
FORBIDDEN_IMPORTS = ("psycopg", "pglast", "click")
IDENTITY = {
    "GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "bench@example.com",
    "GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "bench@example.com",
}
CONFIG = "directories:\n  schema_dir: schema\n  migrations_dir: migrations\n"


def migration_path(n: int) -> str:
    return f"migrations/V{FIRST_VERSION + n * 60}_change_{n}.sql"


def _blob(path: str, text: str) -> bytes:
    data = text.encode()
    return b"M 100644 inline %s\ndata %d\n%s\n" % (path.encode(), len(data), data)


def _commit(mark: int, parent: int | None, when: int, message: str,
            files: Sequence[bytes]) -> bytes:
    who = b"Bench <bench@example.com> %d +0000" % when
    msg = message.encode()
    head = [b"commit refs/heads/main", b"mark :%d" % mark, b"author " + who,
            b"committer " + who, b"data %d" % len(msg), msg]
    if parent is not None:
        head.append(b"from :%d" % parent)
    return b"\n".join(head) + b"\n" + b"".join(files) + b"\n"


def fast_import_stream(*, migrations: int, commits: int) -> Iterator[bytes]:
    """Commit 1 holds pgmt.yaml and the schema files; then every commit changes a schema
    file, and every (commits / migrations)-th also adds the next migration."""
    every = max(1, commits // migrations)
    start = [_blob("pgmt.yaml", CONFIG)]
    start += [_blob(f"schema/t{n:03}.sql", f"CREATE TABLE t{n} (id int);\n")
              for n in range(SCHEMA_FILES)]
    yield _commit(1, None, FIRST_VERSION, "project", start)
    added = 0
    for mark in range(2, commits + 1):
        table = mark % SCHEMA_FILES
        files = [_blob(f"schema/t{table:03}.sql",
                       f"CREATE TABLE t{table} (id int, c{mark} int);\n")]
        if added < migrations and (mark % every == 0 or commits - mark < migrations - added):
            files.append(_blob(migration_path(added),
                               f"ALTER TABLE t{table} ADD COLUMN c{mark} int;\n"))
            added += 1
        yield _commit(mark, mark - 1, FIRST_VERSION + mark, f"change {mark}", files)


def git(cwd: Path, *args: str, stdin: bytes | None = None) -> str:
    env = {**os.environ, **IDENTITY}
    result = subprocess.run(["git", *args], cwd=cwd, input=stdin, capture_output=True,
                            env=env, check=False)
    if result.returncode != 0:
        raise SystemExit(f"git {' '.join(args)} failed:\n{result.stderr.decode()}")
    return result.stdout.decode()


def build_repository(path: Path, *, migrations: int, commits: int) -> None:
    git(path.parent, "init", "-q", "-b", "main", str(path))
    stream = b"".join(fast_import_stream(migrations=migrations, commits=commits))
    git(path, "fast-import", "--quiet", stdin=stream)
    git(path, "update-ref", "refs/remotes/origin/main", "refs/heads/main")
    git(path, "symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/main")
    git(path, "checkout", "-q", "-f", "main")
    git(path, "gc", "-q")
    git(path, "checkout", "-q", "-b", "feature")
    new = path / migration_path(migrations + 1)
    new.write_text("ALTER TABLE t1 ADD COLUMN bench int;\n")
    git(path, "add", str(new.relative_to(path)))


def process_env() -> dict[str, str]:
    """The environment of the timed processes: bytecode caches allowed, as an installed
    package has them (PYTHONDONTWRITEBYTECODE would recompile every module on every run)."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def interleaved(commands: dict[str, Sequence[str]], cwd: Path, runs: int
                ) -> dict[str, tuple[float, int]]:
    """Median of each command, run in turns so that machine load hits them all alike; one
    untimed warm-up run each first (bytecode caches, file system caches)."""
    samples: dict[str, list[float]] = {name: [] for name in commands}
    codes: dict[str, int] = {}
    env = process_env()
    for command in commands.values():
        subprocess.run(command, cwd=cwd, capture_output=True, env=env, check=False)
    for _ in range(runs):
        for name, command in commands.items():
            start = time.perf_counter()
            result = subprocess.run(command, cwd=cwd, capture_output=True, env=env,
                                    check=False)
            samples[name].append(time.perf_counter() - start)
            codes[name] = result.returncode
    return {name: (statistics.median(v) * 1000, codes[name]) for name, v in samples.items()}


def uncached_ms(command: Sequence[str], cwd: Path, runs: int) -> float:
    """The hook when it must parse pgmt.yaml (its settings cache emptied before each run),
    as on the first commit after pgmt.yaml changed."""
    cache = cwd / ".git" / "pgmt-git" / "config-cache"
    env = process_env()
    times = []
    for _ in range(runs):
        shutil.rmtree(cache, ignore_errors=True)
        start = time.perf_counter()
        subprocess.run(command, cwd=cwd, capture_output=True, env=env, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def imported_modules(command: Sequence[str], cwd: Path) -> set[str]:
    env = {**process_env(), "PYTHONPROFILEIMPORTTIME": "1"}
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=env,
                            check=False)
    names = set()
    for line in result.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            names.add(line.rsplit("|", 1)[1].strip())
    return names


def pgmt_git_command() -> list[str]:
    script = Path(sys.executable).parent / "pgmt-git"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "pgmt_git"]


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def report(results: dict[str, tuple[float, int]], heavy: list[str], uncached: float) -> bool:
    hook, hook_code = results["hook"]
    floor, _ = results["pygit2"]
    git_ms, _ = results["git"]
    ratio = hook / floor
    print(f"pgmt-git hook pre-commit      {hook:7.1f} ms  (exit {hook_code})")
    print(f"  parsing pgmt.yaml again     {uncached:7.1f} ms  (after it changed; not a target)")
    print(f"python -c 'import pygit2'     {floor:7.1f} ms")
    print(f"git diff --cached --name-status {git_ms:5.1f} ms")
    print(f"hook / pygit2 floor           {ratio:7.2f}x   (hook / git: {hook / git_ms:.1f}x)")
    checks = [
        (f"median <= {TARGET_MS:.0f} ms", hook <= TARGET_MS),
        (f"median <= {GOAL_MS:.0f} ms (goal)", hook <= GOAL_MS),
        (f"<= {TARGET_RATIO}x the pygit2 floor", ratio <= TARGET_RATIO),
        ("hook exits 0 on the staged new migration", hook_code == 0),
        (f"no {', '.join(FORBIDDEN_IMPORTS)} on the hook path", not heavy),
    ]
    for label, ok in checks:
        print(f"{verdict(ok)}  {label}")
    if heavy:
        print(f"      imported: {', '.join(sorted(heavy))}")
    return all(ok for label, ok in checks if "goal" not in label)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--migrations", type=int, default=5000)
    parser.add_argument("--commits", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--keep", type=Path, help="build the repository here and keep it")
    args = parser.parse_args(argv)
    if args.commits < args.migrations:
        parser.error("--commits must be at least --migrations")
    base = args.keep or Path(tempfile.mkdtemp(prefix="pgmt-git-bench-"))
    base.mkdir(parents=True, exist_ok=True)
    try:
        repo = base / "repo"
        started = time.perf_counter()
        build_repository(repo, migrations=args.migrations, commits=args.commits)
        count = git(repo, "rev-list", "--count", "HEAD").strip()
        print(f"repository: {count} commits, {args.migrations} migrations, built in "
              f"{time.perf_counter() - started:.1f} s")
        hook = [*pgmt_git_command(), "hook", "pre-commit"]
        results = interleaved({
            "hook": hook,
            "pygit2": [sys.executable, "-c", "import pygit2"],
            "git": ["git", "diff", "--cached", "--name-status"],
        }, repo, args.runs)
        uncached = uncached_ms(hook, repo, args.runs)
        loaded = imported_modules(hook, repo)
        heavy = [m for m in loaded if m.split(".")[0] in FORBIDDEN_IMPORTS]
        print(f"medians of {args.runs} runs each")
        return 0 if report(results, heavy, uncached) else 1
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
