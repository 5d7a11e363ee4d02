"""``GatewayApiStatus``: writes the status a Gateway API controller writes, once the CDN rules
exist: an HTTPRoute's ``status.parents`` entries of our controller, a Gateway's
``status.addresses`` (its published hosts) and conditions (docs/gateway-api-contract.md §2, §3.4).

Entries of other controllers are kept; on delete, ours are removed.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pulumi
from pulumi.dynamic import ConfigureRequest, CreateResult, DiffResult, Resource, UpdateResult

from cdn_ingress import kubeconfig as kubeconfigs
from cdn_ingress.sources.ingress_class import CONTROLLER
from restkit.provider import ConfiguredProvider

GROUP, VERSION = "gateway.networking.k8s.io", "v1"
INPUTS = ("plural", "namespace", "name", "status")


class GatewayApiStatusError(RuntimeError):
    """A status call failed; the message names the kubeconfig's source, never its content."""


def _stamp(conditions: list[dict[str, Any]], now: str) -> list[dict[str, Any]]:
    return [{**c, "lastTransitionTime": now} for c in conditions]


def merged(plural: str, live: dict[str, Any], ours: dict[str, Any], now: str) -> dict[str, Any]:
    """The status to write: ours in place of our previous entries, other controllers' kept."""
    if plural == "gateways":
        return {"addresses": ours.get("addresses") or None, "conditions": _stamp(ours.get("conditions", []), now)}
    others = [p for p in live.get("parents") or [] if p.get("controllerName") != CONTROLLER]
    mine = [{**p, "controllerName": CONTROLLER, "conditions": _stamp(p["conditions"], now)}
            for p in ours.get("parents", [])]
    return {"parents": others + mine}


class GatewayApiStatusProvider(ConfiguredProvider):
    def __init__(self) -> None:
        self._kubeconfig: str | None = None
        self._context: str | None = None

    def configure(self, req: ConfigureRequest) -> None:
        self._kubeconfig = req.config.get(kubeconfigs.SETTING)
        self._context = req.config.get("kubernetes:context")

    def _call(self, what: str, call: Callable[[Any], Any]) -> Any:
        kube_client = kubeconfigs.kube_client()
        found = None
        try:
            found = kubeconfigs.load(self._kubeconfig)
            return call(kube_client.CustomObjectsApi(kubeconfigs.api_client(found, self._context)))
        except Exception as exc:  # the client raises many kinds; all mean "the call failed"
            source = found.source if found else kubeconfigs.SETTING if self._kubeconfig else "KUBECONFIG"
            reason = found.scrub(str(exc)) if found else str(exc)
            raise GatewayApiStatusError(f"{what} failed (kubeconfig from {source}): {type(exc).__name__}: "
                                        f"{reason[:300]}") from None

    def _write(self, props: dict[str, Any], ours: dict[str, Any]) -> None:
        plural, namespace, name = props["plural"], props["namespace"], props["name"]
        what = f"writing the status of {plural} {namespace}/{name}"
        timeout = kubeconfigs.REQUEST_TIMEOUT
        live = self._call(what, lambda api: api.get_namespaced_custom_object_status(
            GROUP, VERSION, namespace, plural, name, _request_timeout=timeout))
        now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        body = {"status": merged(plural, (live or {}).get("status") or {}, ours, now)}
        self._call(what, lambda api: api.patch_namespaced_custom_object_status(
            GROUP, VERSION, namespace, plural, name, body, _request_timeout=timeout))

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        changed = [key for key in INPUTS if olds.get(key) != news.get(key)]
        replaces: list[str] = [key for key in ("plural", "namespace", "name") if key in changed]
        return DiffResult(changes=bool(changed), replaces=replaces, delete_before_replace=True)

    def create(self, props: dict[str, Any]) -> CreateResult:
        self._write(props, props["status"])
        return CreateResult(f"{props['plural']}/{props['namespace']}/{props['name']}", {k: props[k] for k in INPUTS})

    def update(self, _id: str, _olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        self._write(news, news["status"])
        return UpdateResult({k: news[k] for k in INPUTS})

    def delete(self, _id: str, props: dict[str, Any]) -> None:
        try:
            self._write(props, {"parents": [], "addresses": [], "conditions": []})
        except GatewayApiStatusError as exc:
            if "404" not in str(exc) and "Not Found" not in str(exc):  # the object is gone: so is its status
                raise


class GatewayApiStatus(Resource, module="cdn", name="GatewayApiStatus"):
    """The status of one HTTPRoute or Gateway, as our controller writes it."""

    plural: pulumi.Output[str]
    namespace: pulumi.Output[str]
    name: pulumi.Output[str]
    status: pulumi.Output[dict[str, Any]]

    def __init__(self, resource_name: str, *, plural: str, namespace: pulumi.Input[str], name: pulumi.Input[str],
                 status: dict[str, Any], opts: pulumi.ResourceOptions | None = None) -> None:
        props = {"plural": plural, "namespace": namespace, "name": name, "status": status}
        super().__init__(GatewayApiStatusProvider(), resource_name, props, opts)
