"""Changes to views, materialized views, routines, triggers and event triggers."""

from __future__ import annotations

from dataclasses import dataclass

from pgmt_git.diff.changes.base import Change, Ids
from pgmt_git.diff.model import (
    EventTrigger,
    Function,
    MaterializedView,
    ObjectId,
    Trigger,
    View,
    column_id,
)


@dataclass(frozen=True)
class CreateView(Change):
    """CREATE VIEW, or CREATE OR REPLACE VIEW over an existing one (``replace``)."""

    view: View | MaterializedView
    replace: bool = False

    @property
    def id(self) -> ObjectId:
        return self.view.id

    @property
    def creates(self) -> Ids:
        if self.replace:
            return ()
        return (self.id, *(column_id(self.id, c.name) for c in self.view.columns))

    @property
    def alters(self) -> Ids:
        if not self.replace:
            return ()
        return (self.id, *(column_id(self.id, c.name) for c in self.view.columns))


@dataclass(frozen=True)
class DropView(Change):
    view: View | MaterializedView

    @property
    def id(self) -> ObjectId:
        return self.view.id

    @property
    def drops(self) -> Ids:
        return (self.id, *(column_id(self.id, c.name) for c in self.view.columns))


@dataclass(frozen=True)
class CreateFunction(Change):
    function: Function
    replace: bool = False

    @property
    def id(self) -> ObjectId:
        return self.function.id

    @property
    def creates(self) -> Ids:
        return () if self.replace else (self.id,)

    @property
    def alters(self) -> Ids:
        return (self.id,) if self.replace else ()


@dataclass(frozen=True)
class DropFunction(Change):
    function: Function

    @property
    def id(self) -> ObjectId:
        return self.function.id

    @property
    def drops(self) -> Ids:
        return (self.id,)


@dataclass(frozen=True)
class CreateTrigger(Change):
    """CREATE TRIGGER, or CREATE OR REPLACE TRIGGER over an existing one (``replace``);
    then its enabled state when it is not the default."""

    trigger: Trigger
    replace: bool = False

    @property
    def id(self) -> ObjectId:
        return self.trigger.id

    @property
    def creates(self) -> Ids:
        return () if self.replace else (self.id,)

    @property
    def alters(self) -> Ids:
        return (self.id,) if self.replace else ()


@dataclass(frozen=True)
class DropTrigger(Change):
    trigger: Trigger

    @property
    def id(self) -> ObjectId:
        return self.trigger.id

    @property
    def drops(self) -> Ids:
        return (self.id,)


@dataclass(frozen=True)
class SetTriggerEnabled(Change):
    """ENABLE [REPLICA | ALWAYS] / DISABLE TRIGGER."""

    trigger: Trigger

    @property
    def id(self) -> ObjectId:
        return self.trigger.id

    @property
    def alters(self) -> Ids:
        return (self.id,)


@dataclass(frozen=True)
class CreateEventTrigger(Change):
    trigger: EventTrigger

    @property
    def id(self) -> ObjectId:
        return self.trigger.id

    @property
    def creates(self) -> Ids:
        return (self.id,)


@dataclass(frozen=True)
class DropEventTrigger(Change):
    trigger: EventTrigger

    @property
    def id(self) -> ObjectId:
        return self.trigger.id

    @property
    def drops(self) -> Ids:
        return (self.id,)


@dataclass(frozen=True)
class SetEventTriggerEnabled(Change):
    trigger: EventTrigger

    @property
    def id(self) -> ObjectId:
        return self.trigger.id

    @property
    def alters(self) -> Ids:
        return (self.id,)
