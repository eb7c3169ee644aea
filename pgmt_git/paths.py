"""Per-user directories of pgmt-git (cache, embedded server). No heavy imports."""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir() -> Path:
    """PGMT_GIT_CACHE_DIR, else the platform's per-user cache directory."""
    override = os.environ.get("PGMT_GIT_CACHE_DIR")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_cache_dir("pgmt-git", appauthor=False))
