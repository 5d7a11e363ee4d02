"""The workload: N routes, five paths per Ingress, one Service (one origin name) per Ingress; on
Cloudflare the hosts are names of the zone ``CLOUDFLARE_ZONE``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cloudflare_provider.naming import origin_alias

PATHS_PER_INGRESS = 5
DOMAIN = "origin.example.com"
SHORTNAME = "acme"
CLOUDFLARE_ZONE = "example.net"
NODES = ("198.51.100.1", "198.51.100.2", "198.51.100.3")
#: "One node replaced": the first node leaves, this one joins.
NEW_NODE = "198.51.100.4"
OWNER = "cdn-ingress/bench/0b5e7c"
TTL = 120


@dataclass(frozen=True)
class Route:
    ingress: str
    host: str
    path: str
    port: int

    @property
    def key(self) -> str:
        return f"{self.host}{self.path}"


@dataclass(frozen=True)
class Workload:
    """What the program would declare for ``routes`` routes at one point of the lifecycle."""

    routes: int
    nodes: tuple[str, ...] = NODES
    path_changed: bool = False

    def ingresses(self) -> list[str]:
        return [f"svc{i}" for i in range(-(-self.routes // PATHS_PER_INGRESS))]

    def route_list(self) -> list[Route]:
        out = []
        for i in range(self.routes):
            ingress = f"svc{i // PATHS_PER_INGRESS}"
            path = f"/p{i % PATHS_PER_INGRESS}"
            if self.path_changed and i == 0:
                path += "-v2"
            out.append(Route(ingress, f"{ingress}.bench.example.net", path, 30000 + i // PATHS_PER_INGRESS))
        return out

    def record_set(self, ingress: str) -> dict[str, Any]:
        return {"domain": DOMAIN, "name": ingress, "type": "A", "addresses": list(self.nodes), "ttl": TTL,
                "adopt": False, "owner": OWNER, "set_key": f"bench/{ingress}"}


def rule_inputs(route: Route, origin_fqdn: str) -> dict[str, Any]:
    return {"shortname": SHORTNAME, "published_hostname": route.host, "published_path": route.path,
            "source_hostname": origin_fqdn, "source_port": route.port, "owner": OWNER}


def alias_inputs(origin_fqdn: str) -> dict[str, Any]:
    """Cloudflare: the zone's unproxied CNAME to an origin name (what cdn_ingress/cdn/cloudflare.py declares)."""
    return {"zone": CLOUDFLARE_ZONE, "name": origin_alias(origin_fqdn, CLOUDFLARE_ZONE), "content": origin_fqdn,
            "type": "CNAME", "proxied": False, "adopt": False, "owner": OWNER}


def host_inputs(host: str, origin_fqdn: str) -> dict[str, Any]:
    """Cloudflare: the published host, proxied, a CNAME to the alias of its origin name."""
    return {"zone": CLOUDFLARE_ZONE, "name": host, "content": origin_alias(origin_fqdn, CLOUDFLARE_ZONE),
            "type": "CNAME", "proxied": True, "adopt": False, "owner": OWNER}


def origin_rule_inputs(route: Route, origin_fqdn: str) -> dict[str, Any]:
    """Cloudflare: the route's Origin Rule to the alias and the NodePort."""
    return {"zone": CLOUDFLARE_ZONE, "host": route.host, "path": route.path, "match": "prefix",
            "origin_host": origin_alias(origin_fqdn, CLOUDFLARE_ZONE), "origin_port": route.port,
            "adopt": False, "owner": OWNER}


def foreign_records(count: int) -> list[dict[str, Any]]:
    """Records someone else manages in the same zone, under names the workload never uses."""
    return [{"name": f"other{i}", "type": "A", "data": f"203.0.{i // 250 % 256}.{i % 250 + 1}", "ttl": 300}
            for i in range(count)]
