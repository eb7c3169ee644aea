"""What a statement of a schema file is, for the merge: a key unique within the file.

The object identity (``sqlobjects.object_key``) is where a key starts, but several statements
of one file are about one object: ``CREATE TABLE t``, ``COMMENT ON TABLE t``,
``GRANT ... ON t``, ``ALTER TABLE t OWNER TO ...``. The key adds what tells them apart:

- statements that create the object share one key, whatever the statement (``CREATE VIEW``
  becoming ``CREATE MATERIALIZED VIEW`` is a change of one object, not a new one);
- a comment, an owner, a security label: one per object, so a changed comment is a change;
- ``ALTER TABLE``: the subcommands and the columns or constraints they name (a changed
  default is a change of ``ALTER COLUMN c SET DEFAULT``);
- ``ALTER TYPE ... ADD VALUE``: the value; ``SET``: the setting;
- anything else (``GRANT``, ``REVOKE``, ``DROP``, data statements): the statement itself,
  locations left out, so a changed grant is one grant removed and another added.

Statements that still share a key (the same grant written twice) are numbered in file order.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable, Iterable
from typing import Any

from pgmt_git.project.sqlobjects import Json, ObjectRef, object_key, object_of

Key = tuple[Hashable, ...]

_CREATES = frozenset({
    "CreateStmt", "CreateTableAsStmt", "CreateForeignTableStmt", "ViewStmt", "CreateSeqStmt",
    "IndexStmt", "CreateFunctionStmt", "DefineStmt", "CompositeTypeStmt", "CreateEnumStmt",
    "CreateRangeStmt", "CreateDomainStmt", "CreateSchemaStmt", "CreateExtensionStmt",
    "CreateTrigStmt", "CreateEventTrigStmt", "CreatePolicyStmt", "RuleStmt", "CreateRoleStmt",
    "CreateCastStmt", "CreateStatsStmt", "CreateConversionStmt", "CreateOpClassStmt",
    "CreateOpFamilyStmt", "CreateAmStmt", "CreatePLangStmt", "CreateTransformStmt",
    "CreateFdwStmt", "CreateForeignServerStmt", "CreateUserMappingStmt",
    "CreatePublicationStmt", "CreateSubscriptionStmt", "CreateTableSpaceStmt",
})


def _nothing(tree: Json) -> Hashable:
    return ()


def _alter_table(tree: Json) -> Hashable:
    commands = []
    for command in tree.get("cmds", []):
        cmd = command.get("AlterTableCmd", {})
        definition = cmd.get("def", {})
        column = definition.get("ColumnDef", {}).get("colname")
        constraint = definition.get("Constraint", {}).get("conname")
        commands.append((cmd.get("subtype"), cmd.get("name") or column or constraint))
    return tuple(commands)


def _setting(tree: Json) -> Hashable:
    return (tree.get("kind"), tree.get("name"))


_DISCRIMINATORS: dict[str, Callable[[Json], Hashable]] = {
    "CommentStmt": _nothing,
    "AlterOwnerStmt": _nothing,
    "AlterObjectSchemaStmt": _nothing,
    "SecLabelStmt": lambda tree: tree.get("provider"),
    "AlterTableStmt": _alter_table,
    "AlterEnumStmt": lambda tree: (tree.get("oldVal"), tree.get("newVal")),
    "AlterSeqStmt": _nothing,
    "AlterFunctionStmt": _nothing,
    "AlterPolicyStmt": _nothing,
    "AlterDomainStmt": lambda tree: (tree.get("subtype"), tree.get("name")),
    "AlterRoleStmt": _nothing,
    "AlterRoleSetStmt": lambda tree: (tree.get("database"),
                                      tree.get("setstmt", {}).get("VariableSetStmt", {})
                                      .get("name")),
    "AlterDatabaseSetStmt": lambda tree: tree.get("setstmt", {}).get("VariableSetStmt", {})
                                             .get("name"),
    "VariableSetStmt": _setting,
    "RenameStmt": lambda tree: tree.get("newname"),
}


def statement_merge_key(node: str, tree: Json) -> Key:
    """The merge key of a statement of type ``node`` with parse tree ``tree``."""
    ref = object_of(node, tree)
    identity = None if ref is None else object_key(ref)
    if node in _CREATES and identity is not None:
        return ("create", identity)
    discriminator = _DISCRIMINATORS.get(node)
    if discriminator is None or (identity is None and node != "VariableSetStmt"):
        return (node, identity, content_key(tree))
    return (node, identity, discriminator(tree))


def content_key(tree: Any) -> str:
    """The parse tree as canonical text without locations: equal for statements that say
    the same thing, however they are spaced or commented."""
    return json.dumps(_without_locations(tree), sort_keys=True, separators=(",", ":"))


def _without_locations(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _without_locations(v) for k, v in node.items()
                if k not in ("location", "stmt_location", "stmt_len")}
    if isinstance(node, list):
        return [_without_locations(item) for item in node]
    return node


def numbered(keys: Iterable[Key]) -> list[Key]:
    """Keys made unique: the n-th repeat of a key gets n appended (the first keeps it)."""
    seen: dict[Key, int] = {}
    out = []
    for key in keys:
        count = seen.get(key, 0)
        seen[key] = count + 1
        out.append(key if count == 0 else (*key, ("#", count)))
    return out


def describe(node: str, tree: Json) -> str | None:
    """The object a statement is about, in words for messages (``table public.users``,
    ``function f(integer)``); None for statements about no object."""
    ref = object_of(node, tree)
    if ref is None:
        return None
    return f"{ref.kind} {_qualified(ref)}"


def _qualified(ref: ObjectRef) -> str:
    text = f"{ref.schema}.{ref.name}" if ref.schema else ref.name
    if ref.args is not None:
        text += f"({', '.join(ref.args)})"
    if ref.parent is not None and ref.kind != "index":
        text += f" on {_qualified(ref.parent)}"
    return text
