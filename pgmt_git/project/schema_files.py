"""schema/ loading and ``-- require:`` ordering, as pgmt orders schema files.

pgmt's rule: every ``*.sql`` under the schema directory, recursively; a line that is, after
trimming, ``-- require: a.sql, dir/b`` names files (``.sql`` optional) relative to the schema
root that must come first. Among the files whose requirements are met, the smallest relative
path goes next (a topological order with path as the tie-break), so the order is
deterministic and equals plain path order when there are no hints.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

from pgmt_git.errors import SourceError
from pgmt_git.project.files import SourceFile

REQUIRE_PREFIX = "-- require:"


@dataclass(frozen=True)
class Requirement:
    target: str  # schema-relative path, with .sql
    line: int  # 1-based line of the hint in the requiring file


@dataclass(frozen=True)
class SchemaFile:
    """A schema file. ``path`` is project-relative, ``name`` schema-relative (as in hints)."""

    path: str
    name: str
    text: str
    requires: tuple[Requirement, ...]

    @property
    def source(self) -> SourceFile:
        return SourceFile(path=self.path, text=self.text)


def parse_requires(text: str) -> tuple[Requirement, ...]:
    found: list[Requirement] = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped.startswith(REQUIRE_PREFIX):
            continue
        for item in stripped[len(REQUIRE_PREFIX):].split(","):
            target = item.strip()
            if target:
                found.append(Requirement(_with_sql_suffix(target), number))
    return tuple(found)


def _with_sql_suffix(target: str) -> str:
    return target if target.endswith(".sql") else f"{target}.sql"


def order_schema_files(files: tuple[SourceFile, ...], *, schema_dir: str) -> tuple[SchemaFile, ...]:
    """Parse hints and return the files in replay order; errors name file and line."""
    prefix = f"{schema_dir}/" if schema_dir else ""
    parsed = [
        SchemaFile(path=f.path, name=f.path[len(prefix):], text=f.text, requires=parse_requires(f.text))
        for f in files
    ]
    by_name = {f.name: f for f in parsed}
    _check_targets_exist(parsed, by_name)
    return _topological(parsed, by_name)


def _check_targets_exist(files: list[SchemaFile], by_name: dict[str, SchemaFile]) -> None:
    for f in files:
        for req in f.requires:
            if req.target not in by_name:
                raise SourceError(
                    f"-- require: names {req.target!r}, which is not a file of the schema directory",
                    path=f.path,
                    line=req.line,
                    hint="paths in -- require: are relative to the schema directory, e.g. "
                    "'-- require: tables/users.sql'",
                )


def _topological(files: list[SchemaFile], by_name: dict[str, SchemaFile]) -> tuple[SchemaFile, ...]:
    waiting = {f.name: {r.target for r in f.requires} for f in files}
    dependents: dict[str, list[str]] = {f.name: [] for f in files}
    for name, targets in waiting.items():
        for target in targets:
            dependents[target].append(name)
    ready = [name for name, targets in waiting.items() if not targets]
    heapq.heapify(ready)
    ordered: list[SchemaFile] = []
    while ready:
        name = heapq.heappop(ready)
        ordered.append(by_name[name])
        for dependent in dependents[name]:
            waiting[dependent].discard(name)
            if not waiting[dependent]:
                heapq.heappush(ready, dependent)
    if len(ordered) != len(files):
        raise _cycle_error({n: t for n, t in waiting.items() if t}, by_name)
    return tuple(ordered)


def _cycle_error(blocked: dict[str, set[str]], by_name: dict[str, SchemaFile]) -> SourceError:
    cycle = _find_cycle(blocked)
    first = by_name[cycle[0]]
    line = next(r.line for r in first.requires if r.target == cycle[1])
    chain = " -> ".join(cycle)
    return SourceError(
        f"-- require: hints form a cycle: {chain}",
        path=first.path,
        line=line,
        hint="remove one of these -- require: lines; a file cannot (indirectly) require itself",
    )


def _find_cycle(blocked: dict[str, set[str]]) -> list[str]:
    """A cycle among files still waiting; each waits on another waiting file, so one exists."""
    start = min(blocked)
    seen: dict[str, int] = {}
    path: list[str] = []
    node = start
    while node not in seen:
        seen[node] = len(path)
        path.append(node)
        node = min(t for t in blocked[node] if t in blocked)
    return path[seen[node]:] + [node]
