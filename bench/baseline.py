"""The original demo's call pattern with plain ``requests``, for comparison. For each Ingress: list
the whole zone page by page, delete every A record of the name, create one per node; for each of
its paths search the CDN rule, create or update it, and poll it once a second until deployed.
It keeps no state: every run (a restart, a refresh) replays every Ingress."""

from __future__ import annotations

import time
from collections.abc import Iterator
from functools import partial
from typing import Any

import requests

from bench import graph
from bench.workload import DOMAIN, SHORTNAME, TTL, Route, Workload
from edgio_provider.client import make_signer

PER_PAGE = 500  # the most Vultr gives per page: the demo at its cheapest
SVC = "/svcinst/delivery"


class Baseline:
    def __init__(self, *, vultr: str, edgio: str, vultr_key: str, edgio_user: str, edgio_key: str,
                 poll_seconds: float = 1.0) -> None:
        self.vultr, self.edgio, self.poll = vultr, edgio, poll_seconds
        self.http = requests.Session()
        self.http.trust_env = False
        self.vultr_headers = {"Authorization": f"Bearer {vultr_key}"}
        self.sign = make_signer(edgio_user, bytes.fromhex(edgio_key))

    def reconcile(self, workload: Workload) -> None:
        """One run: every Ingress in turn, on the same four workers our providers get."""
        routes = workload.route_list()
        graph.run({name: ((), partial(self._ingress, workload, name, [r for r in routes if r.ingress == name]))
                   for name in workload.ingresses()})

    def destroy(self, workload: Workload) -> None:
        routes = workload.route_list()
        graph.run({name: ((), partial(self._remove, name, [r for r in routes if r.ingress == name]))
                   for name in workload.ingresses()})

    def _ingress(self, workload: Workload, name: str, routes: list[Route]) -> None:
        for record in self._a_records(name):
            self._vultr("DELETE", f"/domains/{DOMAIN}/records/{record['id']}")
        for node in workload.nodes:
            self._vultr("POST", f"/domains/{DOMAIN}/records",
                        json={"name": name, "type": "A", "data": node, "ttl": TTL})
        for route in routes:
            body = _rule(route, f"{name}.{DOMAIN}")
            found = self._search(route)
            if found:
                rule = self._edgio("PUT", f"{SVC}/{found[0]['uuid']}", json=body)
            else:
                rule = self._edgio("POST", SVC, json=body)
            while (rule.get("status") or {}).get("state") != "COMPLETED":
                time.sleep(self.poll)
                rule = self._edgio("GET", f"{SVC}/{rule['uuid']}")

    def _remove(self, name: str, routes: list[Route]) -> None:
        for record in self._a_records(name):
            self._vultr("DELETE", f"/domains/{DOMAIN}/records/{record['id']}")
        for route in routes:
            for rule in self._search(route):
                self._edgio("DELETE", f"{SVC}/{rule['uuid']}")

    def _a_records(self, name: str) -> list[dict[str, Any]]:
        return [r for r in self._zone() if r["name"] == name and r["type"] == "A"]

    def _zone(self) -> Iterator[dict[str, Any]]:
        cursor = ""
        while True:
            page = self._vultr("GET", f"/domains/{DOMAIN}/records",
                               params={"per_page": PER_PAGE, **({"cursor": cursor} if cursor else {})})
            yield from page.get("records") or []
            cursor = ((page.get("meta") or {}).get("links") or {}).get("next") or ""
            if not cursor:
                return

    def _search(self, route: Route) -> list[dict[str, Any]]:
        params = {"body.publishedHostname": route.host, "body.publishedUrlPath": route.path}
        return list(self._edgio("GET", f"{SVC}/shortname/{SHORTNAME}/searchAuto", params=params).get("results") or [])

    def _vultr(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        return self._send(method, self.vultr + path, headers=self.vultr_headers, **kwargs)

    def _edgio(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        return self._send(method, self.edgio + path, auth=self._signed, **kwargs)

    def _signed(self, prepared: requests.PreparedRequest) -> requests.PreparedRequest:
        self.sign(prepared)
        return prepared

    def _send(self, method: str, url: str, **kwargs: Any) -> dict[str, Any]:
        """A 429 is waited out and sent again, as the demo's users had to; any other error stops it."""
        while True:
            response = self.http.request(method, url, timeout=30, **kwargs)
            if response.status_code != 429:
                response.raise_for_status()
                return dict(response.json()) if response.content else {}
            time.sleep(1.0)


def _rule(route: Route, origin: str) -> dict[str, Any]:
    return {"accounts": [{"shortname": SHORTNAME}],
            "body": {"serviceKey": {"name": "delivery"}, "serviceProfileName": "LLNW-Generic",
                     "publishedHostname": route.host, "publishedUrlPath": route.path, "sourceHostname": origin,
                     "sourceUrlPath": "/", "protocolSets": [{"publishedProtocol": "https", "sourceProtocol": "http",
                                                             "sourcePort": route.port, "options": []}]}}
