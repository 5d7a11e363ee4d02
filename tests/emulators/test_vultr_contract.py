"""What the Vultr emulator refuses, as the vendor would: each case a 4xx with Vultr's
``{"error", "status"}`` body, and nothing stored by a refused write."""

from __future__ import annotations

from typing import Any

import pytest

from tests.emulators.conftest import ZONE, Vultr
from tests.support.emulator import Emulators


def test_record_in_unknown_zone_is_404_and_not_stored(vultr: Vultr, live: Emulators) -> None:
    status, body = vultr.call("POST", "/domains/nowhere.example/records",
                              {"name": "www", "type": "A", "data": "192.0.2.1"})
    assert (status, body) == (404, {"error": "Invalid domain.", "status": 404})
    assert "nowhere.example" not in live.state("vultr")


@pytest.mark.parametrize("domain_body", [
    {"domain": "a.example", "dns_sec": 5},
    {"domain": "a.example", "dns_sec": "bogus"},
    {"domain": "a.example", "ip": "not-an-ip"},
    {"domain": "a.example", "ip": 17},
    {"domain": ["a.example"]},
    {},
], ids=["dns_sec-int", "dns_sec-bogus", "ip-text", "ip-int", "domain-list", "no-domain"])
def test_bad_domain_create_is_400_and_not_stored(vultr: Vultr, domain_body: dict[str, Any]) -> None:
    status, body = vultr.call("POST", "/domains", domain_body)
    assert status == 400 and body["status"] == 400, body
    field = next((k for k in ("dns_sec", "ip") if k in domain_body), "domain")
    assert field in body["error"]
    assert vultr.call("GET", "/domains/a.example")[0] == 404


@pytest.mark.parametrize("raw", [b"1", b'"s"', b"[]", b"null", b"{", b"[" * 100_000, b'{"ttl": NaN}'],
                         ids=["number", "string", "list", "null", "broken", "deep", "nan"])
@pytest.mark.parametrize(("method", "path"), [
    ("POST", "/domains"), ("PUT", f"/domains/{ZONE}"), ("PATCH", f"/domains/{ZONE}/soa"),
    ("POST", f"/domains/{ZONE}/records"),
], ids=["create-domain", "update-domain", "update-soa", "create-record"])
def test_body_that_is_not_an_object_is_400(vultr: Vultr, method: str, path: str, raw: bytes) -> None:
    status, body = vultr.call(method, path, raw=raw)
    assert status == 400 and body["status"] == 400, body


def test_update_domain_sets_dnssec_and_refuses_other_values(vultr: Vultr) -> None:
    assert vultr.call("PUT", f"/domains/{ZONE}", {"dns_sec": "enabled"}) == (204, None)
    assert vultr.call("GET", f"/domains/{ZONE}")[1]["domain"]["dns_sec"] == "enabled"
    status, body = vultr.call("PUT", f"/domains/{ZONE}", {"dns_sec": True})
    assert status == 400 and "dns_sec" in body["error"]
    assert vultr.call("PUT", f"/domains/{ZONE}", {})[1]["error"] == "Missing required field(s): dns_sec."


def test_dnssec_lists_keys_only_when_enabled(vultr: Vultr) -> None:
    assert vultr.call("GET", f"/domains/{ZONE}/dnssec") == (200, {"dns_sec": []})
    vultr.call("PUT", f"/domains/{ZONE}", {"dns_sec": "enabled"})
    status, body = vultr.call("GET", f"/domains/{ZONE}/dnssec")
    assert status == 200 and [k.split()[:3] for k in body["dns_sec"]] == [[ZONE, "IN", "DNSKEY"], [ZONE, "IN", "DS"]]


@pytest.mark.parametrize(("soa", "field"), [({"nsprimary": "not a host"}, "nsprimary"),
                                            ({"email": "nobody"}, "email"), ({"email": 3}, "email")],
                         ids=["nsprimary", "email", "email-int"])
def test_bad_soa_is_400_and_unchanged(vultr: Vultr, soa: dict[str, Any], field: str) -> None:
    status, body = vultr.call("PATCH", f"/domains/{ZONE}/soa", soa)
    assert status == 400 and field in body["error"]
    assert vultr.call("GET", f"/domains/{ZONE}/soa")[1]["dns_soa"]["email"] == "dnsadm@vultr.com"


BAD_RECORDS = [
    ("A", "2001:db8::1", "wrong address family"), ("AAAA", "192.0.2.1", "wrong address family"),
    ("CNAME", "not a host", "must be a host name"), ("NS", "", "non-empty string"),
    ("MX", "mail..example", "must be a host name"), ("SRV", "5 mail.example", "<weight> <port> <target>"),
    ("SRV", "5 70000 sip.example", "<weight> <port> <target>"), ("TXT", '"half', "enclosed in quotes"),
    ("TXT", 'a"b', "Quotes may only appear"), ("CAA", "0 issue", "<flag 0..255> <tag>"),
    ("CAA", '256 issue "ca.example"', "<flag 0..255> <tag>"), ("CAA", '0 issue "a b"', "no whitespace"),
    ("SSHFP", "9 2 " + "ab" * 32, "algorithm in"), ("SSHFP", "4 1 " + "ab" * 32, "type 1 (40 hex digits)"),
    ("SSHFP", "4 2 " + "zz" * 32, "<algorithm> <type> <fingerprint>"), ("PTR", "host.example", "allowed: A, AAAA"),
]


@pytest.mark.parametrize(("rtype", "data", "message"), BAD_RECORDS,
                         ids=[f"{t}-{i}" for i, (t, _, _) in enumerate(BAD_RECORDS)])
def test_record_data_checked_per_type(vultr: Vultr, rtype: str, data: str, message: str) -> None:
    record = {"name": "x", "type": rtype, "data": data, "priority": 10}
    status, body = vultr.call("POST", f"/domains/{ZONE}/records", record)
    assert status == 400 and message in body["error"], body
    assert vultr.call("GET", f"/domains/{ZONE}/records")[1]["records"] == []


@pytest.mark.parametrize("rtype", ["MX", "SRV"])
def test_mx_and_srv_need_a_priority(vultr: Vultr, rtype: str) -> None:
    data = "mail.example.org" if rtype == "MX" else "1 25 mail.example.org"
    status, body = vultr.call("POST", f"/domains/{ZONE}/records", {"name": "", "type": rtype, "data": data})
    assert (status, body["error"]) == (400, "Missing required field(s): priority.")
    status, _ = vultr.call("POST", f"/domains/{ZONE}/records", {"name": "", "type": rtype, "data": data,
                                                                "priority": 70000})
    assert status == 400


@pytest.mark.parametrize(("field", "value"), [("name", 5), ("ttl", "300"), ("priority", 1.5), ("data", ["x"])])
def test_record_update_of_wrong_type_is_400(vultr: Vultr, field: str, value: Any) -> None:
    _, created = vultr.call("POST", f"/domains/{ZONE}/records", {"name": "w", "type": "A", "data": "192.0.2.1"})
    record_id = created["record"]["id"]
    status, body = vultr.call("PATCH", f"/domains/{ZONE}/records/{record_id}", {field: value})
    assert status == 400 and field in body["error"].lower(), body
    assert vultr.call("GET", f"/domains/{ZONE}/records/{record_id}")[1]["record"] == created["record"]
