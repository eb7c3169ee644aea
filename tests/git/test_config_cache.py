"""Parsed pgmt.yaml files kept between hook runs: a changed file or environment is a miss."""

from __future__ import annotations

from pathlib import Path

from pgmt_git.config import CONFIG_FILENAME, parse_config_text
from pgmt_git.git import guard
from pgmt_git.git.config_cache import MAX_ENTRIES, ConfigCache
from pgmt_git.git.published import ProjectSettings
from tests.git.conftest import Workspace, pgmt_git


def test_the_config_file_name_is_the_configs() -> None:
    assert guard.CONFIG_FILENAME == CONFIG_FILENAME


def settings(text: str = "") -> ProjectSettings:
    return ProjectSettings.of(parse_config_text(text, source="t", environ={}))


def test_hits_misses_and_damage(tmp_path: Path) -> None:
    config = settings("migration:\n  filename_prefix: X\n")
    cache = ConfigCache(tmp_path, {})
    assert cache.get("a" * 40) is None
    cache.put("a" * 40, config)
    assert cache.get("a" * 40) == config
    assert ConfigCache(tmp_path, {"OTHER": "x"}).get("a" * 40) == config
    assert ConfigCache(tmp_path, {"PGMT_MIGRATIONS_DIR": "m"}).get("a" * 40) is None
    for entry in tmp_path.iterdir():
        entry.write_bytes(b"not json")
    assert cache.get("a" * 40) is None
    assert ConfigCache(None, {}).get("a" * 40) is None


def test_entries_are_bounded(tmp_path: Path) -> None:
    cache = ConfigCache(tmp_path, {})
    for n in range(MAX_ENTRIES + 5):
        cache.put(f"{n:040x}", settings())
    assert len(list(tmp_path.glob("*.json"))) == MAX_ENTRIES


def test_an_edited_config_is_read_again(work: Workspace) -> None:
    work.write("migrations/V300_next.sql", "SELECT 1;\n")
    work.must_commit()
    # Moving the migrations directory in pgmt.yaml: the published files now look deleted.
    work.write("pgmt.yaml", "directories:\n  migrations_dir: changes\n")
    work.git("mv", "migrations", "changes")
    result = work.commit()
    assert result.returncode == 1
    assert "renames it to changes/V100_create_users.sql" in result.stderr


def test_the_environment_is_part_of_the_key(work: Workspace) -> None:
    work.write("migrations/V150_late.sql", "SELECT 1;\n")
    work.git("add", "-A")
    assert pgmt_git(work.path, "hook", "pre-commit").returncode == 1
    elsewhere = {"PGMT_MIGRATIONS_DIR": "other"}  # then V150 is none of the project's files
    assert pgmt_git(work.path, "hook", "pre-commit", env=elsewhere).returncode == 0
    assert pgmt_git(work.path, "hook", "pre-commit").returncode == 1
