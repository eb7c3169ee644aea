"""Markers for a hand edit the SQL merge cannot read: git's line merge, and never a clean
result taken on trust."""

from __future__ import annotations

from pgmt_git.git.merge import Labels
from pgmt_git.git.regenerate import line_conflicts

LABELS = Labels(ours="as edited", base="as generated before", theirs="as regenerated")
GENERATED = "ALTER TABLE t ADD COLUMN a integer;\nALTER TABLE t ADD COLUMN b integer;\n"
EDITED = GENERATED + "UPDATE t SET b = (0;\n"


def sides(text: str) -> tuple[str, str, str, str]:
    """Before the markers, ours, theirs, after them (one conflict block)."""
    before, rest = text.split("<<<<<<< as edited\n")
    ours, rest = rest.split("=======\n")
    theirs, after = rest.split(">>>>>>> as regenerated\n")
    return before, ours, theirs, after


def test_lines_both_sides_changed_are_marked_by_the_line_merge() -> None:
    regenerated = "ALTER TABLE t ADD COLUMN b integer;\n"
    edited = GENERATED.replace("b integer;", "b integer; -- kept") + "UPDATE t SET b = (0;\n"

    before, ours, theirs, after = sides(line_conflicts(GENERATED, edited, regenerated, LABELS))

    assert "-- kept" in ours and "UPDATE t SET b = (0;" in ours
    assert "-- kept" not in before + theirs + after


def test_a_clean_line_merge_still_leaves_markers_around_the_difference() -> None:
    regenerated = GENERATED.replace("a integer", "a bigint")  # elsewhere than the edit

    before, ours, theirs, after = sides(line_conflicts(GENERATED, EDITED, regenerated, LABELS))

    assert "a integer" in ours and "UPDATE t SET b = (0;" in ours
    assert "a bigint" in theirs and "UPDATE" not in theirs
    assert "UPDATE" not in before + after
