"""The external pg-flux mutation matrix, read in place from ../shared/corpus/: every
consecutive pair of its 26 schemas (and empty -> first, last -> empty), both directions,
with the same checks as the cases (see test_cases.py)."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from pgmt_git.diff.hazards import HazardKind
from pgmt_git.pg.server import Server
from tests.diff.roundtrip import round_trip

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "pg-flux-matrix"
STEPS = sorted(CORPUS.glob("[0-9][0-9]_*.sql")) if CORPUS.is_dir() else []
# Roles the corpus grants to and hands objects to; roles are cluster-wide, and a replay
# takes an existing one as made.
ROLES = "CREATE ROLE app_reader;\nCREATE ROLE app_writer;\nCREATE ROLE app_owner;\n"

PAIRS = [(None, STEPS[0])] if STEPS else []
PAIRS += list(zip(STEPS, STEPS[1:]))
PAIRS += [(STEPS[-1], None)] if STEPS else []


def _name(step: Path | None) -> str:
    return "empty" if step is None else step.name.split("_", 1)[0]


def _text(step: Path | None) -> str:
    return "" if step is None else step.read_text(encoding="utf-8")


@pytest.mark.skipif(not STEPS, reason="the external corpus (../shared/corpus/pg-flux-matrix) "
                                      "is not next to this checkout")
@pytest.mark.parametrize("direction", ["forward", "reverse"])
@pytest.mark.parametrize("before,after", PAIRS, ids=[f"{_name(a)}-{_name(b)}" for a, b in PAIRS])
def test_corpus_transition(pg_server: Server, before: Path | None, after: Path | None,
                           direction: str) -> None:
    start, target = _text(before), _text(after)
    if direction == "reverse":
        start, target = target, start
    outcome = round_trip(pg_server, start, target, ROLES)
    context = f"generated SQL:\n{outcome.sql}"
    assert outcome.second_diff == "", f"{context}\nsecond diff not empty:\n{outcome.second_diff}"
    if outcome.migrated_dump != outcome.target_dump:
        delta = "\n".join(difflib.unified_diff(
            outcome.target_dump.splitlines(), outcome.migrated_dump.splitlines(),
            "target", "migrated", lineterm=""))
        pytest.fail(f"{context}\npg_dump differs:\n{delta}")
    if after is not None and after.name.startswith("03_") and direction == "forward":
        # Without rename support the renamed column is dropped and added: data loss.
        kinds = {h.kind for c in outcome.changes for h in c.hazards}
        assert HazardKind.DATA_LOSS in kinds
