"""Diff benchmark: pgmt-git against migra and pg_dump, on the same pair of databases.

    python bench/diff.py [--sizes 100,500,2000] [--shadow-url URL] [--skip-migra] [--repeat 3]

For each size N, a synthetic schema of N tables (bench/schemagen.py) and a version with about
5% of its objects changed are replayed into two throwaway databases. Then, on those two
databases, each tool runs as a process of its own, timed from start to exit (interpreter
start-up and imports included) with its peak resident memory:

- pgmt-git: `pgmt-git diff --from URL --to URL`, the command a user runs: both catalogs
  read, diffed and rendered to SQL (the time it spends in each phase comes from one more,
  untimed run of this script's --measure-pgmt, under the same installation);
- migra --unsafe FROM TO, in a virtual environment of its own, made once in the user cache
  directory (migra needs sqlalchemy<2 and psycopg2, which pgmt-git does not use);
- pg_dump --schema-only of each database: the floor for reading two catalogs.

Each tool runs --repeat times, in turn; the median time and the highest peak are shown.
pgmt-git runs as a user's `pip install` leaves it, as migra does: this checkout is installed
into a virtual environment of its own first (bytecode compiled, no editable install's import
hook, none of this environment's .pth files); when that fails (no network for the
dependencies), this environment's pgmt-git runs, its modules compiled to bytecode.
The databases are dropped at the end, also on Ctrl-C; the two roles the schema grants to are
created if missing and dropped again if this run created them.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode

from pgmt_git.diff import diff_catalogs, render_sql
from pgmt_git.paths import cache_dir
from pgmt_git.pg.catalog.loader import load_catalogs
from pgmt_git.pg.embedded import find_binaries
from pgmt_git.pg.plan import FileKind, ReplayFile
from pgmt_git.pg.replay import replay_into
from pgmt_git.pg.server import Server, connect, resolve_server
from pgmt_git.pg.shadow import ShadowDatabase, shadow_database
from pgmt_git.project.sqltext import split_statements
from roles import bench_roles  # bench/, beside it
from schemagen import ALL_FEATURES, Feature, SchemaPair, schema_pair

ROOT = Path(__file__).resolve().parent.parent  # the checkout
DEFAULT_SIZES = (100, 500, 2000)
TARGET_SIZE = 2000
MIGRA_PACKAGES = ("migra", "sqlalchemy<2", "psycopg2-binary")
# Objects the diff engine cannot handle yet, left out of the generated schema (and why).
LEFT_OUT: dict[Feature, str] = {}


@dataclass(frozen=True)
class Run:
    """One timed process."""

    seconds: float
    peak_mb: float
    returncode: int
    stdout: str
    stderr: str


@dataclass(frozen=True)
class Measured:
    """The runs of one tool on one size: median time, highest peak, the last run's output."""

    runs: tuple[Run, ...]

    @property
    def seconds(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    @property
    def peak_mb(self) -> float:
        return max(r.peak_mb for r in self.runs)

    @property
    def last(self) -> Run:
        return self.runs[-1]


@dataclass(frozen=True)
class Result:
    tables: int
    statements: int
    pgmt: Measured | None  # None: it failed (the reason was printed)
    pgmt_report: dict[str, float]
    pgmt_statements: int
    migra: Measured | None
    migra_statements: int
    dump_old: Measured | None
    dump_new: Measured | None

    @property
    def dump_seconds(self) -> float | None:
        if self.dump_old is None or self.dump_new is None:
            return None
        return self.dump_old.seconds + self.dump_new.seconds


# --- the measured pgmt-git process -----------------------------------------------------------


def measure_pgmt(old: str, new: str) -> None:
    """Where the time of `pgmt-git diff` goes, phase by phase, as it reads (both catalogs at
    once), diffs and renders; the figures go to stderr, as the last line."""
    start = time.perf_counter()
    old_catalog, new_catalog = load_catalogs([old, new])
    loaded = time.perf_counter()
    changes = diff_catalogs(old_catalog, new_catalog)
    diffed = time.perf_counter()
    sys.stdout.write(render_sql(changes))
    rendered = time.perf_counter()
    # The peak of this process and of the process that read a catalog for it (pgmt-git
    # forks one on Linux): the launcher sees only the larger of the two.
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    reader = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({"changes": len(changes), "read": loaded - start,
                      "diff": diffed - loaded, "render": rendered - diffed,
                      "own_mb": own, "reader_mb": reader}), file=sys.stderr)


# --- processes -------------------------------------------------------------------------------


def ensure_pgmt_git() -> tuple[Path, str]:
    """The interpreter of pgmt-git as a user's `pip install` leaves it (its `pgmt-git`
    beside it): this checkout installed into a virtual environment of its own, as migra is
    (compiled bytecode; no editable install's import hook; no .pth files of the environment
    running this script, which cost the interpreter's start-up a tenth of a second here).
    When that cannot be made (no network for the dependencies), this environment's own,
    with its modules compiled."""
    venv = cache_dir() / "bench-pgmt-git-venv"
    python = venv / "bin" / "python"
    steps = [] if python.exists() else [_new_venv(venv)]
    # This checkout over whatever an earlier run installed, then any dependency missing.
    steps += [[*_pip_install(venv), "--no-deps", "--force-reinstall", str(ROOT)],
              [*_pip_install(venv), str(ROOT)]]
    print(f"installing this checkout of pgmt-git into {venv} ...", flush=True)
    failure = _run_steps(steps)
    if failure:
        compile_package()
        return Path(sys.executable), f"this environment's (installing it into {venv}: {failure})"
    return python, f"this checkout, installed into {venv}"


def compile_package() -> None:
    """pgmt-git's modules as bytecode, as an installed package has them (pip compiles at
    install time); an up-to-date file is left as it is."""
    import compileall

    import pgmt_git

    compileall.compile_dir(Path(pgmt_git.__file__).parent, quiet=1)


# Linux starts a process's peak RSS (ru_maxrss) at the RSS of the process it was forked
# from, exec or not: spawned from this script, which holds both generated schemas, every
# command would seem to use at least as much. So each measured command is spawned by a small
# launcher process, and its figures come back in a report file.
_LAUNCHER = """
import os, sys, time
start = time.perf_counter()
pid = os.posix_spawnp(sys.argv[2], sys.argv[2:], os.environ)
_, status, usage = os.wait4(pid, 0)
seconds = time.perf_counter() - start
with open(sys.argv[1], "w") as report:
    report.write(f"{seconds} {usage.ru_maxrss} {os.waitstatus_to_exitcode(status)}")
"""


def timed_run(command: Sequence[str], *, env: dict[str, str] | None = None) -> Run:
    """Run ``command`` to its end: its wall time and peak RSS, and its output."""
    with ExitStack() as stack:
        out, err = (stack.enter_context(tempfile.TemporaryFile()) for _ in range(2))
        report = Path(stack.enter_context(tempfile.TemporaryDirectory())) / "report"
        launcher = [sys.executable, "-I", "-S", "-c", _LAUNCHER, str(report), *command]
        # A session of its own, so that an interrupted run ends the command with its launcher.
        process = subprocess.Popen(launcher, stdout=out, stderr=err, env=env,
                                   start_new_session=True)
        try:
            process.wait()
        except BaseException:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            raise
        out.seek(0)
        err.seek(0)
        stdout, stderr = (f.read().decode(errors="replace") for f in (out, err))
        if not report.exists():
            raise RuntimeError(f"could not run {command[0]}:\n{tail(stderr)}")
        seconds, maxrss_kib, returncode = report.read_text().split()
    # Linux reports ru_maxrss in KiB.
    return Run(float(seconds), int(maxrss_kib) * 1024 / 1e6, int(returncode), stdout, stderr)


def memory_floor() -> float:
    """The peak RSS reported for a command that uses next to none: the launcher's own."""
    return timed_run(["true"]).peak_mb


def tail(text: str, lines: int = 12) -> str:
    return "\n".join("    " + line for line in text.strip().splitlines()[-lines:])


# --- migra -----------------------------------------------------------------------------------


def migra_venv() -> Path:
    return cache_dir() / "bench-migra-venv"


def ensure_migra() -> tuple[Path | None, str]:
    """migra's executable and version, made on first use; or None and why not."""
    venv = migra_venv()
    migra = venv / "bin" / "migra"
    if not _migra_works(migra):
        print(f"setting up migra in {venv} (once) ...", flush=True)
        failure = _make_migra_venv(venv)
        if failure:
            return None, failure
        if not _migra_works(migra):
            return None, f"{migra} does not start (try deleting {venv})"
    version = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "show", "migra"],
                             capture_output=True, text=True).stdout
    found = [line.split(":", 1)[1].strip() for line in version.splitlines()
             if line.startswith("Version:")]
    return migra, f"migra {found[0] if found else '?'}"


def _migra_works(migra: Path) -> bool:
    if not migra.exists():
        return False
    return subprocess.run([str(migra), "--help"], capture_output=True).returncode == 0


def _make_migra_venv(venv: Path) -> str | None:
    return _run_steps([_new_venv(venv), [*_pip_install(venv), *MIGRA_PACKAGES]])


def _new_venv(venv: Path) -> list[str]:
    return [sys.executable, "-m", "venv", "--clear", str(venv)]


def _pip_install(venv: Path) -> list[str]:
    return [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet",
            "--disable-pip-version-check"]


def _run_steps(steps: Sequence[Sequence[str]]) -> str | None:
    """Run each command in turn, up to the first that fails: None, or what failed."""
    for step in steps:
        done = subprocess.run(step, capture_output=True, text=True)
        if done.returncode != 0:
            return f"`{' '.join(step[-4:])}` failed:\n{tail(done.stderr or done.stdout)}"
    return None


def sqlalchemy_url(server: Server, dbname: str) -> str:
    """A URL migra's SQLAlchemy understands; a socket directory goes in the query string."""
    params = dict(server.params)
    user, password = params.pop("user", ""), params.pop("password", "")
    host, port = params.pop("host", ""), params.pop("port", "")
    login = quote(user, safe="") + (":" + quote(password, safe="") if password else "")
    netloc = login + "@" if login else ""
    if host.startswith("/"):
        params.update({"host": host, **({"port": port} if port else {})})
    else:
        netloc += host + (":" + port if port else "")
    query = urlencode(sorted(params.items()))
    return f"postgresql://{netloc}/{quote(dbname, safe='')}" + (f"?{query}" if query else "")


# --- databases -------------------------------------------------------------------------------


def replay(server: Server, database: ShadowDatabase, statements: Sequence[str],
           label: str) -> None:
    text = "\n".join(statements) + "\n"
    replay_into(server, database.dbname, [ReplayFile(f"{label}.sql", text, FileKind.SCHEMA)])
    with connect(server, database.dbname) as conn:
        # Fresh catalogs have no statistics until autovacuum gets to them, which would
        # change the catalog queries' plans halfway through the runs.
        conn.execute("ANALYZE")


# --- one size --------------------------------------------------------------------------------


def run_size(server: Server, tables: int, *, seed: int, repeat: int, python: Path,
             migra: Path | None, pg_dump: str) -> Result:
    """``python``: the interpreter pgmt-git is installed for; the timed command and the
    run measuring its phases both use that installation."""
    pair = schema_pair(tables=tables, seed=seed, features=ALL_FEATURES - set(LEFT_OUT))
    _describe(tables, pair)
    with ExitStack() as stack:
        old = stack.enter_context(shadow_database(server))
        new = stack.enter_context(shadow_database(server))
        start = time.perf_counter()
        replay(server, old, pair.before, "before")
        replay(server, new, pair.after, "after")
        print(f"  replayed both versions in {time.perf_counter() - start:.1f} s", flush=True)
        commands = _commands(server, old, new, python.with_name("pgmt-git"), migra, pg_dump)
        runs: dict[str, list[Run]] = {name: [] for name in commands}
        for _ in range(repeat):
            for name, (command, env) in commands.items():
                runs[name].append(timed_run(command, env=env))
        phases = timed_run([str(python), str(Path(__file__).resolve()), "--measure-pgmt",
                            old.conninfo, new.conninfo], env=commands["pgmt-git"][1])
    return _result(tables, len(pair.before), runs, phases)


def _describe(tables: int, pair: SchemaPair) -> None:
    print(f"\nN = {tables} tables: {len(pair.before):,} statements "
          f"(changed version {len(pair.after):,}; {len(pair.changes)} objects changed)",
          flush=True)


def _commands(server: Server, old: ShadowDatabase, new: ShadowDatabase, pgmt_git: Path,
              migra: Path | None, pg_dump: str) -> dict[str, tuple[list[str], dict[str, str]]]:
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    commands = {"pgmt-git": ([str(pgmt_git), "diff", "--from", sqlalchemy_url(server, old.dbname),
                              "--to", sqlalchemy_url(server, new.dbname)], env)}
    if migra is not None:
        commands["migra"] = ([str(migra), "--unsafe", sqlalchemy_url(server, old.dbname),
                              sqlalchemy_url(server, new.dbname)], env)
    for name, database in (("pg_dump old", old), ("pg_dump new", new)):
        commands[name] = ([pg_dump, "--schema-only", "--file", os.devnull,
                           "--dbname", database.conninfo], env)
    return commands


def _result(tables: int, statements: int, runs: dict[str, list[Run]], phases: Run) -> Result:
    # pgmt-git diff exits 1 and migra 2 when they found differences.
    pgmt = _checked("pgmt-git", runs.get("pgmt-git"), ok=(0, 1))
    migra = _checked("migra", runs.get("migra"), ok=(0, 2))
    report = {}
    if phases.returncode == 0:
        report = json.loads(phases.stderr.strip().splitlines()[-1])
    else:
        print(f"  the run measuring phases failed (exit {phases.returncode}):\n"
              f"{tail(phases.stderr)}")
    return Result(tables, statements, pgmt, report, _count(pgmt), migra, _count(migra),
                  _checked("pg_dump", runs.get("pg_dump old"), ok=(0,)),
                  _checked("pg_dump", runs.get("pg_dump new"), ok=(0,)))


def _count(measured: Measured | None) -> int:
    return len(split_statements(measured.last.stdout)) if measured else 0


def _checked(name: str, runs: list[Run] | None, *, ok: tuple[int, ...]) -> Measured | None:
    if not runs:
        return None
    failed = next((r for r in runs if r.returncode not in ok), None)
    if failed is not None:
        print(f"  {name} failed (exit {failed.returncode}):\n{tail(failed.stderr)}")
        return None
    return Measured(tuple(runs))


# --- reporting -------------------------------------------------------------------------------


def print_result(result: Result) -> None:
    print(f"  {'':<28}{'time':>9}{'peak memory':>14}")
    _line("pgmt-git", result.pgmt, _phases(result.pgmt_report))
    _line("migra", result.migra)
    _line("pg_dump --schema-only, old", result.dump_old)
    _line("pg_dump --schema-only, new", result.dump_new)
    if result.dump_seconds is not None:
        print(f"  {'pg_dump, both':<28}{result.dump_seconds:>7.2f} s")
    print(f"  {'migra / pgmt-git':<28}{_ratio(result.migra, result.pgmt):>9}")
    dump = result.dump_seconds
    both = "-" if dump is None or result.pgmt is None else f"{dump / result.pgmt.seconds:.2f}x"
    print(f"  {'pg_dump both / pgmt-git':<28}{both:>9}")
    changes = (f"{result.pgmt_report['changes']:.0f} changes, "
               if result.pgmt_report else "")
    found = f"{changes}{result.pgmt_statements} statements" if result.pgmt else "-"
    printed = f"{result.migra_statements} statements" if result.migra else "-"
    print(f"  sanity: pgmt-git found {found}; migra printed {printed}", flush=True)


def _line(label: str, measured: Measured | None, detail: str = "") -> None:
    if measured is None:
        print(f"  {label:<28}{'-':>9}")
        return
    print(f"  {label:<28}{measured.seconds:>7.2f} s{measured.peak_mb:>10.0f} MB  {detail}")


def _phases(report: dict[str, float]) -> str:
    if not report:
        return ""
    return (f"(in process: read both {report['read']:.2f} s, diff {report['diff']:.2f} s, "
            f"render {report['render']:.2f} s; peak memory {report['own_mb']:.0f} MB + "
            f"{report['reader_mb']:.0f} MB of the process reading one catalog)")


def _ratio(slower: Measured | None, faster: Measured | None) -> str:
    if slower is None or faster is None:
        return "-"
    return f"{slower.seconds / faster.seconds:.2f}x"


def print_summary(results: list[Result]) -> None:
    print(f"\n{'N':>6}{'statements':>12}{'pgmt-git':>16}{'migra':>16}{'pg_dump x2':>12}"
          f"{'migra/pgmt':>12}{'dump/pgmt':>11}")
    for r in results:
        dump = "-" if r.dump_seconds is None else f"{r.dump_seconds:.2f} s"
        both = ("-" if r.dump_seconds is None or r.pgmt is None
                else f"{r.dump_seconds / r.pgmt.seconds:.2f}x")
        print(f"{r.tables:>6}{r.statements:>12,}{_cell(r.pgmt):>16}{_cell(r.migra):>16}"
              f"{dump:>12}{_ratio(r.migra, r.pgmt):>12}{both:>11}")


def _cell(measured: Measured | None) -> str:
    return "-" if measured is None else f"{measured.seconds:.2f} s {measured.peak_mb:.0f} MB"


def print_targets(result: Result) -> None:
    print(f"\nTargets at N={result.tables}:")
    pgmt, migra, dump = result.pgmt, result.migra, result.dump_seconds
    if pgmt is None:
        print("  pgmt-git failed: every target MISS")
        return
    if migra is not None:
        speedup = migra.seconds / pgmt.seconds
        print(f"  pgmt-git >= 3x faster than migra (goal 5x): {speedup:.2f}x  "
              f"{_verdict(speedup >= 3)} (goal {_verdict(speedup >= 5)})")
    else:
        print("  pgmt-git >= 3x faster than migra (goal 5x): not measured (no migra)")
    if dump is not None:
        print(f"  pgmt-git faster than pg_dump --schema-only of both databases: "
              f"{pgmt.seconds:.2f} s vs {dump:.2f} s  {_verdict(pgmt.seconds < dump)}")
    # With a forked catalog reader, the two processes' peaks added up (an upper bound: they
    # share the pages of the fork, and do not peak at the same moment).
    report = result.pgmt_report
    peak, how = pgmt.peak_mb, ""
    if report and report["reader_mb"]:
        peak = max(peak, report["own_mb"] + report["reader_mb"])
        how = (f" ({report['own_mb']:.0f} MB + {report['reader_mb']:.0f} MB of the process "
               "reading one catalog, both peaks added)")
    print(f"  pgmt-git peak memory < 250 MB: {peak:.0f} MB{how}  {_verdict(peak < 250)}")


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


# --- command line ----------------------------------------------------------------------------


def _sizes(text: str) -> tuple[int, ...]:
    try:
        sizes = tuple(int(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a comma-separated list of sizes: {text}") from None
    if not sizes or min(sizes) < 10:
        raise argparse.ArgumentTypeError("sizes must be at least 10 tables")
    return sizes


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=_sizes, default=DEFAULT_SIZES,
                        help="numbers of tables, comma-separated (default: 100,500,2000)")
    parser.add_argument("--shadow-url", help="a server of your own (default: the embedded one)")
    parser.add_argument("--skip-migra", action="store_true", help="time pgmt-git and pg_dump only")
    parser.add_argument("--repeat", type=int, default=3, help="runs per tool (default: 3)")
    parser.add_argument("--seed", type=int, default=1, help="of the generated schema")
    parser.add_argument("--measure-pgmt", nargs=2, metavar=("FROM", "TO"),
                        help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = _arguments(argv)
    if args.measure_pgmt:
        measure_pgmt(*args.measure_pgmt)
        return
    # As the CLI does: SIGTERM ends the run like Ctrl-C, so the databases are dropped; and
    # SIGINT too when a non-interactive shell started this in the background (it ignores it).
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    server = resolve_server(args.shadow_url)
    pg_dump = find_binaries().tool("pg_dump")
    python, pgmt_note = ensure_pgmt_git()
    migra, migra_note = (None, "skipped (--skip-migra)") if args.skip_migra else ensure_migra()
    _header(server, pg_dump, pgmt_note, migra_note, max(1, args.repeat))
    results = []
    try:
        with bench_roles(server):
            for tables in args.sizes:
                result = run_size(server, tables, seed=args.seed, repeat=max(1, args.repeat),
                                  python=python, migra=migra, pg_dump=pg_dump)
                print_result(result)
                results.append(result)
    except KeyboardInterrupt:
        print("\ninterrupted: the benchmark's databases were dropped", file=sys.stderr)
        raise SystemExit(130) from None
    print_summary(results)
    target = next((r for r in results if r.tables == TARGET_SIZE), None)
    if target is not None:
        print_targets(target)
    else:
        print(f"\n(the targets are set at N={TARGET_SIZE})")


def _header(server: Server, pg_dump: str, pgmt_note: str, migra_note: str,
            repeat: int) -> None:
    with connect(server) as conn:
        version = conn.execute("SHOW server_version").fetchone()
    dump = subprocess.run([pg_dump, "--version"], capture_output=True, text=True).stdout.strip()
    print(f"{server.describe()}, PostgreSQL {version[0] if version else '?'}; {dump}; "
          f"pgmt-git: {pgmt_note}; migra: {migra_note}")
    print(f"times: median of {repeat} runs per tool, process start to exit; peak memory: the "
          f"highest peak RSS of those runs (floor {memory_floor():.0f} MB: the launcher's own)")
    for feature, why in LEFT_OUT.items():
        print(f"note: {feature.value} left out of the generated schema: {why}")


if __name__ == "__main__":
    main()
