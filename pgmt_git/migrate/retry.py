"""When a failed section attempt is tried again, and after how long. Pure.

pgmt retries whatever error a non-transactional section meets and never retries the other
modes. pgmt-git retries every mode (a transactional attempt is rolled back, so trying again
is safe), but only on errors that can go away by themselves: a statement timeout, a
deadlock, a serialization failure, and a lock timeout when ``on_lock_timeout="retry"``.
A syntax error fails on the first attempt instead of ten times.
"""

from __future__ import annotations

import enum

from pgmt_git.project.sections import OnLockTimeout, RetryBackoff, Section

# pgmt caps exponential backoff at 32 times the delay.
MAX_BACKOFF_FACTOR = 32


class FailureKind(str, enum.Enum):
    LOCK_TIMEOUT = "lock timeout"
    STATEMENT_TIMEOUT = "statement timeout"
    DEADLOCK = "deadlock"
    SERIALIZATION = "serialization failure"
    OTHER = "error"


# SQLSTATEs of the kinds above.
_SQLSTATES = {
    "55P03": FailureKind.LOCK_TIMEOUT,  # lock_not_available
    "57014": FailureKind.STATEMENT_TIMEOUT,  # query_canceled
    "40P01": FailureKind.DEADLOCK,
    "40001": FailureKind.SERIALIZATION,
}


def classify(sqlstate: str | None) -> FailureKind:
    return _SQLSTATES.get(sqlstate or "", FailureKind.OTHER)


def should_retry(section: Section, attempt: int, failure: FailureKind) -> bool:
    """Whether attempt ``attempt`` (1-based) that failed with ``failure`` is followed by
    another."""
    if attempt >= section.retry_attempts or failure is FailureKind.OTHER:
        return False
    if failure is FailureKind.LOCK_TIMEOUT:
        return section.on_lock_timeout is OnLockTimeout.RETRY
    return True


def retry_delay_ms(section: Section, attempt: int) -> int:
    """The wait after failed attempt ``attempt`` (1-based): the delay, or with exponential
    backoff the delay x 2^(attempt-1), at most 32 x the delay."""
    if section.retry_backoff is RetryBackoff.NONE:
        return section.retry_delay_ms
    factor = min(2 ** max(attempt - 1, 0), MAX_BACKOFF_FACTOR)
    return section.retry_delay_ms * factor
