"""A refresh reads the zone's records from one listing and the rules from one read of the entry
point, shared by every resource of the provider process, not a read per object; a record or rule
the listing does not show is gone only when a read by id (records) or a fresh entry point (rules)
says so. Against the emulator over loopback."""

from __future__ import annotations

from typing import Any

from cloudflare_provider.provider import DnsRecordProvider
from cloudflare_provider.rule_provider import OriginRuleProvider
from tests.cloudflare.kit import client, configured, record, route, zone_id
from tests.support.emulator import Emulators

HOSTS = [f"h{i}.example.com" for i in range(8)]


def calls(emulators: Emulators) -> list[tuple[str, str]]:
    return [(c["method"], c["path"].split("/client/v4", 1)[-1]) for c in emulators.calls("cloudflare")]


def made_records(emulators: Emulators) -> list[Any]:
    p = configured(DnsRecordProvider(), emulators)
    return [p.create(p.check({}, record(name=h)).inputs) for h in HOSTS]


def test_a_refresh_lists_the_records_once_not_a_read_per_record(emulators: Emulators) -> None:
    made = made_records(emulators)
    fresh = configured(DnsRecordProvider(), emulators)  # refresh: a new process
    zone = zone_id(emulators)
    emulators.admin("cloudflare", "DELETE", "calls")
    read = [fresh.read(m.id, m.outs) for m in made]
    assert [r.id for r in read] == [m.id for m in made]
    assert [r.outs["name"] for r in read] == HOSTS
    assert calls(emulators) == [("GET", f"/zones/{zone}/dns_records")]


def test_a_record_missing_from_the_listing_is_read_by_id_before_it_is_called_gone(emulators: Emulators) -> None:
    made = made_records(emulators)
    fresh = configured(DnsRecordProvider(), emulators)
    fresh.read(made[0].id, made[0].outs)  # the listing is taken
    late = configured(DnsRecordProvider(), emulators).create(record(name="late.example.com"))
    assert fresh.read(late.id, late.outs).id == late.id  # written after the listing: found by id
    zone = zone_id(emulators)
    client(emulators).delete_record(zone, made[1].id)
    emulators.admin("cloudflare", "DELETE", "calls")
    assert configured(DnsRecordProvider(), emulators).read(made[1].id, made[1].outs).id == ""
    assert calls(emulators)[-1] == ("GET", f"/zones/{zone}/dns_records/{made[1].id}")


def test_a_refresh_reads_the_rules_from_one_read_of_the_entry_point(emulators: Emulators) -> None:
    p = configured(OriginRuleProvider(), emulators)
    made = [p.create(p.check({}, route(path=f"/p{i}")).inputs) for i in range(6)]
    fresh = configured(OriginRuleProvider(), emulators)
    zone = zone_id(emulators)
    emulators.admin("cloudflare", "DELETE", "calls")
    read = [fresh.read(m.id, m.outs) for m in made]
    assert [r.outs["path"] for r in read] == [f"/p{i}" for i in range(6)]
    assert calls(emulators) == [("GET", f"/zones/{zone}/rulesets/phases/http_request_origin/entrypoint")]


def test_the_listing_walks_every_page_and_no_further(emulators: Emulators) -> None:
    """150 records: two pages of 100, and no third call for an empty page."""
    zone, c = zone_id(emulators), client(emulators)
    made = [c.create_record(zone, {"name": f"r{i}.example.com", "type": "A", "content": "192.0.2.1", "ttl": 300,
                                   "proxied": False}) for i in range(150)]
    emulators.admin("cloudflare", "DELETE", "calls")
    assert len(c.zone_records(zone)) == 150 and made
    assert [p for _, p in calls(emulators)] == [f"/zones/{zone}/dns_records"] * 2


def test_a_rule_create_is_checked_on_the_ruleset_its_write_answered(emulators: Emulators) -> None:
    """The rules endpoint answers a write with the whole ruleset as it stands after it: the order check
    (matching rules merge, the later one wins) reads that, not the entry point again."""
    p = configured(OriginRuleProvider(), emulators)
    p.create(p.check({}, route(path="/first")).inputs)  # the entry point exists
    zone = zone_id(emulators)
    emulators.admin("cloudflare", "DELETE", "calls")
    p.create(p.check({}, route(path="/second")).inputs)
    entry = f"/zones/{zone}/rulesets/phases/http_request_origin/entrypoint"
    assert [c for c in calls(emulators) if c[1] == entry] == [("GET", entry)]
    assert [m for m, _ in calls(emulators)] == ["GET", "POST"]


def test_a_record_create_lists_its_name_once(emulators: Emulators) -> None:
    p = configured(DnsRecordProvider(), emulators)
    zone = zone_id(emulators)
    emulators.admin("cloudflare", "DELETE", "calls")
    p.create(p.check({}, record(name="once.example.com")).inputs)
    assert calls(emulators) == [("GET", "/zones"), ("GET", f"/zones/{zone}/dns_records"),  # the zone, the name
                                ("POST", f"/zones/{zone}/dns_records")]
