"""The diff engine: two catalogs in, ordered changes and their SQL out. Pure: no I/O.

    changes = diff_catalogs(old, new)
    sql = render_sql(changes)
"""

from __future__ import annotations

from pgmt_git.diff.changes import Change
from pgmt_git.diff.differ import DiffOptions, diff
from pgmt_git.diff.model import Catalog
from pgmt_git.diff.ordering import order_changes
from pgmt_git.diff.render import Statement, render_sql, render_statements
from pgmt_git.diff.report import changes_as_data, summary_line

__all__ = ["Catalog", "Change", "DiffOptions", "Statement", "changes_as_data", "diff_catalogs", "render_sql",
           "render_statements", "summary_line"]


def diff_catalogs(old: Catalog, new: Catalog, *,
                  options: DiffOptions = DiffOptions()) -> tuple[Change, ...]:
    """The changes that turn ``old`` into ``new``, in an order that applies."""
    return order_changes(diff(old, new, options), old, new)
