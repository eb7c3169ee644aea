"""Migration and baseline files: names, versions, the ordered chain, the generated-by line.

Names follow pgmt:

- migrations ``[prefix]<version>_<description>.sql``; ``prefix`` is
  ``migration.filename_prefix`` (default ``V``). pgmt reads any name with or without a
  leading ``V``; pgmt-git also reads names with the configured prefix (pgmt writes such
  names but cannot read them back unless the prefix is ``V`` or empty);
- baselines ``baseline_<version>.sql``, the legacy ``baseline_V<version>.sql`` accepted;
- versions are whole numbers (Unix seconds when generated) ordered numerically, so
  ``V9_a.sql`` comes before ``V10_b.sql``.

Where pgmt silently skips a ``.sql`` file whose name it cannot read, pgmt-git refuses it: a
migration that never runs is worse than an error. Hidden files (``.name.sql``, editor and
macOS droppings) are skipped, which is what pgmt does in effect, since it can never read
their names.

Files pgmt-git generates may start with one comment line that pgmt runs as a comment::

    -- pgmt-git: generated=<sha256 hex> from=<catalog hash>

``generated`` is the SHA-256 of the rest of the file as written after that line (UTF-8,
with CRLF read as LF, so a checkout that converts line endings does not count as an edit);
``from`` is the catalog hash of the state the migration was generated against. Only the
first line counts: a header further down is an ordinary comment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Iterable

from pgmt_git.errors import ConfigError, SourceError, UsageError

SQL_SUFFIX = ".sql"
BASELINE_PREFIX = "baseline_"
LEGACY_PREFIX = "V"  # the only prefix pgmt itself strips when reading names
DEFAULT_PREFIX = "V"
BASELINE_DESCRIPTION = "baseline"  # what pgmt records as a baseline's description
# pgmt stores versions in a bigint column.
MAX_VERSION = 2**63 - 1
# pgmt's limit on a typed description (measured in UTF-8 bytes, as Rust's len()).
MAX_DESCRIPTION_BYTES = 100
GENERATED_MARKER = "-- pgmt-git:"

_DIGITS = re.compile(r"[0-9]+")
_GENERATED_LINE = re.compile(
    r"--[ \t]*pgmt-git:[ \t]+generated=(?P<generated>[0-9a-fA-F]{64})"
    r"[ \t]+from=(?P<from_hash>\S+)[ \t]*"
)


@dataclass(frozen=True)
class MigrationFile:
    """A migration or baseline file. ``path`` is relative to the project root, POSIX style."""

    path: str
    filename: str
    version: int
    description: str  # from the name for migrations; "baseline" for baselines, as pgmt
    is_baseline: bool
    text: str

    @property
    def checksum(self) -> str:
        """pgmt's whole-file checksum (what its tracking table's ``checksum`` holds)."""
        return file_checksum(self.text)


# ---------------------------------------------------------------------------------------------
# Names


def sanitize_description(description: str) -> str:
    """pgmt's file-name form of a description: each run of characters other than letters
    and digits becomes one ``_``, with none at either end. Case is kept."""
    out: list[str] = []
    for ch in description:
        if ch.isalnum():
            out.append(ch)
        elif not out or out[-1] != "_":
            out.append("_")
    return "".join(out).strip("_")


def validate_description(description: str) -> None:
    """pgmt's rules for a description typed by a user. Raises UsageError."""
    if not description:
        raise UsageError("the migration description is empty", hint="describe the change")
    if "/" in description or "\\" in description:
        raise UsageError("the migration description cannot contain / or \\")
    if len(description.encode("utf-8")) > MAX_DESCRIPTION_BYTES:
        raise UsageError(
            f"the migration description is longer than {MAX_DESCRIPTION_BYTES} characters",
            hint="shorten it; the file name carries it",
        )


def migration_filename(version: int, description: str, prefix: str = DEFAULT_PREFIX) -> str:
    """``<prefix><version>_<sanitised description>.sql``, checked to read back the same."""
    _check_version(version)
    slug = sanitize_description(description)
    if not slug:
        raise UsageError(
            f"the migration description {description!r} has no letters or digits",
            hint="describe the change in words, e.g. add_users_email",
        )
    name = f"{prefix}{version}_{slug}{SQL_SUFFIX}"
    readable = parse_migration_filename(name, prefix=prefix) == (version, slug)
    if not readable or "/" in prefix or "\\" in prefix:
        raise ConfigError(
            f"migration.filename_prefix {prefix!r} makes names that cannot be read back",
            hint='use "V" (the default) or an empty prefix, which pgmt reads too',
        )
    return name


def baseline_filename(version: int) -> str:
    _check_version(version)
    return f"{BASELINE_PREFIX}{version}{SQL_SUFFIX}"


def parse_migration_filename(
    filename: str, *, prefix: str = DEFAULT_PREFIX
) -> tuple[int, str] | None:
    """(version, description) of a migration file name, or None when it is not one.

    The configured prefix, else pgmt's optional ``V``, may precede the version.
    """
    if not filename.endswith(SQL_SUFFIX) or filename.startswith(BASELINE_PREFIX):
        return None
    stem = filename[: -len(SQL_SUFFIX)]
    for candidate in (prefix, LEGACY_PREFIX):
        if candidate and stem.startswith(candidate):
            stem = stem[len(candidate) :]
            break
    version_text, underscore, description = stem.partition("_")
    if not underscore or not _DIGITS.fullmatch(version_text):
        return None
    return int(version_text), description


def parse_baseline_filename(filename: str) -> int | None:
    """The version of ``baseline_<version>.sql`` (or legacy ``baseline_V<version>.sql``)."""
    if not filename.startswith(BASELINE_PREFIX) or not filename.endswith(SQL_SUFFIX):
        return None
    version_text = filename[len(BASELINE_PREFIX) : -len(SQL_SUFFIX)]
    version_text = version_text.removeprefix(LEGACY_PREFIX)
    return int(version_text) if _DIGITS.fullmatch(version_text) else None


def _check_version(version: int) -> None:
    if not 0 <= version <= MAX_VERSION:
        raise UsageError(f"migration version {version} is outside 0..{MAX_VERSION}")


# ---------------------------------------------------------------------------------------------
# Reading files


def read_migration(path: str, text: str, *, prefix: str = DEFAULT_PREFIX) -> MigrationFile:
    filename = PurePosixPath(path).name
    parsed = parse_migration_filename(filename, prefix=prefix)
    if parsed is None:
        raise SourceError(
            "not a migration file name: expected [V]<version>_<description>.sql",
            path=path,
            hint=_migration_name_hint(filename, prefix),
        )
    version, description = parsed
    _check_file_version(version, path)
    return MigrationFile(path, filename, version, description, False, text)


def read_baseline(path: str, text: str) -> MigrationFile:
    filename = PurePosixPath(path).name
    version = parse_baseline_filename(filename)
    if version is None:
        raise SourceError(
            "not a baseline file name: expected baseline_<version>.sql",
            path=path,
            hint="name it baseline_<version>.sql, or move it out of the baselines directory",
        )
    _check_file_version(version, path)
    return MigrationFile(path, filename, version, BASELINE_DESCRIPTION, True, text)


def _migration_name_hint(filename: str, prefix: str) -> str:
    if _is_baseline_name(filename):
        return "a baseline belongs in the baselines directory"
    return (
        f"name it {prefix}<version>_<description>.sql, e.g. {prefix}1700000000_add_users.sql,"
        " or move it out of the migrations directory"
    )


def _is_baseline_name(filename: str) -> bool:
    return parse_baseline_filename(filename) is not None


def _check_file_version(version: int, path: str) -> None:
    if version > MAX_VERSION:
        raise SourceError(
            f"version {version} does not fit the tracking table (at most {MAX_VERSION})",
            path=path,
            hint="use the Unix time in seconds as the version",
        )


def is_hidden(path: str) -> bool:
    return PurePosixPath(path).name.startswith(".")


# ---------------------------------------------------------------------------------------------
# The chain


@dataclass(frozen=True)
class MigrationChain:
    """Migrations and baselines of a project, each sorted by version (numerically)."""

    migrations: tuple[MigrationFile, ...] = ()
    baselines: tuple[MigrationFile, ...] = ()

    def latest_baseline(self, *, before: int | None = None) -> MigrationFile | None:
        """The newest baseline, or the newest with a version below ``before``."""
        eligible = [b for b in self.baselines if before is None or b.version < before]
        return eligible[-1] if eligible else None

    def migrations_after(self, version: int | None) -> tuple[MigrationFile, ...]:
        """Migrations with a version above ``version`` (all of them for None).

        A baseline covers the migrations up to and including its version, as in pgmt.
        """
        return tuple(m for m in self.migrations if version is None or m.version > version)

    def replay_inputs(self, *, before: int | None = None) -> tuple[MigrationFile, ...]:
        """What to replay, in order, to reach the chain's state: the latest baseline and the
        migrations after it (all migrations if there is no baseline).

        With ``before``, the state just before that version: only files below it count,
        the way pgmt picks the baseline to start from when generating that version.
        """
        baseline = self.latest_baseline(before=before)
        start = baseline.version if baseline is not None else None
        later = self.migrations_after(start)
        if before is not None:
            later = tuple(m for m in later if m.version < before)
        return ((baseline,) if baseline is not None else ()) + later


def build_chain(
    migrations: Iterable[tuple[str, str]],
    baselines: Iterable[tuple[str, str]] = (),
    *,
    prefix: str = DEFAULT_PREFIX,
) -> MigrationChain:
    """A validated chain from (path, text) pairs of the migrations and baselines directories.

    Pass the ``*.sql`` files directly inside each directory (pgmt reads no subdirectories).
    When both directories are the same, pass its files as both: ``baseline_*`` names are the
    baselines, the rest the migrations. Raises SourceError for an unreadable name or a
    version used twice (naming both files).
    """
    migration_pairs = [(p, t) for p, t in migrations if not is_hidden(p)]
    baseline_pairs = [(p, t) for p, t in baselines if not is_hidden(p)]
    shared = {p for p, _ in migration_pairs} & {p for p, _ in baseline_pairs}
    read_migrations = [
        read_migration(p, t, prefix=prefix)
        for p, t in migration_pairs
        if p not in shared or not _is_baseline_name(PurePosixPath(p).name)
    ]
    read_baselines = [
        read_baseline(p, t)
        for p, t in baseline_pairs
        if p not in shared or _is_baseline_name(PurePosixPath(p).name)
    ]
    return MigrationChain(
        migrations=_ordered(read_migrations, kind="migration"),
        baselines=_ordered(read_baselines, kind="baseline"),
    )


def _ordered(files: list[MigrationFile], *, kind: str) -> tuple[MigrationFile, ...]:
    ordered = sorted(files, key=lambda f: (f.version, f.path))
    for earlier, later in zip(ordered, ordered[1:]):
        if earlier.version == later.version:
            raise SourceError(
                f"{kind} version {later.version} is used by both {earlier.path} and {later.path}",
                path=later.path,
                hint=f"give one of them a new version (a {kind} version must be unique)",
            )
    return tuple(ordered)


# ---------------------------------------------------------------------------------------------
# Checksums and the generated-by line


def file_checksum(text: str) -> str:
    """pgmt's whole-file checksum: lowercase hex MD5 of the file's text as read (UTF-8)."""
    import hashlib  # here: the commit hook reads file names from this module, never sums

    return hashlib.md5(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class GeneratedHeader:
    """The ``-- pgmt-git:`` first line of a generated file."""

    generated: str  # SHA-256 hex of the body as generated (see body_hash)
    from_hash: str  # catalog hash of the state it was generated against


def body_hash(body: str) -> str:
    """SHA-256 hex of ``body`` as UTF-8, CRLF read as LF."""
    import hashlib

    return hashlib.sha256(body.replace("\r\n", "\n").encode("utf-8")).hexdigest()


def _split_first_line(text: str) -> tuple[str, str]:
    """The first line (terminator and a leading BOM dropped) and everything after it."""
    first, newline, rest = text.partition("\n")
    return first.removeprefix("\ufeff").removesuffix("\r"), rest if newline else ""


def parse_generated_header(text: str) -> GeneratedHeader | None:
    """The header on the first line of ``text``, or None (a malformed one counts as none)."""
    first, _ = _split_first_line(text)
    match = _GENERATED_LINE.fullmatch(first)
    if match is None:
        return None
    return GeneratedHeader(match["generated"].lower(), match["from_hash"])


def strip_generated_header(text: str) -> str:
    """``text`` without its header line; unchanged when there is none."""
    if parse_generated_header(text) is None:
        return text
    return _split_first_line(text)[1]


def with_generated_header(body: str, from_hash: str) -> str:
    """``body`` under a fresh header line (replacing any it already has)."""
    if not from_hash or any(ch.isspace() for ch in from_hash):
        raise ValueError(f"a catalog hash has no spaces and is not empty: {from_hash!r}")
    body = strip_generated_header(body)
    return f"{GENERATED_MARKER} generated={body_hash(body)} from={from_hash}\n{body}"


def is_unedited(text: str) -> bool:
    """True when ``text`` has a header and its body is still exactly as generated."""
    header = parse_generated_header(text)
    return header is not None and header.generated == body_hash(strip_generated_header(text))
