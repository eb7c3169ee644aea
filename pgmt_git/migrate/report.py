"""``migrate status`` as JSON and as text. Pure: an assessment in, a report out."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pgmt_git.migrate.assess import Assessment, FileState, FileStatus, SectionProgress
from pgmt_git.migrate.records import MigrationRow, SectionStatus

RESUME_COMMAND = "pgmt-git migrate apply"


def _time(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def section_state(progress: SectionProgress, *, live: bool = True) -> str:
    """completed, failed, running, interrupted (running, but no run holds the lock), or
    "not started"."""
    row = progress.row
    if row is None or row.status is SectionStatus.PENDING:
        return "not started"
    if row.status is SectionStatus.RUNNING and not live:
        return "interrupted"
    return row.status.value


def _section_json(progress: SectionProgress, total: int, *, live: bool) -> dict[str, Any]:
    row = progress.row
    out: dict[str, Any] = {
        "position": progress.section.order + 1, "of": total, "name": progress.section.name,
        "mode": progress.section.mode.value, "status": section_state(progress, live=live),
    }
    if row is not None:
        out.update(attempts=row.attempts, started_at=_time(row.started_at),
                   completed_at=_time(row.completed_at), duration_ms=row.duration_ms,
                   last_error=row.last_error, applied_by=row.applied_by)
    return out


def _file_json(status: FileStatus, *, sections: bool, live: bool) -> dict[str, Any]:
    migration, row = status.migration, status.row
    out: dict[str, Any] = {"version": migration.version, "description": migration.description,
                           "file": migration.path, "state": status.state.value}
    if row is not None:
        out.update(applied_at=_time(row.applied_at), applied_by=row.applied_by)
    if sections or status.state is FileState.PARTIAL:
        out["sections"] = [_section_json(p, len(status.sections), live=live)
                           for p in status.sections]
    return out


def _row_json(row: MigrationRow) -> dict[str, Any]:
    return {"version": row.version, "description": row.description, "file": None,
            "state": "applied", "baseline": row.is_baseline,
            "applied_at": _time(row.applied_at), "applied_by": row.applied_by}


def status_json(result: Assessment, *, target: str, sections: bool,
                lock: list[dict[str, Any]]) -> dict[str, Any]:
    live = bool(lock)
    incomplete = [
        {"version": f.migration.version, "file": f.migration.path, "section": p.section.name,
         "position": p.section.order + 1, "of": len(f.sections),
         "status": section_state(p, live=live),
         "last_error": p.row.last_error if p.row else None, "resume": RESUME_COMMAND}
        for f in result.files if f.state is FileState.PARTIAL
        for p in f.sections if not p.done and p.row is not None
        and p.row.status is not SectionStatus.PENDING]
    return {
        "target": target,
        "baseline": result.watermark,
        "applied": [_file_json(f, sections=sections, live=live) for f in result.files
                    if f.state is FileState.APPLIED],
        "pending": [_file_json(f, sections=sections, live=live) for f in result.files
                    if f.state in (FileState.PENDING, FileState.PARTIAL)],
        "covered_by_baseline": [f.migration.path for f in result.files
                                if f.state is FileState.COVERED],
        "deleted": [_row_json(r) for r in result.deleted],
        "incomplete": incomplete,
        "problems": [{"kind": p.kind.value, "version": p.version, "file": p.path,
                      "message": p.message, "hint": p.hint} for p in result.findings],
        "lock_holders": lock,
    }


def status_text(report: dict[str, Any], *, sections: bool) -> str:
    lines = [f"target: {report['target']}"]
    if report["baseline"] is not None:
        lines.append(f"provisioned from baseline {report['baseline']}")
    lines += _listing("applied", report["applied"], sections=sections)
    lines += _listing("pending", report["pending"], sections=True)
    if report["covered_by_baseline"]:
        lines.append(f"covered by the baseline: {len(report['covered_by_baseline'])} files")
    if report["incomplete"]:
        lines.append("incomplete:")
        for item in report["incomplete"]:
            error = f": {_first_line(item['last_error'])}" if item["last_error"] else ""
            lines.append(f"  {item['file']}: section {item['position']}/{item['of']} "
                         f"{item['section']} {item['status']}{error}")
        lines.append(f"  resume with: {RESUME_COMMAND}")
    if report["problems"]:
        lines.append("problems:")
        for problem in report["problems"]:
            lines.append(f"  {problem['message']}")
            lines.append(f"    hint: {problem['hint']}")
    for holder in report["lock_holders"]:
        lines.append(f"a migration run holds the lock now: {holder['describe']}")
    return "\n".join(lines) + "\n"


def _listing(title: str, files: list[dict[str, Any]], *, sections: bool) -> list[str]:
    if not files:
        return [f"{title}: none"]
    lines = [f"{title} ({len(files)}):"]
    for item in files:
        when = ""
        if item.get("applied_at"):
            when = f"  {_when(item['applied_at'])} by {item['applied_by']}"
        state = "" if item["state"] in ("applied", "pending") else f"  [{item['state']}]"
        lines.append(f"  {item['version']}  {item['file']}{when}{state}")
        if sections and "sections" in item:
            for section in item["sections"]:
                attempts = section.get("attempts")
                tries = f" ({attempts} attempts)" if attempts and attempts > 1 else ""
                lines.append(f"      {section['position']}/{section['of']} {section['name']}: "
                             f"{section['status']}{tries}")
    return lines


def _when(iso: str) -> str:
    """``2026-01-01 10:00:00 UTC``: the time as the server gave it, with its zone (the
    reader's may be another)."""
    return datetime.fromisoformat(iso).strftime("%Y-%m-%d %H:%M:%S %Z")


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else text
