"""Section directives: pgmt's attributes, defaults, errors and checksums, with inline files."""

from __future__ import annotations

import dataclasses
import hashlib

import pytest

from pgmt_git.errors import SourceError, UsageError
from pgmt_git.project.sections import (
    DEFAULT_TIMEOUT_MS,
    OnLockTimeout,
    RetryBackoff,
    Section,
    SectionMode,
    format_duration,
    parse_duration,
    parse_sections,
    render_section_header,
    section_checksum,
)

PATH = "migrations/V1700000000_test.sql"


def parse(text: str) -> tuple[Section, ...]:
    """Header parsing only: the statement check is covered by its own tests below."""
    return parse_sections(text, path=PATH, check_statements=False)


def only(text: str) -> Section:
    (section,) = parse(text)
    return section


def md5(data: bytes) -> str:
    return hashlib.md5(data).hexdigest()


def settings(section: Section) -> tuple[object, ...]:
    return (
        section.name,
        section.mode,
        section.timeout_ms,
        section.lock_timeout_ms,
        section.retry_attempts,
        section.retry_delay_ms,
        section.retry_backoff,
        section.on_lock_timeout,
        section.description,
        section.module,
        section.remaps,
    )


def error_of(text: str, *, check_statements: bool = False) -> SourceError:
    with pytest.raises(SourceError) as info:
        parse_sections(text, path=PATH, check_statements=check_statements)
    return info.value


# --- files without headers ---------------------------------------------------------------------


def test_file_without_headers_is_one_transactional_default_section() -> None:
    text = "CREATE TABLE t (id int);\n\nCREATE INDEX t_id ON t (id);\n"
    section = only(text)
    assert settings(section) == (
        "default",
        SectionMode.TRANSACTIONAL,
        600_000,
        None,
        1,
        0,
        RetryBackoff.NONE,
        OnLockTimeout.FAIL,
        None,
        None,
        None,
    )
    assert (section.body, section.body_line, section.body_offset, section.order) == (text, 1, 0, 0)
    assert section.header_lines == ()
    assert section.header_line is None
    assert section.sql == text  # untrimmed: pgmt runs and hashes the file as read


def test_directive_lines_without_a_section_header_leave_the_file_headerless() -> None:
    # pgmt only reads "-- pgmt:" lines inside a section; without one they are comments.
    text = '-- pgmt: mode="autocommit" bogus="x"\nSELECT 1;\n'
    section = only(text)
    assert (section.name, section.mode) == ("default", SectionMode.TRANSACTIONAL)
    assert section.body == text


@pytest.mark.parametrize("text", ["", "\n", "  \r\n\t\n"])
def test_empty_file_is_refused(text: str) -> None:
    err = error_of(text)
    assert (err.path, err.line) == (PATH, 1)
    assert "empty" in err.message


# --- attributes and defaults -------------------------------------------------------------------


def test_defaults_of_a_section_with_only_a_name() -> None:
    section = only('-- pgmt:section name="only_name"\nSELECT 1;\n')
    assert settings(section) == (
        "only_name",
        SectionMode.TRANSACTIONAL,
        600_000,
        None,
        1,
        0,
        RetryBackoff.NONE,
        OnLockTimeout.FAIL,
        None,
        None,
        None,
    )


@pytest.mark.parametrize(
    ("attribute", "field", "expected"),
    [
        ('mode="transactional"', "mode", SectionMode.TRANSACTIONAL),
        ('mode="non-transactional"', "mode", SectionMode.NON_TRANSACTIONAL),
        ('mode="autocommit"', "mode", SectionMode.AUTOCOMMIT),
        ('mode="AutoCommit"', "mode", SectionMode.AUTOCOMMIT),  # pgmt lower-cases these
        ('timeout="30s"', "timeout_ms", 30_000),
        ('timeout="500ms"', "timeout_ms", 500),
        ('lock_timeout="5s"', "lock_timeout_ms", 5_000),
        ('retry_attempts="10"', "retry_attempts", 10),
        ('retry_attempts="100"', "retry_attempts", 100),
        ('retry_attempts="+3"', "retry_attempts", 3),  # Rust's integer parser takes a '+'
        ('retry_delay="1s"', "retry_delay_ms", 1_000),
        ('retry_backoff="exponential"', "retry_backoff", RetryBackoff.EXPONENTIAL),
        ('retry_backoff="none"', "retry_backoff", RetryBackoff.NONE),
        ('on_lock_timeout="retry"', "on_lock_timeout", OnLockTimeout.RETRY),
        ('on_lock_timeout="FAIL"', "on_lock_timeout", OnLockTimeout.FAIL),
        ('description="Add the email index"', "description", "Add the email index"),
        ('description=""', "description", ""),
        ('module="billing"', "module", "billing"),
        ('remaps="billing"', "remaps", "billing"),
        ('remaps=" billing , "', "remaps", "billing"),
    ],
)
def test_every_attribute_on_the_header_line_and_on_a_continuation_line(
    attribute: str, field: str, expected: object
) -> None:
    on_header = only(f'-- pgmt:section name="s" {attribute}\nSELECT 1;\n')
    on_continuation = only(f'-- pgmt:section name="s"\n-- pgmt: {attribute}\nSELECT 1;\n')
    assert getattr(on_header, field) == expected
    assert getattr(on_continuation, field) == expected


def test_continuation_lines_and_several_sections() -> None:
    text = (
        "-- pgmt:section name=\"schema\" mode=\"transactional\" timeout=\"30s\"\n"
        "CREATE TABLE users (id int);\n"
        "\n"
        "-- pgmt:section name=\"index\"\n"
        "-- pgmt:  mode=\"non-transactional\"\n"
        "-- pgmt:  timeout=\"2s\" lock_timeout=\"1s\"\n"
        "-- pgmt:  retry_attempts=\"10\" retry_delay=\"5s\" retry_backoff=\"exponential\"\n"
        "-- pgmt:  on_lock_timeout=\"retry\" description=\"the slow one\"\n"
        "CREATE INDEX CONCURRENTLY users_id ON users (id);\n"
    )
    first, second = parse(text)
    assert (first.name, first.timeout_ms, first.order) == ("schema", 30_000, 0)
    assert first.header_line == 1
    assert settings(second) == (
        "index",
        SectionMode.NON_TRANSACTIONAL,
        2_000,
        1_000,
        10,
        5_000,
        RetryBackoff.EXPONENTIAL,
        OnLockTimeout.RETRY,
        "the slow one",
        None,
        None,
    )
    assert (second.order, second.header_line, second.body_line) == (1, 4, 9)
    assert second.header_lines == tuple(text.splitlines()[3:8])
    assert first.body == "CREATE TABLE users (id int);\n\n"
    assert second.body == "CREATE INDEX CONCURRENTLY users_id ON users (id);\n"
    assert text[second.body_offset :] == second.body


def test_values_keep_spaces_and_a_repeated_key_keeps_its_last_value() -> None:
    section = only(
        '-- pgmt:section name="my complex section" description="has  spaces "\n'
        '-- pgmt: timeout="1s" timeout="2s"\n'
        "SELECT 1;\n"
    )
    assert section.name == "my complex section"
    assert section.description == "has  spaces "
    assert section.timeout_ms == 2_000


def test_indented_headers_are_headers() -> None:
    section = only('   -- pgmt:section name="a"\n\t-- pgmt: mode="autocommit"\nSELECT 1;\n')
    assert (section.name, section.mode) == ("a", SectionMode.AUTOCOMMIT)
    assert section.header_lines == ('   -- pgmt:section name="a"', '\t-- pgmt: mode="autocommit"')


def test_text_above_the_first_header_belongs_to_the_first_section() -> None:
    text = (
        "-- why this migration exists\n"
        '-- pgmt: mode="autocommit"\n'
        '-- pgmt:section name="a"\n'
        "SELECT 1;\n"
    )
    section = only(text)
    assert section.preamble == '-- why this migration exists\n-- pgmt: mode="autocommit"\n'
    # pgmt ignores directive lines before the first header.
    assert section.mode is SectionMode.TRANSACTIONAL
    assert section.body == "SELECT 1;\n"
    assert section.sql == "-- why this migration exists\nSELECT 1;"


def test_a_directive_after_sql_still_belongs_to_the_section_header() -> None:
    # pgmt reads every "-- pgmt:" line of a section as one of its attributes.
    text = '-- pgmt:section name="a"\nSELECT 1;\n-- pgmt: mode="autocommit"\nSELECT 2;\n'
    section = only(text)
    assert section.mode is SectionMode.AUTOCOMMIT
    assert section.header_lines == ('-- pgmt:section name="a"', '-- pgmt: mode="autocommit"')
    assert section.body == 'SELECT 1;\n-- pgmt: mode="autocommit"\nSELECT 2;\n'
    assert section.sql == "SELECT 1;\nSELECT 2;"


# --- durations ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "ms"),
    [
        ("500ms", 500),
        ("30s", 30_000),
        ("5m", 300_000),
        ("2h", 7_200_000),
        ("1m30s", 90_000),
        ("1h30m", 5_400_000),
        ("2h15m30s", 8_130_000),
        ("1s500ms", 1_500),
        ("30 s", 30_000),
        ("1m 30s", 90_000),
        (" 10s ", 10_000),
        ("0s1ms", 1),
    ],
)
def test_parse_duration(value: str, ms: int) -> None:
    assert parse_duration(value) == ms


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("", "greater than zero"),
        ("0s", "greater than zero"),
        ("0ms", "greater than zero"),
        ("30", "no unit"),
        ("abc", "a number must come before"),
        ("30x", "unknown unit"),
        ("1.5s", "unexpected character"),
        ("-5s", "unexpected character"),
        ("s", "a number must come before"),
    ],
)
def test_parse_duration_refuses(value: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_duration(value)


@pytest.mark.parametrize(
    "ms", [1, 500, 1_000, 1_500, 60_000, 90_000, 600_000, 3_600_000, 3_723_004]
)
def test_format_duration_reads_back(ms: int) -> None:
    assert parse_duration(format_duration(ms)) == ms


def test_format_duration_is_compact() -> None:
    assert [format_duration(ms) for ms in (500, 90_000, 600_000, 3_723_004)] == [
        "500ms",
        "1m30s",
        "10m",
        "1h2m3s4ms",
    ]


# --- errors ------------------------------------------------------------------------------------


A = '-- pgmt:section name="a"'  # a section header without attributes
SQL = "SELECT 1;\n"


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        # missing name: reported at the header
        (f'SELECT 0;\n-- pgmt:section mode="autocommit"\n{SQL}', 2, 'no name="..."'),
        (f'-- pgmt:section\n-- pgmt: timeout="1s"\n{SQL}', 1, 'no name="..."'),
        # unknown key: reported at the line that has it
        (f'{A}\n-- pgmt: batch_size="10"\n{SQL}', 2, "unknown section attribute 'batch_size'"),
        (f'{A} colour="red"\n{SQL}', 1, "unknown section attribute 'colour'"),
        # bad durations, zero included
        (f'{A} timeout="abc"\n{SQL}', 1, "timeout"),
        (f'{A}\n-- pgmt: timeout="0s"\n{SQL}', 2, "greater than zero"),
        (f'{A}\n-- pgmt: lock_timeout="30"\n{SQL}', 2, "no unit"),
        (f'{A}\n\n-- pgmt: retry_delay="5x"\n{SQL}', 3, "unknown unit"),
        (f'{A} timeout="25d"\n{SQL}', 1, "unknown unit"),
        (f'{A} timeout="600h"\n{SQL}', 1, "longer than PostgreSQL accepts"),
        # retry attempts
        (f'{A}\n-- pgmt: retry_attempts="0"\n{SQL}', 2, "at least 1"),
        (f'{A}\n-- pgmt: retry_attempts="101"\n{SQL}', 2, "maximum of 100"),
        (f'{A} retry_attempts="-1"\n{SQL}', 1, "not a whole number"),
        (f'{A} retry_attempts="ten"\n{SQL}', 1, "not a whole number"),
        (f'{A} retry_attempts=" 5"\n{SQL}', 1, "not a whole number"),
        # enumerated values
        (f'{A} mode="concurrent"\n{SQL}', 1, 'unknown value "concurrent"'),
        (f'{A}\n-- pgmt: retry_backoff="linear"\n{SQL}', 2, 'unknown value "linear"'),
        (f'{A}\n-- pgmt: on_lock_timeout="wait"\n{SQL}', 2, 'unknown value "wait"'),
        # syntax
        (f"-- pgmt:section name=a\n{SQL}", 1, "expected '\"' after 'name='"),
        (f'-- pgmt:section name="a\n{SQL}', 1, "missing closing quote"),
        (f'{A}\n-- pgmt: mode "autocommit"\n{SQL}', 2, "expected '=' after key 'mode'"),
        # modules: one prior owner only
        (f'{A} remaps="x,y"\n{SQL}', 1, "exactly one"),
        # empty body: reported at the section's header
        (f'{A}\n{SQL}-- pgmt:section name="b"\n\n  \n', 3, "section 'b' has no SQL"),
        (f'{A}\n-- pgmt: mode="autocommit"\n', 1, "section 'a' has no SQL"),
        # duplicate names: reported at the second header, naming the first
        (f"{A}\n{SQL}{A}\nSELECT 2;\n", 3, "first used at line 1"),
    ],
)
def test_errors_name_the_file_and_line(text: str, line: int, fragment: str) -> None:
    err = error_of(text)
    assert (err.path, err.line) == (PATH, line)
    assert fragment in err.message
    assert str(err).startswith(f"{PATH}:{line}: ")


def test_errors_carry_a_hint() -> None:
    err = error_of('-- pgmt:section name="a" colour="red"\nSELECT 1;\n')
    assert err.hint is not None and "retry_attempts" in err.hint


def test_the_same_error_line_in_a_crlf_file() -> None:
    err = error_of('-- pgmt:section name="a"\r\n-- pgmt: mode="bogus"\r\nSELECT 1;\r\n')
    assert err.line == 2


def test_a_preamble_alone_keeps_the_first_section_from_being_empty() -> None:
    # pgmt counts the text above the first header as that section's SQL.
    section = only('-- pgmt-git: a comment\n-- pgmt:section name="a"\n')
    assert section.body == ""
    assert section.sql == "-- pgmt-git: a comment"


# --- CRLF --------------------------------------------------------------------------------------


def test_crlf_file_header_lines_lose_the_cr_and_sql_is_lf() -> None:
    text = (
        '-- pgmt:section name="a"\r\n'
        '-- pgmt: timeout="30s"\r\n'
        "CREATE TABLE t (id int);\r\n"
        "SELECT 1;\r\n"
        "\r\n"
    )
    section = only(text)
    assert section.timeout_ms == 30_000
    assert section.header_lines == ('-- pgmt:section name="a"', '-- pgmt: timeout="30s"')
    assert section.body == "CREATE TABLE t (id int);\r\nSELECT 1;\r\n\r\n"  # as in the file
    assert section.sql == "CREATE TABLE t (id int);\nSELECT 1;"
    assert section.body_line == 3
    assert section_checksum(section) == md5(
        b'-- pgmt:section name="a"\n-- pgmt: timeout="30s"\nCREATE TABLE t (id int);\nSELECT 1;'
    )


def test_crlf_and_lf_copies_of_a_sectioned_file_hash_the_same_per_section() -> None:
    lf = '-- pgmt:section name="a"\nSELECT 1;\n-- pgmt:section name="b"\nSELECT 2;\n'
    crlf = lf.replace("\n", "\r\n")
    assert [section_checksum(s) for s in parse(lf)] == [section_checksum(s) for s in parse(crlf)]


# --- checksums ---------------------------------------------------------------------------------


def test_checksum_of_a_headerless_file_is_the_md5_of_the_whole_file() -> None:
    text = "CREATE TABLE t (id int);\r\n\r\n"
    assert section_checksum(only(text)) == md5(b"CREATE TABLE t (id int);\r\n\r\n")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            '-- pgmt:section name="a"\n-- pgmt:  timeout="30s"\nCREATE TABLE t (id int);\n\n',
            b'-- pgmt:section name="a"\n-- pgmt:  timeout="30s"\nCREATE TABLE t (id int);',
            id="header-continuation-trimmed-body",
        ),
        pytest.param(
            '-- top comment\n\n-- pgmt:section name="a"\n\n  SELECT 1;  \n',
            b'-- pgmt:section name="a"\n-- top comment\n\n\n  SELECT 1;',
            id="preamble-joins-the-first-section",
        ),
        pytest.param(
            '  -- pgmt:section name="a"\nSELECT 1;\n-- pgmt: mode="autocommit"\nSELECT 2;\n',
            b'  -- pgmt:section name="a"\n-- pgmt: mode="autocommit"\nSELECT 1;\nSELECT 2;',
            id="late-directive-joins-the-header",
        ),
        pytest.param(
            '-- pgmt:section name="a"\nSELECT 1;\u00a0\u3000\n',
            b'-- pgmt:section name="a"\nSELECT 1;',
            id="unicode-whitespace-trimmed-like-rust",
        ),
        pytest.param(
            '-- pgmt:section name="a"\nSELECT 1;\x1c\n',
            b'-- pgmt:section name="a"\nSELECT 1;\x1c',
            id="separator-control-char-kept-like-rust",
        ),
        pytest.param(
            '-- pgmt:section name="caf\u00e9"\nSELECT \'\u00e9\';\n',
            '-- pgmt:section name="caf\u00e9"\nSELECT \'\u00e9\';'.encode("utf-8"),
            id="utf8",
        ),
    ],
)
def test_section_checksum_matches_pgmt(text: str, expected: bytes) -> None:
    assert section_checksum(parse(text)[0]) == md5(expected)


def test_section_checksum_of_a_later_section() -> None:
    text = (
        '-- pgmt:section name="a"\nSELECT 1;\n\n'
        '-- pgmt:section name="b" mode="autocommit"\nVACUUM t;\n'
    )
    second = parse(text)[1]
    assert section_checksum(second) == md5(b'-- pgmt:section name="b" mode="autocommit"\nVACUUM t;')


# --- rendering ---------------------------------------------------------------------------------


def _section(**changes: object) -> Section:
    base = Section(
        name="s",
        mode=SectionMode.TRANSACTIONAL,
        timeout_ms=DEFAULT_TIMEOUT_MS,
        lock_timeout_ms=None,
        retry_attempts=1,
        retry_delay_ms=0,
        retry_backoff=RetryBackoff.NONE,
        on_lock_timeout=OnLockTimeout.FAIL,
        description=None,
        header_lines=(),
        body="SELECT 1;\n",
        body_line=1,
        body_offset=0,
        order=0,
    )
    return dataclasses.replace(base, **changes)


@pytest.mark.parametrize(
    "section",
    [
        _section(),
        _section(name="add index", mode=SectionMode.NON_TRANSACTIONAL, timeout_ms=2_000),
        _section(mode=SectionMode.AUTOCOMMIT, lock_timeout_ms=1_500, description="backfill"),
        _section(
            retry_attempts=10,
            retry_delay_ms=90_000,
            retry_backoff=RetryBackoff.EXPONENTIAL,
            on_lock_timeout=OnLockTimeout.RETRY,
        ),
        _section(module="billing", remaps="(unmoduled)", description=" padded "),
    ],
)
def test_rendered_header_parses_back_to_the_same_settings(section: Section) -> None:
    parsed = only(render_section_header(section) + section.body)
    assert settings(parsed) == settings(section)
    assert parsed.body == section.body


def test_rendered_header_lists_only_what_differs_from_the_defaults() -> None:
    assert render_section_header(_section(name="plain")) == '-- pgmt:section name="plain"\n'
    section = _section(
        name="idx", mode=SectionMode.NON_TRANSACTIONAL, timeout_ms=30_000, retry_attempts=3
    )
    assert render_section_header(section) == (
        '-- pgmt:section name="idx"\n'
        '-- pgmt: mode="non-transactional"\n'
        '-- pgmt: timeout="30s"\n'
        '-- pgmt: retry_attempts="3"\n'
    )


@pytest.mark.parametrize(
    "section",
    [_section(name='say "hi"'), _section(description="two\nlines"), _section(module="a\rb")],
)
def test_rendering_refuses_values_a_header_cannot_hold(section: Section) -> None:
    with pytest.raises(UsageError):
        render_section_header(section)


# --- statements that cannot run in a transaction (needs the SQL parser) -------------------------


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            '-- pgmt:section name="a"\n'
            "-- Later we will CREATE INDEX CONCURRENTLY, but not here.\n"
            "CREATE TABLE t (id int);\n",
            id="comment",
        ),
        pytest.param(
            '-- pgmt:section name="a"\n'
            "COMMENT ON TABLE pg_class IS 'built with CREATE INDEX CONCURRENTLY';\n",
            id="string",
        ),
        pytest.param(
            "/* concurrently */ CREATE TABLE t (id int);\n",
            id="headerless-block-comment",
        ),
        pytest.param(
            '-- pgmt:section name="idx" mode="non-transactional"\n'
            "CREATE INDEX CONCURRENTLY t_id ON t (id);\n",
            id="non-transactional",
        ),
        pytest.param(
            '-- pgmt:section name="vac" mode="autocommit"\nVACUUM t;\n',
            id="autocommit",
        ),
    ],
)
def test_statements_that_may_run_where_they_are(text: str) -> None:
    assert parse_sections(text, path=PATH)


@pytest.mark.parametrize(
    ("text", "header_line", "statement_line"),
    [
        pytest.param(
            '-- pgmt:section name="a"\nCREATE TABLE t (id int);\n\n'
            '-- pgmt:section name="b"\n-- pgmt: timeout="5s"\n'
            "CREATE TABLE u (id int);\nCREATE INDEX CONCURRENTLY t_id ON t (id);\n",
            4,
            7,
            id="section",
        ),
        pytest.param(
            "CREATE TABLE t (id int);\nCREATE INDEX CONCURRENTLY t_id ON t (id);\n",
            1,
            2,
            id="headerless",
        ),
        pytest.param(
            'CREATE INDEX CONCURRENTLY t_id ON t (id);\n-- pgmt:section name="a"\nSELECT 1;\n',
            2,
            1,
            id="preamble",
        ),
    ],
)
def test_a_concurrent_index_in_a_transactional_section_is_refused(
    text: str, header_line: int, statement_line: int
) -> None:
    err = error_of(text, check_statements=True)
    assert (err.path, err.line) == (PATH, header_line)
    assert f"statement at line {statement_line}" in err.message
    assert "CREATE INDEX CONCURRENTLY" in err.message
    assert err.hint is not None and 'mode="non-transactional"' in err.hint
