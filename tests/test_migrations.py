"""Migration and baseline names, the ordered chain, checksums and the generated-by line."""

from __future__ import annotations

import hashlib

import pytest

from pgmt_git.errors import ConfigError, SourceError, UsageError
from pgmt_git.project.migrations import (
    GeneratedHeader,
    MigrationChain,
    MigrationFile,
    baseline_filename,
    body_hash,
    build_chain,
    file_checksum,
    is_unedited,
    migration_filename,
    parse_baseline_filename,
    parse_generated_header,
    parse_migration_filename,
    sanitize_description,
    strip_generated_header,
    validate_description,
    with_generated_header,
)
from pgmt_git.project.sections import parse_sections, section_checksum

FROM = "4f1c" * 16  # a catalog hash, as the shadow layer writes them


def versions(files: tuple[MigrationFile, ...]) -> list[int]:
    return [f.version for f in files]


def mig(name: str, text: str = "SELECT 1;\n") -> tuple[str, str]:
    return (f"migrations/{name}", text)


def base(name: str, text: str = "CREATE TABLE t ();\n") -> tuple[str, str]:
    return (f"schema_baselines/{name}", text)


# --- names -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filename", "prefix", "expected"),
    [
        ("V1734567890_add_user_index.sql", "V", (1734567890, "add_user_index")),
        ("1734567890_add_user_index.sql", "V", (1734567890, "add_user_index")),
        ("V1_Mixed_Case.sql", "V", (1, "Mixed_Case")),
        ("V0123_leading_zero.sql", "V", (123, "leading_zero")),
        ("V123_.sql", "V", (123, "")),  # pgmt reads an empty description
        ("V5_two_parts_here.sql", "V", (5, "two_parts_here")),
        ("M5_custom.sql", "M", (5, "custom")),
        ("V5_legacy.sql", "M", (5, "legacy")),  # pgmt's own V is always read
        ("5_bare.sql", "M", (5, "bare")),
        ("5_bare.sql", "", (5, "bare")),
        ("V5_any.sql", "", (5, "any")),
        ("M5_custom.sql", "V", None),
        ("V1734567890_add_user_index", "V", None),
        ("V1734567890.sql", "V", None),
        ("1734567890.sql", "V", None),
        ("Vabc_description.sql", "V", None),
        ("abc_description.sql", "V", None),
        ("V+5_plus.sql", "V", None),
        ("V-5_minus.sql", "V", None),
        ("V_5_x.sql", "V", None),
        ("baseline_V1234567890.sql", "V", None),
        ("baseline_1234567890.sql", "V", None),
        ("V5_notes.SQL", "V", None),
        ("V5_notes.txt", "V", None),
    ],
)
def test_parse_migration_filename(
    filename: str, prefix: str, expected: tuple[int, str] | None
) -> None:
    assert parse_migration_filename(filename, prefix=prefix) == expected


@pytest.mark.parametrize(
    ("filename", "expected"),
    [
        ("baseline_1734567890.sql", 1734567890),
        ("baseline_V1734567890.sql", 1734567890),  # legacy form
        ("baseline_7.sql", 7),
        ("baseline_.sql", None),
        ("baseline_V.sql", None),
        ("baseline_Vabc.sql", None),
        ("baseline_1734567890", None),
        ("baseline_1_x.sql", None),
        ("V1734567890_description.sql", None),
        ("Baseline_1.sql", None),
    ],
)
def test_parse_baseline_filename(filename: str, expected: int | None) -> None:
    assert parse_baseline_filename(filename) == expected


@pytest.mark.parametrize(
    ("description", "expected"),
    [
        ("add_user_table", "add_user_table"),
        ("add user table!", "add_user_table"),
        ("hello-world@2024", "hello_world_2024"),
        ("___test___", "test"),
        ("add-user@email.feature!!! (with validation)", "add_user_email_feature_with_validation"),
        ("Add Users Email", "Add_Users_Email"),  # case is kept, as pgmt keeps it
        ("  spaced   out  ", "spaced_out"),
        ("caf\u00e9 cr\u00e8me", "caf\u00e9_cr\u00e8me"),  # letters beyond ASCII are letters
        ("a/b\\c", "a_b_c"),
        ("!!!", ""),
    ],
)
def test_sanitize_description(description: str, expected: str) -> None:
    assert sanitize_description(description) == expected


@pytest.mark.parametrize(
    ("version", "description", "prefix", "expected"),
    [
        (1700000000, "add users!", "V", "V1700000000_add_users.sql"),
        (1700000000, "add users!", "", "1700000000_add_users.sql"),
        (42, "Add Index", "M", "M42_Add_Index.sql"),
    ],
)
def test_migration_filename(version: int, description: str, prefix: str, expected: str) -> None:
    name = migration_filename(version, description, prefix)
    assert name == expected
    expected = (version, sanitize_description(description))
    assert parse_migration_filename(name, prefix=prefix) == expected


def test_migration_filename_default_prefix_is_v() -> None:
    assert migration_filename(7, "x") == "V7_x.sql"


def test_migration_filename_needs_letters_or_digits() -> None:
    with pytest.raises(UsageError, match="no letters or digits"):
        migration_filename(1, "?!")


@pytest.mark.parametrize("prefix", ["baseline_", "v/", "a\\"])
def test_migration_filename_refuses_a_prefix_that_cannot_be_read_back(prefix: str) -> None:
    with pytest.raises(ConfigError, match="filename_prefix"):
        migration_filename(1, "x", prefix)


@pytest.mark.parametrize("version", [-1, 2**63])
def test_migration_filename_refuses_versions_outside_bigint(version: int) -> None:
    with pytest.raises(UsageError):
        migration_filename(version, "x")


def test_baseline_filename() -> None:
    assert baseline_filename(1734567890) == "baseline_1734567890.sql"
    assert parse_baseline_filename(baseline_filename(9)) == 9


@pytest.mark.parametrize(
    ("description", "fragment"),
    [("", "empty"), ("a/b", "cannot contain"), ("a\\b", "cannot contain"), ("x" * 101, "longer")],
)
def test_validate_description_applies_pgmts_prompt_rules(description: str, fragment: str) -> None:
    with pytest.raises(UsageError, match=fragment):
        validate_description(description)


def test_validate_description_counts_utf8_bytes_like_pgmt() -> None:
    validate_description("x" * 100)
    with pytest.raises(UsageError):
        validate_description("\u00e9" * 51)  # 102 bytes


# --- the chain ---------------------------------------------------------------------------------


def test_chain_orders_versions_numerically_not_lexically() -> None:
    chain = build_chain([mig("V100_c.sql"), mig("V10_b.sql"), mig("V9_a.sql"), mig("1000_d.sql")])
    assert versions(chain.migrations) == [9, 10, 100, 1000]
    assert [m.filename for m in chain.migrations] == [
        "V9_a.sql",
        "V10_b.sql",
        "V100_c.sql",
        "1000_d.sql",
    ]


def test_chain_files_carry_what_pgmt_records() -> None:
    chain = build_chain(
        [mig("V5_add_users.sql", "CREATE TABLE users ();\n")], [base("baseline_V3.sql")]
    )
    (migration,) = chain.migrations
    (baseline,) = chain.baselines
    assert migration == MigrationFile(
        path="migrations/V5_add_users.sql",
        filename="V5_add_users.sql",
        version=5,
        description="add_users",
        is_baseline=False,
        text="CREATE TABLE users ();\n",
    )
    assert (baseline.version, baseline.description, baseline.is_baseline) == (3, "baseline", True)
    assert migration.checksum == hashlib.md5(b"CREATE TABLE users ();\n").hexdigest()


@pytest.mark.parametrize(
    ("files", "first", "second"),
    [
        ([mig("V5_a.sql"), mig("V5_b.sql")], "migrations/V5_a.sql", "migrations/V5_b.sql"),
        ([mig("5_b.sql"), mig("V5_a.sql")], "migrations/5_b.sql", "migrations/V5_a.sql"),
        ([mig("V05_a.sql"), mig("V5_b.sql")], "migrations/V05_a.sql", "migrations/V5_b.sql"),
    ],
)
def test_duplicate_migration_versions_name_both_files(
    files: list[tuple[str, str]], first: str, second: str
) -> None:
    with pytest.raises(SourceError) as info:
        build_chain(files)
    assert first in info.value.message and second in info.value.message
    assert info.value.path == second


def test_duplicate_baseline_versions_name_both_files() -> None:
    with pytest.raises(SourceError) as info:
        build_chain([], [base("baseline_5.sql"), base("baseline_V5.sql")])
    assert "schema_baselines/baseline_5.sql" in info.value.message
    assert "schema_baselines/baseline_V5.sql" in info.value.message


def test_a_migration_and_a_baseline_may_share_a_version() -> None:
    # pgmt's tracking key is (version, is_baseline): a baseline made with its migration.
    chain = build_chain([mig("V5_a.sql")], [base("baseline_5.sql")])
    assert versions(chain.migrations) == versions(chain.baselines) == [5]


@pytest.mark.parametrize(
    ("name", "hint"),
    [
        ("notes.sql", "V<version>_<description>.sql"),
        ("V5.sql", "V<version>_<description>.sql"),
        ("Vabc_x.sql", "V<version>_<description>.sql"),
        ("baseline_5.sql", "baselines directory"),
    ],
)
def test_unreadable_migration_names_are_refused(name: str, hint: str) -> None:
    with pytest.raises(SourceError) as info:
        build_chain([mig("V1_ok.sql"), mig(name)])
    assert info.value.path == f"migrations/{name}"
    assert str(info.value).startswith(f"migrations/{name}: ")
    assert info.value.hint is not None and hint in info.value.hint


def test_unreadable_baseline_names_are_refused() -> None:
    with pytest.raises(SourceError) as info:
        build_chain([], [base("V5_x.sql")])
    assert info.value.path == "schema_baselines/V5_x.sql"


def test_versions_beyond_bigint_are_refused() -> None:
    with pytest.raises(SourceError, match="does not fit"):
        build_chain([mig(f"V{2**63}_x.sql")])


def test_hidden_files_are_skipped() -> None:
    chain = build_chain(
        [mig("._V5_a.sql"), mig(".V6_b.sql"), mig("V7_c.sql")], [base(".baseline_1.sql")]
    )
    assert versions(chain.migrations) == [7]
    assert chain.baselines == ()


def test_configured_prefix_is_read() -> None:
    chain = build_chain([mig("M2_b.sql"), mig("V1_a.sql"), mig("3_c.sql")], prefix="M")
    assert versions(chain.migrations) == [1, 2, 3]


def test_one_directory_for_migrations_and_baselines() -> None:
    files = [
        ("db/V5_a.sql", "SELECT 1;\n"),
        ("db/baseline_3.sql", "SELECT 0;\n"),
        ("db/V2_z.sql", ""),
    ]
    chain = build_chain(files, files)
    assert versions(chain.migrations) == [2, 5]
    assert versions(chain.baselines) == [3]


def test_empty_chain() -> None:
    chain = build_chain([])
    assert chain == MigrationChain()
    assert chain.latest_baseline() is None
    assert chain.replay_inputs() == ()


def _chain() -> MigrationChain:
    return build_chain(
        [mig("V9_a.sql"), mig("V10_b.sql"), mig("V20_c.sql"), mig("V30_d.sql")],
        [base("baseline_10.sql"), base("baseline_V2.sql"), base("baseline_25.sql")],
    )


def test_latest_baseline() -> None:
    chain = _chain()
    assert versions(chain.baselines) == [2, 10, 25]
    latest = chain.latest_baseline()
    assert latest is not None and latest.version == 25
    before_20 = chain.latest_baseline(before=20)
    assert before_20 is not None and before_20.version == 10
    assert chain.latest_baseline(before=2) is None


@pytest.mark.parametrize(
    ("after", "expected"),
    [(None, [9, 10, 20, 30]), (0, [9, 10, 20, 30]), (9, [10, 20, 30]), (10, [20, 30]), (30, [])],
)
def test_migrations_after(after: int | None, expected: list[int]) -> None:
    assert versions(_chain().migrations_after(after)) == expected


def test_replay_inputs_start_at_the_latest_baseline() -> None:
    inputs = _chain().replay_inputs()
    assert [(f.version, f.is_baseline) for f in inputs] == [(25, True), (30, False)]


def test_replay_inputs_without_a_baseline_are_all_migrations() -> None:
    inputs = build_chain([mig("V10_b.sql"), mig("V9_a.sql")]).replay_inputs()
    assert [(f.version, f.is_baseline) for f in inputs] == [(9, False), (10, False)]


@pytest.mark.parametrize(
    ("before", "expected"),
    [
        (30, [(25, True)]),
        (25, [(10, True), (20, False)]),
        (20, [(10, True)]),  # a baseline covers the migration with its own version
        (10, [(2, True), (9, False)]),
        (2, []),
    ],
)
def test_replay_inputs_before_a_version(before: int, expected: list[tuple[int, bool]]) -> None:
    inputs = _chain().replay_inputs(before=before)
    assert [(f.version, f.is_baseline) for f in inputs] == expected


# --- checksums ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("CREATE TABLE t (id int);\n", b"CREATE TABLE t (id int);\n"),
        ("CREATE TABLE t (id int);\r\n\r\n", b"CREATE TABLE t (id int);\r\n\r\n"),  # as read
        ("  SELECT '\u00e9';", b"  SELECT '\xc3\xa9';"),
        ("", b""),
    ],
)
def test_file_checksum_is_md5_of_the_text_as_read(text: str, expected: bytes) -> None:
    assert file_checksum(text) == hashlib.md5(expected).hexdigest()


# --- the generated-by line ---------------------------------------------------------------------


BODY = '-- pgmt:section name="a"\nCREATE TABLE t (id int);\n'


def test_generated_header_round_trip() -> None:
    text = with_generated_header(BODY, FROM)
    first_line = text.split("\n", 1)[0]
    assert first_line == (
        f"-- pgmt-git: generated={hashlib.sha256(BODY.encode()).hexdigest()} from={FROM}"
    )
    assert parse_generated_header(text) == GeneratedHeader(
        generated=hashlib.sha256(BODY.encode()).hexdigest(), from_hash=FROM
    )
    assert strip_generated_header(text) == BODY
    assert is_unedited(text)


def test_writing_a_header_replaces_the_old_one() -> None:
    once = with_generated_header(BODY, FROM)
    again = with_generated_header(once, "abc123")
    assert again.count("-- pgmt-git:") == 1
    assert parse_generated_header(again) == GeneratedHeader(body_hash(BODY), "abc123")


def test_body_hash_reads_crlf_as_lf() -> None:
    lf = hashlib.sha256(b"a;\nb;\n").hexdigest()
    assert body_hash("a;\r\nb;\r\n") == body_hash("a;\nb;\n") == lf
    assert body_hash("a;\rb;") == hashlib.sha256(b"a;\rb;").hexdigest()  # a lone CR is text


def test_a_crlf_checkout_of_a_generated_file_is_still_unedited() -> None:
    crlf = with_generated_header(BODY, FROM).replace("\n", "\r\n")
    assert parse_generated_header(crlf) == GeneratedHeader(body_hash(BODY), FROM)
    assert strip_generated_header(crlf) == BODY.replace("\n", "\r\n")
    assert is_unedited(crlf)


def test_an_edited_body_is_detected() -> None:
    edited = with_generated_header(BODY, FROM) + "CREATE INDEX t_id ON t (id);\n"
    assert parse_generated_header(edited) is not None
    assert not is_unedited(edited)


@pytest.mark.parametrize(
    "text",
    [
        BODY,
        f"\n-- pgmt-git: generated={'0' * 64} from={FROM}\nSELECT 1;\n",  # not the first line
        f"-- pgmt-git: generated={'0' * 63} from={FROM}\nSELECT 1;\n",  # short hash
        f"-- pgmt-git: generated={'0' * 64}\nSELECT 1;\n",  # no from=
        f"-- pgmt-git: from={FROM} generated={'0' * 64}\nSELECT 1;\n",  # fields swapped
        f"-- pgmt-git: generated={'0' * 64} from={FROM} extra\nSELECT 1;\n",
        "",
    ],
)
def test_no_header_unless_the_first_line_is_one(text: str) -> None:
    assert parse_generated_header(text) is None
    assert strip_generated_header(text) == text
    assert not is_unedited(text)


def test_header_parsing_tolerates_bom_case_and_spacing() -> None:
    digest = "AB" * 32
    text = f"\ufeff--  pgmt-git:  generated={digest}   from={FROM} \r\nSELECT 1;\n"
    assert parse_generated_header(text) == GeneratedHeader(digest.lower(), FROM)
    assert strip_generated_header(text) == "SELECT 1;\n"


def test_header_only_file() -> None:
    text = with_generated_header("", FROM)
    assert text.endswith("\n")
    assert strip_generated_header(text) == ""
    assert is_unedited(text)


@pytest.mark.parametrize("from_hash", ["", "a b", "x\n"])
def test_a_catalog_hash_must_be_one_word(from_hash: str) -> None:
    with pytest.raises(ValueError):
        with_generated_header(BODY, from_hash)


def test_pgmt_reads_the_header_line_as_a_comment_of_the_first_section() -> None:
    text = with_generated_header(BODY, FROM)
    (section,) = parse_sections(text, path="migrations/V1_a.sql", check_statements=False)
    header_line = text.split("\n", 1)[0]
    assert section.name == "a"
    assert section.preamble == header_line + "\n"
    expected = f'-- pgmt:section name="a"\n{header_line}\nCREATE TABLE t (id int);'.encode()
    assert section_checksum(section) == hashlib.md5(expected).hexdigest()
