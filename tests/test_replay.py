"""Replaying files into shadow databases, and the content-addressed cache of replayed states.

Every test writes SQL of its own (``unique``), so its cache keys are its own too.
"""

from __future__ import annotations

import io
import subprocess
import sys
from collections.abc import Iterator

import pytest

from pgmt_git.config import CacheSettings
from pgmt_git.errors import ReplayError
from pgmt_git.pg import databases as dbs
from pgmt_git.pg.cache import (
    cache_name,
    chain_keys,
    evict,
    forget,
    replayed_state,
    shadow_copy,
)
from pgmt_git.pg.databases import DatabaseKind
from pgmt_git.pg.plan import FileKind, ReplayFile, UnitMode, plan_file
from pgmt_git.pg.replay import copy_payload, terminal_progress
from pgmt_git.pg.server import Server, connect
from tests.fixtures_pg import database_exists, external_server_url, managed_databases


def schema(path: str, text: str) -> ReplayFile:
    return ReplayFile(path, text, FileKind.SCHEMA)


def migration(path: str, text: str) -> ReplayFile:
    return ReplayFile(path, text, FileKind.MIGRATION)


def query(server: Server, dbname: str, sql: str) -> list[tuple[object, ...]]:
    with connect(server, dbname) as conn:
        return conn.execute(sql).fetchall()  # type: ignore[arg-type]


def replay_error(server: Server, files: list[ReplayFile]) -> ReplayError:
    with pytest.raises(ReplayError) as failure:
        with replayed_state(server, files, cache=False):
            pass
    return failure.value


# --- errors name the file and line -------------------------------------------------------

def test_error_names_the_file_and_line_of_the_failing_statement(pg_server: Server) -> None:
    files = [
        schema("schema/a.sql", "CREATE TABLE a (id int PRIMARY KEY);\n"),
        schema("schema/b.sql", (
            "-- b: several statements, the fourth one fails\n"
            "CREATE TABLE b1 (id int);\n"
            "\n"
            "CREATE TABLE b2 (id int);\n"
            "CREATE VIEW v AS SELECT 1 AS x;\n"
            "\n"
            "CREATE TABLE b3 (a_id int REFERENCES nosuch (id));\n"
            "CREATE TABLE b4 (id int);\n"
        )),
    ]
    error = replay_error(pg_server, files)
    assert error.path == "schema/b.sql"
    assert error.line == 7
    assert error.column == 1
    assert 'relation "nosuch" does not exist' in str(error)
    assert str(error).startswith("schema/b.sql:7:1: ")
    assert "CREATE TABLE b3" in str(error)


def test_error_position_refines_the_line_inside_a_statement(pg_server: Server) -> None:
    text = ("CREATE TABLE t (id int);\n"
            "CREATE VIEW v AS\n"
            "  SELECT id,\n"
            "         no_such_column\n"
            "  FROM t;\n")
    error = replay_error(pg_server, [schema("schema/v.sql", text)])
    assert (error.path, error.line, error.column) == ("schema/v.sql", 4, 10)
    assert 'column "no_such_column" does not exist' in str(error)


def test_error_carries_detail_and_hint(pg_server: Server) -> None:
    detail = replay_error(pg_server, [schema("schema/d.sql", (
        "CREATE TABLE t (id int PRIMARY KEY);\n"
        "INSERT INTO t VALUES (1);\n"
        "INSERT INTO t VALUES (1);\n"))])
    assert detail.line == 3
    assert "detail: Key (id)=(1) already exists." in str(detail)
    hint = replay_error(pg_server, [schema("schema/h.sql", "SELECT 1;\nSELECT no_such_fn(1);\n")])
    assert (hint.line, hint.column) == (2, 8)
    assert hint.hint is not None and "No function matches" in hint.hint


def test_error_in_a_migration_section_names_the_file_line(pg_server: Server) -> None:
    text = ("-- pgmt:section name=\"one\"\n"
            "CREATE TABLE m (id int);\n"
            "-- pgmt:section name=\"two\" mode=\"autocommit\"\n"
            "ALTER TABLE m ADD COLUMN x int;\n"
            "ALTER TABLE nosuch ADD COLUMN y int;\n")
    error = replay_error(pg_server, [migration("migrations/V1_m.sql", text)])
    assert (error.path, error.line) == ("migrations/V1_m.sql", 5)


def test_text_above_the_first_section_header_is_replayed(pg_server: Server) -> None:
    text = ("CREATE TABLE above (id int);\n"
            "-- pgmt:section name=\"index\" mode=\"non-transactional\"\n"
            "CREATE INDEX CONCURRENTLY above_id ON above (id);\n"
            "ALTER TABLE nosuch ADD x int;\n")
    units = plan_file(migration("migrations/V1_p.sql", text))
    assert [u.statements[0].line for u in units] == [1, 3, 4]
    error = replay_error(pg_server, [migration("migrations/V1_p.sql", text)])
    assert error.line == 4


def test_unsplittable_sql_is_reported_before_anything_runs(pg_server: Server) -> None:
    with pytest.raises(Exception) as failure:
        with replayed_state(pg_server, [schema("schema/x.sql", "CREATE TABLE (;\n")],
                            cache=False):
            pass
    assert "schema/x.sql" in str(failure.value)


# --- statements that need more than a batch ----------------------------------------------

def test_copy_from_stdin_in_a_schema_file(pg_server: Server) -> None:
    text = ("CREATE TABLE colours (id int PRIMARY KEY, name text);\n"
            "COPY colours (id, name) FROM stdin;\n"
            "1\tred\n"
            "2\t100% green\n"
            "\\.\n"
            "CREATE TABLE after_copy (id int);\n")
    with replayed_state(pg_server, [schema("schema/colours.sql", text)], cache=False) as state:
        rows = query(pg_server, state.dbname, "SELECT id, name FROM colours ORDER BY id")
        assert rows == [(1, "red"), (2, "100% green")]
        assert query(pg_server, state.dbname, "SELECT count(*) FROM after_copy") == [(0,)]
        assert state.stats.statements_executed == 3


def test_bad_copy_data_names_its_line(pg_server: Server) -> None:
    text = ("CREATE TABLE n (id int);\n"
            "COPY n (id) FROM stdin;\n"
            "1\n"
            "two\n"
            "\\.\n")
    error = replay_error(pg_server, [schema("schema/n.sql", text)])
    assert (error.path, error.line) == ("schema/n.sql", 4)
    assert "invalid input syntax" in str(error)


def test_copy_payload_drops_the_end_marker() -> None:
    assert copy_payload("1\n2\n\\.") == "1\n2\n"
    assert copy_payload("1\r\n\\.\r\n") == "1\r\n"
    assert copy_payload("1\n") == "1\n"


def test_non_transactional_section_with_create_index_concurrently(pg_server: Server) -> None:
    text = ("-- pgmt:section name=\"table\"\n"
            "CREATE TABLE big (id int, v text);\n"
            "-- pgmt:section name=\"indexes\" mode=\"non-transactional\"\n"
            "CREATE INDEX CONCURRENTLY big_id ON big (id);\n"
            "CREATE INDEX CONCURRENTLY big_v ON big (v);\n")
    with replayed_state(pg_server, [migration("migrations/V1_big.sql", text)],
                        cache=False) as state:
        names = query(pg_server, state.dbname,
                      "SELECT indexname FROM pg_indexes WHERE tablename = 'big' ORDER BY 1")
        assert names == [("big_id",), ("big_v",)]


def test_concurrently_in_a_schema_file_runs_outside_the_transaction(pg_server: Server) -> None:
    text = ("CREATE TABLE s (id int);\n"
            "CREATE INDEX CONCURRENTLY s_id ON s (id);\n"
            "CREATE TABLE s2 (id int);\n")
    units = plan_file(schema("schema/s.sql", text))
    assert [unit.mode for unit in units] == [UnitMode.TRANSACTION, UnitMode.AUTOCOMMIT,
                                             UnitMode.TRANSACTION]
    with replayed_state(pg_server, [schema("schema/s.sql", text)], cache=False) as state:
        assert query(pg_server, state.dbname,
                     "SELECT count(*) FROM pg_indexes WHERE indexname = 's_id'") == [(1,)]


def test_a_files_own_begin_and_commit_are_left_to_the_replay(pg_server: Server) -> None:
    text = "BEGIN;\nCREATE TABLE wrapped (id int);\nCOMMIT;\n"
    with replayed_state(pg_server, [migration("migrations/V1_w.sql", text)],
                        cache=False) as state:
        assert state.stats.statements_executed == 1
        assert query(pg_server, state.dbname, "SELECT count(*) FROM wrapped") == [(0,)]


def test_each_file_starts_with_fresh_session_settings(pg_server: Server) -> None:
    files = [schema("schema/1.sql", "SELECT pg_catalog.set_config('search_path', '', false);\n"
                                    "CREATE TABLE public.first (id int);\n"),
             schema("schema/2.sql", "CREATE TABLE second (id int);\n")]
    with replayed_state(pg_server, files, cache=False) as state:
        assert query(pg_server, state.dbname,
                     "SELECT count(*) FROM pg_tables WHERE tablename = 'second'") == [(1,)]


def test_transactions_are_capped_in_statements() -> None:
    text = "".join(f"CREATE TABLE t{i} (id int);\n" for i in range(25))
    units = plan_file(schema("schema/many.sql", text), max_statements=10)
    assert [len(unit.statements) for unit in units] == [10, 10, 5]
    assert {unit.mode for unit in units} == {UnitMode.TRANSACTION}


def test_roles_replay_is_idempotent_on_a_shared_server(pg_server: Server, unique: str) -> None:
    roles = [f"pgmt_git_test_{unique}_{n}" for n in ("owner", "reader")]
    text = (f"CREATE ROLE {roles[0]};\n"
            f"CREATE ROLE {roles[1]} NOLOGIN;\n"
            f"GRANT {roles[1]} TO {roles[0]};\n")
    files = [ReplayFile("roles.sql", text, FileKind.ROLES),
             schema("schema/t.sql", f"CREATE TABLE owned (id int);\n"
                                    f"ALTER TABLE owned OWNER TO {roles[0]};\n")]
    try:
        for _ in range(2):
            with replayed_state(pg_server, files, cache=False) as state:
                owner = query(pg_server, state.dbname,
                              "SELECT tableowner FROM pg_tables WHERE tablename = 'owned'")
                assert owner == [(roles[0],)]
        bad = ReplayFile("roles.sql", f"CREATE ROLE {roles[0]};\nALTER ROLE nosuch_{unique} "
                                      "LOGIN;\n", FileKind.ROLES)
        error = replay_error(pg_server, [bad])
        assert (error.path, error.line) == ("roles.sql", 2)
    finally:
        with connect(pg_server) as admin:
            for role in reversed(roles):
                admin.execute(f"DROP ROLE IF EXISTS {role}")  # type: ignore[arg-type]


# --- the cache ---------------------------------------------------------------------------

@pytest.fixture
def chain(unique: str) -> list[ReplayFile]:
    return [
        schema("schema/base.sql", f"CREATE TABLE base_{unique} (id int PRIMARY KEY);\n"),
        migration("migrations/V1_a.sql", f"ALTER TABLE base_{unique} ADD COLUMN a int;\n"),
        migration("migrations/V2_b.sql", f"ALTER TABLE base_{unique} ADD COLUMN b int;\n"
                                         f"CREATE INDEX ON base_{unique} (b);\n"),
    ]


def test_the_same_chain_again_creates_nothing_and_runs_nothing(
    pg_server: Server, chain: list[ReplayFile]
) -> None:
    with replayed_state(pg_server, chain) as first:
        assert first.stats.files_replayed == 3
        assert first.stats.databases_created == 1
        assert not first.stats.cache_used
        assert first.kept and first.dbname == cache_name(first.key)
    before = {db.name for db in managed_databases(pg_server)}
    with replayed_state(pg_server, chain) as again:
        assert again.dbname == first.dbname
        assert again.stats.databases_created == 0
        assert again.stats.statements_executed == 0
        assert again.stats.files_replayed == 0
        assert again.stats.cached_files == 3 and again.stats.cache_used
        assert query(pg_server, again.dbname, "SELECT count(*) FROM pg_indexes "
                     "WHERE indexname LIKE 'base_%b_idx'") == [(1,)]
    assert {db.name for db in managed_databases(pg_server)} == before


def test_one_new_migration_replays_exactly_one_file(
    pg_server: Server, chain: list[ReplayFile], unique: str
) -> None:
    with replayed_state(pg_server, chain):
        pass
    longer = [*chain, migration("migrations/V3_c.sql", f"ALTER TABLE base_{unique} "
                                                       "ADD COLUMN c int;\n")]
    with replayed_state(pg_server, longer) as state:
        assert state.stats.files_replayed == 1
        assert state.stats.statements_executed == 1
        assert state.stats.cached_files == 3
        assert state.stats.databases_created == 1
        columns = query(pg_server, state.dbname, "SELECT column_name FROM "
                        f"information_schema.columns WHERE table_name = 'base_{unique}' "
                        "ORDER BY ordinal_position")
        assert columns == [("id",), ("a",), ("b",), ("c",)]
    assert database_exists(pg_server, cache_name(chain_keys(chain)[-1]))


def test_cache_keys_ignore_paths_and_follow_contents(chain: list[ReplayFile]) -> None:
    renamed = [chain[0], migration("migrations/V9_renamed.sql", chain[1].text), chain[2]]
    assert chain_keys(renamed) == chain_keys(chain)
    edited = [chain[0], migration(chain[1].path, chain[1].text + "\n"), chain[2]]
    assert chain_keys(edited)[:2] == chain_keys(chain)[:2]
    assert chain_keys(edited)[2:] != chain_keys(chain)[2:]
    as_schema = [chain[0], schema(chain[1].path, chain[1].text), chain[2]]
    assert chain_keys(as_schema)[2] != chain_keys(chain)[2]
    assert all(len(cache_name(key)) <= 63 for key in chain_keys(chain))


def test_a_renamed_migration_still_hits_the_cache(
    pg_server: Server, chain: list[ReplayFile]
) -> None:
    with replayed_state(pg_server, chain):
        pass
    renamed = [chain[0], chain[1], migration("migrations/V7_renamed.sql", chain[2].text)]
    with replayed_state(pg_server, renamed) as state:
        assert state.stats.databases_created == 0
        assert state.stats.statements_executed == 0


def test_cache_can_be_disabled(pg_server: Server, chain: list[ReplayFile]) -> None:
    with replayed_state(pg_server, chain, cache=False) as state:
        assert not state.kept
        assert state.dbname.startswith("pgmt_git_shadow_")
        assert state.stats.files_replayed == 3
    assert not database_exists(pg_server, state.dbname)
    assert not database_exists(pg_server, cache_name(state.key))


def test_shadow_copy_is_a_clone_of_ones_own(pg_server: Server, chain: list[ReplayFile],
                                            unique: str) -> None:
    with shadow_copy(pg_server, chain) as copy:
        assert copy.dbname.startswith("pgmt_git_shadow_")
        assert not copy.kept
        with connect(pg_server, copy.dbname) as conn:
            conn.execute(f"DROP TABLE base_{unique}")  # type: ignore[arg-type]
    assert not database_exists(pg_server, copy.dbname)
    with replayed_state(pg_server, chain) as state:
        assert state.stats.statements_executed == 0
        assert query(pg_server, state.dbname,
                     f"SELECT count(*) FROM base_{unique}") == [(0,)]


def test_a_failed_replay_keeps_nothing(pg_server: Server, chain: list[ReplayFile]) -> None:
    broken = [*chain, migration("migrations/V4_bad.sql", "ALTER TABLE nosuch ADD x int;\n")]
    with pytest.raises(ReplayError):
        with replayed_state(pg_server, broken):
            pass
    assert not database_exists(pg_server, cache_name(chain_keys(broken)[-1]))


def test_progress_reports_each_file_of_the_chain(
    pg_server: Server, chain: list[ReplayFile], unique: str
) -> None:
    seen: list[tuple[int, int, str]] = []
    with replayed_state(pg_server, chain, progress=lambda k, n, p: seen.append((k, n, p))):
        pass
    assert seen == [(1, 3, "schema/base.sql"), (2, 3, "migrations/V1_a.sql"),
                    (3, 3, "migrations/V2_b.sql")]
    seen.clear()
    longer = [*chain, migration("migrations/V3.sql", f"ALTER TABLE base_{unique} ADD d int;\n")]
    with replayed_state(pg_server, longer, progress=lambda k, n, p: seen.append((k, n, p))):
        pass
    assert seen == [(4, 4, "migrations/V3.sql")]


@pytest.fixture
def own_entries(pg_server: Server, unique: str) -> Iterator[list[str]]:
    """Three cache entries of this test, oldest first."""
    names = []
    for n in range(3):
        files = [schema("schema/e.sql", f"CREATE TABLE evict_{unique}_{n} (id int);\n")]
        with replayed_state(pg_server, files) as state:
            names.append(state.dbname)
    yield names


def test_eviction_drops_least_recently_used_entries_first(
    pg_server: Server, own_entries: list[str]
) -> None:
    oldest, middle, newest = own_entries
    with connect(pg_server) as admin:
        dbs.touch(admin, oldest)  # now the most recently used
        others = {db.name for db in managed_databases(pg_server)
                  if db.kind is DatabaseKind.CACHE and db.name not in own_entries}
        # Other entries count but are kept (they may be somebody else's on a shared server).
        limits = CacheSettings(max_databases=len(others) + 1, max_size_mb=1 << 20)
        dropped = evict(admin, limits, keep=others)
    assert dropped == (middle, newest)
    assert database_exists(pg_server, oldest)


def test_eviction_skips_pinned_and_connected_entries(
    pg_server: Server, own_entries: list[str]
) -> None:
    pinned, connected, free = own_entries
    with connect(pg_server) as holder, connect(pg_server, connected):
        dbs.pin(holder, pinned)
        with connect(pg_server) as admin:
            others = {db.name for db in managed_databases(pg_server)
                      if db.kind is DatabaseKind.CACHE and db.name not in own_entries}
            dropped = evict(admin, CacheSettings(max_databases=0, max_size_mb=0), keep=others)
    assert dropped == (free,)
    assert database_exists(pg_server, pinned) and database_exists(pg_server, connected)


def test_reading_a_cached_state_pins_it_against_eviction(
    pg_server: Server, chain: list[ReplayFile]
) -> None:
    with replayed_state(pg_server, chain):
        pass
    with replayed_state(pg_server, chain) as state:
        with connect(pg_server) as admin:
            entry = {db.name: db for db in dbs.list_managed(admin)}[state.dbname]
            assert not dbs.drop_unused_cache_entry(admin, entry)
        assert database_exists(pg_server, state.dbname)


# --- size --------------------------------------------------------------------------------

@pytest.mark.slow
def test_a_two_thousand_table_schema_replays_without_exhausting_the_lock_table(
    pg_server: Server, unique: str
) -> None:
    text = "".join(
        f"CREATE TABLE t{i} (id serial PRIMARY KEY, name text NOT NULL, created timestamptz);\n"
        f"CREATE INDEX t{i}_name ON t{i} (name);\n"
        f"CREATE INDEX t{i}_created ON t{i} (created);\n"
        for i in range(2000)
    )
    files = [schema("schema/big.sql", f"-- {unique}\n" + text)]
    with replayed_state(pg_server, files, cache=False) as state:
        assert state.stats.statements_executed == 6000
        tables = query(pg_server, state.dbname,
                       "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
        assert tables == [(2000,)]


def test_terminal_progress_only_on_a_terminal() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    assert terminal_progress(io.StringIO()) is None
    screen = Terminal()
    report = terminal_progress(screen)
    assert report is not None
    report(1, 2, "schema/a.sql")
    report(2, 2, "schema/b.sql")
    assert "replaying file 1/2: schema/a.sql" in screen.getvalue()
    assert screen.getvalue().endswith("\r\033[K")


# --- sharing the cache between processes -------------------------------------------------

_SAME_CHAIN = """
import sys
from pgmt_git.pg.cache import replayed_state
from pgmt_git.pg.plan import ReplayFile
from pgmt_git.pg.server import resolve_server

token = sys.argv[2]
files = [ReplayFile(f"schema/{n}.sql", f"CREATE TABLE race_{token}_{n} (id int);\\n", "schema")
         for n in range(40)]
with replayed_state(resolve_server(sys.argv[1] or None), files) as state:
    print(state.dbname, state.stats.databases_created)
"""


@pytest.mark.slow
def test_two_processes_building_the_same_state_share_one_entry(
    pg_server: Server, unique: str
) -> None:
    url = external_server_url() or ""
    children = [subprocess.Popen([sys.executable, "-c", _SAME_CHAIN, url, unique],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                for _ in range(2)]
    outputs = [child.communicate(timeout=120) for child in children]
    for child, (_, err) in zip(children, outputs):
        assert child.returncode == 0, err
    names = {out.split()[0] for out, _ in outputs}
    assert len(names) == 1
    name = names.pop()
    assert name.startswith("pgmt_git_cache_") and database_exists(pg_server, name)
    files = [schema(f"schema/{n}.sql", f"CREATE TABLE race_{unique}_{n} (id int);\n")
             for n in range(40)]
    assert name == cache_name(chain_keys(files)[-1])
    assert forget(pg_server, files)


@pytest.mark.slow
def test_a_busy_cached_prefix_falls_back_to_a_full_replay(
    pg_server: Server, chain: list[ReplayFile], unique: str
) -> None:
    with replayed_state(pg_server, chain) as cached:
        pass
    longer = [*chain, migration("migrations/V5.sql", f"ALTER TABLE base_{unique} ADD e int;\n")]
    # PostgreSQL clones only templates nobody is connected to (it waits 5 s, then refuses).
    with connect(pg_server, cached.dbname):
        with replayed_state(pg_server, longer) as state:
            assert state.stats.cached_files == 0
            assert state.stats.files_replayed == 4
            assert state.kept


def test_an_empty_chain_is_an_empty_database(pg_server: Server) -> None:
    with replayed_state(pg_server, [], cache=False) as state:
        assert query(pg_server, state.dbname,
                     "SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace"
                     ) == [(0,)]
