"""Files the lifecycle writes from database states: a new migration (``migrate new``), a
baseline (``baseline create``), and the objects ``migrate pull`` brings back from a live
database. The states come from replays through the cache; the text from the diff engine."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pgmt_git.diff import Catalog, Change, diff_catalogs, render_sql, render_statements
from pgmt_git.diff.model import ObjectId
from pgmt_git.errors import CheckFailed
from pgmt_git.diff.hazards import Hazard
from pgmt_git.migrate.generate import (
    default_description,
    hazards,
    migration_body,
    next_version,
)
from pgmt_git.migrate.hashing import catalog_hash
from pgmt_git.pg.states import StateReader, diff_to_schema, touched
from pgmt_git.project.migrations import (
    baseline_filename,
    migration_filename,
    validate_description,
    with_generated_header,
)
from pgmt_git.project.source import Project, ReplayInput


@dataclass(frozen=True)
class NewFile:
    """A file to write. ``path`` is relative to the project root."""

    path: str
    text: str
    changes: tuple[Change, ...] = ()
    version: int | None = None
    hazards: tuple[tuple[Change, Hazard], ...] = ()


def new_migration(reader: StateReader, *, description: str | None, empty: bool,
                  now: int) -> NewFile | None:
    """The next migration: from the chain's state to the schema files'. None when they
    are the same and ``empty`` is not asked for."""
    project = reader.project
    current = reader.chain()
    changes = () if empty else diff_to_schema(current, reader.schema(), project)
    if not changes and not empty:
        return None
    if description is not None:
        validate_description(description)
    text_description = description or default_description(changes)
    existing = [f.version for f in (*project.chain.migrations, *project.chain.baselines)]
    version = next_version(now, existing)
    name = migration_filename(version, text_description,
                              project.config.migration.filename_prefix)
    statements = render_statements(changes)
    body = migration_body(changes, statements, current) if changes else (
        f"-- {text_description}: write this migration's SQL here.\n")
    text = with_generated_header(body, catalog_hash(current))
    path = f"{_prefix(project.config.directories.migrations_dir)}{name}"
    return NewFile(path, text, tuple(changes), version,
                   hazards(changes, statements, current))


def new_baseline(reader: StateReader, *, check: bool = True) -> NewFile:
    """A baseline at the newest migration's version: the chain's state, as one file that
    builds it on an empty database. Checked by replaying it alone."""
    project = reader.project
    if not project.chain.migrations:
        raise CheckFailed("there are no migrations to make a baseline of",
                          hint="a baseline sums up the migration chain up to its newest file")
    version = project.chain.migrations[-1].version
    state = reader.chain()
    options = project.config.git.diff_options
    changes = diff_catalogs(reader.files(()), state, options=options)
    text = render_sql(changes)
    path = f"{_prefix(project.config.directories.baselines_dir)}{baseline_filename(version)}"
    if check:
        roles = project.chain_inputs()[:1] if project.roles is not None else ()
        rebuilt = reader.files((*roles, ReplayInput(path, text, "baseline")))
        left = diff_catalogs(rebuilt, state, options=options)
        if left:
            raise CheckFailed(
                "the generated baseline does not rebuild the chain's state; still different:\n"
                + render_sql(left).rstrip(),
                hint="report this; pass --force to write the baseline anyway")
    return NewFile(path, text, tuple(changes), version)


def undeclared(actual: Catalog, declared: Catalog) -> tuple[Change, ...]:
    """What a migration from the live database to the schema files would drop: the live
    objects the schema files do not declare."""
    return tuple(c for c in diff_catalogs(actual, declared) if c.drops and not c.creates)


def pulled(actual: Catalog, declared: Catalog) -> tuple[Change, ...]:
    """The statements that create the undeclared objects (with their comments, grants and
    children), in an order that applies on top of the schema files."""
    wanted = {oid for change in undeclared(actual, declared) for oid in change.drops}
    return tuple(c for c in diff_catalogs(declared, actual)
                 if any(_within(oid, wanted) for oid in touched(c)))


def _within(oid: ObjectId, roots: set[ObjectId]) -> bool:
    while True:
        if oid in roots:
            return True
        if oid.parent is None:
            return False
        oid = oid.parent


def pull_file_text(changes: Sequence[Change], project: Project, *, source: str,
                   when: str) -> str:
    """A schema file for review: the objects, after every other schema file."""
    schema_dir = _prefix(project.config.directories.schema_dir)
    names = [f.path[len(schema_dir):] for f in project.schema_files]
    lines = [f"-- Objects found on {source} that the schema files do not declare",
             f"-- (pgmt-git migrate pull, {when}). Review them: move each into the schema",
             "-- file where it belongs, or drop it from the database.",
             *_require_lines(names)]
    return "\n".join(lines) + "\n\n" + render_sql(changes)


def _require_lines(names: Sequence[str], width: int = 96) -> list[str]:
    # Replayed after every other schema file: they may refer to anything there.
    lines: list[str] = []
    current: list[str] = []
    for name in names:
        if current and len(", ".join([*current, name])) > width:
            lines.append("-- require: " + ", ".join(current))
            current = []
        current.append(name)
    if current:
        lines.append("-- require: " + ", ".join(current))
    return lines


def _prefix(directory: str) -> str:
    return f"{directory}/" if directory else ""
