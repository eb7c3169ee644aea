"""Catalog introspection against a real server: what is read, what is left out."""

from __future__ import annotations

import pytest

from pgmt_git.config import ObjectFilter, Objects, TrackingTable
from pgmt_git.diff.model import Catalog, Kind, ObjectId, Table, column_id
from pgmt_git.pg.cache import replayed_state
from pgmt_git.pg.catalog import load_catalog
from pgmt_git.pg.catalog import loader
from pgmt_git.pg.catalog.loader import QUERY_NAMES, query_text, with_storage_parameters
from pgmt_git.pg.server import Server, connect
from pgmt_git.project.source import ReplayInput

SCHEMA = """
CREATE SCHEMA app;
CREATE SCHEMA scratch;
CREATE TABLE app.users (id int PRIMARY KEY, email text);
CREATE TABLE app.temp_import (x int);
CREATE TABLE scratch.junk (x int);
CREATE TABLE public.pgmt_migrations (version bigint);
CREATE TABLE public.pgmt_migrations_sections (migration_version bigint);
CREATE VIEW app.emails AS SELECT email FROM app.users;
"""


def _load(server: Server, sql: str, **options: object) -> Catalog:
    with replayed_state(server, [ReplayInput("schema/x.sql", sql, "schema")]) as state:
        return load_catalog(state.conninfo, **options)  # type: ignore[arg-type]


def names(catalog: Catalog, kind: Kind) -> list[str]:
    return [oid.qualified_text() for oid in catalog if oid.kind is kind]


def test_every_query_file_is_packaged() -> None:
    for name in QUERY_NAMES:
        assert query_text(name).strip()


def test_catalog_table_oids_are_the_servers(pg_server: Server) -> None:
    """The loader names pg_depend's catalog tables by OID, from constants."""
    constants = {name: value for name, value in vars(loader).items()
                 if name.startswith("PG_") and isinstance(value, int)}
    assert len(constants) == 10
    with connect(pg_server) as conn:
        for name, value in constants.items():
            found = conn.execute("SELECT %s::regclass::oid", (f"pg_catalog.{name.lower()}",))
            assert found.fetchone() == (value,), name


def test_reads_objects_and_dependencies_by_name(pg_server: Server) -> None:
    catalog = _load(pg_server, SCHEMA)
    users = ObjectId(Kind.TABLE, "app", "users")
    table = catalog[users]
    assert isinstance(table, Table) and [c.name for c in table.columns] == ["id", "email"]
    view = ObjectId(Kind.VIEW, "app", "emails")
    assert (view, column_id(users, "email")) in catalog.depends
    assert view in catalog.dependents(column_id(users, "email"))


def test_tracking_tables_are_never_read(pg_server: Server) -> None:
    catalog = _load(pg_server, SCHEMA)
    assert "public.pgmt_migrations" not in names(catalog, Kind.TABLE)
    assert "public.pgmt_migrations_sections" not in names(catalog, Kind.TABLE)
    moved = _load(pg_server, SCHEMA, tracking_table=TrackingTable("app", "users"))
    assert "app.users" not in names(moved, Kind.TABLE)
    assert "public.pgmt_migrations" in names(moved, Kind.TABLE)


def test_include_and_exclude_globs(pg_server: Server) -> None:
    only_app = Objects(include=ObjectFilter(schemas=("app",)),
                       exclude=ObjectFilter(tables=("temp_*",)))
    catalog = _load(pg_server, SCHEMA, objects_filter=only_app)
    assert names(catalog, Kind.TABLE) == ["app.users"]
    assert names(catalog, Kind.SCHEMA) == ["app"]
    assert names(catalog, Kind.CONSTRAINT) == ["app.users.users_pkey"]
    assert all(a in catalog or a.parent in catalog for a, _ in catalog.depends)


def test_extension_objects_are_left_out(pg_server: Server) -> None:
    with connect(pg_server) as conn:
        available = {r[0] for r in conn.execute(
            "SELECT name FROM pg_available_extensions").fetchall()}
    extension = next((e for e in ("citext", "vector") if e in available), None)
    if extension is None:
        pytest.skip("no test extension available")
    catalog = _load(pg_server, f"CREATE EXTENSION {extension};\n")
    assert names(catalog, Kind.EXTENSION) == [extension]
    assert names(catalog, Kind.FUNCTION) == []


def test_reads_inside_one_read_only_transaction(pg_server: Server) -> None:
    with replayed_state(pg_server, [ReplayInput("schema/x.sql", SCHEMA, "schema")]) as state:
        with connect(pg_server, state.dbname) as conn:
            catalog = load_catalog(conn)
            assert conn.execute("SHOW search_path").fetchone() != ("",)
    assert ObjectId(Kind.SCHEMA, "", "app") in catalog


def test_storage_parameters_go_before_deferrability() -> None:
    assert with_storage_parameters("PRIMARY KEY (a) DEFERRABLE", ["fillfactor=70"]) == (
        "PRIMARY KEY (a) WITH (fillfactor='70') DEFERRABLE")
    assert with_storage_parameters("UNIQUE (a)", ["fillfactor=70", "deduplicate_items=off"]) == (
        "UNIQUE (a) WITH (fillfactor='70', deduplicate_items='off')")


def test_domain_default_does_not_depend_on_the_search_path_it_was_made_under(
        pg_server: Server) -> None:
    """A domain's default is read deparsed, not as the text its creator's session wrote:
    a type named through search_path there is schema-qualified here all the same."""
    types = "CREATE SCHEMA app;\nCREATE TYPE app.mood AS ENUM ('ok', 'sad');\n"
    through_path = _load(pg_server, types + "SET search_path = app, public;\n"
                         "CREATE DOMAIN app.feeling AS app.mood DEFAULT 'ok'::mood;\n")
    qualified = _load(pg_server, types +
                      "CREATE DOMAIN app.feeling AS app.mood DEFAULT 'ok'::app.mood;\n")
    feeling = ObjectId(Kind.DOMAIN, "app", "feeling")
    assert through_path[feeling] == qualified[feeling]
    assert qualified[feeling].default == "'ok'::app.mood"  # type: ignore[attr-defined]
