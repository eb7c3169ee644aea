"""pgmt's section directives in migration files.

INTERFACE STUB: the implementation is being written; signatures and types are the contract.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


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


@dataclass(frozen=True)
class Section:
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


def parse_sections(text: str, *, path: str = "<migration>") -> tuple[Section, ...]:
    """Parse a migration file. A file without headers is one transactional 'default'."""
    raise NotImplementedError
