"""One ``up`` of a stack through the Automation API, in a process of its own.

``python -m reconciler.worker REQUEST.json``: started in a new session with its output in a log
file, so a reconciler killed mid-run (SIGKILL included) does not kill the CLI with it: the run ends,
saves its state and releases the backend's lock, and the reconciler's next pass starts from there.
Exit 0: done; 75: the stack is locked by another run (nothing was changed); 1: failed.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from pulumi import automation as auto

LOCKED = 75  # EX_TEMPFAIL


def run(request: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    workspace = auto.LocalWorkspace(work_dir=request["work_dir"])
    stack = auto.Stack.select(request["stack"], workspace)
    try:
        result = stack.up(target=request.get("targets") or None, policy_packs=request.get("policy_packs") or None,
                          policy_pack_configs=request.get("policy_pack_configs") or None,
                          on_output=print, color="never", suppress_progress=True, suppress_outputs=True,
                          show_secrets=False)
    except auto.ConcurrentUpdateError as exc:
        return LOCKED, {"ok": False, "locked": True, "detail": str(exc)[-600:]}
    changes = {getattr(op, "value", str(op)): n for op, n in (result.summary.resource_changes or {}).items()}
    return 0, {"ok": True, "changes": changes, "detail": result.summary.result}


def main(argv: list[str]) -> int:
    path = Path(argv[0])
    request = json.loads(path.read_text())
    try:
        code, result = run(request)
    except Exception as exc:  # reported to the reconciler in the result file, whatever it is
        code, result = 1, {"ok": False, "detail": f"{type(exc).__name__}: {str(exc)[-1500:]}"}
    Path(request["result"]).write_text(json.dumps(result))
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
