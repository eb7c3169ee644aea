"""Changes as plain data, for ``--format json`` and summaries."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pgmt_git.diff.changes import Change
from pgmt_git.diff.render import render_statements

__all__ = ["changes_as_data", "summary_line"]


def changes_as_data(changes: Iterable[Change]) -> list[dict[str, Any]]:
    """One JSON-ready dict per change, in order: what it does, to which object, its
    hazards and its SQL."""
    out = []
    for change in changes:
        out.append({
            "action": change.action,
            "kind": change.id.kind.value,
            "object": change.id.qualified_text(),
            "hazards": [{"kind": h.kind.value, "message": h.message}
                        for h in sorted(change.hazards)],
            "sql": [s.sql for s in render_statements([change])],
        })
    return out


def summary_line(change: Change) -> str:
    """``drop_column public.users.email [data_loss]``."""
    hazards = sorted({h.kind.value for h in change.hazards})
    suffix = f" [{', '.join(hazards)}]" if hazards else ""
    return f"{change.action} {change.id.qualified_text()}{suffix}"
