"""Hazards: what a change may do to data or to a running application, as data.

The differ attaches them to each change; later commands refuse changes whose hazards were
not explicitly allowed, and ``--format json`` reports them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

__all__ = ["Hazard", "HazardKind"]


class HazardKind(str, enum.Enum):
    # Rows or values are gone afterwards: dropped table or column, narrowing type change,
    # enum rebuild (a row holding a removed label makes it fail instead).
    DATA_LOSS = "data_loss"
    # The whole table (and its indexes) is rewritten under an ACCESS EXCLUSIVE lock.
    TABLE_REWRITE = "table_rewrite"
    # A lock that blocks writes (or everything) for as long as a scan or build takes: an
    # index built without CONCURRENTLY on an existing table, a constraint added without
    # NOT VALID, SET NOT NULL.
    LONG_LOCK = "long_lock"
    # May fail on existing rows (a cast that cannot convert, NULLs before SET NOT NULL,
    # duplicates before UNIQUE).
    MAY_FAIL = "may_fail"
    # Dependent objects are dropped and created again (a view over a changed column).
    RECREATES_DEPENDENTS = "recreates_dependents"
    # Cannot be undone by a later migration without a rebuild (ALTER TYPE ... ADD VALUE).
    IRREVERSIBLE = "irreversible"
    # A column lands at the end of its table although the target has it before others
    # (PostgreSQL adds columns last); pgmt's migration.column_order decides what to do.
    COLUMN_ORDER = "column_order"


@dataclass(frozen=True, order=True)
class Hazard:
    kind: HazardKind
    message: str

    def __str__(self) -> str:
        return f"{self.kind.value}: {self.message}"
