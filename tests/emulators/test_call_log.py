"""The request log's memory: bounded in bytes whatever a client sends, signed or not."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import requests

from tests.emulators.conftest import CREDENTIALS
from tests.support.emulator import Emulators

PADDING = "x" * 60_000  # close to the 64 KiB request line http.server accepts
PATHS = {"vultr": "/domains", "edgio": "/svcinst/delivery/shortname/acme"}
MB = 1 << 20


def resident_bytes(emulators: Emulators) -> int:
    with open(f"/proc/{emulators.pid}/status") as status:
        line = next(line for line in status if line.startswith("VmRSS:"))
    return int(line.split()[1]) * 1024


def flood(emulators: Emulators, vendor: str, count: int, start: int = 0) -> None:
    """``count`` unsigned requests, each with about 60 KB of query; every one is refused."""
    url = getattr(emulators, vendor) + PATHS[vendor]
    with requests.Session() as session:
        for i in range(start, start + count):
            response = session.get(f"{url}?n={i}&pad={PADDING}", timeout=10)
            assert response.status_code == 401, response.text


@pytest.mark.parametrize("vendor", ["vultr", "edgio"])
def test_a_flood_of_large_unauthenticated_requests_keeps_memory_small(
        spawn: Callable[..., Emulators], vendor: str) -> None:
    emulators = spawn(*CREDENTIALS)
    emulators.faults(vendor, rate_limit_per_second=0)  # Vultr's 30 requests/s would answer 429 first
    flood(emulators, vendor, 50)  # handler thread, allocator arenas: what any traffic costs
    before = resident_bytes(emulators)
    flood(emulators, vendor, 1000, start=50)  # about 60 MB of query text
    grown = resident_bytes(emulators) - before
    assert grown < 8 * MB, f"the emulator grew by {grown / MB:.1f} MB"
    log = emulators.admin(vendor, "GET", "calls")
    assert [c["query"][:7] for c in log["calls"][-2:]] == ["n=1048&", "n=1049&"]
    assert max(len(c["path"]) + len(c["query"]) for c in log["calls"]) <= 2100


def test_the_log_keeps_the_newest_calls_within_its_bound_in_bytes(spawn: Callable[..., Emulators]) -> None:
    emulators = spawn(*CREDENTIALS, "--call-log-bytes", "200000")
    flood(emulators, "edgio", 400)
    log = emulators.admin("edgio", "GET", "calls")
    assert log["max_bytes"] == 200_000 and 150_000 < log["bytes"] <= 200_000
    assert 0 < len(log["calls"]) < 400 and log["dropped"] == 400 - len(log["calls"])
    assert log["calls"][-1]["query"].startswith("n=399&pad=xxx") and log["calls"][-1]["query"].endswith(
        "...(+58986 characters)")
    emulators.admin("edgio", "DELETE", "calls")
    assert emulators.admin("edgio", "GET", "calls") == {"calls": [], "bytes": 0, "max_bytes": 200_000,
                                                        "dropped": 0}
