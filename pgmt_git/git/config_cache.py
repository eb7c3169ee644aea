"""What the hooks read of each pgmt.yaml, kept between runs, by blob id.

Git starts the hooks on every commit, and reading pgmt.yaml takes PyYAML and the whole
config reader, whose imports alone are about a sixth of a hook's run. A pgmt.yaml blob read
under the same PGMT_* variables by the same pgmt-git always gives the same settings, so the
hooks keep the few they need (ProjectSettings) as JSON in the repository's git directory and
read them back instead of parsing the file again.

Best effort: an entry that cannot be read or written is a miss, never an error.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping
from pathlib import Path

from pgmt_git import __version__
from pgmt_git.git.published import ProjectSettings

# Part of every entry: bump it when cached settings may no longer be what parsing gives.
FORMAT = "pgmt-git settings cache v1"
MAX_ENTRIES = 32


class ConfigCache:
    def __init__(self, directory: Path | None, environ: Mapping[str, str]) -> None:
        """``directory`` None: nothing is kept."""
        self._directory = directory
        variables = sorted([k, v] for k, v in environ.items() if k.startswith("PGMT_"))
        # Whatever could make parsing the same blob give other settings.
        self._context = [FORMAT, __version__, list(sys.version_info[:2]), variables]

    def _path(self, blob_id: str) -> Path | None:
        return None if self._directory is None else self._directory / f"{blob_id}.json"

    def get(self, blob_id: str) -> ProjectSettings | None:
        path = self._path(blob_id)
        if path is None:
            return None
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
            if entry["context"] != self._context:
                return None
            return ProjectSettings.from_json(entry["settings"])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, blob_id: str, settings: ProjectSettings) -> None:
        path = self._path(blob_id)
        if path is None:
            return
        entry = {"context": self._context, "settings": settings.as_json()}
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_suffix(f".{os.getpid()}.tmp")
            temporary.write_text(json.dumps(entry), encoding="utf-8")
            temporary.replace(path)
            self._prune(path.parent)
        except OSError:
            pass

    @staticmethod
    def _prune(directory: Path) -> None:
        entries = sorted(directory.glob("*.json"), key=lambda p: p.stat().st_mtime)
        for stale in entries[:-MAX_ENTRIES]:
            stale.unlink(missing_ok=True)
