"""Column type changes that must keep the rows: the generated SQL applied to a table with
real values, and the values read back."""

from __future__ import annotations

import pytest

from pgmt_git.pg.server import Server
from tests.diff.roundtrip import migrated_rows

# (columns before, rows, columns after, the rows read back, in the order of their id)
CONVERSIONS = {
    "scalar becomes a one-element array, NULL stays NULL": (
        "tag text, n integer, label varchar(20)",
        "(1, 'a', 5, 'x'), (2, NULL, NULL, NULL), (3, '', 0, '')",
        "tag text[], n bigint[], label text[]",
        [(["a"], [5], ["x"]), (None, None, None), ([""], [0], [""])]),
    "array becomes its first element, an empty one NULL": (
        "names text[], codes integer[]",
        "(1, '{p,q}', '[3:4]={7,8}'), (2, NULL, NULL), (3, '{}', '{}'), (4, '{NULL,r}', '{9}')",
        "names text, codes text",
        [("p", "7"), (None, None), (None, None), (None, "9")]),
    "types without a cast go through text": (
        "flag integer, small smallint, doc jsonb, day text",
        "(1, 0, 1, '3', '2024-05-06'), (2, 7, 0, '-1', NULL)",
        "flag boolean, small boolean, doc integer, day date",
        [(False, True, 3, "2024-05-06"), (True, False, -1, None)]),
}


@pytest.mark.parametrize("name", sorted(CONVERSIONS))
def test_values_survive_the_type_change(pg_server: Server, unique: str, name: str) -> None:
    before, rows, after, expected = CONVERSIONS[name]
    table = f"t_{unique}"
    start = f"CREATE TABLE {table} (id int, {before});\nINSERT INTO {table} VALUES {rows};\n"
    target = f"CREATE TABLE {table} (id int, {after});\n"
    columns = ", ".join(f"{c.split()[0]}::text" if c.endswith(" date") else c.split()[0]
                        for c in after.split(", "))
    assert migrated_rows(pg_server, start, target,
                          f"SELECT {columns} FROM {table} ORDER BY id") == expected
