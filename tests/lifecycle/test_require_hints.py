"""-- require: lines order what pg_depend does not record, end to end: migrate new, apply,
drift, and pgmt-git diff from the work tree and from git.

Two function bodies read objects of the files they require: count_orders() reads the table
orders, whose column default calls new_order_id(); big_order_count() reads the view
big_orders, which calls is_big(). Neither body is BEGIN ATOMIC, so pg_depend knows nothing
of what they read; both names sort before the function their object waits for, so without
the hints each would be created first, and PostgreSQL (check_function_bodies is on by
default) refuses a SQL body that reads a relation that does not exist yet.
"""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from pgmt_git.diff import diff_catalogs, render_sql
from pgmt_git.pg.states import StateReader, diff_to_schema
from pgmt_git.pg.target import Target
from pgmt_git.project.source import load_project
from tests.conftest import git
from tests.lifecycle.conftest import write_project
from tests.lifecycle.helpers import pgmt_git

SCHEMA = {
    "schema/functions/new_order_id.sql":
        "CREATE FUNCTION new_order_id() RETURNS int LANGUAGE sql AS 'SELECT 1';\n",
    "schema/tables/orders.sql":
        "-- require: functions/new_order_id.sql\n"
        "CREATE TABLE orders (id int DEFAULT new_order_id(), amount numeric);\n",
    "schema/functions/count_orders.sql":
        "-- require: tables/orders.sql\n"
        "CREATE FUNCTION count_orders() RETURNS bigint LANGUAGE sql\n"
        "AS 'SELECT count(*) FROM public.orders';\n",
    "schema/functions/is_big.sql":
        "CREATE FUNCTION is_big(numeric) RETURNS boolean LANGUAGE sql AS 'SELECT $1 > 100';\n",
    "schema/views/big_orders.sql":
        "-- require: tables/orders.sql, functions/is_big\n"
        "CREATE VIEW big_orders AS SELECT * FROM orders WHERE is_big(amount);\n",
    "schema/functions/big_order_count.sql":
        "-- require: views/big_orders.sql\n"
        "CREATE FUNCTION big_order_count() RETURNS bigint LANGUAGE sql\n"
        "AS 'SELECT count(*) FROM public.big_orders';\n",
}


def before(sql: str, first: str, then: str) -> bool:
    return sql.index(first) < sql.index(then)


def test_without_the_hints_the_bodies_come_too_early(tmp_path: Path, target_db: Target,
                                                     shadow_env: None) -> None:
    project = load_project(start_dir=write_project(tmp_path / "p", SCHEMA))
    reader = StateReader(project)
    empty, schema = reader.files(()), reader.schema()
    plain = render_sql(diff_catalogs(empty, schema))
    assert before(plain, "FUNCTION public.count_orders()", "TABLE public.orders")
    assert before(plain, "FUNCTION public.big_order_count()", "VIEW public.big_orders")
    with psycopg.connect(target_db.conninfo) as conn:
        with pytest.raises(psycopg.errors.UndefinedTable):
            conn.execute(plain)  # type: ignore[arg-type]
        conn.rollback()
        hinted = render_sql(diff_to_schema(empty, schema, project))
        assert before(hinted, "TABLE public.orders", "FUNCTION public.count_orders()")
        assert before(hinted, "VIEW public.big_orders", "FUNCTION public.big_order_count()")
        conn.execute(hinted)  # type: ignore[arg-type]


def test_migrate_new_and_apply_follow_the_hints(tmp_path: Path, target_db: Target,
                                                shadow_env: None) -> None:
    root = write_project(tmp_path / "p", SCHEMA)
    pgmt_git(root, "migrate", "new", "orders")
    (migration,) = (root / "migrations").glob("*.sql")
    text = migration.read_text()
    assert before(text, "TABLE public.orders", "FUNCTION public.count_orders()")
    assert before(text, "VIEW public.big_orders", "FUNCTION public.big_order_count()")
    url = target_db.conninfo
    pgmt_git(root, "migrate", "apply", "--target-url", url)
    pgmt_git(root, "migrate", "diff", "--target-url", url, "--against", "schema")
    pgmt_git(root, "migrate", "validate")


def test_diff_to_schema_files_in_the_work_tree_and_in_git(tmp_path: Path,
                                                          shadow_env: None) -> None:
    root = write_project(tmp_path / "p", SCHEMA)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "schema")
    worktree = pgmt_git(root, "diff", "--from", "empty", "--to", "schema", check=1).stdout
    assert before(worktree, "TABLE public.orders", "FUNCTION public.count_orders()")
    assert before(worktree, "VIEW public.big_orders", "FUNCTION public.big_order_count()")
    head = pgmt_git(root, "diff", "--from", "empty", "--to", "schema@HEAD", check=1).stdout
    assert head == worktree
