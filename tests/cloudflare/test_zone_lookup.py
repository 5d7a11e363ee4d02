"""settings.zone_id: "names are looked up once" per process, also when the engine's four workers
ask at the same moment, and one lookup is one call (the zone is on the first page)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from pulumi.dynamic import Config

from cloudflare_provider.settings import CloudflareSettings
from tests.cloudflare.kit import config
from tests.support.emulator import Emulators


def test_four_workers_asking_for_the_zone_at_once_look_it_up_with_one_call(emulators: Emulators) -> None:
    settings = CloudflareSettings()
    settings.configure(Config(config(emulators), "cdn-ingress"))
    emulators.admin("cloudflare", "DELETE", "calls")
    with ThreadPoolExecutor(max_workers=4) as pool:
        ids = set(pool.map(lambda _: settings.zone_id(""), range(4)))
    lookups = [c for c in emulators.calls("cloudflare") if c["path"].endswith("/zones")]
    assert len(ids) == 1
    assert len(lookups) == 1, [c["query"] for c in lookups]
