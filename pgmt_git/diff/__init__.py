"""The diff engine: two catalogs in, ordered changes and their SQL out. Pure: no I/O.

    changes = diff_catalogs(old, new)
    sql = render_sql(changes)

The names below are imported when first used: reading a catalog needs only the model, and
the rest of the engine can then load while the catalogs are read
(:func:`load_in_background`).
"""

from __future__ import annotations

import importlib
import threading
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pgmt_git.diff.changes import Change
    from pgmt_git.diff.differ import DiffOptions
    from pgmt_git.diff.engine import diff_catalogs
    from pgmt_git.diff.model import Catalog, ObjectId
    from pgmt_git.diff.render import Statement, render_sql, render_statements
    from pgmt_git.diff.report import changes_as_data, summary_line

__all__ = ["Catalog", "Change", "DiffOptions", "ObjectId", "Statement", "changes_as_data",
           "diff_catalogs", "load_in_background", "render_sql", "render_statements",
           "summary_line"]

_HOMES = {
    "Catalog": "model", "ObjectId": "model", "Change": "changes", "DiffOptions": "differ",
    "diff_catalogs": "engine", "Statement": "render", "render_sql": "render",
    "render_statements": "render", "changes_as_data": "report", "summary_line": "report",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{home}"), name)


def load_in_background() -> None:
    """Start importing the whole engine in a thread of its own (a first use waits for it):
    a command can overlap it with reading catalogs, which mostly waits for the server."""
    threading.Thread(target=_load_all, name="pgmt-git-diff-import", daemon=True).start()


def _load_all() -> None:
    for home in sorted(set(_HOMES.values())):
        importlib.import_module(f"{__name__}.{home}")
