"""The base of every change: what ordering needs to know, and the phases."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from pgmt_git.diff.hazards import Hazard
from pgmt_git.diff.model import ObjectId

Ids = tuple[ObjectId, ...]


class Phase(enum.IntEnum):
    """Tie-break between changes free to go in any order: drops first (they free names),
    then alterations, then creations, then comments."""

    DROP = 0
    ALTER = 1
    CREATE = 2
    COMMENT = 3


@dataclass(frozen=True)
class Change:
    hazards: tuple[Hazard, ...] = field(default=(), kw_only=True)

    @property
    def id(self) -> ObjectId:
        """The object the change is about (for sorting, messages and JSON)."""
        raise NotImplementedError

    @property
    def drops(self) -> Ids:
        return ()

    @property
    def creates(self) -> Ids:
        return ()

    @property
    def alters(self) -> Ids:
        return ()

    @property
    def requires(self) -> Ids:
        return ()

    @property
    def precedes_drop_of(self) -> Ids:
        return ()

    @property
    def only_removes(self) -> bool:
        """An alteration that takes something away (DROP DEFAULT, DROP IDENTITY): it needs
        nothing new, so it does not wait for the target's dependencies."""
        return False

    @property
    def transactional(self) -> bool:
        """False for what PostgreSQL refuses inside a transaction block (CONCURRENTLY)."""
        return True

    @property
    def phase(self) -> Phase:
        if self.creates:
            return Phase.CREATE
        if self.alters:
            return Phase.ALTER
        return Phase.DROP if self.drops else Phase.COMMENT

    @property
    def action(self) -> str:
        """``create_table``, ``drop_column``, ...: the change type for JSON and summaries."""
        name = type(self).__name__
        return "".join(f"_{c.lower()}" if c.isupper() else c for c in name).lstrip("_")
