"""A pull-request preview runs with no vendor key (docs/previews.md, "Who can reach what"): what
`pulumi preview` asks of the dynamic providers, `check` and `diff`, works without credentials and
sends nothing to a vendor, through the SDK's own provider server."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import pytest

from edgio_provider.provider import DeliveryRuleProvider
from tests.support.provider_server import ProviderServer, urn
from vultr_provider.provider import DnsRecordSetProvider

VENDOR_ENV = ("VULTR_API_KEY", "EDGIO_USERNAME", "EDGIO_SHARED_KEY", "LLNW_API_USERNAME", "LLNW_API_KEY")
RECORDS = {"domain": "origin.example.com", "name": "pywai", "type": "A", "addresses": ["198.51.100.1"], "ttl": 120}
RULE = {"shortname": "acme", "published_hostname": "www.acme.s.llnwi.net", "published_path": "/shop",
        "source_hostname": "pywai.origin.example.com", "source_port": 30080}


class Vendor(BaseHTTPRequestHandler):
    """Stands where both vendors' endpoints point: counts every request it gets."""

    seen: ClassVar[list[str]] = []

    def _any(self) -> None:
        Vendor.seen.append(f"{self.command} {self.path}")
        self.send_response(500)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _any

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture()
def vendor() -> Iterator[str]:
    Vendor.seen.clear()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Vendor)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def server_without_keys(provider: Any) -> ProviderServer:
    env = {k: v for k, v in os.environ.items() if k not in VENDOR_ENV}
    return ProviderServer(provider, env=env)


@pytest.mark.parametrize(("provider", "token", "old", "new"), [
    (DnsRecordSetProvider, "vultr:DnsRecordSet", RECORDS, {**RECORDS, "addresses": ["198.51.100.2"]}),
    (DeliveryRuleProvider, "edgio:DeliveryRule", RULE, {**RULE, "source_port": 30081}),
], ids=["vultr", "edgio"])
def test_check_and_diff_need_no_vendor_key_and_call_no_vendor(vendor: str, provider: Any, token: str,
                                                              old: dict[str, Any], new: dict[str, Any]) -> None:
    resource = urn(f"pulumi-python:dynamic/{token}", "x")
    with server_without_keys(provider()) as server:
        server.configure({"vultr:endpoint": f"{vendor}/v2", "edgio:endpoint": f"{vendor}/config-api/v1"})
        checked, failures = server.check(resource, {}, new)
        diff = server.diff(resource, "id-1", old, checked)
    assert failures == []
    assert diff.changes == diff.DIFF_SOME
    assert Vendor.seen == []
