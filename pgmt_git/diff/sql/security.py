"""Row level security policies, privileges, default privileges and ownership."""

from __future__ import annotations

from collections.abc import Sequence

from pgmt_git.diff import changes as ch
from pgmt_git.diff.model import Kind, ObjectId
from pgmt_git.diff.quoting import qualified, quote_ident
from pgmt_git.diff.sql.common import ref, renders, table_name


def _roles(roles: tuple[str, ...]) -> str:
    return ", ".join("PUBLIC" if role == "public" else quote_ident(role) for role in roles)


@renders(ch.CreatePolicy)
def _create_policy(c: ch.CreatePolicy) -> Sequence[str]:
    p = c.policy
    parts = [f"CREATE POLICY {ref(p.id)}"]
    if not p.permissive:
        parts.append("AS RESTRICTIVE")
    parts.append(f"FOR {p.command} TO {_roles(p.roles)}")
    if p.using is not None:
        parts.append(f"USING ({p.using})")
    if p.with_check is not None:
        parts.append(f"WITH CHECK ({p.with_check})")
    return [" ".join(parts)]


@renders(ch.DropPolicy)
def _drop_policy(c: ch.DropPolicy) -> Sequence[str]:
    return [f"DROP POLICY {ref(c.policy.id)}"]


@renders(ch.AlterPolicy)
def _alter_policy(c: ch.AlterPolicy) -> Sequence[str]:
    parts = [f"ALTER POLICY {ref(c.new.id)}"]
    if c.old.roles != c.new.roles:
        parts.append(f"TO {_roles(c.new.roles)}")
    if c.old.using != c.new.using and c.new.using is not None:
        parts.append(f"USING ({c.new.using})")
    if c.old.with_check != c.new.with_check and c.new.with_check is not None:
        parts.append(f"WITH CHECK ({c.new.with_check})")
    return [" ".join(parts)]


_GRANT_OBJECT = {
    Kind.TABLE: "TABLE", Kind.VIEW: "TABLE", Kind.MATERIALIZED_VIEW: "TABLE",
    Kind.SEQUENCE: "SEQUENCE", Kind.SCHEMA: "SCHEMA", Kind.FUNCTION: "FUNCTION",
    Kind.PROCEDURE: "PROCEDURE", Kind.AGGREGATE: "FUNCTION", Kind.ENUM: "TYPE",
    Kind.COMPOSITE: "TYPE", Kind.RANGE: "TYPE", Kind.DOMAIN: "DOMAIN",
}


_DEFAULT_OBJECTS = {"r": "TABLES", "S": "SEQUENCES", "f": "FUNCTIONS", "T": "TYPES",
                    "n": "SCHEMAS"}


def _grantee(name: str) -> str:
    return "PUBLIC" if name == "" else quote_ident(name)


def _privilege_target(target: ObjectId, privileges: tuple[str, ...]) -> tuple[str, str]:
    """(privilege list, ON clause); a column target makes column privileges."""
    if target.kind is Kind.COLUMN and target.parent is not None:
        column = f" ({quote_ident(target.name)})"
        return (", ".join(p + column for p in privileges),
                f"TABLE {table_name(target.parent)}")
    # GRANT names an aggregate as the function it is: agg(), never agg(*).
    name = (f"{qualified(target.schema, target.name)}()" if target.kind is Kind.AGGREGATE
            and not target.args else ref(target))
    return ", ".join(privileges), f"{_GRANT_OBJECT[target.kind]} {name}"


@renders(ch.Grant)
def _grant(c: ch.Grant) -> Sequence[str]:
    privileges, on = _privilege_target(c.target, c.privileges)
    option = " WITH GRANT OPTION" if c.grantable else ""
    return [f"GRANT {privileges} ON {on} TO {_grantee(c.grantee)}{option}"]


@renders(ch.Revoke)
def _revoke(c: ch.Revoke) -> Sequence[str]:
    privileges, on = _privilege_target(c.target, c.privileges)
    option = "GRANT OPTION FOR " if c.grant_option_only else ""
    return [f"REVOKE {option}{privileges} ON {on} FROM {_grantee(c.grantee)}"]


@renders(ch.AlterDefaultPrivileges)
def _alter_default_privileges(c: ch.AlterDefaultPrivileges) -> Sequence[str]:
    e = c.entry
    scope = f"FOR ROLE {quote_ident(e.role)}"
    if e.schema:
        scope += f" IN SCHEMA {quote_ident(e.schema)}"
    objects = _DEFAULT_OBJECTS[e.object_type]
    privileges = ", ".join(c.privileges)
    if c.grant:
        option = " WITH GRANT OPTION" if c.grantable else ""
        action = f"GRANT {privileges} ON {objects} TO {_grantee(c.grantee)}{option}"
    else:
        option = "GRANT OPTION FOR " if c.grantable else ""
        action = f"REVOKE {option}{privileges} ON {objects} FROM {_grantee(c.grantee)}"
    return [f"ALTER DEFAULT PRIVILEGES {scope} {action}"]


_OWNED_OBJECT = {
    Kind.TABLE: "TABLE", Kind.VIEW: "VIEW", Kind.MATERIALIZED_VIEW: "MATERIALIZED VIEW",
    Kind.SEQUENCE: "SEQUENCE", Kind.SCHEMA: "SCHEMA", Kind.FUNCTION: "FUNCTION",
    Kind.PROCEDURE: "PROCEDURE", Kind.AGGREGATE: "AGGREGATE", Kind.ENUM: "TYPE",
    Kind.COMPOSITE: "TYPE", Kind.RANGE: "TYPE", Kind.DOMAIN: "DOMAIN",
    Kind.COLLATION: "COLLATION",
}


@renders(ch.AlterOwner)
def _alter_owner(c: ch.AlterOwner) -> Sequence[str]:
    return [f"ALTER {_OWNED_OBJECT[c.target.kind]} {ref(c.target)} OWNER TO "
            f"{quote_ident(c.owner)}"]
