"""Reading a catalog in a forked process of its own, on Linux.

Turning a catalog's rows into objects is pure Python work: two catalogs read by two threads
of one process take turns on one core (the GIL), while the servers that answer them could
use the others. A forked process reads one catalog on a core of its own and hands it back
pickled (a few MB at two thousand tables, unpickled in a fraction of the time it took to
build).

A fork copies only the thread that calls it, with whatever locks the others held at that
moment; so it is used only when the process runs no other thread, and only for connection
strings (a connection cannot be shared with a child). ``PGMT_GIT_NO_FORK=1`` turns it off:
the catalogs are then read by threads, as on other systems.
"""

from __future__ import annotations

import copyreg
import io
import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable

from pgmt_git.diff.collector import collector_paused
from pgmt_git.diff.model import Catalog, ObjectId
from pgmt_git.errors import ServerError

__all__ = ["ForkedRead", "forking_allowed"]


def forking_allowed() -> bool:
    """Whether a catalog may be read in a forked process here and now."""
    return (sys.platform == "linux" and os.environ.get("PGMT_GIT_NO_FORK", "") in ("", "0")
            and threading.active_count() == 1)


class ForkedRead:
    """``read(conninfo)`` running in a child process; :meth:`result` waits for its catalog
    (or raises its error), :meth:`close` ends it if it still runs. Start one with
    :meth:`start`."""

    def __init__(self, pid: int, fd: int) -> None:
        self._pid = pid
        self._fd = fd
        self._done = False

    @classmethod
    def start(cls, conninfo: str, read: Callable[[str], Catalog]) -> ForkedRead:
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: it never returns
            os.close(read_end)
            _run_child(write_end, conninfo, read)
        os.close(write_end)
        return cls(pid, read_end)

    def result(self) -> Catalog:
        with os.fdopen(self._fd, "rb") as pipe:
            payload = pipe.read()
        _, status = os.waitpid(self._pid, 0)
        self._done = True
        if not payload:
            raise ServerError(
                "the process reading a catalog ended without handing it over (exit status "
                f"{os.waitstatus_to_exitcode(status)}); PGMT_GIT_NO_FORK=1 reads catalogs "
                "in threads instead")
        with collector_paused():
            outcome, *value = pickle.loads(payload)  # noqa: S301 - our own child's bytes
        if outcome == "error":
            raise value[0]
        objects, depends = value
        return Catalog(objects, depends, in_order=True)  # the child's catalog's order

    def close(self) -> None:
        """End the child if :meth:`result` was not called (the caller failed first)."""
        if self._done:
            return
        self._done = True
        try:
            os.kill(self._pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(self._pid, 0)
        try:
            os.close(self._fd)
        except OSError:
            pass


def _run_child(fd: int, conninfo: str, read: Callable[[str], Catalog]) -> None:
    """Read, send, and leave at once: no exit handlers, no flushing the parent's buffers."""
    try:
        # The parent's handlers turn signals into exceptions for its own clean-up; this
        # process has none to do, so Ctrl-C or a TERM just ends it.
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        try:
            catalog = read(conninfo)
            payload = _pickled(("catalog", dict(catalog.objects), catalog.depends))
        except BaseException as exc:  # handed to the parent  # noqa: BLE001
            payload = _pickled_error(exc)
        with os.fdopen(fd, "wb") as pipe:
            pipe.write(payload)
    finally:
        os._exit(0)


def _object_id_reduced(oid: ObjectId) -> tuple[object, tuple[type, tuple[object, ...]]]:
    """An id as ``tuple.__new__(ObjectId, fields)``: unpickled without a call of
    ObjectId's own ``__new__`` (its fields were checked when it was made), and pickled
    without the generic path through ``__getnewargs__``. Ids are a third of what a
    catalog's pickle holds (objects' and dependencies' alike): this takes a sixth off
    making it and a twelfth off loading it."""
    return tuple.__new__, (ObjectId, tuple(oid))


class _CatalogPickler(pickle.Pickler):
    dispatch_table = {**copyreg.dispatch_table, ObjectId: _object_id_reduced}


def _pickled(value: object) -> bytes:
    buffer = io.BytesIO()
    _CatalogPickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    return buffer.getvalue()


def _pickled_error(exc: BaseException) -> bytes:
    try:
        payload = pickle.dumps(("error", exc), protocol=pickle.HIGHEST_PROTOCOL)
        pickle.loads(payload)  # noqa: S301 - just made; some exceptions do not load back
        return payload
    except Exception:  # noqa: BLE001 - any exception is reported, whatever its type
        error = ServerError(f"reading the catalog failed: {type(exc).__name__}: {exc}")
        return pickle.dumps(("error", error), protocol=pickle.HIGHEST_PROTOCOL)
