"""Vultr API v2 DNS client: one method per endpoint, every list walked to its last page.

Follows vultr-dns-api.md: Bearer auth, cursor pagination (per_page up to 500), 429 at
30 requests/second per address (a shared client-side limit stays below it), 201/204 successes.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import Any, cast
from urllib.parse import quote

import requests

from restkit import OutcomeUnknown, RateLimiter, RetryPolicy, Transport, clean_credential
from vultr_provider.errors import VultrConfigError, VultrTransportError, error_for_status
from vultr_provider.types import DnsRecord, Domain

DEFAULT_ENDPOINT = "https://api.vultr.com/v2"
PAGE_SIZE = 500
CREATE_ATTEMPTS = 3


def usable_api_key(raw: str, *, setting: str = "vultr:apiKey") -> str:
    return clean_credential(raw, setting=setting, error=VultrConfigError)


class VultrClient:
    def __init__(self, api_key: str, *, endpoint: str = DEFAULT_ENDPOINT, requests_per_second: float = 20.0,
                 timeout: float = 30.0, retry: RetryPolicy | None = None) -> None:
        api_key = usable_api_key(api_key)
        self._transport = Transport(
            endpoint, timeout=(min(5.0, timeout), timeout), retry=retry,
            limiter=RateLimiter.shared(f"vultr:{requests_per_second}", requests_per_second, burst=5),
            headers={"Authorization": f"Bearer {api_key}", "Accept": "application/json"},
        )

    def __repr__(self) -> str:
        return f"VultrClient(endpoint={self._transport.base_url!r})"

    def close(self) -> None:
        self._transport.close()

    def _call(self, operation: str, method: str, path: str, *, body: Any = None,
              params: dict[str, Any] | None = None, idempotent: bool = True) -> requests.Response:
        return self._transport.json("Vultr", operation, method, path, body=body, params=params,
                                    idempotent=idempotent, transport_error=VultrTransportError,
                                    error_for_status=error_for_status)

    def _pages(self, operation: str, path: str, key: str) -> Iterator[dict[str, Any]]:
        cursor = ""
        while True:
            params: dict[str, Any] = {"per_page": PAGE_SIZE, **({"cursor": cursor} if cursor else {})}
            page = self._call(operation, "GET", path, params=params).json()
            yield from page.get(key) or []
            cursor = ((page.get("meta") or {}).get("links") or {}).get("next") or ""
            if not cursor:
                return

    # -- domains -----------------------------------------------------------------------------
    def list_domains(self) -> list[Domain]:
        return [cast(Domain, d) for d in self._pages("list_domains", "/domains", "domains")]

    def get_domain(self, domain: str) -> Domain:
        return cast(Domain, self._call("get_domain", "GET", f"/domains/{quote(domain)}").json()["domain"])

    def create_domain(self, domain: str) -> Domain:
        response = self._call("create_domain", "POST", "/domains", body={"domain": domain}, idempotent=False)
        return cast(Domain, response.json()["domain"])

    def delete_domain(self, domain: str) -> None:
        self._call("delete_domain", "DELETE", f"/domains/{quote(domain)}")

    # -- records -----------------------------------------------------------------------------
    def list_records(self, domain: str) -> list[DnsRecord]:
        path = f"/domains/{quote(domain)}/records"
        return [cast(DnsRecord, r) for r in self._pages("list_records", path, "records")]

    def get_record(self, domain: str, record_id: str) -> DnsRecord:
        path = f"/domains/{quote(domain)}/records/{quote(record_id)}"
        return cast(DnsRecord, self._call("get_record", "GET", path).json()["record"])

    def create_record(self, domain: str, *, name: str, type: str, data: str, ttl: int,
                      known_ids: Collection[str] | None = None) -> DnsRecord:
        """Create one record. If the answer is lost, the zone is listed: a record with this name,
        type and data that is not among ``known_ids`` (the ones there before) is the one we made."""
        if known_ids is None:
            known_ids = {r["id"] for r in self._matching(domain, name, type, data)}
        body = {"name": name, "type": type, "data": data, "ttl": ttl, "priority": 0}
        path = f"/domains/{quote(domain)}/records"
        for attempt in range(1, CREATE_ATTEMPTS + 1):
            try:
                return cast(DnsRecord, self._call("create_record", "POST", path, body=body,
                                                  idempotent=False).json()["record"])
            except OutcomeUnknown as exc:
                made = [r for r in self._matching(domain, name, type, data) if r["id"] not in known_ids]
                if made:
                    return made[0]
                if attempt == CREATE_ATTEMPTS:
                    raise VultrTransportError(f"Vultr create_record failed: {exc}") from exc
        raise AssertionError("unreachable")

    def _matching(self, domain: str, name: str, type: str, data: str) -> list[DnsRecord]:
        return [r for r in self.list_records(domain)
                if (r["name"], r["type"], r["data"]) == (name, type, data)]

    def update_record(self, domain: str, record_id: str, **changes: Any) -> None:
        """PATCH ``name``/``data``/``ttl``/``priority`` (a PATCH to the same values is harmless,
        so it is retried like a read)."""
        path = f"/domains/{quote(domain)}/records/{quote(record_id)}"
        self._call("update_record", "PATCH", path, body=changes)

    def delete_record(self, domain: str, record_id: str) -> None:
        path = f"/domains/{quote(domain)}/records/{quote(record_id)}"
        self._call("delete_record", "DELETE", path)
