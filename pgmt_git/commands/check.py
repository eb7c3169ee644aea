"""pgmt-git check --base REF: every guarantee of the hooks, recomputed from git, for CI.

Merges made where no hook ran (GitHub's merge button, a merge queue, ``--no-verify``,
``PGMT_GIT_SKIP=1``) are checked here, for every project in HEAD's tree:

- the guard rules of the hooks, for HEAD against REF (published = in REF's tree);
- the migration chain at HEAD, replayed on a shadow server, gives the same catalog as the
  schema files at HEAD;
- each branch migration (not in REF's tree) with a ``-- pgmt-git: ... from=<hash>`` line was
  generated against the state the chain now has before it (git/oracle.py's catalog hash);
- when HEAD is a merge (a pull request's merge commit in CI) whose both sides add migrations
  (git/merge_chain.py), a branch migration without such a line, written by hand, was
  written without the other side's: it fails when it sorts below one of them (the guard's
  order rule says so against REF; between two other branches, this check), and is noted
  otherwise (it runs after them, and the replay above proves the chain).

Read from git objects only (nothing is checked out); the shadow server is the embedded one
unless ``--shadow-url``, PGMT_SHADOW_URL or databases.shadow.url says otherwise.
"""

from __future__ import annotations

import json
import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from pgmt_git.commands.context import AppContext, pass_app
from pgmt_git.errors import SourceError, UsageError
from pgmt_git.git.rules import Finding, Rule

if TYPE_CHECKING:
    from pgmt_git.git.guard import Guard, ProjectAt
    from pgmt_git.git.merge_chain import ForkedChain
    from pgmt_git.git.oracle import Oracle
    from pgmt_git.git.repo import Repo
    from pgmt_git.project.source import Project

ALL_CHECKS = ("published", "order", "conflicts", "replay", "from-hashes")


@dataclass
class ProjectResult:
    config_path: str
    checks: dict[str, str] = field(default_factory=dict)  # check -> passed|failed|skipped
    branch_migrations: list[str] = field(default_factory=list)
    failures: list[Finding] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"config": self.config_path, "root": posixpath.dirname(self.config_path),
                "checks": self.checks, "branch_migrations": self.branch_migrations,
                "failures": [f.as_json() for f in self.failures]}


@dataclass
class CheckReport:
    base: str
    base_commit: str
    head: str
    projects: list[ProjectResult] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # Guard findings of no project at HEAD (e.g. a project HEAD deleted).
    elsewhere: list[Finding] = field(default_factory=list)

    @property
    def failures(self) -> list[Finding]:
        return [f for p in self.projects for f in p.failures] + self.elsewhere

    @property
    def ok(self) -> bool:
        return not self.failures

    def as_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "base": self.base, "base_commit": self.base_commit,
                "head": self.head, "projects": [p.as_json() for p in self.projects],
                "failures": [f.as_json() for f in self.failures], "notes": self.notes}


def run_check(app: AppContext, *, base: str | None, output_format: str,
              shadow_url: str | None, cache: bool) -> int:
    from pgmt_git.git import repo as git

    repo = git.open_repo(Path.cwd())
    ref = base or _default_base(repo)
    base_commit = git.commit_of(repo, ref)
    if base_commit is None:
        raise UsageError(f"--base {ref}: no such revision here",
                         hint="fetch it first (in GitHub Actions: actions/checkout with "
                              "fetch-depth: 0)")
    head = git.head_commit(repo)
    if head is None:
        raise UsageError("HEAD has no commit yet: nothing to check")
    report = CheckReport(ref, base_commit, head)
    _Checker(app, repo, report, shadow_url=shadow_url, cache=cache).run()
    _print(report, output_format)
    return 0 if report.ok else 1


def _default_base(repo: Repo) -> str:
    from pgmt_git.git.repo import default_protected_refs

    refs = default_protected_refs(repo)
    if not refs:
        raise UsageError("no --base given and no protected ref to default to",
                         hint="pass --base origin/main (the branch merges go into)")
    return refs[0]


class _Checker:
    def __init__(self, app: AppContext, repo: Repo, report: CheckReport, *,
                 shadow_url: str | None, cache: bool) -> None:
        from pgmt_git.git.guard import Guard

        self.app = app
        self.repo = repo
        self.report = report
        self.guard: Guard = Guard(repo, refs=(report.base,))
        self._shadow_url = shadow_url
        self._cache = cache
        self._forks: list[ForkedChain] = []

    def run(self) -> None:
        from pgmt_git.git.guard import GuardReport
        from pgmt_git.git.merge_chain import forked_chains

        self._forks = forked_chains(self.guard, self.report.head)
        guarded = GuardReport()
        self.guard.commit(guarded, self.report.head, label="HEAD")
        self.report.notes += guarded.notes
        for project in self.guard.projects(self.report.head):
            result = ProjectResult(project.config_path)
            self.report.projects.append(result)
            self._guard_results(result, project, guarded.findings)
            self._replay_checks(result, project)
        attributed = {f for p in self.report.projects for f in p.failures}
        self.report.elsewhere = [f for f in guarded.findings if f not in attributed]

    def _guard_results(self, result: ProjectResult, project: ProjectAt,
                       findings: list[Finding]) -> None:
        from pgmt_git.git.published import Layout
        from pgmt_git.git.rules import RULE_GROUPS

        layout = Layout.of(project.root, project.settings)
        mine = [f for f in findings if layout.kind(f.path) is not None]
        result.failures += mine
        names = {"immutable": "published", "order": "order", "conflicts": "conflicts"}
        for group, rules in RULE_GROUPS.items():
            failed = any(f.rule in rules for f in mine)
            result.checks[names[group]] = "failed" if failed else "passed"

    def _replay_checks(self, result: ProjectResult, project: ProjectAt) -> None:
        loaded = self._load(result, project)
        if loaded is None:
            result.checks["replay"] = result.checks["from-hashes"] = "skipped"
            return
        published = self.guard.published(self.report.base, project)
        result.branch_migrations = [
            _repo_path(project, m.path) for m in (*loaded.chain.baselines,
                                                   *loaded.chain.migrations)
            if _repo_path(project, m.path) not in published.files]
        oracle = self._oracle(project)
        result.checks["replay"] = self._check_replay(result, project, loaded, oracle)
        replayable = not any(f.rule is Rule.REPLAY for f in result.failures)
        result.checks["from-hashes"] = (
            self._check_from_hashes(result, project, loaded, oracle) if replayable else "skipped")
        if self._check_forks(result, project, loaded):
            result.checks["order"] = "failed"

    def _load(self, result: ProjectResult, project: ProjectAt) -> Project | None:
        from pgmt_git.git.repo import CommitTree
        from pgmt_git.project.source import load_project_from_tree

        tree = CommitTree(self.repo, self.report.head, project.root)
        try:
            return load_project_from_tree(tree, self.guard.config(project), origin=tree.label)
        except SourceError as exc:
            path = _repo_path(project, exc.path or posixpath.basename(project.config_path))
            if not any(f.path == path for f in result.failures):
                result.failures.append(Finding(
                    Rule.UNREADABLE, path, f"the project at HEAD cannot be read: {exc.message}",
                    exc.hint or "fix the file"))
            return None

    def _oracle(self, project: ProjectAt) -> Oracle:
        from pgmt_git.git.oracle import Oracle
        from pgmt_git.pg.server import resolve_server

        config = self.guard.config(project)
        url = self._shadow_url or config.databases.shadow_url
        return Oracle(resolve_server(url), config, cache=self._cache,
                      progress=self.app.replay_progress())

    def _check_replay(self, result: ProjectResult, project: ProjectAt, loaded: Project,
                      oracle: Oracle) -> str:
        from pgmt_git.diff import summary_line
        from pgmt_git.pg.states import diff_to_schema

        try:
            chain = oracle.catalog(loaded.chain_inputs())
            schema = oracle.catalog(loaded.schema_inputs())
        except SourceError as exc:  # a replay refused by PostgreSQL
            result.failures.append(Finding(
                Rule.REPLAY, _repo_path(project, exc.path or ""),
                f"replaying HEAD's files fails: {exc.message}", exc.hint or "fix the file"))
            return "failed"
        changes = diff_to_schema(chain, schema, loaded)
        if not changes:
            return "passed"
        migrations = _repo_path(project, project.settings.migrations_dir)
        result.failures.append(Finding(
            Rule.DRIFT, migrations,
            f"the migration chain at HEAD does not reach the schema files at HEAD "
            f"({len(changes)} difference{'s' if len(changes) != 1 else ''}, from the chain "
            "to the schema files)",
            "generate the missing migration (`pgmt-git diff --from migrations --to schema` "
            "shows it), or fix the schema files",
            details=tuple(summary_line(c) for c in changes)))
        return "failed"

    def _check_from_hashes(self, result: ProjectResult, project: ProjectAt, loaded: Project,
                           oracle: Oracle) -> str:
        from pgmt_git.git.oracle import comparable
        from pgmt_git.project.migrations import parse_generated_header

        branch = set(result.branch_migrations)
        status = "passed"
        for migration in loaded.chain.migrations:
            path = _repo_path(project, migration.path)
            header = parse_generated_header(migration.text)
            if path not in branch or header is None:
                continue
            if not comparable(header.from_hash):
                self.report.notes.append(
                    f"{path}: from={header.from_hash} was made by another catalog hash "
                    "recipe; its staleness cannot be told")
                continue
            try:
                actual = oracle.state_hash(loaded.chain_inputs(before=migration.version))
            except SourceError:
                return "skipped"  # the replay check reports the failing file
            if actual != header.from_hash:
                status = "failed"
                result.failures.append(Finding(
                    Rule.STALE, path,
                    f"generated against a state that no longer exists: from={header.from_hash[:12]}"
                    f"..., but the chain before it now hashes to {actual[:12]}...",
                    "regenerate it on top of the current chain: `pgmt-git migrate rebase`"))
        return status

    def _check_forks(self, result: ProjectResult, project: ProjectAt, loaded: Project) -> bool:
        """The hand-written branch migrations of a chain the merge at HEAD forked (the
        from-hashes check judges generated ones): a failure for one that sorts below a
        migration of the other side, a note for one that runs after them. Whether any
        failed."""
        from pgmt_git.git.merge_chain import FIX
        from pgmt_git.git.oracle import comparable
        from pgmt_git.git.published import Layout
        from pgmt_git.project.migrations import parse_generated_header

        texts = {_repo_path(project, m.path): m.text for m in loaded.chain.migrations}
        branch = set(result.branch_migrations)
        reported = {f.path for f in result.failures}  # e.g. below a version REF publishes
        layout = Layout.of(project.root, project.settings)
        failed = False
        for fork in self._forks:
            if fork.root != project.root:
                continue
            for path in fork.migrations:
                if path not in branch or path not in texts or path in reported:
                    continue
                header = parse_generated_header(texts[path])
                if header is not None and comparable(header.from_hash):
                    continue
                other = fork.theirs if path in fork.ours else fork.ours
                above = max(other, key=lambda o: layout.version(o) or -1)
                version = layout.version(path)
                if version is not None and version > (layout.version(above) or -1):
                    self.report.notes.append(
                        f"{fork.problem()}: {path}, written by hand, runs after the other "
                        "side's migrations and is kept as it is; the replay checked the "
                        "chain, but read it again in that light (`pgmt-git migrate rebase` "
                        "puts this branch's migrations on top when they must move)")
                    continue
                failed = True
                result.failures.append(Finding(
                    Rule.ORDER, path, f"{fork.problem()}, and {path} sorts below "
                    f"{above}", f"{FIX}; written by hand, it is renumbered and kept as "
                    "it is: check that it still does what it should after the other side's "
                    "migrations"))
        return failed


def _repo_path(project: ProjectAt, path: str) -> str:
    return posixpath.normpath(posixpath.join(project.root, path)) if path else project.root


def _print(report: CheckReport, output_format: str) -> None:
    if output_format == "json":
        click.echo(json.dumps(report.as_json(), indent=2))
        return
    from pgmt_git.commands.hook import render_findings

    click.echo(f"HEAD ({report.head[:7]}) against {report.base} ({report.base_commit[:7]})")
    for note in report.notes:
        click.echo(f"note: {note}")
    for project in report.projects:
        checks = ", ".join(f"{name} {state}" for name, state in project.checks.items())
        click.echo(f"{project.config_path}: {checks}")
    if not report.projects:
        click.echo("no pgmt.yaml in HEAD's tree: nothing to check")
    if report.failures:
        click.echo(render_findings(report.failures, headline="\ncheck failed"), nl=False)
    else:
        click.echo("check passed")


@click.command()
@click.option("--base", metavar="REF",
              help="The branch merges go into, e.g. origin/main (default: the protected ref).")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@click.option("--shadow-url", metavar="URL",
              help="Replay on this server instead of databases.shadow.url / PGMT_SHADOW_URL "
                   "/ the embedded one.")
@click.option("--no-cache", is_flag=True, help="Replay from scratch into throwaway databases.")
@pass_app
def check(app: AppContext, base: str | None, output_format: str, shadow_url: str | None,
          no_cache: bool) -> None:
    """Check HEAD against REF as CI should: published migrations unchanged and in order, no
    conflict markers, the chain replays to the schema files, no stale `from=` hash, no
    hand-written migration sorting below the other side's in a chain the merge at HEAD
    forks.

    Exit 0 when everything holds, 1 when something does not (every failure is listed, with
    `--format json` as one report)."""
    code = run_check(app, base=base, output_format=output_format, shadow_url=shadow_url,
                     cache=not no_cache)
    click.get_current_context().exit(code)
