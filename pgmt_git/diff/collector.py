"""Pausing Python's cyclic garbage collector around work on whole catalogs.

Reading and diffing catalogs makes tens of thousands of small objects that all live on and
form no cycles: the collector would scan them again and again for nothing (pauses of a
few tenths of a second each at two thousand tables).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["collector_paused"]


@contextmanager
def collector_paused() -> Iterator[None]:
    """The collector off inside; when it was on, on again after. Nested pauses do nothing
    (the switch is process-wide, so threads leave it to whoever paused first)."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        # What was made inside goes to the oldest generation without counting towards its
        # next full collection: otherwise the first allocation after would pay for scanning
        # all of it.
        gc.freeze()
        gc.unfreeze()
        gc.enable()
