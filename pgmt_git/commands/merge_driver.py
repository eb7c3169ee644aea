"""pgmt-git merge-driver BASE OURS THEIRS [MARKER_SIZE [PATH]]: git's merge driver for schema files.

Git runs it (``merge.pgmt.driver``, registered by ``pgmt-git install``) as
``pgmt-git merge-driver %O %A %B %L %P`` for every schema file both sides changed: the
common ancestor's, our and their versions in temporary files, the conflict marker size and
the file's path. The result goes over OURS; exit 0 when clean, 1 with conflicts.

1. The SQL merge (git/merge.py), by database object. What it cannot read (invalid SQL,
   conflict markers already there, not UTF-8) goes to ``git merge-file`` with the same
   labels and marker size, and its exit code is returned.
2. The oracle (git/oracle.py), unless ``--no-verify`` or ``git.merge.verify: false``: the
   schema of the merge base, of both sides and of the merged result replayed on the shadow
   server, read from git (git/merge_context.py says which commits); an object the merged
   schema gets wrong (fails to apply, loses or invents a change) becomes a conflict in
   this file, with the reason above its markers. A problem outside this file is reported
   as a warning. Verification that cannot run (no server, unknown commits) is skipped with
   a note: the text merge stands.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import click

from pgmt_git.commands.context import AppContext, pass_app
from pgmt_git.errors import PgmtGitError

if TYPE_CHECKING:
    from pgmt_git.config import LoadedConfig
    from pgmt_git.git.merge import MergeResult
    from pgmt_git.git.merge_context import DriverContext
    from pgmt_git.git.merge_keys import Key
    from pgmt_git.git.oracle import MergeCheck, MergeProblem

PREFIX = "pgmt-git: "


@dataclass(frozen=True)
class DriverFiles:
    base: Path
    ours: Path
    theirs: Path
    marker_size: int
    path: str  # the file's path in the repository, as git gives it (%P)


def run_merge_driver(app: AppContext, files: DriverFiles, *, verify: bool | None,
                     shadow_url: str | None, environ: Mapping[str, str] | None = None) -> int:
    from pgmt_git.git.merge import CannotMerge, merge_sql
    from pgmt_git.git.merge_context import Blobs, driver_context

    env = os.environ if environ is None else environ
    data = [f.read_bytes() for f in (files.base, files.ours, files.theirs)]
    context = driver_context(Path.cwd(), env, path=files.path, blobs=Blobs.of(*data))
    try:
        base, ours, theirs = (d.decode("utf-8") for d in data)
    except UnicodeDecodeError:
        return _line_merge(files, context, "a version is not UTF-8 text")
    try:
        result = merge_sql(base, ours, theirs, labels=context.labels,
                           marker_size=files.marker_size, style=context.style, path=files.path)
    except CannotMerge as exc:
        return _line_merge(files, context, exc.reason)
    _write(files.ours, result.text)
    if result.clean:
        result = _Verification(app, files, context, (base, ours, theirs), result,
                               verify=verify, shadow_url=shadow_url, environ=env).run()
    for conflict in result.conflicts:
        click.echo(f"{PREFIX}{files.path}:{conflict.line}: conflict in {conflict.what}: "
                   f"{conflict.reason}", err=True)
    return 0 if result.clean else 1


def _write(path: Path, text: str) -> None:
    path.write_bytes(text.encode("utf-8"))


def _line_merge(files: DriverFiles, context: DriverContext, reason: str) -> int:
    """git merge-file, as git would have merged without the driver."""
    labels = context.labels
    command = ["git", "merge-file", "-L", labels.ours, "-L", labels.base, "-L", labels.theirs,
               f"--marker-size={files.marker_size}"]
    if context.style.value == "diff3":
        command.append("--diff3")
    command += [str(files.ours), str(files.base), str(files.theirs)]
    click.echo(f"{PREFIX}{files.path}: {reason}; merging it line by line (git merge-file) "
               "instead", err=True)
    return subprocess.run(command, check=False).returncode


class _Verification:
    """Step 2 of the module's docstring."""

    def __init__(self, app: AppContext, files: DriverFiles, context: DriverContext,
                 texts: tuple[str, str, str], result: MergeResult, *, verify: bool | None,
                 shadow_url: str | None, environ: Mapping[str, str]) -> None:
        self.app = app
        self.files = files
        self.context = context
        self.texts = texts
        self.result = result
        self.verify = verify
        self.shadow_url = shadow_url
        self.environ = environ

    def note(self, text: str) -> None:
        self.app.info(f"{PREFIX}{self.files.path}: merged by database object; {text}")

    def run(self) -> MergeResult:
        loaded = self._project()
        if loaded is None:
            return self.result
        wanted = loaded.config.git.merge_verify if self.verify is None else self.verify
        if not wanted or not _is_schema_file(_project_path(self.files.path, loaded), loaded):
            return self.result
        if self.context.commits is None or self.context.repo is None:
            self.note(f"not verified: {self.context.note}")
            return self.result
        try:
            check = self._check(loaded)
        except PgmtGitError as exc:
            self.note(f"not verified: {str(exc).splitlines()[0]}")
            return self.result
        if check is None:
            return self.result
        if check.skipped is not None:
            self.note(f"not verified: {check.skipped}")
            return self.result
        self.app.debug(f"{PREFIX}{self.files.path}: verified on a shadow database")
        return self._conflicts(check.problems, loaded) if check.problems else self.result

    def _project(self) -> LoadedConfig | None:
        from pgmt_git.config import load_config

        start = (Path.cwd() / self.files.path).parent
        while not start.is_dir() and start != start.parent:
            start = start.parent
        try:
            return load_config(start_dir=start, config_file=self.app.config_file,
                               environ=self.environ)
        except PgmtGitError:
            return None  # no project here: a plain SQL merge

    def _check(self, loaded: LoadedConfig) -> MergeCheck | None:
        from pgmt_git.git.merge import short_label
        from pgmt_git.git.merge_trees import merge_states
        from pgmt_git.git.oracle import Oracle, check_merge
        from pgmt_git.pg.server import resolve_server

        commits, repo = self.context.commits, self.context.repo
        assert commits is not None and repo is not None
        states = merge_states(repo, commits, loaded, path=self.files.path,
                              texts=self.texts, merged=self.result.text)
        if isinstance(states, str):
            if states:
                self.note(f"not verified: {states}")
            return None
        config = loaded.config
        url = self.shadow_url or config.databases.shadow_url
        # No progress line: the four replays run side by side.
        oracle = Oracle(resolve_server(url), config)
        labels = self.context.labels
        return check_merge(oracle, states, ours_name=labels.ours,
                           theirs_name=short_label(labels.theirs))

    def _conflicts(self, problems: Sequence[MergeProblem], loaded: LoadedConfig
                   ) -> MergeResult:
        from pgmt_git.git.merge import merge_sql, pieces
        from pgmt_git.git.merge_trees import keys_for

        merged = pieces(self.result.text, path=self.files.path)
        here = _project_path(self.files.path, loaded)
        forced: dict[Key, str] = {}
        for problem in problems:
            keys = keys_for(problem, merged, here)
            for key in keys:
                forced[key] = "\n".join(filter(None, (forced.get(key), problem.problem)))
            if not keys:
                where = f" ({problem.path}, line {problem.line})" if problem.path else ""
                click.echo(f"{PREFIX}{self.files.path}: warning: the merge is clean here, but "
                           f"{problem.problem}{where}; fix it before committing the merge",
                           err=True)
        if not forced:
            return self.result
        result = merge_sql(*self.texts, labels=self.context.labels,
                           marker_size=self.files.marker_size, style=self.context.style,
                           path=self.files.path, forced=forced)
        _write(self.files.ours, result.text)
        return result


def _is_schema_file(path: str, loaded: LoadedConfig) -> bool:
    schema_dir = loaded.config.directories.schema_dir.strip("/")
    return schema_dir in ("", ".") or path.startswith(schema_dir + "/")


def _project_path(path: str, loaded: LoadedConfig) -> str:
    root = loaded.root.resolve()
    try:
        return (Path.cwd() / path).resolve().relative_to(root).as_posix()
    except ValueError:
        return path


@click.command("merge-driver")
@click.argument("base", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("ours", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("theirs", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("marker_size", type=click.IntRange(min=1), default=7, required=False)
@click.argument("path", required=False)
@click.option("--verify/--no-verify", default=None,
              help="Verify the merged schema on a shadow database (default: "
                   "git.merge.verify, on).")
@click.option("--shadow-url", metavar="URL",
              help="Verify on this server instead of databases.shadow.url / PGMT_SHADOW_URL "
                   "/ the embedded one.")
@pass_app
def merge_driver(app: AppContext, base: Path, ours: Path, theirs: Path, marker_size: int,
                 path: str | None, verify: bool | None, shadow_url: str | None) -> None:
    """Merge a schema file by database object (git runs it: %O %A %B %L %P).

    Writes the result over OURS; exit 0 when clean, 1 with conflicts, which are marked
    around the conflicting objects only. Falls back to `git merge-file` for what is not
    SQL. Then verifies on a shadow database that the merged schema holds both sides'
    changes; an object it gets wrong becomes a conflict with the reason above it."""
    files = DriverFiles(base, ours, theirs, marker_size, path or ours.name)
    click.get_current_context().exit(
        run_merge_driver(app, files, verify=verify, shadow_url=shadow_url))
