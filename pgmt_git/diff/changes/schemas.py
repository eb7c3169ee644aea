"""Changes to schemas, extensions and comments."""

from __future__ import annotations

from dataclasses import dataclass

from pgmt_git.diff.changes.base import Change, Ids
from pgmt_git.diff.model import Extension, ObjectId, Schema


@dataclass(frozen=True)
class CreateSchema(Change):
    schema: Schema

    @property
    def id(self) -> ObjectId:
        return self.schema.id

    @property
    def creates(self) -> Ids:
        return (self.id,)


@dataclass(frozen=True)
class DropSchema(Change):
    schema: Schema

    @property
    def id(self) -> ObjectId:
        return self.schema.id

    @property
    def drops(self) -> Ids:
        return (self.id,)


@dataclass(frozen=True)
class CreateExtension(Change):
    extension: Extension

    @property
    def id(self) -> ObjectId:
        return self.extension.id

    @property
    def creates(self) -> Ids:
        return (self.id,)


@dataclass(frozen=True)
class DropExtension(Change):
    extension: Extension

    @property
    def id(self) -> ObjectId:
        return self.extension.id

    @property
    def drops(self) -> Ids:
        return (self.id,)


@dataclass(frozen=True)
class AlterExtension(Change):
    """``UPDATE TO`` a new version and/or ``SET SCHEMA``."""

    old: Extension
    new: Extension

    @property
    def id(self) -> ObjectId:
        return self.new.id

    @property
    def alters(self) -> Ids:
        return (self.id,)


@dataclass(frozen=True)
class SetComment(Change):
    """``COMMENT ON ... IS`` text, or ``IS NULL`` to remove it."""

    target: ObjectId
    comment: str | None

    @property
    def id(self) -> ObjectId:
        return self.target

    @property
    def requires(self) -> Ids:
        return (self.target,)
