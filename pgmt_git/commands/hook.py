"""pgmt-git hook NAME [--rules GROUPS] [ARGS...]: what the installed git hooks run.

- ``pre-commit``: the index against the protected refs; exit 1 refuses the commit.
- ``pre-push REMOTE URL``: every commit being pushed (git passes the refs on stdin); exit 1
  refuses the push.
- ``post-rewrite amend|rebase`` and ``post-merge``: HEAD after the rewrite or merge, as
  warnings (git ignores the exit code of these hooks); after a merge, also a migration
  chain both sides added to (git/merge_chain.py).

Runs without click: git starts it on every commit, and importing click alone costs about as
much as the whole check (``cli.main_entry`` sends ``hook`` here directly). ``PGMT_GIT_SKIP=1``
skips the checks with a warning; ``pgmt-git check`` in CI still runs them.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from pgmt_git.errors import UsageError
from pgmt_git.git.rules import RULE_GROUPS, Finding, Rule

if TYPE_CHECKING:  # pygit2 is imported when a hook runs, not when the CLI is built
    from pgmt_git.git.guard import Guard, GuardReport

SKIP_ENV = "PGMT_GIT_SKIP"
USAGE = ("usage: pgmt-git hook {pre-commit,pre-push,post-rewrite,post-merge} "
         f"[--rules {','.join(RULE_GROUPS)}] [git's hook arguments]")
HELP = """

  pre-commit     the index against the protected refs; exit 1 refuses the commit
  pre-push       every commit being pushed; exit 1 refuses the push
  post-rewrite   HEAD after a rebase or an amend (warnings only)
  post-merge     HEAD after a merge or a pull (warnings only)

`pgmt-git install --hooks` installs them. PGMT_GIT_SKIP=1 skips the checks with a warning.
"""
PREFIX = "pgmt-git: "


def main(argv: Sequence[str], *, stdin: TextIO | None = None, stderr: TextIO | None = None,
         environ: Mapping[str, str] | None = None, cwd: Path | None = None) -> int:
    """Run one hook; the exit code is what git sees."""
    err = stderr or sys.stderr
    env = os.environ if environ is None else environ
    if argv[:1] in (["-h"], ["--help"]) or not argv:
        print(USAGE + HELP, file=err, end="")
        return 0 if argv else 2
    name, rules, args = parse_args(argv)
    if skipped(env):
        print(f"{PREFIX}{SKIP_ENV} is set: {name} checks of published migrations skipped "
              "(`pgmt-git check` in CI still runs them)", file=err)
        return 0
    run = _HOOKS[name]
    return run(args, rules=rules, stdin=stdin or sys.stdin, stderr=err,
               cwd=cwd or Path.cwd(), environ=env)


def skipped(environ: Mapping[str, str]) -> bool:
    return environ.get(SKIP_ENV, "") not in ("", "0")


def parse_args(argv: Sequence[str]) -> tuple[str, frozenset[Rule], list[str]]:
    name, rest = argv[0], list(argv[1:])
    if name not in _HOOKS:
        raise UsageError(f"unknown hook {name!r}", hint=USAGE)
    groups: list[str] = []
    args: list[str] = []
    while rest:
        arg = rest.pop(0)
        if arg == "--rules" and rest:
            groups += rest.pop(0).split(",")
        elif arg.startswith("--rules="):
            groups += arg.removeprefix("--rules=").split(",")
        else:
            args.append(arg)
    unknown = [g for g in groups if g not in RULE_GROUPS]
    if unknown:
        raise UsageError(f"unknown rule group {unknown[0]!r}", hint=USAGE)
    chosen = groups or list(RULE_GROUPS)
    return name, frozenset(rule for group in chosen for rule in RULE_GROUPS[group]), args


# ------------------------------------------------------------------------------ the hooks


def _guard(cwd: Path, environ: Mapping[str, str]) -> Guard:
    """A guard of the repository git runs the hook in, keeping parsed settings between runs."""
    from pgmt_git.git import repo as git
    from pgmt_git.git.config_cache import ConfigCache
    from pgmt_git.git.guard import Guard

    repo = git.open_repo_from_env(cwd)
    cache = ConfigCache(git.git_dir(repo) / "pgmt-git" / "config-cache", environ)
    return Guard(repo, environ=environ, cache=cache)


def _pre_commit(args: list[str], *, rules: frozenset[Rule], stdin: TextIO, stderr: TextIO,
                cwd: Path, environ: Mapping[str, str]) -> int:
    from pgmt_git.git.guard import GuardReport

    report = GuardReport()
    _guard(cwd, environ).index(report)
    return _finish(report, rules, stderr, headline="commit refused", blocking=True,
                   bypass="PGMT_GIT_SKIP=1 git commit ...")


def _pre_push(args: list[str], *, rules: frozenset[Rule], stdin: TextIO, stderr: TextIO,
              cwd: Path, environ: Mapping[str, str]) -> int:
    from pgmt_git.git import repo as git
    from pgmt_git.git.guard import GuardReport, pushed_commits

    remote = args[0] if args else environ.get("PRE_COMMIT_REMOTE_NAME", "origin")
    updates = push_updates(stdin.read(), environ)
    guard = _guard(cwd, environ)
    repo = guard.repo
    protected = set(git.default_protected_refs(repo))
    for _, local_id, _, _ in updates:
        tip = git.commit_of(repo, local_id) if local_id != git.ZERO_ID else None
        for project in guard.projects(tip) if tip else ():
            protected.update(git.protected_refs(repo, project.settings.protected_refs))
    report = GuardReport()
    commits = pushed_commits(repo, remote, updates, sorted(protected))
    for commit in commits:
        guard.commit(report, commit)
    subjects = {c: f"{c[:7]} ({git.commit_subject(repo, c)})" for c in report.commits.values()}
    return _finish(report, rules, stderr, headline="push refused", blocking=True,
                   bypass="PGMT_GIT_SKIP=1 git push ...", commits=subjects)


def push_updates(text: str, environ: Mapping[str, str]) -> list[tuple[str, str, str, str]]:
    """(local ref, local id, remote ref, remote id) of each ref being pushed: git's lines on
    stdin, or the pre-commit framework's variables (it keeps stdin for itself)."""
    updates = []
    for line in text.splitlines():
        fields = line.split()
        if len(fields) == 4:
            updates.append((fields[0], fields[1], fields[2], fields[3]))
    to_ref = environ.get("PRE_COMMIT_TO_REF")
    if not updates and to_ref:
        from_ref = environ.get("PRE_COMMIT_FROM_REF") or "0" * 40
        updates.append(("", to_ref, "", from_ref))
    return updates


def _after(what: str) -> Callable[..., int]:
    def hook(args: list[str], *, rules: frozenset[Rule], stdin: TextIO, stderr: TextIO,
             cwd: Path, environ: Mapping[str, str]) -> int:
        from pgmt_git.git import repo as git
        from pgmt_git.git.guard import GuardReport

        stdin.read()  # post-rewrite lists the rewritten commits; HEAD is what matters
        guard = _guard(cwd, environ)
        head = git.head_commit(guard.repo)
        report = GuardReport()
        if head is not None:
            guard.commit(report, head, label="HEAD")
            if what == "merge" and Rule.ORDER in rules:
                _warn_forked_chains(guard, head, stderr)
        return _finish(report, rules, stderr, headline=f"warning: after this {what}",
                       blocking=False)

    return hook


def _post_rewrite(args: list[str], *, rules: frozenset[Rule], stdin: TextIO, stderr: TextIO,
                  cwd: Path, environ: Mapping[str, str]) -> int:
    """After `git rebase`: the guard's warnings, then the regeneration of the branch's
    migrations when the upstream chain moved under them. `git commit --amend` only warns."""
    command = args[0] if args else environ.get("PRE_COMMIT_REWRITE_COMMAND", "")
    # Regenerate first: the guard then warns only about what regeneration left.
    regenerated = _regenerate(cwd, stderr) if command == "rebase" else 0
    code = _after("rewrite")(args, rules=rules, stdin=stdin, stderr=stderr, cwd=cwd,
                             environ=environ)
    return max(code, regenerated)


def _regenerate(cwd: Path, stderr: TextIO) -> int:
    from pgmt_git.config import load_config
    from pgmt_git.errors import PgmtGitError
    from pgmt_git.git import regenerate_history as history
    from pgmt_git.git.repo import commit_of, open_repo, protected_refs

    try:
        loaded = load_config(start_dir=cwd)
        repo = open_repo(cwd)
        refs = protected_refs(repo, loaded.config.git.protected_refs)
        if not refs:
            return 0  # nothing upstream to regenerate against
        found = history.open_history(repo, loaded.root, loaded.config)
        if not history.needs_regeneration(found, onto=refs[0],
                                          before=commit_of(repo, "ORIG_HEAD")):
            return 0
    except PgmtGitError:
        return 0  # not a pgmt project here: the guard above has said what matters
    # Only now the heavy part: PostgreSQL, the SQL parser, the diff engine.
    from pgmt_git.commands.rebase import RebaseOptions, regenerate_branch

    try:
        return regenerate_branch(cwd, RebaseOptions(refs[0], after_rebase=True),
                                 say=lambda line: print(f"{PREFIX}{line}", file=stderr))
    except PgmtGitError as exc:
        print(f"{PREFIX}regeneration failed: {exc}\n{PREFIX}once fixed, run "
              "`pgmt-git migrate rebase`", file=stderr)
        return 1


def _warn_forked_chains(guard: Guard, head: str, stderr: TextIO) -> None:
    from pgmt_git.git.merge_chain import forked_chains

    for fork in forked_chains(guard, head):
        print(f"{PREFIX}warning: {fork.message()}", file=stderr)


_HOOKS: dict[str, Callable[..., int]] = {
    "pre-commit": _pre_commit,
    "pre-push": _pre_push,
    "post-rewrite": _post_rewrite,
    "post-merge": _after("merge"),
}
HOOK_NAMES = tuple(_HOOKS)


# ------------------------------------------------------------------------------ output


def _finish(report: GuardReport, rules: frozenset[Rule], stderr: TextIO, *, headline: str,
            blocking: bool, bypass: str = "", commits: Mapping[str, str] | None = None
            ) -> int:
    for note in report.notes:
        print(f"{PREFIX}{note}", file=stderr)
    findings = [f for f in report.findings if f.rule in rules]
    if not findings:
        return 0
    where = {f: (commits or {}).get(report.commits.get(f, ""), "") for f in findings}
    print(render_findings(findings, headline=f"{PREFIX}{headline}", where=where), file=stderr)
    if blocking and bypass:
        print(f"To bypass in an emergency (CI's `pgmt-git check` still runs): {bypass}",
              file=stderr)
    return 1 if blocking else 0


def render_findings(findings: Sequence[Finding], *, headline: str,
                    where: Mapping[Finding, str] | None = None) -> str:
    """One block per finding: the file, what is wrong, the fix."""
    count = len(findings)
    lines = [f"{headline}: {count} problem{'s' if count != 1 else ''} with migrations", ""]
    for finding in findings:
        lines.append(f"  {finding.path}")
        origin = (where or {}).get(finding)
        if origin:
            lines.append(f"    in commit {origin}")
        lines.append(f"    {finding.problem}")
        lines += [f"      {detail}" for detail in finding.details]
        lines.append(f"    fix: {finding.fix}")
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"
