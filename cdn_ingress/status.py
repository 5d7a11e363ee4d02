"""``IngressStatus``: writes ``status.loadBalancer.ingress[].hostname`` of a CDN Ingress, the
job an Ingress controller does, once the CDN rules of that Ingress exist.

The Ingress itself is declared with ``pulumi.com/skipAwait`` (nothing else would ever write its
status); this resource owns only the status subresource and clears it on delete.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pulumi
from pulumi.dynamic import (
    ConfigureRequest,
    CreateResult,
    DiffResult,
    ReadResult,
    Resource,
    UpdateResult,
)

from cdn_ingress import kubeconfig as kubeconfigs
from restkit.provider import ConfiguredProvider

INPUTS = ("namespace", "ingress", "hostnames")


class IngressStatusError(RuntimeError):
    """A status call failed; the message names the kubeconfig's source, never its content."""


class IngressStatusProvider(ConfiguredProvider):
    def __init__(self) -> None:
        self._kubeconfig: str | None = None
        self._context: str | None = None

    def configure(self, req: ConfigureRequest) -> None:
        self._kubeconfig = req.config.get(kubeconfigs.SETTING)  # unset: KUBECONFIG, as the provider
        self._context = req.config.get("kubernetes:context")

    def _call(self, what: str, call: Callable[[Any], Any]) -> Any:
        """``call(api)`` with the timeout; Kubernetes' 404 goes through as an ApiException, any other
        failure becomes an IngressStatusError with a scrubbed message and no chained cause."""
        kube_client = kubeconfigs.kube_client()
        from kubernetes.client.exceptions import ApiException

        found = None
        try:
            found = kubeconfigs.load(self._kubeconfig)
            return call(kube_client.NetworkingV1Api(kubeconfigs.api_client(found, self._context)))
        except ApiException as exc:
            if exc.status == 404:
                raise ApiException(status=404, reason="Not Found") from None
            failure: Exception = exc
        except Exception as exc:  # the client raises many kinds; all mean "the call failed"
            failure = exc
        source = found.source if found else kubeconfigs.SETTING if self._kubeconfig else "KUBECONFIG"
        reason = found.scrub(str(failure)) if found else str(failure)
        raise IngressStatusError(f"{what} failed (kubeconfig from {source}, context {self._context or '(current)'}): "
                                 f"{type(failure).__name__}: {reason[:300]}")

    def _write(self, namespace: str, ingress: str, hostnames: Sequence[str]) -> None:
        body = {"status": {"loadBalancer": {"ingress": [{"hostname": h} for h in hostnames] or None}}}
        self._call(f"writing the status of Ingress {namespace}/{ingress}",
                   lambda api: api.patch_namespaced_ingress_status(
                       ingress, namespace, body, _request_timeout=kubeconfigs.REQUEST_TIMEOUT))

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        changed = [key for key in INPUTS if olds.get(key) != news.get(key)]
        replaces: list[str] = [key for key in ("namespace", "ingress") if key in changed]
        return DiffResult(changes=bool(changed), replaces=replaces, delete_before_replace=True)

    def create(self, props: dict[str, Any]) -> CreateResult:
        self._write(props["namespace"], props["ingress"], props["hostnames"])
        return CreateResult(f"{props['namespace']}/{props['ingress']}", {k: props[k] for k in INPUTS})

    def update(self, _id: str, _olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        self._write(news["namespace"], news["ingress"], news["hostnames"])
        return UpdateResult({k: news[k] for k in INPUTS})

    def delete(self, _id: str, props: dict[str, Any]) -> None:
        kubeconfigs.kube_client()
        from kubernetes.client.exceptions import ApiException

        try:
            self._write(props["namespace"], props["ingress"], [])
        except ApiException as exc:
            if exc.status != 404:  # the Ingress is gone: so is its status
                raise

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        kubeconfigs.kube_client()
        from kubernetes.client.exceptions import ApiException

        try:
            live = self._call(f"reading the status of Ingress {props['namespace']}/{props['ingress']}",
                              lambda api: api.read_namespaced_ingress_status(
                                  props["ingress"], props["namespace"], _request_timeout=kubeconfigs.REQUEST_TIMEOUT))
        except ApiException as exc:
            if exc.status == 404:
                return ReadResult("", {})
            raise
        entries = (live.status.load_balancer.ingress if live.status and live.status.load_balancer else None) or []
        outs = {**{k: props.get(k) for k in INPUTS}, "hostnames": [e.hostname for e in entries if e.hostname]}
        return ReadResult(id_, outs, outs)


class IngressStatus(Resource, module="cdn", name="IngressStatus"):
    """The published hostnames written into one Ingress's load-balancer status."""

    namespace: pulumi.Output[str]
    ingress: pulumi.Output[str]
    hostnames: pulumi.Output[list[str]]

    def __init__(self, resource_name: str, *, namespace: pulumi.Input[str], ingress: pulumi.Input[str],
                 hostnames: pulumi.Input[Sequence[pulumi.Input[str]]],
                 opts: pulumi.ResourceOptions | None = None) -> None:
        props = {"namespace": namespace, "ingress": ingress, "hostnames": hostnames}
        super().__init__(IngressStatusProvider(), resource_name, props, opts)
