"""Privileges: GRANT and REVOKE on tables, views, sequences, columns, schemas, routines and
types, and ALTER DEFAULT PRIVILEGES.

An object's privileges are compared as (grantee, privilege, grant option); who granted them
is not compared, nor are the owner's own privileges (ownership is not managed). An object
without an ACL has PostgreSQL's defaults (PUBLIC may execute routines and use types). An
object created (or recreated) by the migration starts from those defaults.
"""

from __future__ import annotations

from collections.abc import Iterable

from pgmt_git.diff import changes as ch
from pgmt_git.diff.kinds.context import DiffContext, columns_of
from pgmt_git.diff.model import (
    Acl,
    DbObject,
    DefaultPrivileges,
    Kind,
    MaterializedView,
    ObjectId,
    Privilege,
    Sequence,
    Table,
    View,
    column_id,
)

Entry = tuple[str, str, bool]  # grantee, privilege, grantable

# Privileges PostgreSQL gives PUBLIC on a new object of these kinds (acldefault).
_PUBLIC_DEFAULTS: dict[Kind, frozenset[Entry]] = {
    Kind.FUNCTION: frozenset({("", "EXECUTE", False)}),
    Kind.PROCEDURE: frozenset({("", "EXECUTE", False)}),
    Kind.AGGREGATE: frozenset({("", "EXECUTE", False)}),
    Kind.ENUM: frozenset({("", "USAGE", False)}),
    Kind.COMPOSITE: frozenset({("", "USAGE", False)}),
    Kind.DOMAIN: frozenset({("", "USAGE", False)}),
    Kind.RANGE: frozenset({("", "USAGE", False)}),
}
# The order GRANT statements list privileges in.
_ORDER = ["SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER",
          "MAINTAIN", "USAGE", "CREATE", "EXECUTE", "CONNECT", "TEMPORARY"]


def _sorted(privileges: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(set(privileges), key=lambda p: (_ORDER.index(p) if p in _ORDER
                                                        else len(_ORDER), p)))


def effective(acl: Acl, kind: Kind, owners: frozenset[str]) -> frozenset[Entry]:
    """The entries that count: the owners' own privileges left out (ownership is not
    managed, and an owner's rights move with ALTER ... OWNER TO)."""
    if acl is None:
        return _PUBLIC_DEFAULTS.get(kind, frozenset())
    return frozenset((p.grantee, p.privilege, p.grantable) for p in acl
                     if p.grantee not in owners)


def diff_owners(ctx: DiffContext) -> None:
    """ALTER ... OWNER TO, when ownership is managed: for objects whose owner differs, and
    for every object the migration (re)creates (it would belong to whoever runs it)."""
    if not ctx.options.owners:
        return
    created = {oid for change in ctx.changes for oid in change.creates}
    for oid, new in ctx.new.objects.items():
        owner = getattr(new, "owner", "")
        if not owner or oid.parent is not None:
            continue
        if isinstance(new, Sequence) and new.owned_by is not None:
            continue  # a sequence owned by a column follows its table's owner
        old = None if oid in created else ctx.old.get(oid)
        if old is None or getattr(old, "owner", "") != owner:
            ctx.emit(ch.AlterOwner(oid, owner))


def diff_privileges(ctx: DiffContext) -> None:
    """Runs after everything else: it must know which objects the migration (re)creates."""
    created = {oid for change in ctx.changes for oid in change.creates}
    old_objects = ctx.old.objects
    for oid, new in ctx.new.objects.items():
        new_acl = getattr(new, "acl", _NO_ACL)
        if new_acl is _NO_ACL or isinstance(new, DefaultPrivileges):
            continue
        old = None if oid in created else old_objects.get(oid)
        # The same ACL on both sides leaves the same effective entries: nothing to do
        # (most objects, and a comparison costs less than the entries).
        if old is None or getattr(old, "acl", None) != new_acl:
            owners = _owners(new, old)
            base = (effective(getattr(old, "acl", None), oid.kind, owners) if old is not None
                    else _PUBLIC_DEFAULTS.get(oid.kind, frozenset()))
            emit_acl_changes(ctx, oid, base, effective(new_acl, oid.kind, owners))
        if isinstance(new, (Table, View, MaterializedView)):
            _diff_column_privileges(ctx, new, old, created)
    _diff_default_privileges(ctx)


_NO_ACL = object()  # an object of a kind without privileges


def _owners(new: DbObject, old: DbObject | None) -> frozenset[str]:
    return frozenset(o for o in (getattr(new, "owner", ""), getattr(old, "owner", "")) if o)


def _diff_column_privileges(ctx: DiffContext, new: Table | View | MaterializedView,
                            old: DbObject | None, created: set[ObjectId]) -> None:
    old_columns = columns_of(old)
    granted = {c.name: c for c in old_columns if c.acl is not None}
    if not granted and all(c.acl is None for c in new.columns):
        return  # no column privileges on either side (the usual case)
    owners = _owners(new, old)
    for column in new.columns:
        previous = granted.get(column.name)
        if column.acl is None and previous is None:
            continue
        previous = previous or next((c for c in old_columns if c.name == column.name), None)
        cid = column_id(new.id, column.name)
        base: frozenset[Entry] = frozenset()
        if previous is not None and cid not in created and new.id not in created:
            base = effective(previous.acl, Kind.COLUMN, owners)
        emit_acl_changes(ctx, cid, base, effective(column.acl, Kind.COLUMN, owners))


def acl_steps(old: frozenset[Entry], new: frozenset[Entry]
              ) -> list[tuple[str, str, tuple[str, ...]]]:
    """(step, grantee, privileges) turning ``old`` into ``new``; step is ``revoke``,
    ``revoke_option`` (only the grant option), ``grant`` or ``grant_option``."""
    old_rights = {(g, p): grantable for g, p, grantable in old}
    new_rights = {(g, p): grantable for g, p, grantable in new}
    steps = []
    for grantee in sorted({g for g, _ in old_rights} | {g for g, _ in new_rights}):
        revoke = [p for (g, p) in old_rights if g == grantee and (g, p) not in new_rights]
        option_off = [p for (g, p), opt in old_rights.items()
                      if g == grantee and opt and new_rights.get((g, p)) is False]
        grant = [p for (g, p), opt in new_rights.items()
                 if g == grantee and not opt and (g, p) not in old_rights]
        grant_option = [p for (g, p), opt in new_rights.items()
                        if g == grantee and opt and not old_rights.get((g, p), False)]
        for step, privileges in (("revoke", revoke), ("revoke_option", option_off),
                                 ("grant", grant), ("grant_option", grant_option)):
            if privileges:
                steps.append((step, grantee, _sorted(privileges)))
    return steps


def emit_acl_changes(ctx: DiffContext, target: ObjectId, old: frozenset[Entry],
                     new: frozenset[Entry]) -> None:
    if old == new:
        return
    for step, grantee, privileges in acl_steps(old, new):
        if step.startswith("revoke"):
            ctx.emit(ch.Revoke(target, grantee, privileges,
                               grant_option_only=step == "revoke_option"))
        else:
            ctx.emit(ch.Grant(target, grantee, privileges, grantable=step == "grant_option"))


def _entries(privileges: tuple[Privilege, ...]) -> frozenset[Entry]:
    return frozenset((p.grantee, p.privilege, p.grantable) for p in privileges)


def _in_effect(entry: DefaultPrivileges, baseline: tuple[Privilege, ...]) -> frozenset[Entry]:
    return (_entries(baseline) | _entries(entry.granted)) - _entries(entry.revoked)


def _diff_default_privileges(ctx: DiffContext) -> None:
    pairs = ctx.pairs(Kind.DEFAULT_PRIVILEGES)
    for old, new in [*((o, None) for o in pairs.dropped), *((None, n) for n in pairs.added),
                     *pairs.kept]:
        entry = new if new is not None else old
        assert isinstance(entry, DefaultPrivileges)
        before = _in_effect(old, old.baseline) if isinstance(old, DefaultPrivileges) else (
            _entries(entry.baseline))
        after = _in_effect(new, new.baseline) if isinstance(new, DefaultPrivileges) else (
            _entries(entry.baseline))
        for step, grantee, privileges in acl_steps(before, after):
            ctx.emit(ch.AlterDefaultPrivileges(
                entry, grantee, privileges, grant=step.startswith("grant"),
                grantable=step in ("grant_option", "revoke_option")))
