"""The text of generated migrations, versions, retry delays and catalog hashes: pure."""

from __future__ import annotations

from pgmt_git.diff import Catalog, render_statements
from pgmt_git.diff.changes import AddEnumValue, CreateIndex, CreateTable
from pgmt_git.diff.hazards import Hazard, HazardKind
from pgmt_git.diff.model import Column, EnumType, Index, Kind, ObjectId, Privilege, Table
from pgmt_git.migrate.generate import hazards, migration_body, next_version, plan_sections
from pgmt_git.migrate.hashing import catalog_hash, comparable
from pgmt_git.migrate.retry import FailureKind, classify, retry_delay_ms, should_retry
from pgmt_git.project.sections import parse_sections

USERS = Table("public", "users", (Column("id", "integer"), Column("name", "text")))
MOOD = EnumType("public", "mood", ("happy",))
LONG_LOCK = Hazard(HazardKind.LONG_LOCK, "users_name is built without CONCURRENTLY")


def index(table: Table, name: str = "users_name") -> CreateIndex:
    return CreateIndex(Index(table.id, name, f"CREATE INDEX {name} ON public.{table.name} "
                                             "USING btree (name)"), hazards=(LONG_LOCK,))


def body(changes, old: Catalog) -> str:  # type: ignore[no-untyped-def]
    return migration_body(changes, render_statements(changes), old)


def test_one_transaction_needs_no_sections() -> None:
    new = Table("public", "logs", (Column("id", "integer"),))
    changes = (CreateTable(new), index(new, "logs_id"))
    text = body(changes, Catalog.build([USERS]))
    assert "-- pgmt:section" not in text
    assert "CREATE INDEX logs_id" in text and "INDEX CONCURRENTLY" not in text
    assert parse_sections(text)[0].name == "default"


def test_index_on_existing_table_gets_a_concurrent_section() -> None:
    changes = (index(USERS),)
    text = body(changes, Catalog.build([USERS]))
    (section,) = parse_sections(text)
    assert section.name == "create_index_users_name"
    assert section.mode.value == "non-transactional"
    assert section.lock_timeout_ms == 10_000 and section.retry_attempts == 5
    assert "CREATE INDEX CONCURRENTLY users_name ON public.users" in text
    assert "hazard long_lock" not in text
    assert hazards(changes, render_statements(changes), Catalog.build([USERS])) == ()


def test_partitioned_tables_keep_plain_index_builds() -> None:
    parent = Table("public", "users", USERS.columns, partition_key="RANGE (id)")
    text = body((index(parent),), Catalog.build([parent]))
    assert "INDEX CONCURRENTLY" not in text and "-- hazard long_lock:" in text


def test_enum_value_is_committed_before_later_statements() -> None:
    new = Table("public", "moods", (Column("m", "public.mood", default="'meh'::public.mood"),))
    changes = (AddEnumValue(MOOD.id, "meh"), CreateTable(new))
    sections = parse_sections(body(changes, Catalog.build([MOOD])))
    assert [s.name for s in sections] == ["changes_1", "changes_2"]
    assert "ADD VALUE 'meh'" in sections[0].body and "CREATE TABLE" in sections[1].body
    alone = body(changes[:1], Catalog.build([MOOD]))
    assert "-- pgmt:section" not in alone


def test_sections_keep_the_statement_order() -> None:
    new = Table("public", "logs", (Column("id", "integer"),))
    changes = (CreateTable(new), index(USERS), CreateTable(Table("public", "z")))
    planned = plan_sections(changes, render_statements(changes), Catalog.build([USERS]))
    assert [(s.name, s.mode.value) for s in planned] == [
        ("changes_1", "transactional"), ("create_index_users_name", "non-transactional"),
        ("changes_2", "transactional")]


def test_versions_never_go_backwards() -> None:
    assert next_version(1_700_000_000, [1, 2]) == 1_700_000_000
    assert next_version(1_700_000_000, [1_800_000_000]) == 1_800_000_001


def test_retry_policy() -> None:
    (section,) = parse_sections('-- pgmt:section name="a" retry_attempts="4" retry_delay="1s" '
                                'retry_backoff="exponential"\nSELECT 1;\n')
    assert [retry_delay_ms(section, n) for n in (1, 2, 3)] == [1000, 2000, 4000]
    assert classify("55P03") is FailureKind.LOCK_TIMEOUT
    assert classify("42601") is FailureKind.OTHER
    assert should_retry(section, 1, FailureKind.STATEMENT_TIMEOUT)
    assert not should_retry(section, 4, FailureKind.STATEMENT_TIMEOUT)
    assert not should_retry(section, 1, FailureKind.LOCK_TIMEOUT)  # on_lock_timeout="fail"
    assert not should_retry(section, 1, FailureKind.OTHER)
    (capped,) = parse_sections('-- pgmt:section name="a" retry_attempts="10" retry_delay="1s" '
                               'retry_backoff="exponential"\nSELECT 1;\n')
    assert retry_delay_ms(capped, 9) == 32_000


def test_catalog_hash_ignores_owners_grantors_and_order() -> None:
    mine = Table("public", "users", USERS.columns, owner="postgres",
                 acl=(Privilege("reader", "SELECT", grantor="postgres"),
                      Privilege("postgres", "SELECT", grantor="postgres")))
    theirs = Table("public", "users", USERS.columns, owner="app",
                   acl=(Privilege("app", "SELECT", grantor="app"),
                        Privilege("reader", "SELECT", grantor="app")))
    other = Catalog.build([MOOD])
    assert catalog_hash(Catalog.build([mine, MOOD])) == catalog_hash(Catalog.build([MOOD, theirs]))
    assert catalog_hash(Catalog.build([mine])) != catalog_hash(other)
    assert catalog_hash(Catalog.build([USERS])) != catalog_hash(
        Catalog.build([Table("public", "users", USERS.columns[:1])]))
    assert comparable(catalog_hash(other)) and not comparable("x1-abc")
    assert ObjectId(Kind.TABLE, "public", "users") in Catalog.build([mine])
