"""GatewayClass, Gateway and HTTPRoute documents for tests (gateway.networking.k8s.io/v1)."""

from __future__ import annotations

from typing import Any

from tests.program.ingress_kit import SERVICE

V1 = "gateway.networking.k8s.io/v1"
CONTROLLER = "cdn-ingress.io/edgio"


def gateway_class(name: str = "cdn", controller: str = CONTROLLER, **spec: Any) -> dict[str, Any]:
    return {"apiVersion": V1, "kind": "GatewayClass", "metadata": {"name": name},
            "spec": {"controllerName": controller, **spec}}


def listener(name: str = "https", protocol: str = "HTTPS", hostname: str | None = None, **extra: Any
             ) -> dict[str, Any]:
    entry: dict[str, Any] = {"name": name, "protocol": protocol, "port": 443 if protocol == "HTTPS" else 80}
    if hostname is not None:
        entry["hostname"] = hostname
    return {**entry, **extra}


def gateway(name: str = "edge", *listeners: dict[str, Any], class_name: str = "cdn", **spec: Any
            ) -> dict[str, Any]:
    return {"apiVersion": V1, "kind": "Gateway", "metadata": {"name": name},
            "spec": {"gatewayClassName": class_name, "listeners": list(listeners) or [listener()], **spec}}


def backend(port: int = 8000, **extra: Any) -> dict[str, Any]:
    return {"name": SERVICE, "port": port, **extra}


def rule(*paths: str, path_type: str = "PathPrefix", **extra: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"backendRefs": [backend()], **extra}
    if paths:
        out["matches"] = [{"path": {"type": path_type, "value": p}} for p in paths]
    return out


def httproute(name: str = "web", *rules: dict[str, Any], hostnames: list[str] | None = None,
              parents: list[dict[str, Any]] | None = None, **metadata: Any) -> dict[str, Any]:
    spec: dict[str, Any] = {"parentRefs": parents or [{"name": "edge"}], "rules": list(rules) or [rule("/")]}
    if hostnames is not None:
        spec["hostnames"] = hostnames
    return {"apiVersion": V1, "kind": "HTTPRoute", "metadata": {"name": name, **metadata}, "spec": spec}
