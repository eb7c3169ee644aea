"""Properties of the SQL merge, on generated schemas: independent edits on two sides (add,
drop and change distinct objects; add different columns to one table, change one column
while the other side adds another) always merge cleanly, into exactly both sides' edits,
whichever side is ours; a comment above an object stays above it, also when one side
rewrites the comment and the other the object."""

from __future__ import annotations

from dataclasses import dataclass, replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pgmt_git.git.merge import merge_sql
from pgmt_git.project.sqltext import split_statements

KINDS = ("table", "function", "view", "index", "comment", "grant")
ACTIONS = ("keep", "change", "drop", "note")


@dataclass(frozen=True)
class Obj:
    kind: str
    name: str
    version: int = 0
    columns: tuple[str, ...] = ()
    note: str = ""  # a comment line above the statement

    def sql(self) -> str:
        lead = f"-- {self.note}\n" if self.note else ""
        if self.kind == "table":
            body = ",\n".join(f"    {c}" for c in self.columns)
            return f"{lead}CREATE TABLE {self.name} (\n{body}\n);"
        return lead + {
            "function": f"CREATE FUNCTION {self.name}(a int) RETURNS int LANGUAGE sql "
                        f"AS $$ SELECT a + {self.version} $$;",
            "view": f"CREATE VIEW {self.name} AS SELECT {self.version} AS x;",
            "index": f"CREATE INDEX {self.name} ON things (c{self.version});",
            "comment": f"COMMENT ON TABLE {self.name} IS 'v{self.version}';",
            "grant": f"GRANT SELECT ON {self.name} TO role_{self.version};",
        }[self.kind]


def text(objects: list[Obj], separator: str) -> str:
    return separator.join(o.sql() for o in objects) + "\n"


@dataclass(frozen=True)
class Scenario:
    base: list[Obj]
    ours: list[Obj]
    theirs: list[Obj]
    expected: list[Obj]
    separator: str


@st.composite
def objects(draw: st.DrawFn, prefix: str, count: int) -> list[Obj]:
    found = []
    for i in range(count):
        kind = draw(st.sampled_from(KINDS))
        columns = tuple(f"c{j} int" for j in range(draw(st.integers(1, 3))))
        note = draw(st.sampled_from(["", f"about {prefix}{i}"]))
        found.append(Obj(kind, f"{prefix}{kind}_{i}", draw(st.integers(0, 3)), columns, note))
    return found


def changed(obj: Obj, side: str) -> Obj:
    if obj.kind == "table":  # a column changed on this side
        first, *rest = obj.columns
        return replace(obj, columns=(first.replace(" int", f" bigint /* {side} */"), *rest))
    return replace(obj, version=obj.version + (10 if side == "ours" else 20))


def with_column(obj: Obj, column: str) -> Obj:
    return replace(obj, columns=(*obj.columns, column))


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    base = draw(objects("", draw(st.integers(1, 8))))
    ours, theirs, expected = [], [], []
    for obj in base:
        owner = draw(st.sampled_from(("ours", "theirs")))
        # A changed grant is another grant (the statement is its key): a comment one side
        # writes above the old one conflicts with the other side's change, by design.
        actions = [a for a in ACTIONS if a != "note" or obj.kind != "grant"]
        action = draw(st.sampled_from(actions + (["columns"] if obj.kind == "table" else [])))
        if action == "keep":
            ours.append(obj), theirs.append(obj), expected.append(obj)
        elif action == "drop":
            (theirs if owner == "ours" else ours).append(obj)
        elif action == "change":
            new = changed(obj, owner)
            ours.append(new if owner == "ours" else obj)
            theirs.append(new if owner == "theirs" else obj)
            expected.append(new)
        elif action == "note":  # the owner rewrites the comment, the other the statement
            other = "theirs" if owner == "ours" else "ours"
            noted, body = replace(obj, note=f"{owner} on {obj.name}"), changed(obj, other)
            ours.append(noted if owner == "ours" else body)
            theirs.append(noted if owner == "theirs" else body)
            expected.append(replace(body, note=noted.note))
        else:  # both sides add a column; maybe one side also changes an existing one
            mine, other = with_column(obj, "o_col text"), with_column(obj, "t_col text")
            if draw(st.booleans()):
                mine = with_column(changed(obj, "ours"), "o_col text")
            ours.append(mine), theirs.append(other)
            expected.append(with_column(with_column(
                changed(obj, "ours") if mine.columns[0] != obj.columns[0] else obj,
                "o_col text"), "t_col text"))
    for side, prefix in ((ours, "o_"), (theirs, "t_")):
        for new in draw(objects(prefix, draw(st.integers(0, 3)))):
            side.insert(draw(st.integers(0, len(side))), new)
            expected.append(new)
    separator = draw(st.sampled_from(["\n\n", "\n"]))
    return Scenario(base, ours, theirs, expected, separator)


def canonical(sql: str) -> list[object]:
    """The statements of a text, sorted, each with the comment lines right above it (a
    comment must travel with its object); a table as its name and its set of columns (where
    two sides' new columns go is the merge's choice, checked elsewhere)."""
    found: list[object] = []
    end = 0
    for statement in split_statements(sql):
        above = tuple(line.strip() for line in sql[end:statement.start].splitlines()
                      if line.strip().startswith("--"))
        end = statement.end
        body = statement.text
        if body.startswith("CREATE TABLE"):
            head, _, rest = body.partition("(\n")
            columns = rest.rsplit("\n);", 1)[0].split(",\n")
            found.append((above, head, tuple(sorted(c.strip() for c in columns))))
        else:
            found.append((above, body))
    return sorted(found, key=repr)


def test_canonical_tells_where_a_comment_is() -> None:
    one = "-- a\nCREATE VIEW a AS SELECT 1;\nCREATE VIEW b AS SELECT 2;\n"
    other = "CREATE VIEW a AS SELECT 1;\n-- a\nCREATE VIEW b AS SELECT 2;\n"
    assert canonical(one) != canonical(other)
    assert canonical(one) == canonical("CREATE VIEW b AS SELECT 2;\n\n-- a\n"
                                       "CREATE VIEW a AS SELECT 1;\n")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_independent_edits_merge_cleanly_into_both_sides_edits(scenario: Scenario) -> None:
    sep = scenario.separator
    base, ours, theirs = (text(s, sep) for s in (scenario.base, scenario.ours, scenario.theirs))
    one = merge_sql(base, ours, theirs)
    other = merge_sql(base, theirs, ours)
    assert one.clean, one.text
    assert other.clean, other.text
    assert canonical(one.text) == canonical(text(scenario.expected, sep))
    assert canonical(one.text) == canonical(other.text)
    assert one.text == other.text


@settings(max_examples=30, deadline=None)
@given(scenarios())
def test_merging_with_an_unchanged_side_gives_the_other(scenario: Scenario) -> None:
    sep = scenario.separator
    base, ours = text(scenario.base, sep), text(scenario.ours, sep)
    assert merge_sql(base, ours, base).text == ours
    assert merge_sql(base, base, ours).text == ours
    assert merge_sql(base, ours, ours).text == ours


@settings(max_examples=30, deadline=None)
@given(scenarios(), st.sampled_from(["\n", "\r\n"]))
def test_the_merge_of_a_side_with_itself_plus_noise_keeps_its_text(scenario: Scenario,
                                                                   newline: str) -> None:
    """Merging theirs into ours when theirs only touched what ours touched identically
    (the same edits, a later line break style aside) is ours, byte for byte."""
    sep = scenario.separator
    base, ours = (text(s, sep).replace("\n", newline) for s in (scenario.base, scenario.ours))
    extra = f"{newline}CREATE TABLE zz_extra (id int);{newline}"
    merged = merge_sql(base, ours, ours + extra)
    assert merged.clean
    assert merged.text == ours + extra
