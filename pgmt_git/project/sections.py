"""pgmt's section directives in migration files.

A migration file may be cut into sections, each introduced by a header comment::

    -- pgmt:section name="add_index" mode="non-transactional" timeout="30s"
    -- pgmt: retry_attempts="5" retry_delay="1s"
    CREATE INDEX CONCURRENTLY ...;

A file without any ``-- pgmt:section`` line is one transactional section named ``default``.

The reading rules are pgmt's own, so both tools cut a file the same way and agree on every
section checksum:

- Lines are split on LF; a CR right before the LF belongs to the line ending (CRLF files).
- A line whose text, after leading whitespace, starts with ``-- pgmt:section`` opens a section;
  one that starts with ``-- pgmt:`` is a directive of the open section, wherever it stands in
  that section (pgmt ignores such lines before the first header). Every other line is SQL.
- Text above the first header belongs to the first section: pgmt runs and hashes it with it.
- Attributes are ``key="value"`` pairs; a value runs to the next double quote (no escapes).
  A key given twice keeps its last value, as in pgmt.

pgmt-git departs from pgmt deliberately in two places: a statement PostgreSQL refuses inside a
transaction block (``CREATE INDEX CONCURRENTLY``, ``VACUUM``, ...) in a transactional section is
found by parsing the statements, so a comment or a string that mentions ``CONCURRENTLY`` is
fine; and a timeout above PostgreSQL's limit is refused here rather than when applying.
"""

from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass, field
from typing import Any, Iterator

from pgmt_git.errors import SourceError, UsageError

HEADER_MARKER = "-- pgmt:section"
DIRECTIVE_MARKER = "-- pgmt:"
DEFAULT_SECTION_NAME = "default"
DEFAULT_TIMEOUT_MS = 600_000  # pgmt: ten minutes, sent as statement_timeout
MAX_RETRY_ATTEMPTS = 100
# statement_timeout and lock_timeout are int milliseconds in PostgreSQL.
PG_MAX_TIMEOUT_MS = 2**31 - 1
# retry_attempts is a u32 in pgmt: a larger number is a parse error there, not a range error.
_U32_MAX = 2**32 - 1

# Rust's char::is_whitespace (Unicode White_Space), which pgmt's trim() uses. Python's
# str.strip() would also strip U+001C..U+001F and change section checksums.
RUST_WHITESPACE = (
    "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
    "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)


class SectionMode(enum.Enum):
    TRANSACTIONAL = "transactional"
    NON_TRANSACTIONAL = "non-transactional"
    AUTOCOMMIT = "autocommit"


class RetryBackoff(enum.Enum):
    NONE = "none"
    EXPONENTIAL = "exponential"


class OnLockTimeout(enum.Enum):
    FAIL = "fail"
    RETRY = "retry"


ATTRIBUTES = (
    "name",
    "mode",
    "timeout",
    "lock_timeout",
    "retry_attempts",
    "retry_delay",
    "retry_backoff",
    "on_lock_timeout",
    "description",
    "module",
    "remaps",
)
# The Section field each attribute sets, where the names differ.
_FIELDS = {
    "timeout": "timeout_ms",
    "lock_timeout": "lock_timeout_ms",
    "retry_delay": "retry_delay_ms",
}
# pgmt's defaults, by Section field.
_DEFAULTS: dict[str, Any] = {
    "mode": SectionMode.TRANSACTIONAL,
    "timeout_ms": DEFAULT_TIMEOUT_MS,
    "lock_timeout_ms": None,
    "retry_attempts": 1,
    "retry_delay_ms": 0,
    "retry_backoff": RetryBackoff.NONE,
    "on_lock_timeout": OnLockTimeout.FAIL,
    "description": None,
    "module": None,
    "remaps": None,
}


@dataclass(frozen=True)
class Section:
    """One section of a migration or baseline file.

    ``body`` is the section's text exactly as in the file (line endings kept): the lines after
    its header and the directive lines that directly follow it, up to the next header. For a
    file without headers it is the whole file. ``body_line``/``body_offset`` locate it.
    ``preamble`` is the text above the first header (first section only): pgmt runs and
    hashes it as part of that section. ``sql`` is exactly what pgmt runs and hashes;
    ``preamble`` followed by ``body`` differs from it only by comment lines and whitespace, so
    either runs the same statements (the pair keeps file positions for messages).
    """

    name: str
    mode: SectionMode
    timeout_ms: int
    lock_timeout_ms: int | None
    retry_attempts: int
    retry_delay_ms: int
    retry_backoff: RetryBackoff
    on_lock_timeout: OnLockTimeout
    description: str | None
    header_lines: tuple[str, ...]  # raw header lines as written (no line terminators)
    body: str  # the section's body text exactly as in the file
    body_line: int  # 1-based line of the file where the body starts
    body_offset: int  # character offset in the file where the body starts
    order: int  # 0-based position in the file
    preamble: str = ""  # text above the first header, as in the file (first section only)
    module: str | None = None  # pgmt modules: the owning module, None for the base
    remaps: str | None = None  # pgmt modules: the single prior owner of the objects
    header_line: int | None = None  # 1-based line of the header; None without headers

    @property
    def sql(self) -> str:
        """The SQL pgmt runs for this section, which is also what its checksum covers.

        With headers: preamble and body without directive lines, joined with LF, trimmed.
        Without headers: the whole file as read.
        """
        if not self.header_lines:
            return self.body
        lines = iter_lines(self.preamble + self.body)
        kept = [line.text for line in lines if not is_directive(line.text)]
        return "\n".join(kept).strip(RUST_WHITESPACE)


# ---------------------------------------------------------------------------------------------
# Lines


@dataclass(frozen=True)
class Line:
    """A line as Rust's str::lines() yields it: LF or CRLF terminated, terminator dropped."""

    number: int  # 1-based
    start: int  # offset of its first character
    end: int  # offset just past its terminator
    text: str


def iter_lines(text: str) -> Iterator[Line]:
    # Not str.splitlines(): that also splits on VT, FF, U+2028 ... which pgmt does not.
    pos, number = 0, 0
    while pos < len(text):
        number += 1
        newline = text.find("\n", pos)
        if newline == -1:
            # A lone CR at the very end is kept, as Rust keeps it.
            yield Line(number, pos, len(text), text[pos:])
            return
        content = text[pos:newline]
        if content.endswith("\r"):
            content = content[:-1]
        yield Line(number, pos, newline + 1, content)
        pos = newline + 1


def is_header(line: str) -> bool:
    return line.lstrip(RUST_WHITESPACE).startswith(HEADER_MARKER)


def is_directive(line: str) -> bool:
    """A ``-- pgmt:`` line that is not a section header."""
    stripped = line.lstrip(RUST_WHITESPACE)
    return stripped.startswith(DIRECTIVE_MARKER) and not stripped.startswith(HEADER_MARKER)


# ---------------------------------------------------------------------------------------------
# Durations


def parse_duration(value: str) -> int:
    """pgmt's duration syntax in milliseconds: ``500ms``, ``30s``, ``5m``, ``2h``, ``1m30s``.

    Whitespace anywhere is ignored (pgmt accepts ``1m 30s``). Zero is refused.
    Raises ValueError with pgmt's reason.
    """
    text = value.strip(RUST_WHITESPACE)
    total, digits, i = 0, "", 0
    while i < len(text):
        ch = text[i]
        i += 1
        if "0" <= ch <= "9":
            digits += ch
        elif ch.isalpha():
            unit = ch
            if ch == "m" and text[i : i + 1] == "s":
                unit, i = "ms", i + 1
            if not digits:
                raise ValueError(f"invalid duration {value!r}: a number must come before {unit!r}")
            total += int(digits) * _unit_ms(unit, value)
            digits = ""
        elif ch not in RUST_WHITESPACE:
            raise ValueError(f"invalid duration {value!r}: unexpected character {ch!r}")
    if digits:
        raise ValueError(f"invalid duration {value!r}: {digits} has no unit (ms, s, m or h)")
    if total == 0:
        raise ValueError(f"invalid duration {value!r}: must be greater than zero")
    return total


def _unit_ms(unit: str, value: str) -> int:
    units = {"ms": 1, "s": 1_000, "m": 60_000, "h": 3_600_000}
    if unit not in units:
        raise ValueError(f"invalid duration {value!r}: unknown unit {unit!r} (use ms, s, m or h)")
    return units[unit]


def format_duration(ms: int) -> str:
    """The shortest pgmt duration for ``ms``: 90000 -> ``1m30s``, 1500 -> ``1s500ms``."""
    if ms <= 0:
        raise ValueError(f"a duration must be positive, got {ms}ms")
    parts = []
    for unit, size in (("h", 3_600_000), ("m", 60_000), ("s", 1_000), ("ms", 1)):
        count, ms = divmod(ms, size)
        if count:
            parts.append(f"{count}{unit}")
    return "".join(parts)


# ---------------------------------------------------------------------------------------------
# Attributes


def parse_attributes(text: str) -> list[tuple[str, str]]:
    """``key="value"`` pairs, as pgmt reads them. Raises ValueError on bad syntax."""
    pairs: list[tuple[str, str]] = []
    i, n = 0, len(text)
    while i < n:
        while i < n and text[i] in RUST_WHITESPACE:
            i += 1
        key_start = i
        while i < n and text[i] != "=":
            if text[i] in RUST_WHITESPACE:
                raise ValueError(f"expected '=' after key '{text[key_start:i]}'")
            i += 1
        key = text[key_start:i]
        if not key:
            # pgmt stops reading the line here (a lone '=' or trailing blanks).
            break
        i += 1  # the '='
        if text[i : i + 1] != '"':
            raise ValueError(f"expected '\"' after '{key}='")
        close = text.find('"', i + 1)
        if close == -1:
            raise ValueError(f"missing closing quote for the value of '{key}'")
        pairs.append((key, text[i + 1 : close]))
        i = close + 1
    return pairs


def _strip_marker(text: str, marker: str) -> str:
    # Rust's trim_start_matches removes the marker as many times as it repeats.
    while text.startswith(marker):
        text = text[len(marker) :]
    return text


def _attribute_text(line: str) -> str:
    """The ``key="value"`` part of a header or directive line."""
    text = line.lstrip(RUST_WHITESPACE)
    if text.startswith(HEADER_MARKER):
        text = _strip_marker(text, HEADER_MARKER).strip(RUST_WHITESPACE)
    # pgmt re-prefixes a header's rest with the directive marker and strips that again.
    return _strip_marker(_strip_marker(text, DIRECTIVE_MARKER), DIRECTIVE_MARKER).strip(
        RUST_WHITESPACE
    )


@dataclass
class _Draft:
    """A section being read: attributes as they are found, each with the line it came from."""

    header: Line
    order: int
    header_lines: list[str]
    values: dict[str, Any] = field(default_factory=dict)  # Section field -> value
    body_start: Line | None = None
    body_end: int | None = None


def _apply_line(draft: _Draft, line: Line, path: str) -> None:
    try:
        pairs = parse_attributes(_attribute_text(line.text))
    except ValueError as exc:
        raise SourceError(
            f"bad section attribute syntax: {exc}",
            path=path,
            line=line.number,
            hint='write attributes as key="value", separated by spaces',
        ) from exc
    for key, value in pairs:
        draft.values[_FIELDS.get(key, key)] = _convert(key, value, path=path, line=line.number)


def _convert(key: str, value: str, *, path: str, line: int) -> object:
    converters = {
        "name": str,
        "description": str,
        "module": str,
        "mode": lambda v: _choice(SectionMode, v),
        "retry_backoff": lambda v: _choice(RetryBackoff, v),
        "on_lock_timeout": lambda v: _choice(OnLockTimeout, v),
        "timeout": _timeout,
        "lock_timeout": _timeout,
        "retry_delay": parse_duration,
        "retry_attempts": _retry_attempts,
        "remaps": _remaps,
    }
    if key not in converters:
        raise SourceError(
            f"unknown section attribute '{key}'",
            path=path,
            line=line,
            hint=f"known attributes: {', '.join(ATTRIBUTES)}",
        )
    try:
        return converters[key](value)
    except ValueError as exc:
        raise SourceError(f"section attribute {key}: {exc}", path=path, line=line) from exc


def _choice(kind: type[enum.Enum], value: str) -> enum.Enum:
    # pgmt compares these case-insensitively.
    for member in kind:
        if member.value == value.lower():
            return member
    allowed = ", ".join(f'"{m.value}"' for m in kind)
    raise ValueError(f'unknown value "{value}" (expected one of {allowed})')


def _timeout(value: str) -> int:
    ms = parse_duration(value)
    if ms > PG_MAX_TIMEOUT_MS:
        raise ValueError(
            f"{value!r} is longer than PostgreSQL accepts ({PG_MAX_TIMEOUT_MS}ms, about 24 days)"
        )
    return ms


def _retry_attempts(value: str) -> int:
    # Rust's u32 parser: ASCII digits with an optional '+', nothing else.
    digits = value[1:] if value.startswith("+") else value
    if not digits or not all("0" <= c <= "9" for c in digits) or int(digits) > _U32_MAX:
        raise ValueError(f'"{value}" is not a whole number')
    attempts = int(digits)
    if attempts == 0:
        raise ValueError("must be at least 1 (1 means no retry)")
    if attempts > MAX_RETRY_ATTEMPTS:
        raise ValueError(f"{attempts} is more than the maximum of {MAX_RETRY_ATTEMPTS}")
    return attempts


def _remaps(value: str) -> str | None:
    sources = [s.strip(RUST_WHITESPACE) for s in value.split(",")]
    sources = [s for s in sources if s]
    if len(sources) > 1:
        raise ValueError(
            f'"{value}" lists {len(sources)} sources; a section is acquired from exactly one'
        )
    return sources[0] if sources else None


# ---------------------------------------------------------------------------------------------
# Parsing


def parse_sections(
    text: str, *, path: str = "<migration>", check_statements: bool = True
) -> tuple[Section, ...]:
    """Parse a migration file. A file without headers is one transactional 'default'.

    Raises SourceError naming ``path`` and the line of the offending header or directive.
    ``check_statements`` parses each transactional section's SQL to refuse statements that
    cannot run in a transaction; turning it off skips the SQL parser (and its import).
    """
    lines = list(iter_lines(text))
    if not any(is_header(ln.text) for ln in lines):
        sections: tuple[Section, ...] = (_headerless_section(text),)
    else:
        sections = _headed_sections(text, lines, path)
    _check_unique_names(sections, path)
    for section in sections:
        _check_not_empty(section, path)
        if check_statements:
            _check_transactional_statements(section, path)
    return sections


def _headerless_section(text: str) -> Section:
    return Section(
        name=DEFAULT_SECTION_NAME,
        header_lines=(),
        body=text,
        body_line=1,
        body_offset=0,
        order=0,
        **_DEFAULTS,
    )


def _headed_sections(text: str, lines: list[Line], path: str) -> tuple[Section, ...]:
    drafts: list[_Draft] = []
    for line in lines:
        current = drafts[-1] if drafts else None
        if is_header(line.text):
            if current is not None:
                current.body_end = line.start
            drafts.append(_Draft(header=line, order=len(drafts), header_lines=[line.text]))
            _apply_line(drafts[-1], line, path)
        elif current is None:
            continue  # the preamble: kept as text, its directive lines ignored (as pgmt)
        elif is_directive(line.text):
            current.header_lines.append(line.text)
            _apply_line(current, line, path)
        elif current.body_start is None:
            current.body_start = line
    preamble = text[: drafts[0].header.start]
    return tuple(_build(d, text, path, preamble if d.order == 0 else "") for d in drafts)


def _build(draft: _Draft, text: str, path: str, preamble: str) -> Section:
    if "name" not in draft.values:
        raise SourceError(
            'section header has no name="..."',
            path=path,
            line=draft.header.number,
            hint='every section needs a unique name: -- pgmt:section name="..."',
        )
    start, start_line = _body_start(draft, text)
    end = draft.body_end if draft.body_end is not None else len(text)
    return Section(
        header_lines=tuple(draft.header_lines),
        body=text[start:end],
        body_line=start_line,
        body_offset=start,
        order=draft.order,
        preamble=preamble,
        header_line=draft.header.number,
        **{**_DEFAULTS, **draft.values},
    )


def _body_start(draft: _Draft, text: str) -> tuple[int, int]:
    """Where the body starts: its first SQL line, else right after the header block."""
    if draft.body_start is not None:
        return draft.body_start.start, draft.body_start.number
    end = draft.body_end if draft.body_end is not None else len(text)
    return end, text.count("\n", 0, end) + 1


# ---------------------------------------------------------------------------------------------
# Validation


def _check_unique_names(sections: tuple[Section, ...], path: str) -> None:
    first_seen: dict[str, Section] = {}
    for section in sections:
        earlier = first_seen.setdefault(section.name, section)
        if earlier is not section:
            raise SourceError(
                f"duplicate section name '{section.name}'"
                f" (first used at line {earlier.header_line})",
                path=path,
                line=section.header_line,
                hint="section names identify progress in the tracking table; make them unique",
            )


def _check_not_empty(section: Section, path: str) -> None:
    if section.sql.strip(RUST_WHITESPACE):
        return
    if section.header_lines:
        what = f"section '{section.name}' has no SQL"
    else:
        what = "the file is empty"
    raise SourceError(
        what,
        path=path,
        line=section.header_line or 1,
        hint="add the statements to run, or remove the section",
    )


def _check_transactional_statements(section: Section, path: str) -> None:
    if section.mode is not SectionMode.TRANSACTIONAL:
        return
    # Imported here: the SQL parser is heavy, and reading headers alone must not load it.
    from pgmt_git.project.sqltext import needs_autocommit, split_statements

    parts = ((section.preamble, 1), (section.body, section.body_line))
    for text, first_line in (part for part in parts if part[0]):
        # Leading newlines make the parser's line numbers those of the file.
        for statement in split_statements("\n" * (first_line - 1) + text, path=path):
            if needs_autocommit(statement):
                raise _transactional_refusal(section, statement.line, statement.text, path)


def _transactional_refusal(section: Section, line: int, statement: str, path: str) -> SourceError:
    summary = " ".join(statement.split())
    if len(summary) > 60:
        summary = summary[:57] + "..."
    if section.header_lines:
        where = f"section '{section.name}' is transactional, but"
        hint = (
            f'add mode="non-transactional" to its header: '
            f'-- pgmt:section name="{section.name}" mode="non-transactional"'
        )
    else:
        where = "this file runs as one transaction, but"
        hint = (
            "put the statement in its own section: "
            '-- pgmt:section name="..." mode="non-transactional"'
        )
    return SourceError(
        f"{where} the statement at line {line} cannot run inside a transaction block: {summary}",
        path=path,
        line=section.header_line or 1,
        hint=hint,
    )


# ---------------------------------------------------------------------------------------------
# Checksums and rendering


def section_checksum(section: Section) -> str:
    """pgmt's per-section checksum: lowercase hex MD5.

    Over the raw header lines joined with LF, an LF, then ``section.sql``; a section without
    headers hashes its SQL (the whole file) alone.
    """
    content = section.sql
    if section.header_lines:
        content = "\n".join(section.header_lines) + "\n" + content
    return hashlib.md5(content.encode("utf-8")).hexdigest()


def render_section_header(section: Section) -> str:
    """Header text for ``section``'s settings, ending with a newline.

    The name goes on the ``-- pgmt:section`` line, every setting that differs from pgmt's
    default on its own ``-- pgmt:`` line, in a fixed order, so generated files are stable.
    Parsing the result gives back the same settings.
    """
    lines = [f"{HEADER_MARKER} name={_quoted('name', section.name)}"]
    lines += [f"{DIRECTIVE_MARKER} {k}={_quoted(k, v)}" for k, v in _settings(section)]
    return "\n".join(lines) + "\n"


def _settings(section: Section) -> list[tuple[str, str]]:
    """The settings that differ from pgmt's defaults, as header values."""
    s = section
    candidates: list[tuple[str, str | None]] = [
        ("mode", _unless(s.mode.value, SectionMode.TRANSACTIONAL.value)),
        ("timeout", _unless(format_duration(s.timeout_ms), format_duration(DEFAULT_TIMEOUT_MS))),
        ("lock_timeout", _duration_or_none(s.lock_timeout_ms)),
        ("retry_attempts", _unless(str(s.retry_attempts), "1")),
        ("retry_delay", _duration_or_none(s.retry_delay_ms or None)),
        ("retry_backoff", _unless(s.retry_backoff.value, RetryBackoff.NONE.value)),
        ("on_lock_timeout", _unless(s.on_lock_timeout.value, OnLockTimeout.FAIL.value)),
        ("description", s.description),
        ("module", s.module),
        ("remaps", s.remaps),
    ]
    return [(key, value) for key, value in candidates if value is not None]


def _unless(value: str, default: str) -> str | None:
    return None if value == default else value


def _duration_or_none(ms: int | None) -> str | None:
    return None if ms is None else format_duration(ms)


def _quoted(key: str, value: str) -> str:
    # pgmt has no escapes: a quote ends the value and a line break ends the header line.
    if any(ch in value for ch in '"\n\r'):
        raise UsageError(
            f"section {key} {value!r} cannot be written in a section header",
            hint="header values cannot contain double quotes or line breaks",
        )
    return f'"{value}"'
