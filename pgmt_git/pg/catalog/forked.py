"""Reading a catalog in a forked process of its own, on Linux.

Turning a catalog's rows into objects is pure Python work: two catalogs read by two threads
of one process take turns on one core (the GIL), while the servers that answer them could
use the others. A forked process reads one catalog on a core of its own and hands it back
pickled (a few MB at two thousand tables).

The hand-over is streamed: the child pickles its objects a batch at a time as it makes them
(one pickler, so later batches refer to objects of earlier ones), writes each batch to an
anonymous in-memory file and announces it on a pipe; then come the ids the filters leave
out, the dependencies in batches, and last the catalog order. The parent, once its own
catalog is built, loads what has arrived while the child makes the rest, adds the
dependencies that go without saying (a child on its parent, an object on its schema) and
puts its own catalog in order the first time it has nothing to load; so little is left to
load once the child is done. (A pipe alone would not do: its buffer holds 64 kB, and the
child would wait for the parent, busy with its own catalog.)

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
import select
import signal
import struct
import sys
import tempfile
import threading
from array import array
from collections.abc import Callable, Sequence
from collections.abc import Set as AbstractSet

from pgmt_git.diff.collector import collector_paused
from pgmt_git.diff.model import Catalog, DbObject, ObjectId
from pgmt_git.errors import ServerError
from pgmt_git.pg.catalog.structure import Edge, structural_edges

__all__ = ["ForkedRead", "Handover", "forking_allowed"]

# What the child writes on the pipe for each message: where it ends in the data file, and
# whether it is a pickle of its own (an error) rather than the next of the stream (whose
# pickles share one memo: later ones refer to objects of earlier ones).
_RECORD = struct.Struct("=Q?")


def forking_allowed() -> bool:
    """Whether a catalog may be read in a forked process here and now."""
    return (sys.platform == "linux" and os.environ.get("PGMT_GIT_NO_FORK", "") in ("", "0")
            and threading.active_count() == 1)


class Handover:
    """The child's side, a :class:`~pgmt_git.pg.catalog.loader.Receiver`: every object
    read, in batches as they are made; then the ids the filters leave out; then pg_depend's
    dependencies, in batches; then :meth:`done`, with the catalog order (or :meth:`error`
    at any point)."""

    def __init__(self, data_fd: int, signal_fd: int) -> None:
        self._data = io.FileIO(data_fd, "wb", closefd=False)
        self._signal_fd = signal_fd
        self._pickler = _CatalogPickler(self._data, protocol=pickle.HIGHEST_PROTOCOL)
        self._announced = 0  # where the last message announced ends
        self._handed: list[DbObject] = []
        self._left_out: frozenset[ObjectId] = frozenset()

    def objects(self, batch: Sequence[DbObject]) -> None:
        batch = list(batch)
        self._handed.extend(batch)
        self._send(("objects", batch))

    def left_out(self, ids: AbstractSet[ObjectId]) -> None:
        """Every object has been handed: these are those the filters leave out."""
        self._left_out = frozenset(ids)
        self._send(("left_out", self._left_out))

    def edges(self, batch: Sequence[Edge]) -> None:
        self._send(("edges", list(batch)))

    def done(self) -> None:
        """The managed objects' catalog order, as positions among the objects handed: sorted
        last, while the parent loads the dependencies."""
        handed = self._handed
        order = [i for i, obj in enumerate(handed) if obj.id not in self._left_out]
        order.sort(key=lambda i: handed[i].id.sort_key())
        self._send(("done", array("I", order).tobytes()))

    def error(self, exc: BaseException) -> None:
        # Over whatever a message that failed halfway left, and on its own: the stream's
        # memo may hold objects the parent never saw.
        self._data.seek(self._announced)
        self._data.truncate()
        self._data.write(_pickled_error(exc))
        self._announce(alone=True)

    def _send(self, message: tuple[object, ...]) -> None:
        self._pickler.dump(message)
        self._announce(alone=False)

    def _announce(self, *, alone: bool) -> None:
        self._announced = self._data.tell()
        os.write(self._signal_fd, _RECORD.pack(self._announced, alone))


class ForkedRead:
    """``read(conninfo, handover)`` running in a child process; :meth:`result` puts its
    catalog together as it arrives (or raises its error), :meth:`close` ends it if it still
    runs. Start one with :meth:`start`."""

    def __init__(self, pid: int, signal_fd: int, data_fd: int) -> None:
        self._pid = pid
        self._signal_fd = signal_fd
        self._data_fd = data_fd
        self._done = False

    @classmethod
    def start(cls, conninfo: str, read: Callable[[str, Handover], None]) -> ForkedRead:
        data_fd = _anonymous_file()
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: it never returns
            os.close(read_end)
            _run_child(Handover(data_fd, write_end), conninfo, read)
        os.close(write_end)
        return cls(pid, read_end, data_fd)

    def result(self, meanwhile: Callable[[], None] | None = None) -> Catalog:
        """The child's catalog. ``meanwhile`` is run once, the first time the child has
        nothing new to hand over (or at the end, if it never happens)."""
        try:
            with collector_paused():
                catalog = _Assembly(self).catalog(meanwhile)
            os.waitpid(self._pid, 0)  # it has nothing left to do but exit
            self._done = True
            return catalog
        finally:
            self.close()

    def next_message(self, *, wait: bool) -> tuple[int, bool] | None:
        """Where the next message the child wrote ends, and whether it is a pickle of its
        own; None if there is none yet (and not ``wait``). Raises if the child ended without
        finishing."""
        if not wait and not select.select([self._signal_fd], [], [], 0)[0]:
            return None
        record = b""
        while len(record) < _RECORD.size:
            chunk = os.read(self._signal_fd, _RECORD.size - len(record))
            if not chunk:
                _, status = os.waitpid(self._pid, 0)
                self._done = True
                raise ServerError(
                    "the process reading a catalog ended without handing it over (exit "
                    f"status {os.waitstatus_to_exitcode(status)}); PGMT_GIT_NO_FORK=1 reads "
                    "catalogs in threads instead")
            record += chunk
        return _RECORD.unpack(record)  # type: ignore[return-value]

    def read_data(self, start: int, end: int) -> bytes:
        return os.pread(self._data_fd, end - start, start)

    def close(self) -> None:
        """End the child if it still runs (the caller failed first), and let go of it."""
        if not self._done:
            self._done = True
            try:
                os.kill(self._pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            os.waitpid(self._pid, 0)
        for fd in (self._signal_fd, self._data_fd):
            try:
                os.close(fd)
            except OSError:
                pass
        self._signal_fd = self._data_fd = -1


class _Assembly:
    """The parent's side: the catalog put together from the child's messages as they come
    (adding the dependencies pg_depend leaves implicit while the child resolves the rest)."""

    def __init__(self, reader: ForkedRead) -> None:
        self._reader = reader
        self._buffer = io.BytesIO()
        self._unpickler = pickle.Unpickler(self._buffer)
        self._received = 0
        self._handed: list[DbObject] = []
        self._edges: set[Edge] = set()

    def catalog(self, meanwhile: Callable[[], None] | None) -> Catalog:
        while True:
            found = self._reader.next_message(wait=meanwhile is None)
            if found is None:
                assert meanwhile is not None
                meanwhile()
                meanwhile = None
                continue
            outcome, *value = self._message(*found)
            if outcome == "objects":
                self._handed.extend(value[0])
            elif outcome == "left_out":
                # Every object has arrived: the dependencies pg_depend does not hold.
                self._edges.update(structural_edges(self._handed, value[0]))
            elif outcome == "edges":
                self._edges.update(value[0])
            elif outcome == "error":
                raise value[0]
            else:
                if meanwhile is not None:
                    meanwhile()
                # The managed objects in catalog order (their positions among those handed).
                objects = map(self._handed.__getitem__, array("I", value[0]))
                return Catalog({obj.id: obj for obj in objects}, frozenset(self._edges),
                               in_order=True)

    def _message(self, end: int, alone: bool) -> tuple[object, ...]:
        data = self._reader.read_data(self._received, end)
        self._received = end
        if alone:
            return pickle.loads(data)  # type: ignore[no-any-return]  # noqa: S301 - our child's
        # Appended after what the unpickler has read: it reads on from where it was.
        at = self._buffer.tell()
        self._buffer.seek(0, io.SEEK_END)
        self._buffer.write(data)
        self._buffer.seek(at)
        return self._unpickler.load()  # type: ignore[no-any-return]  # noqa: S301 - our child's


def _anonymous_file() -> int:
    """A file descriptor of a file in memory (or, where that is refused, of a temporary
    file already deleted): gone with the last descriptor."""
    try:
        return os.memfd_create("pgmt-git-catalog", os.MFD_CLOEXEC)
    except OSError:
        with tempfile.TemporaryFile() as file:
            return os.dup(file.fileno())


def _run_child(handover: Handover, conninfo: str, read: Callable[[str, Handover], None],
               ) -> None:
    """Read, hand over, and leave at once: no exit handlers, no flushing the parent's
    buffers."""
    try:
        # The parent's handlers turn signals into exceptions for its own clean-up; this
        # process has none to do, so Ctrl-C or a TERM just ends it.
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        try:
            read(conninfo, handover)
            handover.done()
        except BaseException as exc:  # handed to the parent  # noqa: BLE001
            handover.error(exc)
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


def _pickled_error(exc: BaseException) -> bytes:
    try:
        payload = pickle.dumps(("error", exc), protocol=pickle.HIGHEST_PROTOCOL)
        pickle.loads(payload)  # noqa: S301 - just made; some exceptions do not load back
        return payload
    except Exception:  # noqa: BLE001 - any exception is reported, whatever its type
        error = ServerError(f"reading the catalog failed: {type(exc).__name__}: {exc}")
        return pickle.dumps(("error", error), protocol=pickle.HIGHEST_PROTOCOL)
