"""Installing pgmt-git into a repository: hook scripts, the merge driver, .gitattributes.

Everything goes through the git command line, which knows where a linked worktree keeps its
hooks (the main repository's) and its config (shared by all worktrees), and what
``core.hooksPath`` changes. ``uninstall`` undoes exactly what ``install`` did: hooks that
were there before come back, nothing of anybody else's is removed. What the merge driver's
install found (an earlier ``merge.pgmt`` section, a ``.gitattributes`` line already there) is
recorded in ``<git common dir>/pgmt-git/install.json`` so that uninstall can tell.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from pgmt_git.errors import GitError

HOOK_NAMES = ("pre-commit", "pre-push", "post-rewrite", "post-merge")
# Git passes these hooks data on stdin; a chained legacy hook needs its own copy.
_STDIN_HOOKS = frozenset({"pre-push", "post-rewrite"})
MARKER = "# pgmt-git hook script"
LEGACY_SUFFIX = ".legacy"
MERGE_SECTION = "merge.pgmt"
MERGE_DRIVER_NAME = "pgmt-git: SQL-aware merge of schema files"
MERGE_DRIVER_ARGS = "merge-driver %O %A %B %L %P"
MERGE_DRIVER = f"pgmt-git {MERGE_DRIVER_ARGS}"
ATTRIBUTES_FILE = ".gitattributes"
RECORD_FILE = "install.json"


@dataclass(frozen=True)
class Step:
    """One thing install or uninstall did, for the report."""

    text: str


def git_output(cwd: Path, *args: str, check: bool = True) -> str | None:
    """stdout of a git command (stripped); None when it fails and ``check`` is False."""
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True,
                            check=False)
    if result.returncode != 0:
        if not check:
            return None
        raise GitError(f"git {' '.join(args)} failed: {result.stderr.strip()}")
    return result.stdout.strip()


def hooks_dir(cwd: Path) -> Path:
    """Where git runs this repository's hooks from (core.hooksPath when set)."""
    path = git_output(cwd, "rev-parse", "--path-format=absolute", "--git-path", "hooks")
    assert path is not None
    return Path(path)


def hooks_path_setting(cwd: Path) -> str | None:
    return git_output(cwd, "config", "--get", "core.hooksPath", check=False) or None


# ------------------------------------------------------------------------------ hooks


def pgmt_git_command() -> str:
    """The pgmt-git to run from hooks: this installation's, by absolute path (a GUI client
    or a shell without the virtualenv activated has another PATH)."""
    script = Path(sys.executable).parent / "pgmt-git"
    if script.is_file() and os.access(script, os.X_OK):
        return str(script)
    found = shutil.which("pgmt-git")
    return found or "pgmt-git"


def hook_script(name: str, command: str) -> str:
    """An installed hook: runs ``<name>.legacy`` first when there is one, then pgmt-git."""
    lines = [
        "#!/bin/sh",
        f"{MARKER} (`pgmt-git install`; `pgmt-git uninstall` removes it).",
        f"# A {name} hook that was here before is kept as {name}{LEGACY_SUFFIX} and runs first.",
        f"pgmt_git={shlex.quote(command)}",
        'if [ ! -x "$pgmt_git" ]; then pgmt_git=pgmt-git; fi',
        'if ! command -v "$pgmt_git" >/dev/null 2>&1; then',
        f'    echo "pgmt-git: not found (was {command}); reinstall it and run'
        f' \\`pgmt-git install\\`, or skip once with PGMT_GIT_SKIP=1" >&2',
        '    if [ -n "$PGMT_GIT_SKIP" ] && [ "$PGMT_GIT_SKIP" != 0 ]; then exit 0; fi',
        "    exit 1",
        "fi",
    ]
    if name in _STDIN_HOOKS:
        lines += [
            'if [ -x "$0.legacy" ]; then',
            "    input=$(cat)",
            '    printf \'%s\\n\' "$input" | "$0.legacy" "$@" || exit $?',
            f'    printf \'%s\\n\' "$input" | "$pgmt_git" hook {name} "$@"',
            "    exit $?",
            "fi",
        ]
    else:
        lines += ['if [ -x "$0.legacy" ]; then "$0.legacy" "$@" || exit $?; fi']
    lines.append(f'exec "$pgmt_git" hook {name} "$@"')
    return "\n".join(lines) + "\n"


def is_ours(path: Path) -> bool:
    try:
        return MARKER in path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False


def install_hooks(cwd: Path, *, force: bool, command: str | None = None) -> list[Step]:
    setting = hooks_path_setting(cwd)
    directory = hooks_dir(cwd)
    if setting is not None and not force:
        raise GitError(
            f"core.hooksPath is set ({setting}): git runs the hooks in {directory}, "
            "which another tool may manage",
            hint="`git config --unset core.hooksPath` and run `pgmt-git install` again, or "
                 f"`pgmt-git install --force` to install into {directory} anyway",
        )
    directory.mkdir(parents=True, exist_ok=True)
    command = command or pgmt_git_command()
    kept = []
    for name in HOOK_NAMES:
        path = directory / name
        if path.exists() and not is_ours(path):
            legacy = directory / f"{name}{LEGACY_SUFFIX}"
            if legacy.exists():
                raise GitError(f"both {path} and {legacy} exist and neither is pgmt-git's",
                               hint=f"merge them into {legacy}, remove {path}, and run "
                                    "`pgmt-git install` again")
            path.rename(legacy)
            kept.append(name)
        path.write_text(hook_script(name, command), encoding="utf-8")
        path.chmod(0o755)
    steps = [Step(f"installed hooks in {directory}: {', '.join(HOOK_NAMES)}")]
    steps += [Step(f"kept the existing {name} hook as {name}{LEGACY_SUFFIX}; it runs first")
              for name in kept]
    return steps


def uninstall_hooks(cwd: Path) -> list[Step]:
    directory = hooks_dir(cwd)
    steps = []
    for name in HOOK_NAMES:
        path = directory / name
        legacy = directory / f"{name}{LEGACY_SUFFIX}"
        if path.exists() and not is_ours(path):
            steps.append(Step(f"left {path} alone: it is not pgmt-git's"))
            continue
        if path.exists():
            path.unlink()
            steps.append(Step(f"removed the {name} hook"))
        if legacy.exists() and not path.exists():
            legacy.rename(path)
            steps.append(Step(f"restored the earlier {name} hook"))
    return steps


# ------------------------------------------------------------------------------ merge driver


def attributes_line(schema_dir: str) -> str:
    """The .gitattributes line (relative to the project root) for the schema files."""
    if schema_dir in ("", "."):
        return "*.sql merge=pgmt"
    return f"{schema_dir.strip('/')}/**/*.sql merge=pgmt"


def merge_driver_command(command: str | None = None) -> str:
    """``merge.pgmt.driver``: this installation's pgmt-git by absolute path, like the hooks
    (git runs the driver through the shell, with whatever PATH the merging client has)."""
    return f"{shlex.quote(command or pgmt_git_command())} {MERGE_DRIVER_ARGS}"


class _Record:
    """What install found before it changed the merge driver's settings, in the git
    directory shared by all worktrees: ``driver`` is the earlier ``merge.pgmt`` section
    (None: there was none, or it was pgmt-git's), known once ``has_driver``;
    ``attributes`` the lines install added, as ``<path from the top of the work tree>:
    <line>``. ``exists``: there was a record (an older install kept none)."""

    def __init__(self, cwd: Path) -> None:
        common = git_output(cwd, "rev-parse", "--path-format=absolute", "--git-common-dir")
        top = git_output(cwd, "rev-parse", "--show-toplevel")
        assert common is not None and top is not None
        self.path = Path(common) / "pgmt-git" / RECORD_FILE
        self.top = Path(top)
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = None
        self.exists = isinstance(data, dict)
        data = data if isinstance(data, dict) else {}
        self.has_driver = "driver" in data
        driver = data.get("driver")
        self.driver: dict[str, str] | None = driver if isinstance(driver, dict) else None
        self.attributes: set[str] = set(data.get("attributes") or [])

    def key(self, attributes: Path, line: str) -> str:
        try:
            where = attributes.resolve().relative_to(self.top.resolve()).as_posix()
        except ValueError:
            where = str(attributes)
        return f"{where}: {line}"

    def save(self) -> None:
        if not self.has_driver and not self.attributes:
            self.path.unlink(missing_ok=True)
            return
        data: dict[str, object] = {"attributes": sorted(self.attributes)}
        if self.has_driver:
            data["driver"] = self.driver
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def _section(cwd: Path) -> dict[str, str]:
    """The ``merge.pgmt`` settings as the git config has them."""
    found = git_output(cwd, "config", "--get-regexp", rf"^{MERGE_SECTION}\.", check=False)
    section = {}
    for line in (found or "").splitlines():
        key, _, value = line.partition(" ")
        section[key.removeprefix(f"{MERGE_SECTION}.")] = value
    return section


def _is_pgmt_git_driver(driver: str | None) -> bool:
    return (driver is not None and driver.endswith(f" {MERGE_DRIVER_ARGS}")
            and "pgmt-git" in driver)


def install_merge_driver(cwd: Path, project_root: Path, schema_dir: str, *,
                         command: str | None = None) -> list[Step]:
    driver = merge_driver_command(command)
    record = _Record(cwd)
    if not record.has_driver:  # the first install: what was there before is kept
        before = _section(cwd)
        record.has_driver = True
        record.driver = None if _is_pgmt_git_driver(before.get("driver")) else before or None
    git_output(cwd, "config", f"{MERGE_SECTION}.name", MERGE_DRIVER_NAME)
    git_output(cwd, "config", f"{MERGE_SECTION}.driver", driver)
    steps = [Step(f"registered the merge driver: {MERGE_SECTION}.driver = {driver}")]
    attributes = project_root / ATTRIBUTES_FILE
    line = attributes_line(schema_dir)
    text = attributes.read_text(encoding="utf-8") if attributes.exists() else ""
    if line not in text.splitlines():
        if text and not text.endswith("\n"):
            text += "\n"
        attributes.write_text(f"{text}{line}\n", encoding="utf-8")
        record.attributes.add(record.key(attributes, line))
        steps.append(Step(f"added `{line}` to {_shown(attributes, cwd)}; commit it so that "
                          "every clone merges schema files with it"))
    record.save()
    return steps


def uninstall_merge_driver(cwd: Path, project_root: Path, schema_dir: str) -> list[Step]:
    record = _Record(cwd)
    section = _section(cwd)
    steps = [_undo_driver(cwd, record, section)] if section else []
    attributes = project_root / ATTRIBUTES_FILE
    line = attributes_line(schema_dir)
    lines = attributes.read_text(encoding="utf-8").splitlines() if attributes.exists() else []
    key = record.key(attributes, line)
    # Without a record (an install that kept none) the line is taken to be install's.
    if line in lines and record.exists and key not in record.attributes:
        steps.append(Step(f"left `{line}` in {_shown(attributes, cwd)}: it was there "
                          "before `pgmt-git install`"))
    elif line in lines:
        rest = [kept for kept in lines if kept != line]
        if any(kept.strip() for kept in rest):
            attributes.write_text("\n".join(rest) + "\n", encoding="utf-8")
        else:
            attributes.unlink()
        steps.append(Step(f"removed `{line}` from {_shown(attributes, cwd)}"))
        record.attributes.discard(key)
    if record.exists:
        record.has_driver = False
        record.save()
    return steps


def _undo_driver(cwd: Path, record: _Record, section: dict[str, str]) -> Step:
    if not record.has_driver and not _is_pgmt_git_driver(section.get("driver")):
        return Step(f"left {MERGE_SECTION} alone in the git config: it is not pgmt-git's")
    git_output(cwd, "config", "--remove-section", MERGE_SECTION)
    if record.driver is None:
        return Step("removed the merge driver from the git config")
    for key, value in record.driver.items():
        git_output(cwd, "config", f"{MERGE_SECTION}.{key}", value)
    return Step(f"restored the earlier {MERGE_SECTION} driver in the git config")


def _shown(path: Path, cwd: Path) -> str:
    try:
        return str(path.resolve().relative_to(cwd.resolve()))
    except ValueError:
        return str(path)
