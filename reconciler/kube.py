"""The NodeSource of a real API server, through the official ``kubernetes`` client and the same
kubeconfig and context the stack's Kubernetes provider uses."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, cast

from cdn_ingress import kubeconfig as kubeconfigs
from reconciler.watch import Expired

WATCH_SECONDS = 300  # the server ends each watch after this; it is then resumed from its last version


class KubeNodeSource:
    def __init__(self, kubeconfig: str | None, context: str | None, *, in_cluster: bool = False) -> None:
        from kubernetes import client, config

        if in_cluster:  # the pod's ServiceAccount, which may only list and watch Nodes
            configuration = client.Configuration()
            cast(Any, config).load_incluster_config(client_configuration=configuration)
            self.core = client.CoreV1Api(client.ApiClient(configuration))
            return
        found = kubeconfigs.load(kubeconfig)
        self.core = client.CoreV1Api(kubeconfigs.api_client(found, context))

    def list(self) -> tuple[list[Any], str]:
        nodes = self.core.list_node(_request_timeout=kubeconfigs.REQUEST_TIMEOUT)
        return list(nodes.items), str(nodes.metadata.resource_version if nodes.metadata else "")

    def watch(self, resource_version: str) -> Iterator[tuple[str, Any, str]]:
        from kubernetes import watch
        from kubernetes.client.exceptions import ApiException

        stream = cast(Any, watch).Watch().stream(
            self.core.list_node, resource_version=resource_version, allow_watch_bookmarks=True,
            timeout_seconds=WATCH_SECONDS, _request_timeout=(10, WATCH_SECONDS + 30))
        try:
            for event in stream:
                if event["type"] == "ERROR":
                    raw = event.get("raw_object") or {}
                    if raw.get("code") == 410:
                        raise Expired(str(raw.get("message", ""))[:200])
                    raise RuntimeError(f"watch error event: {str(raw)[:200]}")
                raw = event.get("raw_object") or {}
                version = str((raw.get("metadata") or {}).get("resourceVersion") or "")
                yield event["type"], None if event["type"] == "BOOKMARK" else event["object"], version
        except ApiException as exc:
            if exc.status == 410:
                raise Expired(str(exc.reason)) from exc
            raise
