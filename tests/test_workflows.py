"""The workflows in .github/workflows/ as a reviewer reads them: who holds which credential, which
jobs run a pull request's own code, and what every `pulumi up` runs with (docs/previews.md,
"Who can reach what")."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
# GitHub environments that hold the credentials able to change a stack: each has required reviewers
# and admits only the main branch (docs/previews.md, "Setting them up").
REVIEWED_ENVIRONMENTS = {"dev", "staging", "prod"}
# Repository secrets a pull request's code may see: read-only by construction (docs/previews.md).
READ_ONLY_PREFIX = "PREVIEW_"
PR_TRIGGERS = {"pull_request", "pull_request_target"}
BASE_REF = "${{ github.event.pull_request.base.sha }}"
_SECRET = re.compile(r"secrets\.([A-Za-z_][A-Za-z0-9_]*)|secrets\[\s*format\(\s*'([^']*)'|secrets\[([^\]]*)\]")
_UP = re.compile(r"\bpulumi\s+up\b")


@dataclass(frozen=True)
class Job:
    workflow: str
    name: str
    body: dict[str, Any]
    triggers: frozenset[str]
    permissions: Any

    @property
    def id(self) -> str:
        return f"{self.workflow}:{self.name}"

    @property
    def steps(self) -> list[dict[str, Any]]:
        return list(self.body.get("steps") or [])


def _load(path: Path) -> dict[str, Any]:
    doc = yaml.safe_load(path.read_text())
    doc["on"] = doc.pop(True, doc.get("on"))  # YAML 1.1 reads the key `on` as true
    return doc


def _triggers(doc: dict[str, Any]) -> frozenset[str]:
    on = doc["on"]
    return frozenset([on] if isinstance(on, str) else on)


def jobs() -> Iterator[Job]:
    for path in WORKFLOWS:
        doc = _load(path)
        for name, body in doc["jobs"].items():
            yield Job(path.name, name, body, _triggers(doc), body.get("permissions", doc.get("permissions")))


def secrets_of(node: Any) -> set[str]:
    """Every secret a job names; ``secrets[format('X_{0}', ...)]`` counts as ``X_{0}``."""
    text = yaml.safe_dump(node)
    return {a or b or f"[{c}]" for a, b, c in _SECRET.findall(text)}


def is_checkout(step: dict[str, Any]) -> bool:
    return str(step.get("uses", "")).startswith("actions/checkout@")


def is_data_checkout(step: dict[str, Any]) -> bool:
    """A checkout of the pull request's stack files only, into a folder of their own, to be read."""
    w = step.get("with") or {}
    only_stacks = str(w.get("sparse-checkout", "")).split() == ["stacks/"]
    return bool(w.get("path")) and only_stacks and w.get("sparse-checkout-cone-mode") is False


def runs_pr_code(job: Job) -> bool:
    """In a pull-request workflow, a job whose checkout is the pull request's code (the default
    checkout of a ``pull_request`` run is the merge of the pull request)."""
    if not job.triggers & PR_TRIGGERS:
        return False
    checkouts = [s for s in job.steps if is_checkout(s) and not is_data_checkout(s)]
    return any((s.get("with") or {}).get("ref") != BASE_REF for s in checkouts) or "uses" in job.body


def environments(job: Job) -> set[str]:
    """The environment names the job can run in: a matrix or a caller's input is resolved."""
    env = job.body.get("environment")
    name = env.get("name") if isinstance(env, dict) else env
    if not name:
        return set()
    if name == "${{ matrix.stack }}":
        return set(job.body["strategy"]["matrix"]["stack"])
    if name == "${{ inputs.stack }}":
        return callers_inputs(job.workflow, "stack")
    return {str(name)}


def callers_inputs(workflow: str, key: str) -> set[str]:
    values = {str(j.body["with"][key]) for j in jobs() if j.body.get("uses") == f"./.github/workflows/{workflow}"}
    assert values, f"{workflow} is called by no workflow"
    return values


def write_permissions(permissions: Any) -> list[str]:
    if permissions is None:
        return ["(none set: the repository default, which may be write)"]
    if isinstance(permissions, str):
        return [] if permissions in ("read-all", "{}") else [permissions]
    return [f"{k}: {v}" for k, v in permissions.items() if v == "write"]


ALL_JOBS = list(jobs())
IDS = [j.id for j in ALL_JOBS]
PR_JOBS = [j for j in ALL_JOBS if runs_pr_code(j)]


def test_there_are_workflows_and_a_pull_request_job_among_them() -> None:
    assert {"preview.yml", "deploy-stack.yml", "drift.yml", "ci.yml"} <= {p.name for p in WORKFLOWS}
    assert {j.id for j in PR_JOBS} >= {"preview.yml:preview", "ci.yml:test"}


@pytest.mark.parametrize("job", PR_JOBS, ids=[j.id for j in PR_JOBS])
def test_a_job_that_runs_pull_request_code_holds_only_read_only_credentials(job: Job) -> None:
    assert write_permissions(job.permissions) == [], f"{job.id}: its token can write"
    assert "secrets" not in job.body, f"{job.id}: passes secrets on to a called workflow"
    held = {s for s in secrets_of(job.body) if not s.startswith(READ_ONLY_PREFIX)}
    assert held == set(), f"{job.id}: runs pull-request code with {sorted(held)}; allowed: {READ_ONLY_PREFIX}*"
    assert not environments(job) & REVIEWED_ENVIRONMENTS, f"{job.id}: runs pull-request code in a deploy environment"


@pytest.mark.parametrize("job", ALL_JOBS, ids=IDS)
def test_every_secret_that_can_change_a_stack_sits_in_a_reviewed_environment(job: Job) -> None:
    held = {s for s in secrets_of(job.body) if not s.startswith(READ_ONLY_PREFIX)}
    assert job.body.get("secrets") != "inherit", f"{job.id}: `secrets: inherit` hands over every repository secret"
    if not held:
        return
    where = environments(job)
    assert where and where <= REVIEWED_ENVIRONMENTS, \
        f"{job.id}: reads {sorted(held)} in environment(s) {sorted(where)}; allowed: {sorted(REVIEWED_ENVIRONMENTS)}"
    assert not job.triggers & PR_TRIGGERS, f"{job.id}: a pull-request run reads {sorted(held)}"


@pytest.mark.parametrize("path", WORKFLOWS, ids=[p.name for p in WORKFLOWS])
def test_no_workflow_hands_secrets_to_all_of_its_jobs(path: Path) -> None:
    doc = _load(path)
    assert secrets_of(doc.get("env") or {}) == set(), f"{path.name}: secrets in the workflow-wide env"


@pytest.mark.parametrize("job", ALL_JOBS, ids=IDS)
def test_a_job_that_can_write_to_the_repository_runs_no_pull_request_code(job: Job) -> None:
    if write_permissions(job.permissions) and job.triggers & PR_TRIGGERS:
        assert not runs_pr_code(job), f"{job.id}: {write_permissions(job.permissions)} next to pull-request code"


def test_every_checkout_leaves_no_token_behind() -> None:
    checkouts = [(j.id, s) for j in ALL_JOBS for s in j.steps if is_checkout(s)]
    assert checkouts
    kept = [job for job, s in checkouts if (s.get("with") or {}).get("persist-credentials") is not False]
    assert kept == [], f"actions/checkout without persist-credentials: false in {kept}"


def _commands(job: Job) -> list[str]:
    """Each `run:` script with its continuation lines joined."""
    return [re.sub(r"\\\n\s*", " ", str(s["run"])) for s in job.steps if "run" in s]


def test_every_pulumi_up_runs_the_stacks_policy_pack_with_its_config() -> None:
    ups = [(j.id, line) for j in ALL_JOBS for script in _commands(j) for line in script.splitlines()
           if _UP.search(line)]
    assert ups, "no workflow runs `pulumi up`"
    for job, line in ups:
        assert "--policy-pack policy" in line, f"{job}: `{line.strip()}` runs without the policy pack"
        assert '--policy-pack-config "stacks/policy.$STACK.json"' in line, f"{job}: `{line.strip()}`: no pack config"
        # Stack policies (the route ceiling) judge an up after its changes, its preview before any.
        assert "--skip-preview" not in line, f"{job}: `{line.strip()}` skips the preview that runs the pack first"


@pytest.mark.parametrize("job", [j for j in ALL_JOBS if j.workflow.startswith("deploy")],
                         ids=[j.id for j in ALL_JOBS if j.workflow.startswith("deploy")])
def test_deploys_run_in_reviewed_environments(job: Job) -> None:
    if "uses" in job.body:
        assert environments(job) == set()  # the called workflow's own job is checked
        return
    assert environments(job) and environments(job) <= REVIEWED_ENVIRONMENTS, job.id


# -- CODEOWNERS -------------------------------------------------------------------------------
def _owners(path: str) -> list[str]:
    """The owners of a path: the last matching CODEOWNERS line wins, as on GitHub."""
    owners: list[str] = []
    for raw in (ROOT / ".github" / "CODEOWNERS").read_text().splitlines():
        parts = raw.split("#", 1)[0].split()
        if parts and _matches(parts[0], path):
            owners = parts[1:]
    return owners


def _matches(pattern: str, path: str) -> bool:
    anchored = pattern.lstrip("/")
    if anchored.endswith("/"):
        return path.startswith(anchored) if pattern.startswith("/") else f"/{anchored}" in f"/{path}"
    return fnmatch.fnmatchcase(path, anchored) if pattern.startswith("/") else fnmatch.fnmatchcase(path, f"*{anchored}")


@pytest.mark.parametrize("path", ["policy/__main__.py", "policy/PulumiPolicy.yaml", "policy/cdn_policy/stack.py",
                                  "stacks/policy.prod.json", "stacks/policy.dev.json", "stacks/Pulumi.prod.yaml",
                                  ".github/workflows/deploy-stack.yml", ".github/CODEOWNERS", "preview/gate.py"])
def test_what_guards_a_deploy_is_under_code_owner_review(path: str) -> None:
    assert _owners(path), f"{path} has no code owner in .github/CODEOWNERS"


def test_code_owners_match_as_github_matches() -> None:
    assert _matches("/stacks/policy.*.json", "stacks/policy.prod.json")
    assert not _matches("/stacks/policy.*.json", "stacks/Pulumi.prod.yaml")
    assert _matches("/policy/", "policy/cdn_policy/common.py") and not _matches("/policy/", "tests/policy/x.py")


# -- the stacks a preview decrypts ------------------------------------------------------------
VENDOR_CREDENTIALS = ("vultr:apiKey", "edgio:sharedKey", "edgio:username", "kubernetes:kubeconfig")


@pytest.mark.parametrize("stack", ["dev", "staging", "prod"])
def test_ci_stacks_hold_no_credential_a_preview_could_decrypt(stack: str) -> None:
    config = yaml.safe_load((ROOT / "stacks" / f"Pulumi.{stack}.yaml").read_text())["config"]
    held = sorted(set(config) & set(VENDOR_CREDENTIALS))
    assert held == [], f"stacks/Pulumi.{stack}.yaml holds {held}: previews hold this stack's passphrase"


def test_the_pull_request_gate_reads_protected_from_the_base_branch() -> None:
    """The verdict comes from the base branch's renderer and stack files, compared with the pull
    request's stack files (docs/previews.md, "The deletion gate")."""
    gates = [j for j in ALL_JOBS if j.triggers & PR_TRIGGERS
             and any("-m preview render" in script for script in _commands(j))]
    assert [j.id for j in gates] == ["preview.yml:gate"]
    job = gates[0]
    assert not runs_pr_code(job)
    base = [s for s in job.steps if is_checkout(s) and (s.get("with") or {}).get("ref") == BASE_REF]
    head = [s for s in job.steps if is_checkout(s) and is_data_checkout(s)]
    assert len(base) == 1 and len(head) == 1
    render = next(script for script in _commands(job) if "-m preview render" in script)
    assert f"--base-stacks stacks --head-stacks {head[0]['with']['path']}/stacks" in render
