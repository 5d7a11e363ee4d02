"""Fault runs of the Cloudflare providers: hundreds of operations under 5xx answers, 429 bursts,
dropped connections and lost answers end with exactly the intended records and rules, none lost,
none duplicated, and the zone's foreign record and foreign rule untouched."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from pulumi.dynamic import ResourceProvider

from cloudflare_provider import CloudflareConflict, CloudflareError
from cloudflare_provider.client import rule_by_ref
from cloudflare_provider.provider import DnsRecordProvider
from cloudflare_provider.rule_provider import OriginRuleProvider
from tests.cloudflare.kit import alias, client, configured, origin_rules, route, zone_id
from tests.support.emulator import Emulators

pytestmark = pytest.mark.fault
FAULTS = {"error_rate": 0.1, "burst_429_rate": 0.02, "drop_rate": 0.03, "lost_response_rate": 0.1}


class Runner:
    """Runs create/update/delete like successive `pulumi up`s: a failed operation is run again,
    after `pulumi refresh` when it was refused as a conflict."""

    def __init__(self, provider: ResourceProvider) -> None:
        self.p = provider
        self.states: dict[int, tuple[str, dict[str, Any]]] = {}
        self.operations = self.failed = 0

    def run(self, i: int, wanted: dict[str, Any] | None) -> None:
        for _ in range(6):
            self.operations += 1
            try:
                self._once(i, wanted)
                return
            except CloudflareConflict:
                self.failed += 1
                id_, outs = self.states[i]
                read = self.p.read(id_, outs)
                self.states[i] = (id_, read.outs)
            except CloudflareError:
                self.failed += 1
        raise AssertionError(f"object {i} did not converge in 6 runs")

    def _once(self, i: int, wanted: dict[str, Any] | None) -> None:
        if wanted is None:
            self.p.delete(*self.states[i])
            del self.states[i]
        elif i in self.states:
            id_, outs = self.states[i]
            self.states[i] = (id_, self.p.update(id_, outs, self.p.check(outs, wanted).inputs).outs)
        else:
            done = self.p.create(self.p.check({}, wanted).inputs)
            self.states[i] = (done.id, done.outs)


def churn(runner: Runner, wanted: Callable[[int, int], dict[str, Any]], count: int, rounds: int) -> None:
    for round_ in range(rounds):
        for i in range(count):
            runner.run(i, wanted(i, round_))
    for i in range(0, count, 2):
        runner.run(i, None)


def test_fault_run_of_records_and_rules(emulators: Emulators) -> None:
    c, zone = client(emulators), zone_id(emulators)
    foreign_record = c.create_record(zone, {"name": "theirs.example.com", "type": "A", "content": "192.0.2.50",
                                            "ttl": 1, "comment": "hand-made"})
    ruleset = c.ensure_entrypoint(zone)
    foreign_rule = rule_by_ref(c.create_rule(zone, ruleset["id"], {
        "action": "route", "ref": "theirs", "expression": '(http.host eq "theirs.example.com")',
        "action_parameters": {"origin": {"port": 8443}}}), "theirs")
    emulators.faults("cloudflare", **FAULTS, seed=7)
    records = Runner(configured(DnsRecordProvider(), emulators))
    rules = Runner(configured(OriginRuleProvider(), emulators))
    count, rounds = 16, 10
    churn(records, lambda i, r: alias(name=f"o-{i}.example.com", content=f"s{i}-{r}.origin.example.org"),
          count, rounds)
    churn(rules, lambda i, r: route(path=f"/r{i}", origin_host=f"o-{i}.example.com", origin_port=30000 + r),
          count, rounds)
    emulators.faults("cloudflare", **dict.fromkeys(FAULTS, 0.0))

    live_records = [r for i in range(count) for r in c.list_records(zone, f"o-{i}.example.com")]
    wanted_records = {f"o-{i}.example.com": f"s{i}-{rounds - 1}.origin.example.org" for i in range(1, count, 2)}
    got_records = {r["name"]: r["content"] for r in live_records}
    ours_rules = [r for r in origin_rules(emulators) if r["id"] != foreign_rule["id"]]
    wanted_ports = {f"/r{i}": 30000 + rounds - 1 for i in range(1, count, 2)}
    got_ports = {r["description"].split("route=www.example.com", 1)[1].split(" ")[0]:
                 r["action_parameters"]["origin"]["port"] for r in ours_rules}
    lost = len(set(wanted_records) - set(got_records)) + len(set(wanted_ports) - set(got_ports))
    duplicated = (len(live_records) - len(got_records)) + (len(ours_rules) - len(got_ports))
    left_over = len(set(got_records) - set(wanted_records)) + len(set(got_ports) - set(wanted_ports))
    foreign_touched = int(c.get_record(zone, foreign_record["id"]) != foreign_record) + int(
        [r for r in origin_rules(emulators) if r["id"] == foreign_rule["id"]] !=
        [{k: v for k, v in foreign_rule.items() if k != "ruleset_id"}])
    operations = records.operations + rules.operations
    print(f"\ncloudflare fault run: {operations} resource operations ({records.failed + rules.failed} failed and "
          f"were run again), {len(emulators.calls('cloudflare'))} HTTP calls; lost={lost} duplicated={duplicated} "
          f"left_over={left_over} foreign_touched={foreign_touched}")
    assert operations >= 300
    assert (lost, duplicated, left_over, foreign_touched) == (0, 0, 0, 0)
    assert got_records == wanted_records and got_ports == wanted_ports
    assert {id_ for id_, _ in rules.states.values()} == {r["id"] for r in ours_rules}
