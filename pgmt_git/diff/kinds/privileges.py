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
    ObjectId,
    Privilege,
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


def diff_privileges(ctx: DiffContext) -> None:
    """Runs after everything else: it must know which objects the migration (re)creates."""
    created = {oid for change in ctx.changes for oid in change.creates}
    for oid, new in ctx.new.objects.items():
        if isinstance(new, DefaultPrivileges):
            continue
        if not hasattr(new, "acl"):
            continue
        old = None if oid in created else ctx.old.get(oid)
        owners = frozenset(o for o in (getattr(new, "owner", ""), getattr(old, "owner", ""))
                           if o)
        base = effective(getattr(old, "acl", None), oid.kind, owners) if old is not None else (
            _PUBLIC_DEFAULTS.get(oid.kind, frozenset()))
        emit_acl_changes(ctx, oid, base, effective(getattr(new, "acl", None), oid.kind, owners))
        _diff_column_privileges(ctx, new, old, created, owners)
    _diff_default_privileges(ctx)


def _diff_column_privileges(ctx: DiffContext, new: DbObject, old: DbObject | None,
                            created: set[ObjectId], owners: frozenset[str]) -> None:
    old_columns = {c.name: c for c in columns_of(old)}
    for column in columns_of(new):
        cid = column_id(new.id, column.name)
        previous = old_columns.get(column.name)
        base: frozenset[Entry] = frozenset()
        if previous is not None and cid not in created and new.id not in created:
            base = effective(previous.acl, Kind.COLUMN, owners)
        emit_acl_changes(ctx, cid, base, effective(column.acl, Kind.COLUMN, owners))


def emit_acl_changes(ctx: DiffContext, target: ObjectId, old: frozenset[Entry],
                     new: frozenset[Entry]) -> None:
    if old == new:
        return
    old_rights = {(g, p): grantable for g, p, grantable in old}
    new_rights = {(g, p): grantable for g, p, grantable in new}
    for grantee in sorted({g for g, _ in old_rights} | {g for g, _ in new_rights}):
        revoke = [p for (g, p) in old_rights if g == grantee and (g, p) not in new_rights]
        option_off = [p for (g, p), opt in old_rights.items()
                      if g == grantee and opt and new_rights.get((g, p)) is False]
        grant = [p for (g, p), opt in new_rights.items()
                 if g == grantee and not opt and (g, p) not in old_rights]
        grant_option = [p for (g, p), opt in new_rights.items()
                        if g == grantee and opt and not old_rights.get((g, p), False)]
        if revoke:
            ctx.emit(ch.Revoke(target, grantee, _sorted(revoke)))
        if option_off:
            ctx.emit(ch.Revoke(target, grantee, _sorted(option_off), grant_option_only=True))
        if grant:
            ctx.emit(ch.Grant(target, grantee, _sorted(grant)))
        if grant_option:
            ctx.emit(ch.Grant(target, grantee, _sorted(grant_option), grantable=True))


def _entries(privileges: tuple[Privilege, ...]) -> frozenset[Entry]:
    return frozenset((p.grantee, p.privilege, p.grantable) for p in privileges)


def _diff_default_privileges(ctx: DiffContext) -> None:
    pairs = ctx.pairs(Kind.DEFAULT_PRIVILEGES)
    empty: tuple[Privilege, ...] = ()
    for old, new in [*((o, None) for o in pairs.dropped), *((None, n) for n in pairs.added),
                     *pairs.kept]:
        entry = new if new is not None else old
        assert isinstance(entry, DefaultPrivileges)
        before_granted = _entries(old.granted if isinstance(old, DefaultPrivileges) else empty)
        before_revoked = _entries(old.revoked if isinstance(old, DefaultPrivileges) else empty)
        after_granted = _entries(new.granted if isinstance(new, DefaultPrivileges) else empty)
        after_revoked = _entries(new.revoked if isinstance(new, DefaultPrivileges) else empty)
        # Undo what is no longer wanted, then do what is.
        _default_step(ctx, entry, before_granted - after_granted, grant=False)
        _default_step(ctx, entry, before_revoked - after_revoked, grant=True)
        _default_step(ctx, entry, after_revoked - before_revoked, grant=False)
        _default_step(ctx, entry, after_granted - before_granted, grant=True)


def _default_step(ctx: DiffContext, entry: DefaultPrivileges, entries: frozenset[Entry], *,
                  grant: bool) -> None:
    for grantee in sorted({g for g, _, _ in entries}):
        for grantable in (False, True):
            privileges = [p for g, p, opt in entries if g == grantee and opt == grantable]
            if privileges:
                ctx.emit(ch.AlterDefaultPrivileges(entry, grantee, _sorted(privileges), grant,
                                                   grantable))
