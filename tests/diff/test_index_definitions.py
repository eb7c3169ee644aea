"""The loader writes the definition of plain indexes itself: it must be pg_get_indexdef's
text, byte for byte, for every index, plain or not."""

from __future__ import annotations

import pytest

from pgmt_git.diff.model import Index
from pgmt_git.pg.cache import replayed_state
from pgmt_git.pg.catalog import load_catalog
from pgmt_git.pg.catalog import loader
from pgmt_git.pg.catalog.loader import query_text
from pgmt_git.pg.server import Server, connect
from pgmt_git.project.source import ReplayInput

SCHEMA = """
CREATE SCHEMA "Odd Schema";
CREATE DOMAIN public.email AS text;
CREATE TABLE "Odd Schema"."Mixed Table" (
    id int PRIMARY KEY,
    "order" text,
    "select" int,
    "Name" text,
    nick varchar(40),
    label text COLLATE "C",
    plain_label text,
    mail public.email,
    tags int[],
    body jsonb,
    at timestamptz,
    point_at point,
    weight numeric(10, 2),
    bits bit(8),
    code char(3),
    flag boolean
);
CREATE INDEX ix_one ON "Odd Schema"."Mixed Table" (plain_label);
CREATE UNIQUE INDEX ix_unique ON "Odd Schema"."Mixed Table" (weight, at);
CREATE INDEX ix_desc ON "Odd Schema"."Mixed Table" (at DESC);
CREATE INDEX ix_desc_nulls_last ON "Odd Schema"."Mixed Table" (at DESC NULLS LAST);
CREATE INDEX ix_nulls_first ON "Odd Schema"."Mixed Table" (at NULLS FIRST);
CREATE INDEX ix_asc_explicit ON "Odd Schema"."Mixed Table" (at ASC NULLS LAST);
CREATE INDEX "Ix Keywords" ON "Odd Schema"."Mixed Table" ("order", "select", "Name");
CREATE INDEX ix_partial ON "Odd Schema"."Mixed Table" (plain_label) WHERE flag AND weight > 0;
CREATE INDEX ix_partial_desc ON "Odd Schema"."Mixed Table" (id DESC) WHERE "order" IS NULL;
CREATE INDEX ix_collated_column ON "Odd Schema"."Mixed Table" (label);
CREATE INDEX ix_other_collation ON "Odd Schema"."Mixed Table" (plain_label COLLATE "C");
CREATE INDEX ix_varchar ON "Odd Schema"."Mixed Table" (nick);
CREATE INDEX ix_domain ON "Odd Schema"."Mixed Table" (mail);
CREATE INDEX ix_explicit_default_opclass ON "Odd Schema"."Mixed Table" (plain_label text_ops);
CREATE INDEX ix_pattern ON "Odd Schema"."Mixed Table" (plain_label text_pattern_ops);
CREATE INDEX ix_expression ON "Odd Schema"."Mixed Table" (lower(plain_label));
CREATE INDEX ix_mixed_expression ON "Odd Schema"."Mixed Table" (id, lower("order"));
CREATE INDEX ix_include ON "Odd Schema"."Mixed Table" (id) INCLUDE (plain_label);
CREATE INDEX ix_fillfactor ON "Odd Schema"."Mixed Table" (id) WITH (fillfactor = 70);
CREATE INDEX ix_hash ON "Odd Schema"."Mixed Table" USING hash (code);
CREATE INDEX ix_gin_array ON "Odd Schema"."Mixed Table" USING gin (tags);
CREATE INDEX ix_gin_jsonb ON "Odd Schema"."Mixed Table" USING gin (body);
CREATE INDEX ix_gin_jsonb_path ON "Odd Schema"."Mixed Table" USING gin (body jsonb_path_ops);
CREATE INDEX ix_gist ON "Odd Schema"."Mixed Table" USING gist (point_at);
CREATE INDEX ix_brin ON "Odd Schema"."Mixed Table" USING brin (at);
CREATE INDEX ix_brin_options ON "Odd Schema"."Mixed Table" USING brin (id) WITH (pages_per_range = 8);
CREATE INDEX ix_bits ON "Odd Schema"."Mixed Table" (bits);
CREATE TABLE public.events (id int, at date) PARTITION BY RANGE (at);
CREATE TABLE public.events_2024 PARTITION OF public.events
    FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE INDEX events_at ON public.events (at);
CREATE INDEX events_2024_id ON public.events_2024 (id DESC);
CREATE MATERIALIZED VIEW public.labels AS SELECT id, plain_label FROM "Odd Schema"."Mixed Table";
CREATE UNIQUE INDEX labels_id ON public.labels (id);
"""

PG15 = """
CREATE UNIQUE INDEX ix_nulls_not_distinct ON "Odd Schema"."Mixed Table" (code)
    NULLS NOT DISTINCT;
CREATE UNIQUE INDEX ix_nulls_distinct ON "Odd Schema"."Mixed Table" (code, id);
"""


def test_every_index_definition_is_pg_get_indexdef(
        pg_server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    with connect(pg_server) as conn:
        version = conn.info.server_version
    sql = SCHEMA + (PG15 if version >= 150000 else "")
    deparsed_after: list[int] = []  # candidates the loader found not plain
    real = loader._Results.index_definitions

    def recorded(results: loader._Results, oids: list[int]) -> dict[int, str]:
        deparsed_after.extend(oids)
        return real(results, oids)

    monkeypatch.setattr(loader._Results, "index_definitions", recorded)
    with replayed_state(pg_server, [ReplayInput("schema/x.sql", sql, "schema")]) as state:
        catalog = load_catalog(state.conninfo)
        with connect(pg_server, state.dbname) as conn:
            conn.execute("SET search_path = ''")
            # The candidates whose keys the query sends (the rest it deparses itself).
            candidates = {oid: name for oid, _, name, definition, *_
                          in conn.execute(query_text("indexes"))  # type: ignore[call-overload]
                          if definition is None}
            written = {name for oid, name in candidates.items() if oid not in deparsed_after}
            expected = dict(conn.execute(
                "SELECT c.relname, pg_catalog.pg_get_indexdef(c.oid)"
                "  FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid"
                " WHERE c.relnamespace <> 'pg_catalog'::regnamespace"
                "   AND c.relnamespace <> 'pg_toast'::regnamespace").fetchall())
    indexes = {obj.name: obj for obj in catalog.objects.values() if isinstance(obj, Index)}
    assert len(indexes) >= 30
    for name, index in indexes.items():
        assert index.definition == expected[name], name
    assert written == PLAIN | ({"ix_nulls_distinct"} if version >= 150000 else set())


# Those the loader writes; every other one is deparsed by the server.
PLAIN = {
    "ix_one", "ix_unique", "ix_desc", "ix_desc_nulls_last", "ix_nulls_first", "ix_asc_explicit",
    "Ix Keywords", "ix_partial", "ix_partial_desc", "ix_collated_column",
    "ix_explicit_default_opclass", "ix_hash", "ix_gin_jsonb", "ix_gist", "ix_brin", "ix_bits",
    "events_2024_id", "labels_id",
}
