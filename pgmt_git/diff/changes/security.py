"""Changes to policies, privileges, default privileges and ownership."""

from __future__ import annotations

from dataclasses import dataclass

from pgmt_git.diff.changes.base import Change, Ids, Phase
from pgmt_git.diff.model import DefaultPrivileges, Kind, ObjectId, Policy


@dataclass(frozen=True)
class CreatePolicy(Change):
    policy: Policy

    @property
    def id(self) -> ObjectId:
        return self.policy.id

    @property
    def creates(self) -> Ids:
        return (self.id,)


@dataclass(frozen=True)
class DropPolicy(Change):
    policy: Policy

    @property
    def id(self) -> ObjectId:
        return self.policy.id

    @property
    def drops(self) -> Ids:
        return (self.id,)


@dataclass(frozen=True)
class AlterPolicy(Change):
    """ALTER POLICY: roles, USING and WITH CHECK (command and permissiveness cannot change
    in place)."""

    old: Policy
    new: Policy

    @property
    def id(self) -> ObjectId:
        return self.new.id

    @property
    def alters(self) -> Ids:
        return (self.id,)


@dataclass(frozen=True)
class _PrivilegeChange(Change):
    """A GRANT or REVOKE on one object: about ``target``, after it exists in its final
    shape, with the comments (after every structural change)."""

    target: ObjectId
    grantee: str  # empty: PUBLIC
    privileges: tuple[str, ...]

    @property
    def id(self) -> ObjectId:
        return self.target

    @property
    def requires(self) -> Ids:
        return (self.target,)

    @property
    def phase(self) -> Phase:
        return Phase.COMMENT


@dataclass(frozen=True)
class Grant(_PrivilegeChange):
    """GRANT ``privileges`` on ``target`` (a column: a column privilege) to ``grantee``."""

    grantable: bool = False


@dataclass(frozen=True)
class Revoke(_PrivilegeChange):
    """REVOKE ``privileges`` (or only their grant option) on ``target`` from ``grantee``."""

    grant_option_only: bool = False


@dataclass(frozen=True)
class AlterDefaultPrivileges(Change):
    """ALTER DEFAULT PRIVILEGES ... GRANT (``grant``) or REVOKE."""

    entry: DefaultPrivileges
    grantee: str
    privileges: tuple[str, ...]
    grant: bool
    grantable: bool = False

    @property
    def id(self) -> ObjectId:
        return self.entry.id

    @property
    def requires(self) -> Ids:
        return (ObjectId(Kind.SCHEMA, "", self.entry.schema),) if self.entry.schema else ()

    @property
    def phase(self) -> Phase:
        return Phase.COMMENT


@dataclass(frozen=True)
class AlterOwner(Change):
    """ALTER ... OWNER TO (only when ownership is managed: DiffOptions.owners)."""

    target: ObjectId
    owner: str

    @property
    def id(self) -> ObjectId:
        return self.target

    @property
    def requires(self) -> Ids:
        return (self.target,)

    @property
    def phase(self) -> Phase:
        return Phase.COMMENT
