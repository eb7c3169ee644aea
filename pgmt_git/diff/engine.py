"""diff_catalogs: the engine's entry point (see the package's docstring)."""

from __future__ import annotations

from collections.abc import Iterable

from pgmt_git.diff.changes import Change
from pgmt_git.diff.collector import collector_paused
from pgmt_git.diff.differ import DiffOptions, diff
from pgmt_git.diff.model import Catalog, ObjectId
from pgmt_git.diff.ordering import order_changes

__all__ = ["diff_catalogs"]


def diff_catalogs(old: Catalog, new: Catalog, *, options: DiffOptions = DiffOptions(),
                  hints: Iterable[tuple[ObjectId, ObjectId]] = ()) -> tuple[Change, ...]:
    """The changes that turn ``old`` into ``new``, in an order that applies.

    ``hints`` are (dependent, referenced) pairs of the target state that pg_depend does not
    know (what a function body uses; a schema file's ``-- require:`` turned into objects):
    they order creations like recorded dependencies do.
    """
    with collector_paused():
        changes = diff(old, new, options)
        hints = frozenset(hints)
        if hints:
            new = Catalog(new.objects, new.depends | hints, in_order=True)
        return order_changes(changes, old, new)
