"""Vultr's own generated client (vultr-python-client, built from Vultr's OpenAPI document) over
every DNS operation of its DnsApi, each answer checked against the document's schemas."""

from __future__ import annotations

import json
from typing import Any

import pytest
import vultr_python_client
from vultr_python_client.apis.tags.dns_api import DnsApi
from vultr_python_client.model.dns_record import DnsRecord
from vultr_python_client.model.dns_soa import DnsSoa
from vultr_python_client.model.domain import Domain
from vultr_python_client.model.meta import Meta

from tests.conftest import VULTR_TEST_KEY
from tests.support.emulator import Emulators

ZONE = "sdk.example.net"
RECORDS = [  # one per type the document lists, with data in the form each type takes
    {"name": "www", "type": "A", "data": "192.0.2.10", "ttl": 300},
    {"name": "www", "type": "AAAA", "data": "2001:db8::10", "ttl": 300},
    {"name": "blog", "type": "CNAME", "data": "www.sdk.example.net", "ttl": 300},
    {"name": "sub", "type": "NS", "data": "ns1.example.org", "ttl": 300},
    {"name": "", "type": "MX", "data": "mail.sdk.example.net", "ttl": 300, "priority": 10},
    {"name": "_sip._tcp", "type": "SRV", "data": "5 5060 sip.sdk.example.net", "ttl": 300, "priority": 20},
    {"name": "", "type": "TXT", "data": '"v=spf1 -all"', "ttl": 300},
    {"name": "", "type": "CAA", "data": '0 issue "letsencrypt.org"', "ttl": 300},
    {"name": "host", "type": "SSHFP", "data": "4 2 " + "ab" * 32, "ttl": 300},
]


@pytest.fixture()
def api(emulators: Emulators) -> DnsApi:
    emulators.faults("vultr", rate_limit_per_second=0)
    config = vultr_python_client.Configuration(host=emulators.vultr)
    config.access_token = VULTR_TEST_KEY
    return DnsApi(vultr_python_client.ApiClient(config))


def exact(model: Any, data: Any) -> dict[str, Any]:
    """``data`` passes the document's schema and has exactly the fields the schema names."""
    model.from_openapi_data_oapg(data)
    assert set(data) == set(model.MetaOapg.properties.__annotations__), data
    return dict(data)


def body(response: Any) -> Any:
    return json.loads(response.response.data) if response.response.data else None


def test_domain_operations(api: DnsApi) -> None:
    created = api.create_dns_domain(body={"domain": ZONE, "dns_sec": "disabled"})
    assert created.response.status == 200
    assert exact(Domain, body(created)["domain"])["dns_sec"] == "disabled"
    listed = body(api.list_dns_domains(query_params={"per_page": 1}))
    exact(Meta, listed["meta"])
    assert listed["meta"]["total"] == 2 and len(listed["domains"]) == 1
    second = body(api.list_dns_domains(query_params={"per_page": 1, "cursor": listed["meta"]["links"]["next"]}))
    assert {d["domain"] for d in listed["domains"] + second["domains"]} == {ZONE, "origin.example.com"}
    assert api.update_dns_domain(path_params={"dns-domain": ZONE}, body={"dns_sec": "enabled"}).response.status == 204
    assert exact(Domain, body(api.get_dns_domain(path_params={"dns-domain": ZONE}))["domain"])["dns_sec"] == "enabled"
    keys = body(api.get_dns_domain_dnssec(path_params={"dns-domain": ZONE}))["dns_sec"]
    assert [k.split()[2] for k in keys] == ["DNSKEY", "DS"]
    assert api.delete_dns_domain(path_params={"dns-domain": ZONE}).response.status == 204
    with pytest.raises(vultr_python_client.ApiException) as gone:
        api.get_dns_domain(path_params={"dns-domain": ZONE})
    assert gone.value.status == 404 and b"Invalid domain" in gone.value.body


def test_soa_operations(api: DnsApi) -> None:
    api.create_dns_domain(body={"domain": ZONE})
    soa = exact(DnsSoa, body(api.get_dns_domain_soa(path_params={"dns-domain": ZONE}))["dns_soa"])
    assert soa == {"nsprimary": "ns1.vultr.com", "email": "dnsadm@vultr.com"}
    patched = api.update_dns_domain_soa(path_params={"dns-domain": ZONE}, body={"email": "hostmaster@example.net"})
    assert patched.response.status == 204
    soa = body(api.get_dns_domain_soa(path_params={"dns-domain": ZONE}))["dns_soa"]
    assert soa == {"nsprimary": "ns1.vultr.com", "email": "hostmaster@example.net"}


@pytest.mark.parametrize("record", RECORDS, ids=[r["type"] for r in RECORDS])
def test_record_lifecycle_per_type(api: DnsApi, record: dict[str, Any]) -> None:
    api.create_dns_domain(body={"domain": ZONE})
    path = {"dns-domain": ZONE}
    created = api.create_dns_domain_record(path_params=path, body=record)
    assert created.response.status == 201
    stored = exact(DnsRecord, body(created)["record"])
    assert (stored["type"], stored["name"], stored["data"]) == (record["type"], record["name"], record["data"])
    ids = {**path, "record-id": stored["id"]}
    assert exact(DnsRecord, body(api.get_dns_domain_record(path_params=ids))["record"]) == stored
    assert api.update_dns_domain_record(path_params=ids, body={"ttl": 600}).response.status == 204
    listed = body(api.list_dns_domain_records(path_params=path))
    exact(Meta, listed["meta"])
    assert [exact(DnsRecord, r)["ttl"] for r in listed["records"]] == [600]
    assert api.delete_dns_domain_record(path_params=ids).response.status == 204
    with pytest.raises(vultr_python_client.ApiException) as gone:
        api.get_dns_domain_record(path_params=ids)
    assert gone.value.status == 404


def test_seeded_zone_pages_by_cursor(api: DnsApi) -> None:
    api.create_dns_domain(body={"domain": ZONE, "ip": "192.0.2.1"})
    path, seen, cursor = {"dns-domain": ZONE}, [], ""
    while True:
        page = body(api.list_dns_domain_records(path_params=path, query_params={"per_page": 2, "cursor": cursor}))
        seen += [exact(DnsRecord, r)["type"] for r in page["records"]]
        cursor = page["meta"]["links"]["next"]
        if not cursor:
            break
    assert sorted(seen) == ["A", "CNAME", "MX", "NS", "NS"]


def test_client_refuses_an_answer_off_the_schema() -> None:
    with pytest.raises(vultr_python_client.ApiTypeError):
        exact(DnsRecord, {"id": "x", "type": "A", "name": "", "data": "192.0.2.1", "priority": 0, "ttl": "300"})
