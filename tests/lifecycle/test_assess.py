"""What the tracking tables say about the files: pure, inline data."""

from __future__ import annotations

from pgmt_git.migrate.assess import FileState, FindingKind, Overrides, assess
from pgmt_git.migrate.records import MigrationRow, SectionRow, SectionStatus, TrackingState
from pgmt_git.project.migrations import build_chain, file_checksum
from pgmt_git.project.sections import parse_sections, section_checksum

ONE = "CREATE TABLE a (id int);\n"
TWO = ('-- pgmt:section name="first"\nCREATE TABLE b (id int);\n\n'
       '-- pgmt:section name="second" mode="non-transactional"\n'
       "CREATE INDEX CONCURRENTLY b_id ON b (id);\n")


def chain(**files: str):  # type: ignore[no-untyped-def]
    return build_chain([(f"migrations/{name}.sql", text) for name, text in files.items()])


def applied(version: int, text: str, *, statuses: tuple[SectionStatus, ...] | None = None,
            legacy: bool = False) -> tuple[MigrationRow, tuple[SectionRow, ...]]:
    row = MigrationRow(version, False, "x", file_checksum(text))
    sections = parse_sections(text)
    statuses = statuses or tuple(SectionStatus.COMPLETED for _ in sections)
    rows = tuple(SectionRow(version, False, s.name, s.order, st,
                            checksum=None if legacy else section_checksum(s),
                            mode=None if legacy else s.mode.value)
                 for s, st in zip(sections, statuses))
    return row, rows


def state(*entries: tuple[MigrationRow, tuple[SectionRow, ...]]) -> TrackingState:
    return TrackingState(tuple(e[0] for e in entries), tuple(s for e in entries for s in e[1]))


def test_nothing_applied_everything_pending() -> None:
    result = assess(chain(V1_a=ONE, V2_b=TWO), TrackingState())
    assert [f.state for f in result.files] == [FileState.PENDING, FileState.PENDING]
    assert result.findings == ()
    assert [p.section.name for p in result.pending[1].to_run] == ["first", "second"]


def test_applied_partial_and_pending() -> None:
    result = assess(chain(V1_a=ONE, V2_b=TWO, V3_c=ONE),
                    state(applied(1, ONE),
                          applied(2, TWO, statuses=(SectionStatus.COMPLETED,
                                                    SectionStatus.FAILED))))
    assert [f.state for f in result.files] == [FileState.APPLIED, FileState.PARTIAL,
                                               FileState.PENDING]
    assert [p.section.name for p in result.files[1].to_run] == ["second"]
    assert result.findings == ()


def test_modified_applied_section_is_refused_with_both_checksums() -> None:
    edited = TWO.replace("CREATE TABLE b (id int)", "CREATE TABLE b (id bigint)")
    row, rows = applied(2, TWO)
    result = assess(chain(V2_b=edited), state((row, rows)))
    (finding,) = result.findings
    assert finding.kind is FindingKind.MODIFIED
    assert "migrations/V2_b.sql" in finding.message and "section 'first'" in finding.message
    assert rows[0].checksum in finding.message
    assert section_checksum(parse_sections(edited)[0]) in finding.message
    assert "--restamp 2" in finding.hint


def test_whitespace_between_sections_is_not_a_modification() -> None:
    spaced = TWO.replace("\n\n--", "\n\n\n\n--")
    result = assess(chain(V2_b=spaced), state(applied(2, TWO)))
    assert result.findings == ()
    (update,) = result.checksum_updates
    assert update.section is None and update.new == file_checksum(spaced)


def test_an_unapplied_section_may_be_fixed() -> None:
    fixed = TWO.replace("b_id ON b (id)", "b_id ON b (id DESC)")
    result = assess(chain(V2_b=fixed),
                    state(applied(2, TWO, statuses=(SectionStatus.COMPLETED,
                                                    SectionStatus.FAILED))))
    assert result.findings == ()
    assert [u.section for u in result.checksum_updates] == ["second", None]


def test_legacy_rows_compare_the_whole_file() -> None:
    result = assess(chain(V1_a=ONE + "-- edited\n"), state(applied(1, ONE, legacy=True)))
    (finding,) = result.findings
    assert finding.kind is FindingKind.MODIFIED
    assert file_checksum(ONE) in finding.message
    assert file_checksum(ONE + "-- edited\n") in finding.message
    assert assess(chain(V1_a=ONE), state(applied(1, ONE, legacy=True))).findings == ()


def test_rows_without_sections_are_applied() -> None:
    row = MigrationRow(1, False, "a", file_checksum(ONE))
    result = assess(chain(V1_a=ONE), TrackingState((row,)))
    assert result.files[0].state is FileState.APPLIED


def test_removed_applied_section_is_a_modification() -> None:
    result = assess(chain(V2_b=TWO.split("\n\n")[0] + "\n"), state(applied(2, TWO)))
    assert any("'second' ran but is no longer in the file" in f.message
               for f in result.findings)


def test_deleted_applied_migration_is_refused_unless_allowed() -> None:
    result = assess(chain(V2_b=TWO), state(applied(1, ONE), applied(2, TWO)))
    (finding,) = result.findings
    assert finding.kind is FindingKind.DELETED and "migration 1 (x)" in finding.message
    assert result.blocking(Overrides(allow_deleted=True)) == ()


def test_deleted_migration_covered_by_a_baseline_file_is_fine() -> None:
    covered = build_chain([("migrations/V2_b.sql", TWO)],
                          [("schema_baselines/baseline_1.sql", ONE)])
    assert assess(covered, state(applied(1, ONE), applied(2, TWO))).findings == ()


def test_late_file_is_out_of_order_unless_allowed() -> None:
    result = assess(chain(V1_a=ONE, V2_b=TWO, V3_c=ONE), state(applied(1, ONE), applied(3, ONE)))
    (finding,) = result.findings
    assert finding.kind is FindingKind.OUT_OF_ORDER and finding.version == 2
    assert "--allow-out-of-order" in finding.hint
    assert result.blocking(Overrides(allow_out_of_order=True)) == ()
    assert [f.migration.version for f in result.pending] == [2]


def test_baseline_covers_older_files() -> None:
    base = MigrationRow(5, True, "baseline", "x")
    base_section = SectionRow(5, True, "default", 0, SectionStatus.COMPLETED, checksum="y")
    result = assess(chain(V1_a=ONE, V9_b=TWO), TrackingState((base,), (base_section,)))
    assert [f.state for f in result.files] == [FileState.COVERED, FileState.PENDING]
    assert result.findings == ()


def test_half_applied_baseline_is_reported() -> None:
    base = MigrationRow(5, True, "baseline", "x")
    base_section = SectionRow(5, True, "default", 0, SectionStatus.FAILED, checksum="y")
    result = assess(chain(V9_b=TWO), TrackingState((base,), (base_section,)))
    assert [f.kind for f in result.findings] == [FindingKind.INCOMPLETE_BASELINE]
