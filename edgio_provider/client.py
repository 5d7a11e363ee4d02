"""Edgio (Limelight) Configuration API v1 client for delivery service instances.

HMAC-SHA256 over METHOD + URL + raw query + timestamp(ms) + raw body with the hex-decoded shared
key (edgio-config-api.md §2); creates are never re-sent blindly: a lost answer is resolved by
searching host + path.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Callable, Collection
from typing import Any
from urllib.parse import quote

import requests

from edgio_provider.errors import EdgioConfigError, EdgioTransportError, error_for_status
from restkit import OutcomeUnknown, RateLimiter, RetryPolicy, Transport, clean_credential

DEFAULT_ENDPOINT = "https://apis.llnw.com/config-api/v1"
PAGE_SIZE = 100
SVC = "/svcinst/delivery"


def signature(key: bytes, method: str, url: str, query: str, timestamp: str, body: bytes) -> str:
    data = method.upper().encode() + url.encode() + query.encode() + timestamp.encode() + body
    return hmac.new(key, data, hashlib.sha256).hexdigest()


def make_signer(username: str, key: bytes, clock: Callable[[], float] = time.time
                ) -> Callable[[requests.PreparedRequest], None]:
    def sign(prepared: requests.PreparedRequest) -> None:
        url, _, query = str(prepared.url).partition("?")
        body = prepared.body or b""
        stamp = str(int(clock() * 1000))
        prepared.headers["X-LLNW-Security-Principal"] = username
        prepared.headers["X-LLNW-Security-Timestamp"] = stamp
        prepared.headers["X-LLNW-Security-Token"] = signature(
            key, str(prepared.method), url, query, stamp, body if isinstance(body, bytes) else body.encode())

    return sign


def _path(value: Any) -> Any:
    return "/" + value if isinstance(value, str) and not value.startswith("/") else value


class EdgioClient:
    def __init__(self, username: str, shared_key_hex: str, *, endpoint: str = DEFAULT_ENDPOINT,
                 requests_per_second: float = 5.0, timeout: float = 30.0,
                 retry: RetryPolicy | None = None) -> None:
        username = clean_credential(username, setting="edgio:username", error=EdgioConfigError)
        shared_key_hex = clean_credential(shared_key_hex, setting="edgio:sharedKey", error=EdgioConfigError)
        try:
            key = bytes.fromhex(shared_key_hex)
        except ValueError:
            raise EdgioConfigError("the Edgio shared key is not hex (edgio:sharedKey)") from None
        self._transport = Transport(
            endpoint, timeout=(min(5.0, timeout), timeout), retry=retry,
            limiter=RateLimiter.shared(f"edgio:{requests_per_second}", requests_per_second, burst=3),
            signer=make_signer(username, key), headers={"Accept": "application/json"})

    def __repr__(self) -> str:
        return f"EdgioClient(endpoint={self._transport.base_url!r})"

    def _call(self, operation: str, method: str, path: str, *, body: Any = None,
              params: dict[str, Any] | None = None, idempotent: bool = True) -> requests.Response:
        return self._transport.json("Edgio", operation, method, path, body=body, params=params,
                                    idempotent=idempotent, transport_error=EdgioTransportError,
                                    error_for_status=error_for_status)

    def _pages(self, operation: str, path: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        results: list[dict[str, Any]] = []
        page = 1
        while True:  # no total is documented: a short page is the last one
            batch = self._call(operation, "GET", path, params={**params, "size": PAGE_SIZE, "page": page}
                               ).json().get("results") or []
            results.extend(batch)
            if len(batch) < PAGE_SIZE:
                return results
            page += 1

    def health_check(self) -> None:
        self._call("health_check", "GET", "/health/check")

    def status(self) -> dict[str, Any]:
        return dict(self._call("status", "GET", "/utils/status").json())

    def list_rules(self, shortname: str) -> list[dict[str, Any]]:
        return self._pages("list_rules", f"{SVC}/shortname/{quote(shortname)}", {})

    def search(self, shortname: str, host: str, path: str) -> list[dict[str, Any]]:
        path = path if path.startswith("/") else "/" + path
        params = {"body.publishedHostname": host, "body.publishedUrlPath": path}
        return self._pages("search", f"{SVC}/shortname/{quote(shortname)}/searchAuto", params)

    def find(self, shortname: str, host: str, path: str) -> list[dict[str, Any]]:
        """Rules whose published host and path are exactly these: the contract does not say
        whether the vendor's search matches by prefix, so hits are checked here."""
        path = path if path.startswith("/") else "/" + path
        return [r for r in self.search(shortname, host, path)
                if (r.get("body") or {}).get("publishedHostname") == host
                and _path((r.get("body") or {}).get("publishedUrlPath")) == path]

    def get(self, uuid: str) -> dict[str, Any]:
        return dict(self._call("get", "GET", f"{SVC}/{quote(uuid)}").json())

    def validate(self, payload: dict[str, Any]) -> dict[str, Any]:
        return dict(self._call("validate", "POST", f"{SVC}/validate", body=payload).json())

    def create(self, payload: dict[str, Any], *, attempts: int = 3, known: Collection[str] | None = None
               ) -> dict[str, Any]:
        """POST; when the answer is lost, search host + path: a rule found that was not among
        ``known`` (the rules there before; searched first when not given) is ours, and none found
        means the POST did not happen and may be sent again."""
        shortname = payload["accounts"][0]["shortname"]
        host, path = payload["body"]["publishedHostname"], payload["body"]["publishedUrlPath"]
        before = set(known) if known is not None else {r["uuid"] for r in self.find(shortname, host, path)}
        for attempt in range(1, attempts + 1):
            try:
                return dict(self._call("create", "POST", SVC, body=payload, idempotent=False).json())
            except OutcomeUnknown as exc:
                made = [r for r in self.find(shortname, host, path) if r["uuid"] not in before]
                if made:
                    return made[0]
                if attempt == attempts:
                    raise EdgioTransportError(f"Edgio create failed: {exc}") from exc
        raise AssertionError("unreachable")

    def update(self, uuid: str, payload: dict[str, Any]) -> dict[str, Any]:
        """Full replacement (PUT): idempotent, so retried like a read."""
        return dict(self._call("update", "PUT", f"{SVC}/{quote(uuid)}", body=payload).json())

    def delete(self, uuid: str) -> None:
        self._call("delete", "DELETE", f"{SVC}/{quote(uuid)}")

    def versions(self, uuid: str) -> list[dict[str, Any]]:
        return list(self._call("versions", "GET", f"{SVC}/{quote(uuid)}/versions").json().get("results") or [])

    def version(self, uuid: str, number: int) -> dict[str, Any]:
        return dict(self._call("version", "GET", f"{SVC}/{quote(uuid)}/versions/{number}").json())

    def rollback_to(self, uuid: str, number: int) -> dict[str, Any]:
        return dict(self._call("rollback_to", "POST", f"{SVC}/{quote(uuid)}/rollbackTo/{number}",
                               idempotent=False).json())
