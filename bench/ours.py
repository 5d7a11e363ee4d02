"""Our lifecycle, through the providers directly: check, diff, create/update/delete and read as
the engine calls them, with its four workers and the program's dependencies (record set before
its rules, rules before their Ingress's deployment, deletes in reverse)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from pulumi.dynamic import Config, ConfigureRequest, ResourceProvider

from bench import graph
from bench.workload import SHORTNAME, Route, Workload, rule_inputs
from edgio_provider.deployment import RuleDeploymentProvider
from edgio_provider.provider import DeliveryRuleProvider
from vultr_provider.provider import DnsRecordSetProvider

Key = tuple[str, str]  # (kind, name): ("dns", ingress), ("rule", host+path), ("deploy", ingress)
KINDS = ("dns", "rule", "deploy")


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


class OurStack:
    """State and providers of one stack; each method is one CLI command's provider calls."""

    def __init__(self, endpoints: Endpoints, *, poll_seconds: float = 1.0) -> None:
        self._config = Config({"vultr:apiKey": endpoints.vultr_key, "vultr:endpoint": endpoints.vultr,
                         "edgio:username": endpoints.edgio_user, "edgio:sharedKey": endpoints.edgio_key,
                         "edgio:endpoint": endpoints.edgio, "edgio:pollSeconds": str(poll_seconds)}, "cdn-ingress")
        self.providers: dict[str, ResourceProvider] = {}
        self.state: dict[Key, Entry] = {}

    def _start(self) -> None:
        """New providers, as each CLI command starts a new provider process: nothing cached survives."""
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

    def _declare(self, w: Workload) -> dict[Key, tuple[list[Key], Callable[[], dict[str, Any]]]]:
        """Each resource's dependencies and inputs (computed once its dependencies exist)."""
        wanted: dict[Key, tuple[list[Key], Callable[[], dict[str, Any]]]] = {}
        for ingress in w.ingresses():
            wanted[("dns", ingress)] = ([], partial(w.record_set, ingress))
        for route in w.route_list():
            dns: Key = ("dns", route.ingress)
            wanted[("rule", route.key)] = ([dns], partial(self._rule_inputs, route, dns))
        for ingress in w.ingresses():
            rules: list[Key] = [("rule", r.key) for r in w.route_list() if r.ingress == ingress]
            wanted[("deploy", ingress)] = (rules, partial(self._deploy_inputs, rules))
        return wanted

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
        for kind in reversed(KINDS):
            graph.run({key: ((), self._delete(key)) for key in keys if key[0] == kind})

    def _delete(self, key: Key) -> Callable[[], None]:
        def delete() -> None:
            entry = self.state[key]
            self.providers[key[0]].delete(entry.id, entry.outs)
            del self.state[key]
        return delete
