"""Domains: default, NOT NULL and named CHECK constraints change in place; a new base type
or collation recreates the domain, rebuilding it under the same name while columns use it
(they move over through a cast from the old base type to the new one)."""

from __future__ import annotations

from pgmt_git.diff import changes as ch
from pgmt_git.diff.hazards import Hazard, HazardKind
from pgmt_git.diff.kinds.context import DiffContext
from pgmt_git.diff.kinds.rebuilds import (
    domain_constraint_id,
    moved_with,
    rebuild,
    rewrite_hazards,
    type_comments,
)
from pgmt_git.diff.model import Domain, Kind


def diff_domains(ctx: DiffContext) -> None:
    pairs = ctx.pairs(Kind.DOMAIN)
    for old in pairs.dropped:
        assert isinstance(old, Domain)
        ctx.emit(ch.DropType(old))
    for new in pairs.added:
        assert isinstance(new, Domain)
        create_domain(ctx, new)
    for old, new in pairs.kept:
        assert isinstance(old, Domain) and isinstance(new, Domain)
        if new.id in ctx.rebuilt_types:
            continue  # rebuilt with the type it is over
        if (old.base_type, old.collation) != (new.base_type, new.collation):
            _recreate(ctx, old, new)
            continue
        _diff_domain(ctx, old, new)


def _recreate(ctx: DiffContext, old: Domain, new: Domain) -> None:
    columns, carried = moved_with(ctx, old.id, new.id, ch.Carry.CAST)
    if columns or carried:
        rebuild(ctx, ch.RebuildDomain(old, new, columns, carried,
                                      hazards=rewrite_hazards(new.name, columns)))
        return
    ctx.emit(ch.DropType(old))
    create_domain(ctx, new)
    ctx.recreated.add(new.id)


def create_domain(ctx: DiffContext, new: Domain) -> None:
    ctx.emit(ch.CreateDomain(new))
    type_comments(ctx, new)


def _diff_domain(ctx: DiffContext, old: Domain, new: Domain) -> None:
    old_constraints = {c.name: c for c in old.constraints}
    new_constraints = {c.name: c for c in new.constraints}
    recreated = set()
    for name, constraint in old_constraints.items():
        other = new_constraints.get(name)
        if other is None or _core(other.definition) != _core(constraint.definition) or (
                constraint.validated and not other.validated):
            ctx.emit(ch.DropDomainConstraint(new.id, constraint=constraint))
            recreated.add(name)
    if old.default != new.default:
        ctx.emit(ch.SetDomainDefault(new.id, default=new.default))
    if old.not_null != new.not_null:
        hazards = (Hazard(HazardKind.MAY_FAIL, f"fails if a column of {new.name} holds NULLs"),
                   ) if new.not_null else ()
        ctx.emit(ch.SetDomainNotNull(new.id, not_null=new.not_null, hazards=hazards))
    for name, constraint in new_constraints.items():
        previous = old_constraints.get(name)
        if previous is None or name in recreated:
            hazards = () if not constraint.validated else (
                Hazard(HazardKind.LONG_LOCK, f"{name} checks every column of {new.name}"),
                Hazard(HazardKind.MAY_FAIL, f"{name} fails on values that violate it"))
            ctx.emit(ch.AddDomainConstraint(new.id, constraint=constraint, hazards=hazards))
            if constraint.comment is not None:
                ctx.emit(ch.SetComment(domain_constraint_id(new.id, name), constraint.comment))
            continue
        if not previous.validated and constraint.validated:
            ctx.emit(ch.ValidateDomainConstraint(new.id, constraint=constraint))
        ctx.comment(domain_constraint_id(new.id, name), previous.comment, constraint.comment)
    ctx.comment(new.id, old.comment, new.comment)


def _core(definition: str) -> str:
    return definition.removesuffix(" NOT VALID")
