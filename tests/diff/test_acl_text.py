"""ACLs are read as ``aclitem[]`` text and parsed by the loader: every item must give what
the server's own aclexplode gives, whatever the role names, grant options and object kinds."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from pgmt_git.diff.model import Privilege
from pgmt_git.diff.quoting import quote_ident
from pgmt_git.errors import ServerError
from pgmt_git.pg.cache import replayed_state
from pgmt_git.pg.catalog import load_catalog
from pgmt_git.pg.catalog.loader import _parsed_acl, acl_role
from pgmt_git.pg.server import Server, connect
from pgmt_git.project.source import ReplayInput

ODD_NAMES = ('pgmt acl Odd"Role', "pgmt=acl/role", "pgmt_acl_ünï", "PGMT_ACL_Upper", 'pgmt"')

SCHEMA = """
CREATE SCHEMA app;
CREATE TYPE app.mood AS ENUM ('sad', 'ok');
CREATE DOMAIN app.email AS text;
CREATE TABLE app.users (id int PRIMARY KEY, email text, mood app.mood);
CREATE SEQUENCE app.tickets;
CREATE VIEW app.emails AS SELECT email FROM app.users;
CREATE FUNCTION app.add(a int, b int) RETURNS int LANGUAGE sql AS 'SELECT a + b';
GRANT USAGE ON SCHEMA app TO {r0} WITH GRANT OPTION;
GRANT CREATE ON SCHEMA app TO {r1};
GRANT SELECT, INSERT ON app.users TO {r0};
GRANT ALL ON app.users TO {r1} WITH GRANT OPTION;
GRANT UPDATE (email) ON app.users TO {r2};
GRANT SELECT (id, email) ON app.users TO PUBLIC;
GRANT REFERENCES (id) ON app.users TO {r3} WITH GRANT OPTION;
GRANT USAGE, SELECT ON SEQUENCE app.tickets TO {r4};
GRANT SELECT ON app.emails TO PUBLIC;
GRANT TRIGGER, TRUNCATE ON app.emails TO {r2};
REVOKE EXECUTE ON FUNCTION app.add(int, int) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.add(int, int) TO {r3} WITH GRANT OPTION;
REVOKE USAGE ON TYPE app.mood FROM PUBLIC;
GRANT USAGE ON TYPE app.mood TO {r0};
GRANT USAGE ON DOMAIN app.email TO {r1} WITH GRANT OPTION;
ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT SELECT ON TABLES TO {r4};
ALTER DEFAULT PRIVILEGES GRANT EXECUTE ON FUNCTIONS TO {r2} WITH GRANT OPTION;
ALTER DEFAULT PRIVILEGES REVOKE USAGE ON TYPES FROM PUBLIC;
"""

# Every aclitem of the database, with aclexplode's rows for it.
EXPLODED = """
SELECT item::text,
       (SELECT json_agg(json_build_array(
                  CASE WHEN x.grantee = 0 THEN '' ELSE pg_get_userbyid(x.grantee) END,
                  x.privilege_type, x.is_grantable, pg_get_userbyid(x.grantor)))
          FROM aclexplode(ARRAY[item]) x)
  FROM (SELECT unnest(relacl) FROM pg_class UNION SELECT unnest(attacl) FROM pg_attribute
        UNION SELECT unnest(proacl) FROM pg_proc UNION SELECT unnest(nspacl) FROM pg_namespace
        UNION SELECT unnest(typacl) FROM pg_type
        UNION SELECT unnest(defaclacl) FROM pg_default_acl) AS items(item)
"""


@pytest.fixture
def odd_roles(pg_server: Server, unique: str) -> Iterator[list[str]]:
    names = [f"{name} {unique}" if " " in name else f"{name}_{unique}" for name in ODD_NAMES]
    with connect(pg_server) as admin:
        for name in names:
            admin.execute(f"CREATE ROLE {quote_ident(name)} NOLOGIN")  # type: ignore[arg-type]
    yield names
    with connect(pg_server) as admin:
        for name in names:
            admin.execute(f"DROP ROLE IF EXISTS {quote_ident(name)}")  # type: ignore[arg-type]


def test_every_acl_item_reads_as_aclexplode_gives_it(pg_server: Server,
                                                     odd_roles: list[str]) -> None:
    text = SCHEMA.format(**{f"r{n}": quote_ident(name) for n, name in enumerate(odd_roles)})
    with replayed_state(pg_server, [ReplayInput("schema/a.sql", text, "schema")],
                        cache=False) as state:
        with connect(pg_server, state.dbname) as conn:
            rows: list[tuple[str, Any]] = conn.execute(EXPLODED).fetchall()
        catalog = load_catalog(state.conninfo)
        assert len(rows) > 20
        quoted_items = [item for item, _ in rows if '"' in item]
        assert len(quoted_items) >= 4  # the odd names come back quoted
        for item, exploded in rows:
            expected = tuple(sorted(Privilege(grantee, privilege, grantable, grantor)
                                    for grantee, privilege, grantable, grantor in exploded))
            assert _parsed_acl((item,)) == expected, item
        # The catalog has them: a table's and a column's.
        users = next(obj for obj in catalog.objects.values()
                     if getattr(obj, "name", None) == "users")
        grantees = {p.grantee for p in users.acl or ()}
        assert {odd_roles[0], odd_roles[1]} <= grantees
        column = next(c for c in users.columns if c.name == "email")
        assert {(p.grantee, p.privilege) for p in column.acl or ()} == {
            (odd_roles[2], "UPDATE"), ("", "SELECT")}


@pytest.mark.parametrize(("item", "start", "expected"), [
    ("=r/owner", 0, ("", 0)),
    ("reader=r/owner", 0, ("reader", 6)),
    ('"a ""b"" c"=r/owner', 0, ('a "b" c', 11)),
    ('""""=r/owner', 0, ('"', 4)),
    ('x=r/"o=w/n"', 4, ("o=w/n", 11)),
    ("x=r/owner", 4, ("owner", 9)),
])
def test_role_names_as_the_server_writes_them(item: str, start: int,
                                              expected: tuple[str, int]) -> None:
    assert acl_role(item, start) == expected


def test_an_item_it_cannot_read_is_an_error() -> None:
    with pytest.raises(ServerError, match="cannot read the ACL item"):
        _parsed_acl(("reader",))
