"""Our lifecycle, through the providers directly: check, diff, create/update/delete and read as
the engine calls them, with its four workers and the program's dependencies, deletes in reverse.
Edgio: record set before its rules, rules before their Ingress's deployment. Cloudflare
(cdn_ingress/cdn/cloudflare.py): record set before the origin alias, alias before the host record,
both before the rules; no deployment (a rule is live when written)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from pulumi.dynamic import Config, ConfigureRequest, ResourceProvider

from bench import graph
from bench.workload import (
    CLOUDFLARE_ZONE,
    SHORTNAME,
    Route,
    Workload,
    alias_inputs,
    host_inputs,
    origin_rule_inputs,
    rule_inputs,
)
from cloudflare_provider.provider import DnsRecordProvider
from cloudflare_provider.rule_provider import OriginRuleProvider
from edgio_provider.deployment import RuleDeploymentProvider
from edgio_provider.provider import DeliveryRuleProvider
from vultr_provider.provider import DnsRecordSetProvider

Key = tuple[str, str]  # (kind, name): ("dns", ingress), ("rule", host+path), ("deploy", ingress), ...
#: Each CDN's kinds of resource in dependency order (deletes go in reverse).
KINDS = {"edgio": ("dns", "rule", "deploy"), "cloudflare": ("dns", "alias", "host", "rule")}
CDNS = tuple(KINDS)
Declared = dict[Key, tuple[list[Key], Callable[[], dict[str, Any]]]]


@dataclass
class Entry:
    id: str
    inputs: dict[str, Any]
    outs: dict[str, Any]


@dataclass(frozen=True)
class Endpoints:
    vultr: str
    edgio: str
    vultr_key: str
    edgio_user: str
    edgio_key: str
    cloudflare: str = ""
    cloudflare_token: str = ""


class OurStack:
    """State and providers of one stack; each method is one CLI command's provider calls."""

    def __init__(self, endpoints: Endpoints, *, poll_seconds: float = 1.0, cdn: str = "edgio") -> None:
        if cdn not in KINDS:
            raise ValueError(f"cdn={cdn!r}: must be one of {list(CDNS)}")
        self.cdn = cdn
        self._config = Config({"vultr:apiKey": endpoints.vultr_key, "vultr:endpoint": endpoints.vultr,
                         "edgio:username": endpoints.edgio_user, "edgio:sharedKey": endpoints.edgio_key,
                         "edgio:endpoint": endpoints.edgio, "edgio:pollSeconds": str(poll_seconds),
                         "cloudflare:apiToken": endpoints.cloudflare_token, "cloudflare:endpoint": endpoints.cloudflare,
                         "cloudflare:zoneName": CLOUDFLARE_ZONE}, "cdn-ingress")
        self.providers: dict[str, ResourceProvider] = {}
        self.state: dict[Key, Entry] = {}

    def _start(self) -> None:
        """New providers, as each CLI command starts a new provider process: nothing cached survives."""
        if self.cdn == "cloudflare":
            # Aliases and host records share one DnsRecord provider, as under the engine (its
            # provider cache holds one object per pickled provider, and these pickle alike).
            self.providers = {"dns": DnsRecordSetProvider(), "alias": DnsRecordProvider(),
                              "rule": OriginRuleProvider()}
            self.providers["host"] = self.providers["alias"]
        else:
            self.providers = {"dns": DnsRecordSetProvider(), "rule": DeliveryRuleProvider(),
                              "deploy": RuleDeploymentProvider()}
        for provider in self.providers.values():
            provider.configure(ConfigureRequest(self._config))

    def arrange(self, workload: Workload) -> None:
        """Nothing outside the stack: the workload carries the node addresses."""

    def up(self, workload: Workload) -> None:
        self._start()
        wanted = self._declare(workload)
        graph.run({key: (deps, self._step(key, news)) for key, (deps, news) in wanted.items()})
        self._delete_all([key for key in self.state if key not in wanted])

    def refresh(self) -> None:
        self._start()
        graph.run({key: ((), self._read(key)) for key in list(self.state)})

    def destroy(self) -> None:
        self._start()
        self._delete_all(list(self.state))

    def _declare(self, w: Workload) -> Declared:
        """Each resource's dependencies and inputs (computed once its dependencies exist)."""
        return self._declare_cloudflare(w) if self.cdn == "cloudflare" else self._declare_edgio(w)

    def _declare_edgio(self, w: Workload) -> Declared:
        wanted: Declared = {}
        for ingress in w.ingresses():
            wanted[("dns", ingress)] = ([], partial(w.record_set, ingress))
        for route in w.route_list():
            dns: Key = ("dns", route.ingress)
            wanted[("rule", route.key)] = ([dns], partial(self._rule_inputs, route, dns))
        for ingress in w.ingresses():
            rules: list[Key] = [("rule", r.key) for r in w.route_list() if r.ingress == ingress]
            wanted[("deploy", ingress)] = (rules, partial(self._deploy_inputs, rules))
        return wanted

    def _declare_cloudflare(self, w: Workload) -> Declared:
        """Per Ingress its origin name's record set, alias and host record (one host per Ingress
        here); per route its Origin Rule after all three."""
        wanted: Declared = {}
        for ingress in w.ingresses():
            dns: Key = ("dns", ingress)
            wanted[dns] = ([], partial(w.record_set, ingress))
            wanted[("alias", ingress)] = ([dns], partial(self._alias_inputs, dns))
        for route in w.route_list():
            dns, alias, host = ("dns", route.ingress), ("alias", route.ingress), ("host", route.host)
            wanted[host] = ([alias], partial(self._host_inputs, route.host, dns))
            wanted[("rule", route.key)] = ([dns, alias, host], partial(self._origin_rule_inputs, route, dns))
        return wanted

    def _fqdn(self, origin: Key) -> str:
        return str(self.state[origin].outs["fqdn"])

    def _alias_inputs(self, origin: Key) -> dict[str, Any]:
        return alias_inputs(self._fqdn(origin))

    def _host_inputs(self, host: str, origin: Key) -> dict[str, Any]:
        return host_inputs(host, self._fqdn(origin))

    def _origin_rule_inputs(self, route: Route, origin: Key) -> dict[str, Any]:
        return origin_rule_inputs(route, self._fqdn(origin))

    def _rule_inputs(self, route: Route, origin: Key) -> dict[str, Any]:
        return rule_inputs(route, self.state[origin].outs["fqdn"])

    def _deploy_inputs(self, rules: list[Key]) -> dict[str, Any]:
        entries = [{"uuid": o["uuid"], "version": o["version"], "shortname": SHORTNAME, "label": o["published_url"]}
                   for o in (self.state[k].outs for k in rules)]
        return {"rules": entries, "timeout_seconds": 600}

    def _step(self, key: Key, news: Callable[[], dict[str, Any]]) -> Callable[[], None]:
        def step() -> None:
            provider, old = self.providers[key[0]], self.state.get(key)
            checked = provider.check(old.inputs if old else {}, news())
            if checked.failures:
                raise RuntimeError(f"{key}: check failed: {[(f.property, f.reason) for f in checked.failures]}")
            inputs = dict(checked.inputs or {})
            if old is None:
                made = provider.create(inputs)
                self.state[key] = Entry(str(made.id), inputs, dict(made.outs or {}))
                return
            diff = provider.diff(old.id, old.outs, inputs)
            if not diff.changes:
                return
            if diff.replaces:
                provider.delete(old.id, old.outs)
                made = provider.create(inputs)
                self.state[key] = Entry(str(made.id), inputs, dict(made.outs or {}))
                return
            updated = provider.update(old.id, old.outs, inputs)
            self.state[key] = Entry(old.id, inputs, dict(updated.outs or {}))
        return step

    def _read(self, key: Key) -> Callable[[], None]:
        def read() -> None:
            old = self.state[key]
            got = self.providers[key[0]].read(old.id, old.outs)
            if not got.id:
                del self.state[key]
                return
            self.state[key] = Entry(old.id, dict(got.inputs or old.inputs), dict(got.outs or {}))
        return read

    def _delete_all(self, keys: list[Key]) -> None:
        """Deployments, then rules, then record sets: the reverse of their dependencies."""
        for kind in reversed(KINDS[self.cdn]):
            graph.run({key: ((), self._delete(key)) for key in keys if key[0] == kind})

    def _delete(self, key: Key) -> Callable[[], None]:
        def delete() -> None:
            entry = self.state[key]
            self.providers[key[0]].delete(entry.id, entry.outs)
            del self.state[key]
        return delete
