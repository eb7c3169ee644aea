"""Which database object a parsed statement defines, alters, drops, comments on or grants on.

Works on a statement's parse tree in the shape libpg_query's JSON gives it: plain dicts,
node type names as keys ({"TypeName": {...}}), enum values as strings, and fields that are
false, zero, empty or null left out. So this module needs no parser; sqltext.py parses and
calls `object_of`.

Type names in `ObjectRef.args` are normalised so that spellings PostgreSQL treats as one type
compare equal: built-in types get the names `format_type` prints (`int`, `int4` and
`integer` are all "integer"; `timestamptz` is "timestamp with time zone"), a `pg_catalog.`
qualification is dropped, type modifiers are dropped (PostgreSQL ignores them in function
signatures), any array is one "[]", other names are kept as written (qualified only when
written qualified) and double-quoted when they are not plain lower-case identifiers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

Json = dict[str, Any]


@dataclass(frozen=True)
class ObjectRef:
    """The database object a statement defines or alters.

    kind: lower-case words as in DDL ("table", "view", "materialized view", "function",
    "procedure", "aggregate", "index", "sequence", "type", "domain", "schema", "extension",
    "trigger", "policy", "constraint", "column", "role", "collation", "event trigger", ...).
    schema: None when the statement does not qualify the name (search_path decides); always
    None for objects that do not live in a schema, including the ones attached to a parent.
    name: as PostgreSQL stores it (unquoted; unquoted identifiers already folded to lower
    case). An unnamed index or constraint gets the name PostgreSQL would choose when no other
    object has it yet.
    args: argument types for functions/procedures/aggregates/operators, input arguments only
    (IN, INOUT, VARIADIC: what DROP and ALTER match), normalised as the module docstring says;
    None for other kinds and when a statement names a routine without an argument list.
    parent: the object attached to (table of a trigger, index, policy, rule, constraint;
    relation of a column; domain of a domain constraint; access method of an operator class;
    role whose default privileges are altered), else None. A parent relation is a "table"
    unless the statement says which kind it is.
    """

    kind: str
    schema: str | None
    name: str
    args: tuple[str, ...] | None = None
    parent: "ObjectRef | None" = None


def object_of(node: str, tree: Json) -> ObjectRef | None:
    """The object a statement of type `node` (e.g. "CreateStmt") with parse tree `tree` names."""
    handler = _HANDLERS.get(node)
    return None if handler is None else handler(tree)


# Kinds that share one catalog namespace: `ALTER TABLE v` works on a view, and a function,
# a procedure and an aggregate with the same name and arguments are the same pg_proc row.
_KEY_KINDS = {
    **dict.fromkeys(
        ("table", "view", "materialized view", "sequence", "index", "foreign table"), "relation"
    ),
    **dict.fromkeys(("function", "procedure", "aggregate", "routine"), "routine"),
    "domain": "type",
}


def object_key(ref: ObjectRef) -> tuple[Any, ...]:
    """A hashable identity for `ref`: equal for every statement about the same object.

    Relation kinds fold to "relation", routine kinds to "routine", domains to "type". An
    index's table is left out: index names are unique per schema and DROP INDEX names no
    table. Other attached objects keep their parent's key.
    """
    kind = _KEY_KINDS.get(ref.kind, ref.kind)
    parent = None if ref.parent is None or kind == "relation" else object_key(ref.parent)
    return (kind, ref.schema, ref.name, ref.args, parent)


# ---------------------------------------------------------------------------- tree helpers


def _unwrap(node: Json) -> tuple[str, Json]:
    """{"TypeName": {...}} -> ("TypeName", {...}); an empty (NIL) node -> ("", {})."""
    if not node:
        return "", {}
    ((name, body),) = node.items()
    return name, body


def _strings(items: list[Json] | None) -> list[str]:
    return [item["String"].get("sval", "") for item in items or () if "String" in item]


def _qualified(
    kind: str, parts: list[str], *, args: tuple[str, ...] | None = None,
    parent: ObjectRef | None = None,
) -> ObjectRef:
    # A three-part name is database.schema.name; the database is always the current one.
    schema = parts[-2] if len(parts) > 1 else None
    return ObjectRef(kind, schema, parts[-1] if parts else "", args, parent)


def _relation(kind: str, rangevar: Json) -> ObjectRef:
    return ObjectRef(kind, rangevar.get("schemaname"), rangevar.get("relname", ""))


_KIND_WORDS = {
    "MATVIEW": "materialized view", "TABCONSTRAINT": "constraint", "DOMCONSTRAINT": "constraint",
    "ATTRIBUTE": "column", "FDW": "foreign data wrapper", "FOREIGN_SERVER": "server",
    "OPCLASS": "operator class", "OPFAMILY": "operator family",
    "TSCONFIGURATION": "text search configuration", "TSDICTIONARY": "text search dictionary",
    "TSPARSER": "text search parser", "TSTEMPLATE": "text search template",
    "STATISTIC_EXT": "statistics", "LARGEOBJECT": "large object",
    "DEFACL": "default privileges", "PARAMETER_ACL": "parameter",
}


def _kind(objtype: str) -> str:
    """OBJECT_EVENT_TRIGGER -> "event trigger", OBJECT_MATVIEW -> "materialized view"."""
    short = objtype.removeprefix("OBJECT_")
    return _KIND_WORDS.get(short, short.lower().replace("_", " "))


def _role_name(rolespec: Json | None) -> str | None:
    # PUBLIC, CURRENT_USER and friends have no rolename; the keyword is a fine stand-in.
    if not rolespec:
        return None
    keyword = rolespec.get("roletype", "").removeprefix("ROLESPEC_").lower()
    return rolespec.get("rolename") or keyword


# ------------------------------------------------------------------------------ type names

_BUILTIN_TYPES = {
    "int2": "smallint", "int4": "integer", "int8": "bigint",
    "float4": "real", "float8": "double precision", "bool": "boolean",
    "varchar": "character varying", "bpchar": "character", "varbit": "bit varying",
    "timestamp": "timestamp without time zone", "timestamptz": "timestamp with time zone",
    "time": "time without time zone", "timetz": "time with time zone",
    # Only a quoted "char" reaches the tree as plain `char` (unquoted CHAR is bpchar): the
    # one-byte internal type, which format_type also prints quoted.
    "char": '"char"',
}
_PLAIN_IDENTIFIER = re.compile(r"[a-z_][a-z0-9_$]*")


def _ident(name: str) -> str:
    if _PLAIN_IDENTIFIER.fullmatch(name):
        return name
    return '"' + name.replace('"', '""') + '"'


def type_name(typename: Json) -> str:
    """A TypeName node as a normalised type name (see the module docstring)."""
    names = _strings(typename.get("names"))
    if typename.get("pct_type"):
        return ".".join(map(_ident, names)) + "%type"
    if len(names) == 2 and names[0] == "pg_catalog":
        names = names[1:]
    builtin = _BUILTIN_TYPES.get(names[0]) if len(names) == 1 else None
    text = builtin or ".".join(map(_ident, names))
    if typename.get("arrayBounds"):
        text += "[]"
    return "setof " + text if typename.get("setof") else text


def _arg_type(node: Json) -> str:
    # An operator's missing left argument is a NIL node: `DROP OPERATOR - (NONE, int)`.
    wrapper, body = _unwrap(node)
    return type_name(body) if wrapper == "TypeName" else "none"


_IDENTITY_MODES = frozenset(
    {"FUNC_PARAM_DEFAULT", "FUNC_PARAM_IN", "FUNC_PARAM_INOUT", "FUNC_PARAM_VARIADIC"}
)


def _parameter_types(parameters: list[Json] | None) -> tuple[str, ...]:
    params = [p["FunctionParameter"] for p in parameters or () if "FunctionParameter" in p]
    return tuple(
        type_name(p["argType"])
        for p in params
        if p.get("mode", "FUNC_PARAM_DEFAULT") in _IDENTITY_MODES
    )


def _routine(kind: str, owa: Json) -> ObjectRef:
    """An ObjectWithArgs: `f(int, text)`; `f` alone (args_unspecified) has args None."""
    args = None
    if not owa.get("args_unspecified"):
        args = tuple(_arg_type(a) for a in owa.get("objargs") or ())
    return _qualified(kind, _strings(owa.get("objname")), args=args)


# ------------------------------------------------------------------- names PostgreSQL picks

_NAMEDATALEN = 64


def _object_name(name1: str, name2: str | None, label: str) -> str:
    """PostgreSQL's makeObjectName: name1_name2_label within 63 bytes, the longer part cut first.

    PostgreSQL adds a number to the label when the name is taken; that needs the catalog.
    """
    part1, part2 = name1.encode(), (name2 or "").encode()
    available = _NAMEDATALEN - 1 - len(label) - 1 - (1 if name2 is not None else 0)
    len1, len2 = len(part1), len(part2)
    while len1 + len2 > available:
        if len1 > len2:
            len1 -= 1
        else:
            len2 -= 1
    # Cutting bytes may split a character; PostgreSQL clips to the character boundary too.
    pieces = [part1[:len1].decode("utf-8", "ignore")]
    if name2 is not None:
        pieces.append(part2[:len2].decode("utf-8", "ignore"))
    return "_".join([*pieces, label])


def _name_addition(columns: list[str]) -> str:
    """ChooseIndexNameAddition: column names joined by "_", stopping once past 63 bytes."""
    joined = ""
    for column in columns:
        joined = f"{joined}_{column}" if joined else column
        if len(joined.encode()) >= _NAMEDATALEN:
            break
    return joined


def _expression_name(node: Json | None) -> str | None:
    """The column name PostgreSQL derives from an index expression (FigureColname)."""
    wrapper, body = _unwrap(node or {})
    if wrapper == "ColumnRef":
        fields = _strings(body.get("fields"))
        return fields[-1] if fields else None
    if wrapper == "FuncCall":
        return _strings(body.get("funcname"))[-1]
    if wrapper == "TypeCast":
        return _expression_name(body.get("arg")) or _strings(body["typeName"]["names"])[-1]
    return {"CoalesceExpr": "coalesce", "CaseExpr": "case"}.get(wrapper)


def _index_columns(elements: list[Json]) -> list[str]:
    """ChooseIndexColumnNames: one name per column, repeats numbered (expr, expr1, ...)."""
    names: list[str] = []
    for element in elements:
        elem = element.get("IndexElem", {})
        base = elem.get("name") or elem.get("indexcolname") or _expression_name(elem.get("expr"))
        base = base or "expr"
        name, number = base, 1
        while name in names:
            name, number = f"{base}{number}", number + 1
        names.append(name)
    return names


def _default_index_name(stmt: Json) -> str:
    table = stmt["relation"].get("relname", "")
    if stmt.get("primary"):
        return _object_name(table, None, "pkey")
    params = stmt.get("indexParams", []) + stmt.get("indexIncludingParams", [])
    label = "excl" if stmt.get("excludeOpNames") else "key" if stmt.get("isconstraint") else "idx"
    return _object_name(table, _name_addition(_index_columns(params)), label)


def _column_refs(node: Any) -> Iterator[str]:
    if isinstance(node, list):
        for item in node:
            yield from _column_refs(item)
    elif isinstance(node, dict):
        if "ColumnRef" in node:
            fields = _strings(node["ColumnRef"].get("fields"))
            yield from fields[-1:]
        else:
            for value in node.values():
                yield from _column_refs(value)


def _default_constraint_name(con: Json, owner: str) -> str:
    contype = con.get("contype", "")
    if contype == "CONSTR_PRIMARY":
        return _object_name(owner, None, "pkey")
    if contype == "CONSTR_CHECK":
        # PostgreSQL names a check after its column only when it references exactly one.
        columns = set(_column_refs(con.get("raw_expr")))
        return _object_name(owner, columns.pop() if len(columns) == 1 else None, "check")
    if contype == "CONSTR_EXCLUSION":
        elements = [pair["List"]["items"][0] for pair in con.get("exclusions", [])]
        return _object_name(owner, _name_addition(_index_columns(elements)), "excl")
    if contype == "CONSTR_FOREIGN":
        return _object_name(owner, _name_addition(_strings(con.get("fk_attrs"))), "fkey")
    if contype == "CONSTR_NOTNULL":
        return _object_name(owner, _name_addition(_strings(con.get("keys"))), "not_null")
    columns = _strings(con.get("keys")) + _strings(con.get("including"))
    return _object_name(owner, _name_addition(columns), "key")


def _constraint(con: Json, parent: ObjectRef) -> ObjectRef:
    name = con.get("conname") or _default_constraint_name(con, parent.name)
    return ObjectRef("constraint", None, name, parent=parent)


# ------------------------------------------------------------------- objects named by type

_ATTACHED = frozenset(
    {"OBJECT_TABCONSTRAINT", "OBJECT_TRIGGER", "OBJECT_POLICY", "OBJECT_RULE", "OBJECT_COLUMN"}
)


def _listed(objtype: str, items: list[Json]) -> ObjectRef:
    """An object named by a list: any_name, or the special shapes some kinds use."""
    kind = _kind(objtype)
    if objtype in _ATTACHED:  # [schema?, table, name]
        names = _strings(items)
        return ObjectRef(kind, None, names[-1], parent=_qualified("table", names[:-1]))
    if objtype == "OBJECT_DOMCONSTRAINT":  # [TypeName, name]
        domain = _qualified("domain", _strings(items[0]["TypeName"]["names"]))
        return ObjectRef(kind, None, _strings(items[1:])[0], parent=domain)
    if objtype == "OBJECT_CAST":  # [source TypeName, target TypeName]
        source, target = (type_name(item["TypeName"]) for item in items)
        return ObjectRef(kind, None, f"{source} as {target}")
    if objtype == "OBJECT_TRANSFORM":  # [TypeName, language]
        language = ObjectRef("language", None, _strings(items[1:])[0])
        return ObjectRef(kind, None, type_name(items[0]["TypeName"]), parent=language)
    if objtype in ("OBJECT_OPCLASS", "OBJECT_OPFAMILY"):  # [access method, schema?, name]
        method, *names = _strings(items)
        return _qualified(kind, names, parent=ObjectRef("access method", None, method))
    return _qualified(kind, _strings(items))


def _object(objtype: str, node: Json) -> ObjectRef | None:
    """The object COMMENT ON, DROP, ALTER ... OWNER TO, GRANT ... name with `objtype`."""
    wrapper, body = _unwrap(node)
    kind = _kind(objtype)
    if wrapper == "RangeVar":
        return _relation(kind, body)
    if wrapper == "ObjectWithArgs":
        return _routine(kind, body)
    if wrapper == "TypeName":
        return _qualified(kind, _strings(body.get("names")))
    if wrapper == "String":
        return ObjectRef(kind, None, body.get("sval", ""))
    if wrapper in ("Integer", "Float"):  # large objects
        return ObjectRef(kind, None, str(body.get("ival", body.get("fval", 0))))
    if wrapper == "List":
        return _listed(objtype, body.get("items", []))
    return None


# ------------------------------------------------------------------------ statement kinds


def _create_function(stmt: Json) -> ObjectRef:
    kind = "procedure" if stmt.get("is_procedure") else "function"
    args = _parameter_types(stmt.get("parameters"))
    return _qualified(kind, _strings(stmt.get("funcname")), args=args)


def _define(stmt: Json) -> ObjectRef:
    """CREATE AGGREGATE / OPERATOR / COLLATION / TEXT SEARCH ... / base TYPE."""
    objtype = stmt.get("kind", "")
    args = None
    if objtype == "OBJECT_AGGREGATE":
        args = _aggregate_args(stmt)
    elif objtype == "OBJECT_OPERATOR":
        options = {d["DefElem"]["defname"]: d["DefElem"].get("arg") or {}
                   for d in stmt.get("definition", [])}
        args = (_arg_type(options.get("leftarg", {})), _arg_type(options.get("rightarg", {})))
    return _qualified(_kind(objtype), _strings(stmt.get("defnames")), args=args)


def _aggregate_args(stmt: Json) -> tuple[str, ...]:
    args = stmt.get("args")
    if args is not None:  # [List of FunctionParameter (NIL for `*`), Integer]
        wrapper, body = _unwrap(args[0])
        return _parameter_types(body.get("items")) if wrapper == "List" else ()
    # The old syntax names the one argument type as `basetype`; 'ANY' means `(*)`.
    for option in stmt.get("definition", []):
        if option["DefElem"]["defname"] == "basetype":
            wrapper, body = _unwrap(option["DefElem"].get("arg") or {})
            text = type_name(body) if wrapper == "TypeName" else body.get("sval", "")
            return () if text.lower() in ("any", '"any"') else (text,)
    return ()


def _index(stmt: Json) -> ObjectRef:
    table = _relation("table", stmt["relation"])
    name = stmt.get("idxname") or _default_index_name(stmt)
    return ObjectRef("index", table.schema, name, parent=table)


def _alter_table(stmt: Json) -> ObjectRef:
    """ALTER TABLE/VIEW/INDEX/...: the relation, or the constraint of a lone ADD CONSTRAINT."""
    relation = _relation(_kind(stmt.get("objtype", "OBJECT_TABLE")), stmt["relation"])
    commands = [c["AlterTableCmd"] for c in stmt.get("cmds", [])]
    if len(commands) == 1 and commands[0].get("subtype") == "AT_AddConstraint":
        return _constraint(commands[0]["def"]["Constraint"], relation)
    return relation


def _alter_domain(stmt: Json) -> ObjectRef:
    domain = _qualified("domain", _strings(stmt.get("typeName")))
    if stmt.get("subtype") == "C":  # ADD CONSTRAINT
        return _constraint(stmt["def"]["Constraint"], domain)
    return domain


def _rename(stmt: Json) -> ObjectRef | None:
    """ALTER ... RENAME: the object as named before the rename."""
    objtype, old_name = stmt.get("renameType", ""), stmt.get("subname", "")
    if objtype == "OBJECT_DOMCONSTRAINT":  # object: the domain; subname: the constraint
        domain = _qualified("domain", _strings(stmt["object"]["List"]["items"]))
        return ObjectRef("constraint", None, old_name, parent=domain)
    if "relation" in stmt:
        if objtype in ("OBJECT_COLUMN", "OBJECT_ATTRIBUTE"):
            parent = _relation(_kind(stmt.get("relationType", "")), stmt["relation"])
            return ObjectRef("column", None, old_name, parent=parent)
        if objtype in _ATTACHED:
            parent = _relation("table", stmt["relation"])
            return ObjectRef(_kind(objtype), None, old_name, parent=parent)
        return _relation(_kind(objtype), stmt["relation"])
    if "object" in stmt:
        return _object(objtype, stmt["object"])
    return ObjectRef(_kind(objtype), None, old_name) if old_name else None  # schema, role, ...


def _grant(stmt: Json) -> ObjectRef | None:
    """GRANT/REVOKE: the first object named; ON ALL ... IN SCHEMA s names schema s."""
    objects = stmt.get("objects") or []
    if not objects:
        return None
    if stmt.get("targtype") == "ACL_TARGET_ALL_IN_SCHEMA":
        return _object("OBJECT_SCHEMA", objects[0])
    return _object(stmt.get("objtype", ""), objects[0])


def _default_privileges(stmt: Json) -> ObjectRef:
    """ALTER DEFAULT PRIVILEGES [FOR ROLE r] [IN SCHEMA s] ... ON TABLES.

    kind "default privileges", name the kind of objects in the plural ("tables",
    "functions", ...), schema the first IN SCHEMA, parent the first FOR ROLE (None: the
    current role).
    """
    options = {o["DefElem"]["defname"]: o["DefElem"]["arg"]["List"]["items"]
               for o in stmt.get("options", [])}
    schemas = _strings(options.get("schemas"))
    roles = [_role_name(r.get("RoleSpec")) for r in options.get("roles", [])]
    parent = ObjectRef("role", None, roles[0]) if roles and roles[0] else None
    objects = _kind(stmt["action"].get("objtype", "")) + "s"
    return ObjectRef("default privileges", schemas[0] if schemas else None, objects, parent=parent)


def _role(rolespec: Json | None) -> ObjectRef | None:
    name = _role_name(rolespec)
    return None if name is None else ObjectRef("role", None, name)


def _create_schema(stmt: Json) -> ObjectRef:
    # CREATE SCHEMA AUTHORIZATION bob creates schema bob.
    name = stmt.get("schemaname") or _role_name(stmt.get("authrole")) or ""
    return ObjectRef("schema", None, name)


def _set_schema(stmt: Json) -> ObjectRef | None:
    objtype = stmt.get("objectType", "")
    if "relation" in stmt:
        return _relation(_kind(objtype), stmt["relation"])
    return _object(objtype, stmt.get("object", {}))


def _cast(stmt: Json) -> ObjectRef:
    source, target = type_name(stmt["sourcetype"]), type_name(stmt["targettype"])
    return ObjectRef("cast", None, f"{source} as {target}")


def _grant_role(stmt: Json) -> ObjectRef:
    # GRANT r1, r2 TO bob: the first role granted.
    return ObjectRef("role", None, stmt["granted_roles"][0]["AccessPriv"]["priv_name"])


def _statistics(stmt: Json) -> ObjectRef | None:
    # CREATE STATISTICS without a name: PostgreSQL picks one from the columns.
    return _qualified("statistics", _strings(stmt["defnames"])) if stmt.get("defnames") else None


def _user_mapping(stmt: Json) -> ObjectRef:
    server = ObjectRef("server", None, stmt.get("servername", ""))
    return ObjectRef("user mapping", None, _role_name(stmt.get("user")) or "", parent=server)


def _transform(stmt: Json) -> ObjectRef:
    language = ObjectRef("language", None, stmt.get("lang", ""))
    return ObjectRef("transform", None, type_name(stmt["type_name"]), parent=language)


Handler = Callable[[Json], "ObjectRef | None"]


def _named(kind: str, key: str) -> Handler:
    """Statements naming a schema-less object in one string field."""
    return lambda stmt: ObjectRef(kind, None, stmt[key]) if stmt.get(key) else None


def _listed_name(kind: str, key: str) -> Handler:
    """Statements naming a schema object as a list of strings."""
    return lambda stmt: _qualified(kind, _strings(stmt.get(key)))


def _relation_in(kind: str, *path: str) -> Handler:
    """Statements naming a relation with a RangeVar, found at `path` in the tree."""

    def handler(stmt: Json) -> ObjectRef:
        for key in path:
            stmt = stmt[key]
        return _relation(kind, stmt)

    return handler


def _on_table(kind: str, name_key: str, table_key: str) -> Handler:
    """Statements naming an object attached to a table: CREATE TRIGGER t ON tab, ..."""

    def handler(stmt: Json) -> ObjectRef:
        return ObjectRef(kind, None, stmt[name_key], parent=_relation("table", stmt[table_key]))

    return handler


def _by_method(kind: str, key: str) -> Handler:
    """Operator classes and families: a schema name within an access method."""

    def handler(stmt: Json) -> ObjectRef:
        method = ObjectRef("access method", None, stmt.get("amname", ""))
        return _qualified(kind, _strings(stmt.get(key)), parent=method)

    return handler


def _by_objtype(objtype_key: str, object_key: str) -> Handler:
    """Statements that name any kind of object: COMMENT ON, ALTER ... OWNER TO, ..."""
    return lambda stmt: _object(stmt.get(objtype_key, ""), stmt.get(object_key, {}))


def _first(handler: Callable[[str, Json], ObjectRef | None], objtype_key: str, key: str) -> Handler:
    """Statements naming a list of objects (DROP a, b): the first one."""

    def first(stmt: Json) -> ObjectRef | None:
        items = stmt.get(key) or []
        return handler(stmt.get(objtype_key, ""), items[0]) if items else None

    return first


_HANDLERS: dict[str, Handler] = {
    "CreateStmt": _relation_in("table", "relation"),
    "CreateForeignTableStmt": _relation_in("foreign table", "base", "relation"),
    "CreateTableAsStmt": lambda s: _relation(_kind(s.get("objtype", "")), s["into"]["rel"]),
    "ViewStmt": _relation_in("view", "view"),
    "RefreshMatViewStmt": _relation_in("materialized view", "relation"),
    "IndexStmt": _index,
    "CreateSeqStmt": _relation_in("sequence", "sequence"),
    "AlterSeqStmt": _relation_in("sequence", "sequence"),
    "CreateFunctionStmt": _create_function,
    "AlterFunctionStmt": lambda s: _routine(_kind(s.get("objtype", "")), s["func"]),
    "DefineStmt": _define,
    "CompositeTypeStmt": _relation_in("type", "typevar"),
    "CreateEnumStmt": _listed_name("type", "typeName"),
    "CreateRangeStmt": _listed_name("type", "typeName"),
    "AlterEnumStmt": _listed_name("type", "typeName"),
    "CreateDomainStmt": _listed_name("domain", "domainname"),
    "AlterDomainStmt": _alter_domain,
    "CreateSchemaStmt": _create_schema,
    "CreateExtensionStmt": _named("extension", "extname"),
    "AlterExtensionStmt": _named("extension", "extname"),
    "AlterExtensionContentsStmt": _named("extension", "extname"),
    "CreateTrigStmt": _on_table("trigger", "trigname", "relation"),
    "CreateEventTrigStmt": _named("event trigger", "trigname"),
    "AlterEventTrigStmt": _named("event trigger", "trigname"),
    "CreatePolicyStmt": _on_table("policy", "policy_name", "table"),
    "AlterPolicyStmt": _on_table("policy", "policy_name", "table"),
    "RuleStmt": _on_table("rule", "rulename", "relation"),
    "AlterCollationStmt": _listed_name("collation", "collname"),
    "CreateRoleStmt": _named("role", "role"),
    "AlterRoleStmt": lambda s: _role(s.get("role")),
    "AlterRoleSetStmt": lambda s: _role(s.get("role")),  # ALTER ROLE ALL: None
    "DropRoleStmt": lambda s: _role(s["roles"][0]["RoleSpec"]) if s.get("roles") else None,
    "CommentStmt": _by_objtype("objtype", "object"),
    "SecLabelStmt": _by_objtype("objtype", "object"),
    "GrantStmt": _grant,
    "GrantRoleStmt": _grant_role,
    "AlterDefaultPrivilegesStmt": _default_privileges,
    "AlterTableStmt": _alter_table,
    "RenameStmt": _rename,
    "AlterOwnerStmt": _by_objtype("objectType", "object"),
    "AlterObjectSchemaStmt": _set_schema,
    "DropStmt": _first(_object, "removeType", "objects"),
    "CreateCastStmt": _cast,
    "CreateStatsStmt": _statistics,
    "AlterStatsStmt": _listed_name("statistics", "defnames"),
    "CreateConversionStmt": _listed_name("conversion", "conversion_name"),
    "CreateOpClassStmt": _by_method("operator class", "opclassname"),
    "CreateOpFamilyStmt": _by_method("operator family", "opfamilyname"),
    "AlterOpFamilyStmt": _by_method("operator family", "opfamilyname"),
    "AlterTSDictionaryStmt": _listed_name("text search dictionary", "dictname"),
    "AlterTSConfigurationStmt": _listed_name("text search configuration", "cfgname"),
    "CreateAmStmt": _named("access method", "amname"),
    "CreatePLangStmt": _named("language", "plname"),
    "CreateTransformStmt": _transform,
    "CreateFdwStmt": _named("foreign data wrapper", "fdwname"),
    "AlterFdwStmt": _named("foreign data wrapper", "fdwname"),
    "CreateForeignServerStmt": _named("server", "servername"),
    "AlterForeignServerStmt": _named("server", "servername"),
    "CreateUserMappingStmt": _user_mapping,
    "AlterUserMappingStmt": _user_mapping,
    "DropUserMappingStmt": _user_mapping,
    "CreatePublicationStmt": _named("publication", "pubname"),
    "AlterPublicationStmt": _named("publication", "pubname"),
    "CreateSubscriptionStmt": _named("subscription", "subname"),
    "AlterSubscriptionStmt": _named("subscription", "subname"),
    "DropSubscriptionStmt": _named("subscription", "subname"),
    "CreatedbStmt": _named("database", "dbname"),
    "DropdbStmt": _named("database", "dbname"),
    "AlterDatabaseStmt": _named("database", "dbname"),
    "AlterDatabaseSetStmt": _named("database", "dbname"),
    "CreateTableSpaceStmt": _named("tablespace", "tablespacename"),
    "DropTableSpaceStmt": _named("tablespace", "tablespacename"),
    "AlterTableSpaceOptionsStmt": _named("tablespace", "tablespacename"),
}
