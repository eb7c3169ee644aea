"""Every case in tests/cases/<kind>/<case>/ is proved in both directions.

A case is ``before.sql`` and ``after.sql`` (either may be empty), and optionally:

- ``expected.sql``: the exact SQL of before -> after (empty: no change expected, as for
  what is not managed);
- ``hazards``: the hazard kinds before -> after must carry, one per line (``-`` for none);
- ``roles.sql``: roles the states need (replayed first, as a project's roles file);
- ``options``: diff options, one a line (``owners``: ownership is managed, and the dumps
  are compared with their OWNER TO lines; ``concurrent_indexes``);
- ``requires``: ``extension <name>`` lines: the case is skipped on a server without them;
- ``one_way``: why only before -> after can work (PostgreSQL cannot do the reverse); the
  reverse direction is then skipped with that reason.

For each direction: the generated SQL applies cleanly to a copy of the start state, a second
diff (migrated -> target) is empty, ``pg_dump --schema-only`` of migrated and target match,
and diffing again gives byte-identical SQL.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from pgmt_git.diff import Change, DiffOptions, diff_catalogs, render_sql
from pgmt_git.pg.server import Server, connect
from tests.diff.roundtrip import read_state, round_trip

CASES = Path(__file__).resolve().parent.parent / "cases"


def _cases() -> list[Path]:
    return sorted(p for p in CASES.glob("*/*") if (p / "before.sql").is_file())


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8") if path.is_file() else ""


@pytest.fixture(scope="session")
def available_extensions(pg_server: Server) -> frozenset[str]:
    with connect(pg_server) as conn:
        rows = conn.execute("SELECT name FROM pg_available_extensions").fetchall()
    return frozenset(row[0] for row in rows)


def _skip_unless_available(case: Path, available: frozenset[str]) -> None:
    for line in _read(case / "requires").splitlines():
        words = line.split()
        if len(words) == 2 and words[0] == "extension" and words[1] not in available:
            pytest.skip(f"extension {words[1]} is not available on this server")


@pytest.mark.parametrize("direction", ["forward", "reverse"])
@pytest.mark.parametrize("case", _cases(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_case_round_trips(pg_server: Server, available_extensions: frozenset[str],
                          case: Path, direction: str) -> None:
    _skip_unless_available(case, available_extensions)
    if direction == "reverse" and (case / "one_way").is_file():
        pytest.skip(f"one way: {_read(case / 'one_way').strip()}")
    before, after = _read(case / "before.sql"), _read(case / "after.sql")
    start, target = (before, after) if direction == "forward" else (after, before)
    roles = _read(case / "roles.sql")
    flags = _read(case / "options").split()
    options = DiffOptions(owners="owners" in flags,
                          concurrent_indexes="concurrent_indexes" in flags)
    outcome = round_trip(pg_server, start, target, roles, options)
    context = f"generated SQL:\n{outcome.sql}"
    assert outcome.second_diff == "", f"{context}\nsecond diff not empty:\n{outcome.second_diff}"
    if outcome.migrated_dump != outcome.target_dump:
        delta = "\n".join(difflib.unified_diff(
            outcome.target_dump.splitlines(), outcome.migrated_dump.splitlines(),
            "target", "migrated", lineterm=""))
        pytest.fail(f"{context}\npg_dump differs:\n{delta}")
    start_catalog, _ = read_state(pg_server, start, roles, options.owners)
    target_catalog, _ = read_state(pg_server, target, roles, options.owners)
    assert render_sql(diff_catalogs(start_catalog, target_catalog, options=options)) == (
        outcome.sql)
    if start != target and not (case / "expected.sql").is_file():
        assert outcome.sql, "the states differ but no change was generated"
    if direction == "forward":
        _check_expectations(case, outcome.sql, outcome.changes)


def _check_expectations(case: Path, sql: str, changes: tuple[Change, ...]) -> None:
    expected = case / "expected.sql"
    if expected.is_file():
        assert sql == _read(expected)
    hazards = case / "hazards"
    if hazards.is_file():
        wanted = sorted(line.strip() for line in _read(hazards).splitlines()
                        if line.strip() and line.strip() != "-")
        found = sorted({h.kind.value for c in changes for h in c.hazards})
        assert found == wanted, f"hazards: {found}\n{sql}"
