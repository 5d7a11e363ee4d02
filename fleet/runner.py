"""One stack's preview or up through the Automation API, with the policy pack and the stack's policy
config, and a bounded pool of them.

Each run is a ``pulumi`` process of its own (the CLI's locking keeps two runs of one stack apart);
its whole output goes to a log file, and only a one-line result comes back.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from pulumi import automation as auto

OPERATIONS = ("preview", "up")
# `pulumi stack select` rewrites the project's one workspace file; the runs themselves name their
# stack with --stack, so only the selects need to take turns.
_SELECT = threading.Lock()
_ERROR_LINE = re.compile(r"^\s*error:\s*\S")
_GENERIC = "error: an unhandled error occurred"  # the CLI's own line after the program's message
# A section of the CLI's output ("Policies:", "Resources:", "Diagnostics:") ends an error entry: the
# CLI's stdout and stderr reach the callbacks interleaved, in either order.
_SECTION = re.compile(r"^[A-Z][A-Za-z ]{2,40}:$")


@dataclass(frozen=True)
class Run:
    """What every stack of the fleet runs."""

    operation: str
    """``preview`` or ``up``."""
    work_dir: Path
    """The project directory (holds Pulumi.yaml)."""
    log_dir: Path
    """Where each stack's full output goes, as ``<stack>.log``."""
    expect_no_changes: bool = False
    """Fail a stack whose run finds changes (a drift check)."""


@dataclass(frozen=True)
class StackResult:
    """How one stack's run ended."""

    stack: str
    ok: bool
    seconds: float
    """Wall time of this stack's run."""
    detail: str
    """The changes Pulumi counted, or why the run failed."""


def log_path(run: Run, stack: str) -> Path:
    return run.log_dir / f"{stack.replace('/', '_')}.log"


def count_changes(counts: Mapping[auto.OpType, int]) -> str:
    """``create 2, same 5`` in Pulumi's own words, or ``no resources``."""
    parts = [f"{getattr(op, 'value', op)} {n}" for op, n in sorted(counts.items()) if n]
    return ", ".join(parts) or "no resources"


def failure_reason(error: Exception, output: list[str]) -> str:
    """Why, in one line: the lock, else the last line of the CLI's first specific ``error:`` entry
    (where a program's own message ends up, after any traceback), else the exception."""
    if isinstance(error, auto.ConcurrentUpdateError):
        return "locked by another run of this stack (see docs/team.md before `pulumi cancel`)"
    if isinstance(error, PolicyMissing):
        return str(error)
    entries = _error_entries(output + str(error).splitlines())  # the error's text holds what no callback saw
    specific = [e for e in entries if not e[0].startswith(_GENERIC)] or entries
    if specific:
        return specific[0][-1].removeprefix("error: ")[:240]
    text = str(error).strip()
    return f"{type(error).__name__}: {text.splitlines()[0][:200]}" if text else type(error).__name__


def _error_entries(lines: list[str]) -> list[list[str]]:
    """Each ``error:`` line with the lines under it, up to a blank line or the next entry."""
    entries: list[list[str]] = []
    current: list[str] | None = None
    for raw in lines:
        line = raw.strip().removeprefix("stderr: ").removeprefix("stdout: ")
        if _ERROR_LINE.match(line):
            current = [line]
            entries.append(current)
        elif current is not None and line and not line.startswith("Resources:") and not _SECTION.match(line):
            current.append(line)
        else:
            current = None
    return entries


class PolicyMissing(Exception):
    """The policy pack, or the stack's config of it, is not where every run of a stack takes it."""


def policy_options(run: Run, stack: str) -> tuple[list[str], list[str]]:
    """The project's pack (``policy/``) with the stack's config (``stacks/policy.<stack>.json``), as the
    Automation API passes them to the CLI: mandatory policies bind every up, not only the preview."""
    pack, config = run.work_dir / "policy", run.work_dir / "stacks" / f"policy.{stack}.json"
    if not (pack / "PulumiPolicy.yaml").is_file():
        raise PolicyMissing(f"{pack / 'PulumiPolicy.yaml'} is missing: every run of a stack takes the policy pack "
                            "(docs/policy.md)")
    if not config.is_file():
        raise PolicyMissing(f"stack {stack!r}: {config} is missing: every run of a stack takes the policy pack "
                            "with that stack's config (docs/policy.md)")
    return [str(pack)], [str(config)]


def _operate(run: Run, stack: auto.Stack, out: Callable[[str], None]) -> str:
    packs, configs = policy_options(run, stack.name)
    expect = run.expect_no_changes or None
    # The Automation API's up skips its preview, and stack policies (the route ceiling) judge an up
    # only after its changes are made: the preview with the pack comes first, and a violation stops
    # the stack before anything changes.
    preview = stack.preview(on_output=out, on_error=out, expect_no_changes=expect, policy_packs=packs,
                            policy_pack_configs=configs)
    if run.operation != "up":
        return count_changes(preview.change_summary)
    result = stack.up(on_output=out, on_error=out, expect_no_changes=expect, policy_packs=packs,
                      policy_pack_configs=configs)
    return count_changes(result.summary.resource_changes or {})


def run_stack(run: Run, name: str) -> StackResult:
    """Select the stack and run the operation; any failure is this stack's result, not raised."""
    started, output, writing = time.monotonic(), [], threading.Lock()
    path = log_path(run, name)
    with path.open("w") as log:
        def out(line: str) -> None:  # called from the CLI's stdout and stderr reader threads
            with writing:
                output.append(line)
                log.write(line + "\n")
                log.flush()

        try:
            workspace = auto.LocalWorkspace(work_dir=str(run.work_dir))
            with _SELECT:
                stack = auto.Stack.select(name, workspace)
            ok, detail = True, _operate(run, stack, out)
        except Exception as error:  # one stack's failure, whatever it is, must not stop the others
            out(f"fleet: {type(error).__name__}: {error}")
            ok, detail = False, f"{failure_reason(error, output)} (log: {path})"
    return StackResult(name, ok, time.monotonic() - started, detail)


def run_fleet(stacks: list[str], workers: int, run_one: Callable[[str], StackResult]) -> Iterator[StackResult]:
    """Run every stack, at most ``workers`` at a time; yields results as they finish."""
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="fleet") as pool:
        for future in as_completed([pool.submit(run_one, stack) for stack in stacks]):
            yield future.result()
