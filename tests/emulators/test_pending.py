"""Deploys that take time: a rule stays pending for ``pending_seconds`` after each write however
often it is read, set from the command line or through /_emulator/settings."""

from __future__ import annotations

import time
from collections.abc import Callable

from tests.emulators.conftest import CREDENTIALS, Edgio, rule
from tests.support.emulator import Emulators


def states_until(edgio: Edgio, uid: str, seconds: float) -> list[str]:
    """The states read back-to-back for ``seconds``."""
    seen, end = [], time.monotonic() + seconds
    while time.monotonic() < end:
        seen.append(edgio.call("GET", f"/svcinst/delivery/{uid}")[1]["status"]["state"])
        time.sleep(0.05)
    return seen


def test_pending_seconds_from_the_command_line(spawn: Callable[..., Emulators]) -> None:
    own = spawn(*CREDENTIALS, "--edgio-pending-reads", "0", "--edgio-pending-seconds", "1.0")
    edgio = Edgio(own.edgio)
    written = time.monotonic()
    _, created = edgio.call("POST", "/svcinst/delivery", rule())
    early = states_until(edgio, created["uuid"], 0.6)
    assert len(early) >= 5 and set(early) == {"PROCESSING"}
    time.sleep(max(0.0, written + 1.1 - time.monotonic()))
    assert edgio.call("GET", f"/svcinst/delivery/{created['uuid']}")[1]["status"]["state"] == "COMPLETED"
    edgio.call("PUT", f"/svcinst/delivery/{created['uuid']}", rule(sourceUrlPath="/v2"))
    assert edgio.call("GET", f"/svcinst/delivery/{created['uuid']}")[1]["status"]["state"] == "PROCESSING"


def test_pending_seconds_through_the_control_call(live: Emulators, edgio: Edgio) -> None:
    assert live.settings("edgio", pending_seconds=0.5, pending_reads=0)["pending_seconds"] == 0.5
    _, created = edgio.call("POST", "/svcinst/delivery", rule())
    assert set(states_until(edgio, created["uuid"], 0.3)) == {"PROCESSING"}
    time.sleep(0.3)
    assert edgio.call("GET", f"/svcinst/delivery/{created['uuid']}")[1]["status"]["state"] == "COMPLETED"
    live.reset()
    assert live.admin("edgio", "GET", "settings")["pending_seconds"] == 0.0


def test_reads_and_seconds_must_both_pass(live: Emulators, edgio: Edgio) -> None:
    live.settings("edgio", pending_reads=3)
    _, created = edgio.call("POST", "/svcinst/delivery", rule())
    assert states_until(edgio, created["uuid"], 0.25)[:4] == ["PROCESSING"] * 3 + ["COMPLETED"]
