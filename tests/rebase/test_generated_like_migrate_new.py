"""A regenerated migration is what `pgmt-git migrate new` would write: the project's diff
options (owners managed) and its schema files' -- require: hints (a SQL function body that
reads a table comes after the table) hold through a rebase."""

from __future__ import annotations

from tests.rebase.conftest import CONFIG, Dev
from tests.rebase.test_hand_edits import upstream_adds

ROLE = "pgmt_git_test_owner"  # fixed: roles are cluster-wide, replays tolerate it


def branch_files(u: str) -> dict[str, str]:
    # count_<u>() sorts before next_<u>(), which the table's default waits for: only the
    # hint puts the function after the table its body reads.
    return {
        "pgmt.yaml": CONFIG + "git:\n  diff:\n    owners: true\n",
        "roles.sql": f"CREATE ROLE {ROLE} NOLOGIN;\n",
        f"schema/functions/next_{u}.sql":
            f"CREATE FUNCTION next_{u}() RETURNS int LANGUAGE sql AS 'SELECT 1';\n",
        f"schema/tables/x_{u}.sql":
            f"-- require: functions/next_{u}.sql\n"
            f"CREATE TABLE x_{u} (id int DEFAULT next_{u}());\n"
            f"ALTER TABLE x_{u} OWNER TO {ROLE};\n",
        f"schema/functions/count_{u}.sql":
            f"-- require: tables/x_{u}.sql\n"
            f"CREATE FUNCTION count_{u}() RETURNS bigint LANGUAGE sql "
            f"AS 'SELECT count(*) FROM public.x_{u}';\n",
    }


def test_owners_and_require_hints_survive_regeneration(team: tuple[Dev, Dev],
                                                       unique: str) -> None:
    alice, bob = team
    for path, text in branch_files(unique).items():
        bob.write(path, text)
    generated = bob.generate("x")
    bob.must_commit("x")
    upstream_adds(alice, unique, "a int")

    result = bob.rebase_pull()

    assert result.returncode == 0, result.stderr
    (mine,) = [n for n in bob.migrations() if n.endswith("_x.sql")]
    assert f"migrations/{mine}" != generated
    text = (bob.path / "migrations" / mine).read_text()
    assert f"ALTER TABLE public.x_{unique} OWNER TO {ROLE};" in text
    assert text.index(f"TABLE public.x_{unique}") < text.index(f"FUNCTION public.count_{unique}")
    check = bob.pgmt("check", "--base", "origin/main")
    assert check.returncode == 0, check.stdout + check.stderr
