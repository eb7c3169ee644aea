"""The README's GitHub Actions job and the pre-commit manifest say what the code does."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from pgmt_git.commands.hook import HOOK_NAMES
from pgmt_git.git.rules import RULE_GROUPS

ROOT = Path(__file__).resolve().parents[2]


def test_the_readme_job_checks_with_the_whole_history() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Git guards", 1)[1].split("\n## ", 1)[0]
    [block] = re.findall(r"```yaml\n(.*?)```", section, re.S)
    [job] = yaml.safe_load(block)["jobs"].values()
    steps = job["steps"]
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0
    assert any(s.get("uses", "").startswith("actions/setup-python@") for s in steps)
    runs = [s["run"] for s in steps if "run" in s]
    assert runs[0].startswith("pip install pgmt-git")
    assert runs[-1] == "pgmt-git check --base origin/${{ github.base_ref }}"


def test_the_manifest_runs_existing_hooks_and_rule_groups() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    ids = {hook["id"] for hook in hooks}
    assert {"pgmt-immutable-migrations", "pgmt-migration-order", "pgmt-check"} <= ids
    for hook in hooks:
        assert hook["language"] == "python"
        assert hook["pass_filenames"] is False
        words = hook["entry"].split()
        assert words[0] == "pgmt-git"
        if words[1] == "hook":
            assert words[2] in HOOK_NAMES
            if "--rules" in words:
                assert words[words.index("--rules") + 1] in RULE_GROUPS
    documented = (ROOT / "docs" / "git.md").read_text(encoding="utf-8")
    assert all(f"id: {hook_id}" in documented for hook_id in ids)
