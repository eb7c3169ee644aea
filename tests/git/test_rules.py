"""published.py and rules.py on inline data: no git, no database."""

from __future__ import annotations

import hashlib

import pytest

from pgmt_git.config import parse_config_text
from pgmt_git.git.published import FileKind, Layout, ProjectSettings, Published
from pgmt_git.git.rules import (
    Change,
    Finding,
    Rule,
    check_changes,
    conflict_marker_line,
    describe_edit,
)

BLOBS: dict[str, bytes] = {}


def blob(text: str) -> str:
    data = text.encode()
    key = hashlib.sha1(data).hexdigest()
    BLOBS[key] = data
    return key


def layout(root: str = "", config: str = "", prefix: str = "V") -> Layout:
    text = f"migration:\n  filename_prefix: {prefix}\n{config}"
    config = parse_config_text(text, source="test", environ={})
    return Layout.of(root, ProjectSettings.of(config))


def published(files: dict[str, str], *, of: Layout | None = None) -> Published:
    return Published("origin/main", of or layout(), {p: blob(t) for p, t in files.items()})


def check(changes: dict[str, str | None], pub: Published, of: Layout | None = None
          ) -> list[tuple[Rule, str]]:
    return [(f.rule, f.path) for f in findings(changes, pub, of)]


def findings(changes: dict[str, str | None], pub: Published, of: Layout | None = None,
             base: Published | None = None) -> list[Finding]:
    """check_changes() of a branch that started at the protected ref (unless ``base``)."""
    return check_changes(
        [Change(p, None if t is None else blob(t)) for p, t in changes.items()],
        layout=of or pub.layout, published=pub, read=BLOBS.__getitem__, target="the index",
        base=pub if base is None else base)


PUBLISHED = {"migrations/V100_a.sql": "SELECT 1;\n", "migrations/V200_b.sql": "SELECT 2;\n"}


def test_layout_kinds() -> None:
    lay = layout("db")
    assert lay.kind("db/migrations/V1_a.sql") is FileKind.MIGRATION
    assert lay.kind("db/schema_baselines/baseline_5.sql") is FileKind.BASELINE
    assert lay.kind("db/schema_baselines/notes.sql") is None
    assert lay.kind("db/schema/x/y.sql") is FileKind.SCHEMA
    assert lay.kind("db/roles.sql") is FileKind.ROLES
    assert lay.kind("db/migrations/.V1_hidden.sql") is None
    assert lay.kind("db/migrations/sub/V1_a.sql") is None  # pgmt reads no subdirectories
    assert lay.kind("migrations/V1_a.sql") is None
    assert lay.version("db/schema_baselines/baseline_V7.sql") == 7
    assert lay.version("db/migrations/V0012_a.sql") == 12


def test_newest_and_holder_confirm_names() -> None:
    pub = published({
        "migrations/V100_a.sql": "", "migrations/V9_b.sql": "",
        "migrations/V99999_notes.txt": "", "migrations/sub/V5000_x.sql": "",
        "migrations/V300.sql": "",  # no description: not a migration name
        "schema_baselines/baseline_150.sql": "",
    })
    assert pub.newest(FileKind.MIGRATION) == 100
    assert pub.newest(FileKind.BASELINE) == 150
    assert pub.holder(FileKind.MIGRATION, 9) == "migrations/V9_b.sql"
    assert pub.holder(FileKind.MIGRATION, 300) is None


def test_a_version_is_found_by_its_name_not_by_digits_elsewhere() -> None:
    pub = published({
        "migrations/V100_add_200_columns.sql": "", "migrations/V0200_b.sql": "",
        "migrations/V1200_c.sql": "", "migrations/V200_d.sql": "",
    })
    assert pub.holder(FileKind.MIGRATION, 200) == "migrations/V0200_b.sql"
    assert pub.holder(FileKind.MIGRATION, 100) == "migrations/V100_add_200_columns.sql"
    assert pub.shared_versions() == [
        (FileKind.MIGRATION, 200, ("migrations/V0200_b.sql", "migrations/V200_d.sql"))]
    assert pub.newest(FileKind.MIGRATION) == 1200


def test_a_custom_prefix_and_names_without_it() -> None:
    lay = layout(prefix="M")
    pub = published({"migrations/M10_a.sql": "", "migrations/V20_b.sql": "",
                     "migrations/30_c.sql": ""}, of=lay)
    assert pub.newest(FileKind.MIGRATION) == 30


def test_identical_content_is_no_edit() -> None:
    pub = published(PUBLISHED)
    assert check({"migrations/V100_a.sql": "SELECT 1;\n"}, pub) == []
    assert check({"migrations/V100_a.sql": "SELECT 1;\r\n"}, pub) == []


def test_edit_delete_rename() -> None:
    pub = published(PUBLISHED)
    assert check({"migrations/V100_a.sql": "SELECT 11;\n"}, pub) == [
        (Rule.MODIFIED, "migrations/V100_a.sql")]
    assert check({"migrations/V100_a.sql": None}, pub) == [
        (Rule.DELETED, "migrations/V100_a.sql")]
    assert check({"migrations/V100_a.sql": None, "migrations/V300_a.sql": "SELECT 1;\r\n"},
                 pub) == [(Rule.RENAMED, "migrations/V100_a.sql")]


def test_ordering_and_duplicates() -> None:
    pub = published(PUBLISHED)
    assert check({"migrations/V201_c.sql": "x"}, pub) == []
    assert check({"migrations/V150_c.sql": "x"}, pub) == [(Rule.ORDER, "migrations/V150_c.sql")]
    assert check({"migrations/V200_c.sql": "x"}, pub) == [
        (Rule.DUPLICATE, "migrations/V200_c.sql")]
    assert check({"migrations/V300_c.sql": "x", "migrations/V300_d.sql": "y"}, pub) == [
        (Rule.DUPLICATE, "migrations/V300_d.sql")]


def test_duplicates_anywhere_in_the_tree() -> None:
    # Two published files share a version (e.g. two pull requests merged without the
    # hooks): any commit is refused until one of them is renumbered.
    pub = published({**PUBLISHED, "migrations/V200_c.sql": "SELECT 3;\n"})
    found = findings({"schema/a.sql": "CREATE TABLE a ();\n"}, pub)
    assert [(f.rule, f.path) for f in found] == [(Rule.DUPLICATE, "migrations/V200_c.sql")]
    assert "migrations/V200_b.sql" in found[0].problem
    assert "both published on origin/main" in found[0].problem
    assert "git mv migrations/V200_c.sql migrations/V201_c.sql" in found[0].fix
    # Renumbering one of them above the newest is the fix, not a rename of a published file.
    assert check({"migrations/V200_c.sql": None, "migrations/V201_c.sql": "SELECT 3;\n"},
                 pub) == []
    # ... and only above the newest; deleting it is still a deletion.
    assert check({"migrations/V200_c.sql": None, "migrations/V150_c.sql": "SELECT 3;\n"},
                 pub) == [(Rule.ORDER, "migrations/V150_c.sql")]
    assert check({"migrations/V200_c.sql": None}, pub) == [
        (Rule.DELETED, "migrations/V200_c.sql")]
    # A rename of a published file with a version of its own stays refused.
    assert check({"migrations/V100_a.sql": None, "migrations/V300_a.sql": "SELECT 1;\n"},
                 pub) == [(Rule.RENAMED, "migrations/V100_a.sql"),
                          (Rule.DUPLICATE, "migrations/V200_c.sql")]


def test_duplicates_in_a_merge_base_the_protected_ref_moved_on_from() -> None:
    # Since the branch point, the protected ref renumbered V200_c (published twins); the
    # branch still has both, and adds a migration with the version of a file only its
    # merge base has.
    pub = published({**PUBLISHED, "migrations/V201_c.sql": "SELECT 3;\n"})
    base = published({**PUBLISHED, "migrations/V200_c.sql": "SELECT 3;\n",
                      "migrations/V150_gone.sql": "SELECT 4;\n"})
    found = findings({"migrations/V150_mine.sql": "SELECT 5;\n"}, pub, base=base)
    assert [(f.rule, f.path) for f in found] == [
        (Rule.DUPLICATE, "migrations/V150_mine.sql"), (Rule.ORDER, "migrations/V150_mine.sql"),
        (Rule.DUPLICATE, "migrations/V200_c.sql")]
    assert "migrations/V150_gone.sql" in found[0].problem
    assert "migrations/V200_b.sql" in found[2].problem


def test_a_new_duplicate_is_reported_once() -> None:
    pub = published(PUBLISHED)
    found = findings({"migrations/V200_c.sql": "x"}, pub)
    assert [(f.rule, f.path) for f in found] == [(Rule.DUPLICATE, "migrations/V200_c.sql")]
    assert "the published migrations/V200_b.sql on origin/main" in found[0].problem


def test_baselines_stand_after_their_migrations() -> None:
    lay = layout()
    pub = published({**PUBLISHED, "schema_baselines/baseline_150.sql": "B"}, of=lay)
    assert check({"schema_baselines/baseline_200.sql": "x"}, pub) == []  # at the newest
    assert check({"schema_baselines/baseline_190.sql": "x"}, pub) == [
        (Rule.ORDER, "schema_baselines/baseline_190.sql")]
    assert check({"schema_baselines/baseline_150.sql": "y"}, pub) == [
        (Rule.MODIFIED, "schema_baselines/baseline_150.sql")]
    # A migration at or below a published baseline would never run after it.
    only_baseline = published({"schema_baselines/baseline_500.sql": "B"}, of=lay)
    assert check({"migrations/V500_x.sql": "x"}, only_baseline) == [
        (Rule.ORDER, "migrations/V500_x.sql")]


def test_nothing_published_allows_any_version() -> None:
    pub = published({})
    assert check({"migrations/V1_a.sql": "x", "migrations/V2_b.sql": "y"}, pub) == []


def test_files_outside_the_project_are_ignored() -> None:
    lay = layout("db")
    pub = published({"db/migrations/V100_a.sql": "SELECT 1;\n"}, of=lay)
    assert check({"migrations/V1_a.sql": "<<<<<<< x\n", "other/V1.sql": None}, pub) == []
    assert check({"db/migrations/V1_a.sql": "x"}, pub) == [(Rule.ORDER, "db/migrations/V1_a.sql")]


@pytest.mark.parametrize(("old", "new", "described"), [
    ("a\nb\n", "a\nb\n", None),
    ("a\nb\n", "a\nc\n", "changes line 2"),
    ("a\n", "a\nb\n", "adds lines after line 1"),
    ("a\nb\n", "a\n", "changes line 2"),
    ('-- pgmt:section name="x"\na\n', '-- pgmt:section name="y"\na\n',
     "changes a section header (line 1)"),
    ('-- pgmt:section name="x"\n-- pgmt: timeout="5s"\na\n',
     '-- pgmt:section name="x"\n-- pgmt: timeout="9s"\na\n', "changes a section header (line 2)"),
])
def test_describe_edit(old: str, new: str, described: str | None) -> None:
    assert describe_edit(old, new) == described


def test_conflict_markers() -> None:
    assert conflict_marker_line("a\n<<<<<<< HEAD\nb\n=======\nc\n>>>>>>> x\n") == 2
    assert conflict_marker_line("a\n||||||| base\n") == 2
    assert conflict_marker_line("-- =======\n=======\n-- <<<<<<< quoted\n") is None


def test_project_settings_round_trip_through_json() -> None:
    config = parse_config_text("git:\n  protected_refs: [origin/main, release]\n",
                               source="test", environ={})
    settings = ProjectSettings.of(config)
    assert settings.protected_refs == ("origin/main", "release")
    assert ProjectSettings.from_json(settings.as_json()) == settings
    with pytest.raises(ValueError):
        ProjectSettings.from_json(["a", "b"])
