"""Reading a catalog in a forked process (Linux): the same catalog as a thread reads, errors
handed back, and a reader that dies or is abandoned never hangs the caller."""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from pgmt_git.config import ObjectFilter, Objects
from pgmt_git.diff.model import Catalog, Kind, ObjectId, Schema
from pgmt_git.errors import ServerError
from pgmt_git.pg.cache import replayed_state
from pgmt_git.pg.catalog import forked
from pgmt_git.pg.catalog.forked import ForkedRead, forking_allowed
from pgmt_git.pg.catalog.loader import load_catalogs
from pgmt_git.pg.server import Server
from pgmt_git.project.source import ReplayInput

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="catalogs are forked on Linux")

OLD = """
CREATE SCHEMA app;
CREATE TYPE app.mood AS ENUM ('sad', 'ok');
CREATE TABLE app.users (id int PRIMARY KEY, email text NOT NULL, mood app.mood DEFAULT 'ok');
CREATE INDEX users_email ON app.users (email DESC);
CREATE VIEW app.emails AS SELECT email FROM app.users;
COMMENT ON COLUMN app.users.email IS 'where we write';
"""
NEW = OLD.replace("DEFAULT 'ok'", "DEFAULT 'sad'") + "CREATE SEQUENCE app.tickets;\n"


@contextmanager
def two_states(server: Server) -> Iterator[list[str]]:
    with replayed_state(server, [ReplayInput("schema/a.sql", OLD, "schema")]) as old, \
            replayed_state(server, [ReplayInput("schema/a.sql", NEW, "schema")]) as new:
        yield [old.conninfo, new.conninfo]


def same(a: Catalog, b: Catalog) -> bool:
    return dict(a.objects) == dict(b.objects) and a.depends == b.depends


def test_a_forked_read_gives_the_catalogs_threads_give(
        pg_server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    started = []
    real_start = ForkedRead.start.__func__  # type: ignore[attr-defined]

    def counting_start(cls: type[ForkedRead], *args: object) -> ForkedRead:
        started.append(args[0])
        return real_start(cls, *args)

    monkeypatch.setattr(ForkedRead, "start", classmethod(counting_start))
    with two_states(pg_server) as conninfos:
        assert forking_allowed()
        forked_old, forked_new = load_catalogs(conninfos)
        assert started == conninfos[:1]
        monkeypatch.setenv("PGMT_GIT_NO_FORK", "1")
        assert not forking_allowed()
        threaded_old, threaded_new = load_catalogs(conninfos)
    assert started == conninfos[:1]  # the second read used threads
    assert same(forked_old, threaded_old) and same(forked_new, threaded_new)
    assert not same(forked_old, forked_new)


def test_objects_the_filters_leave_out_are_left_out_of_the_forked_catalog(
        pg_server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    """The reader hands over every object it makes, as it makes them; those the filters
    leave out are named at the end and dropped by the caller."""
    only_users = Objects(exclude=ObjectFilter(schemas=("pg_*", "information_schema"),
                                              tables=("emails",)))
    with two_states(pg_server) as conninfos:
        forked_old, forked_new = load_catalogs(conninfos, objects_filter=only_users)
        monkeypatch.setenv("PGMT_GIT_NO_FORK", "1")
        threaded_old, threaded_new = load_catalogs(conninfos, objects_filter=only_users)
    assert same(forked_old, threaded_old) and same(forked_new, threaded_new)
    assert ObjectId(Kind.VIEW, "app", "emails") not in forked_old
    assert ObjectId(Kind.TABLE, "app", "users") in forked_old


def _hand_over_half(conninfo: str, handover: forked.Handover) -> None:
    handover.objects([Schema("app")])
    raise ServerError("lost the connection halfway")


def test_an_error_after_some_objects_were_handed_over_is_raised() -> None:
    reader = ForkedRead.start("unused", _hand_over_half)
    with pytest.raises(ServerError, match="lost the connection halfway"):
        reader.result()
    reader.close()


def _hand_over_what_cannot_travel(conninfo: str, handover: forked.Handover) -> None:
    handover.objects([Schema("app")])
    handover.objects([Schema("other", comment=threading.Lock())])  # type: ignore[arg-type]


def test_a_batch_that_fails_halfway_is_reported_not_misread() -> None:
    """The failed batch's bytes are written over: the error is read, not what was left."""
    reader = ForkedRead.start("unused", _hand_over_what_cannot_travel)
    with pytest.raises(TypeError, match="pickle"):
        reader.result()
    reader.close()


def test_without_an_in_memory_file_a_deleted_temporary_file_is_used(
        pg_server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    def refused(*args: object) -> int:
        raise PermissionError("memfd_create is not allowed here")

    monkeypatch.setattr(os, "memfd_create", refused)
    with two_states(pg_server) as conninfos:
        forked_old, _ = load_catalogs(conninfos)
        monkeypatch.setenv("PGMT_GIT_NO_FORK", "1")
        threaded_old, _ = load_catalogs(conninfos)
    assert same(forked_old, threaded_old)


def test_work_started_while_reading_runs_once(pg_server: Server) -> None:
    calls = []
    with two_states(pg_server) as conninfos:
        load_catalogs(conninfos, while_reading=lambda: calls.append(1))
    assert calls == [1]


def test_the_forked_readers_error_is_raised_in_the_caller(pg_server: Server) -> None:
    with two_states(pg_server) as conninfos:
        missing = conninfos[0].replace("dbname=", "dbname=pgmt_git_no_such_database_")
        assert missing != conninfos[0]
        with pytest.raises(ServerError, match="pgmt_git_no_such_database_"):
            load_catalogs([missing, conninfos[1]])


def test_no_fork_while_another_thread_runs() -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not forking_allowed()
    finally:
        stop.set()
        thread.join()


def _die(conninfo: str, handover: forked.Handover) -> None:
    os._exit(3)


def test_a_reader_that_dies_is_reported_not_waited_for() -> None:
    reader = ForkedRead.start("unused", _die)
    with pytest.raises(ServerError, match="exit status 3.*PGMT_GIT_NO_FORK=1"):
        reader.result()
    reader.close()  # nothing left to end


def _sleep(conninfo: str, handover: forked.Handover) -> None:
    time.sleep(60)
    raise AssertionError("not ended")


def test_an_abandoned_reader_is_ended() -> None:
    reader = ForkedRead.start("unused", _sleep)
    start = time.monotonic()
    reader.close()
    assert time.monotonic() - start < 10


class _Unloadable(Exception):
    def __init__(self, code: int, detail: str) -> None:  # pickles, but cannot load back
        super().__init__(f"{code}: {detail}")


def test_an_error_that_cannot_travel_becomes_a_server_error() -> None:
    import pickle

    outcome, error = pickle.loads(forked._pickled_error(_Unloadable(7, "bad")))
    assert outcome == "error" and isinstance(error, ServerError)
    assert "_Unloadable: 7: bad" in str(error)


def test_a_catalog_in_order_is_the_catalog_sorted(pg_server: Server) -> None:
    with two_states(pg_server) as conninfos:
        catalog = load_catalogs(conninfos[:1])[0]
    shuffled = dict(reversed(list(catalog.objects.items())))
    assert list(Catalog(shuffled, catalog.depends).objects) == list(catalog.objects)
    kept = Catalog(dict(catalog.objects), catalog.depends, in_order=True)
    assert list(kept.objects) == list(catalog.objects)
    assert kept == catalog
