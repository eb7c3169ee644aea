"""Catalog x Catalog -> changes (not yet ordered: see ordering).

Each object kind has its own module in ``kinds/``; they run in a fixed order because some
read what an earlier one decided (sequences dropped with their column, enum rebuilds that
move table columns), then dependents of whatever is recreated follow (cascade), and last
privileges, which must know what the migration (re)creates.
"""

from __future__ import annotations

from pgmt_git.diff.cascade import cascade
from pgmt_git.diff.changes import Change
from pgmt_git.diff.kinds.composites import diff_composites
from pgmt_git.diff.kinds.constraints import diff_constraints
from pgmt_git.diff.kinds.context import DiffContext, DiffOptions
from pgmt_git.diff.kinds.domains import diff_domains
from pgmt_git.diff.kinds.enums import diff_enums
from pgmt_git.diff.kinds.event_triggers import diff_event_triggers
from pgmt_git.diff.kinds.functions import diff_functions
from pgmt_git.diff.kinds.indexes import diff_indexes
from pgmt_git.diff.kinds.privileges import diff_owners, diff_privileges
from pgmt_git.diff.kinds.ranges import diff_collations, diff_ranges
from pgmt_git.diff.kinds.schemas import diff_extensions, diff_schemas
from pgmt_git.diff.kinds.sequences import diff_sequences
from pgmt_git.diff.kinds.tables import diff_tables
from pgmt_git.diff.kinds.triggers import diff_policies, diff_triggers
from pgmt_git.diff.kinds.views import diff_views
from pgmt_git.diff.model import Catalog

__all__ = ["DiffOptions", "diff"]

_KINDS = (diff_schemas, diff_extensions, diff_collations, diff_enums, diff_ranges,
          diff_domains, diff_composites,
          diff_sequences, diff_tables, diff_constraints, diff_indexes, diff_views,
          diff_functions, diff_triggers, diff_policies, diff_event_triggers)


def diff(old: Catalog, new: Catalog, options: DiffOptions = DiffOptions()) -> list[Change]:
    """What turns ``old`` into ``new``, unordered."""
    ctx = DiffContext(old, new, options)
    for diff_kind in _KINDS:
        diff_kind(ctx)
    cascade(ctx)
    diff_owners(ctx)
    diff_privileges(ctx)
    return ctx.changes
