"""Table constraints: primary key, unique, check, foreign key, exclusion.

A constraint changes in place only where PostgreSQL can: ``VALIDATE CONSTRAINT`` (a NOT VALID
one becoming valid), a foreign key's deferrability, and the storage parameters of a primary
key's, unique or exclusion constraint's index (``ALTER INDEX ... SET``). Anything else is
dropped and added again; a valid constraint that should be NOT VALID is added back NOT
VALID.
"""

from __future__ import annotations

from pgmt_git.diff import changes as ch
from pgmt_git.diff.hazards import Hazard, HazardKind
from pgmt_git.diff.kinds.context import DiffContext
from pgmt_git.diff.kinds.indexes import storage_parameter_change
from pgmt_git.diff.model import Constraint, ConstraintType, Kind, ObjectId


def diff_constraints(ctx: DiffContext) -> None:
    pairs = ctx.pairs(Kind.CONSTRAINT)
    cycles = _dropped_reference_cycles(ctx, pairs.dropped)
    for old in pairs.dropped:
        assert isinstance(old, Constraint)
        if not ctx.parent_dropped(old.id) or old.id in cycles:
            ctx.emit(ch.DropConstraint(old))
    for new in pairs.added:
        assert isinstance(new, Constraint)
        add_constraint(ctx, new)
    for old, new in pairs.kept:
        assert isinstance(old, Constraint) and isinstance(new, Constraint)
        if old != new:  # most are equal, and then there is nothing to do
            _diff_constraint(ctx, old, new)


def add_constraint(ctx: DiffContext, new: Constraint) -> None:
    ctx.emit(ch.AddConstraint(new, hazards=adding_hazards(ctx, new)))
    if new.comment is not None:
        ctx.emit(ch.SetComment(new.id, new.comment))


def adding_hazards(ctx: DiffContext, new: Constraint) -> tuple[Hazard, ...]:
    if new.parent not in ctx.old or new.parent in ctx.recreated:
        return ()  # a new table is empty
    table = new.parent.name
    if new.has_index:
        return (Hazard(HazardKind.LONG_LOCK,
                       f"{new.name} builds its index on {table}, blocking writes"),
                Hazard(HazardKind.MAY_FAIL, f"{new.name} fails on existing duplicates"))
    if not new.validated:
        return ()
    return (Hazard(HazardKind.LONG_LOCK,
                   f"{new.name} checks every row of {table} under lock; add it NOT VALID "
                   "and VALIDATE it separately to avoid that"),
            Hazard(HazardKind.MAY_FAIL, f"{new.name} fails on rows that violate it"))


def _diff_constraint(ctx: DiffContext, old: Constraint, new: Constraint) -> None:
    same = (old.type, old.core_definition) == (new.type, new.core_definition)
    options = None
    if not same and old.type == new.type and new.has_index:
        options = storage_parameter_change(ctx, new.id, old.core_definition,
                                           new.core_definition)
        same = options is not None
    deferrability = (old.deferrable, old.deferred) != (new.deferrable, new.deferred)
    if same and old.validated and not new.validated:
        same = False  # a constraint cannot be un-validated: it is added back NOT VALID
    if not same or (deferrability and new.type is not ConstraintType.FOREIGN_KEY):
        recreate_constraint(ctx, old, new)
        return
    if not old.validated and new.validated:
        hazard = Hazard(HazardKind.MAY_FAIL, f"{new.name} fails on rows that violate it")
        ctx.emit(ch.ValidateConstraint(new, hazards=(hazard,)))
    if deferrability:
        ctx.emit(ch.AlterConstraintDeferrable(new))
    if options is not None:
        ctx.emit(options)
    ctx.comment(new.id, old.comment, new.comment)


def recreate_constraint(ctx: DiffContext, old: Constraint, new: Constraint) -> None:
    ctx.emit(ch.DropConstraint(old))
    add_constraint(ctx, new)
    ctx.recreated.add(new.id)


def _dropped_reference_cycles(ctx: DiffContext,
                              dropped: tuple[object, ...]) -> set[ObjectId]:
    """Foreign keys between dropped tables that reference each other in a cycle: each table
    of a cycle waits for the others, so these keys are dropped first, on their own."""
    keys = [c for c in dropped if isinstance(c, Constraint) and c.foreign_key is not None
            and c.parent not in ctx.new and c.foreign_key.references not in ctx.new
            and c.foreign_key.references != c.parent]
    graph: dict[ObjectId, set[ObjectId]] = {}
    for key in keys:
        assert key.foreign_key is not None
        graph.setdefault(key.parent, set()).add(key.foreign_key.references)

    def reaches(start: ObjectId, goal: ObjectId) -> bool:
        seen, stack = set(), [start]
        while stack:
            node = stack.pop()
            if node == goal:
                return True
            if node not in seen:
                seen.add(node)
                stack.extend(graph.get(node, ()))
        return False

    return {key.id for key in keys
            if key.foreign_key is not None and reaches(key.foreign_key.references, key.parent)}
