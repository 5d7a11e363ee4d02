"""Declaring the manifests' objects as typed pulumi_kubernetes resources."""

from __future__ import annotations

import copy
from typing import Any

import pulumi
import pulumi_kubernetes as k8s

from cdn_ingress.manifests import Document

SKIP_AWAIT = "pulumi.com/skipAwait"
_TYPED = {
    ("apps/v1", "Deployment"): lambda: k8s.apps.v1.Deployment,
    ("v1", "Service"): lambda: k8s.core.v1.Service,
    ("networking.k8s.io/v1", "Ingress"): lambda: k8s.networking.v1.Ingress,
}


def resource_name(doc: Document) -> str:
    return f"{doc.namespace}/{doc.name}"


def declare(doc: Document, *, skip_await: bool, opts: pulumi.ResourceOptions) -> pulumi.CustomResource:
    """One resource for one document; kinds without a typed class pass through unchanged."""
    body = copy.deepcopy(doc.body)
    metadata: dict[str, Any] = body.pop("metadata", None) or {}
    if skip_await:
        # No controller writes the status of a CDN Ingress: IngressStatus does, after the rules.
        metadata["annotations"] = {**(metadata.get("annotations") or {}), SKIP_AWAIT: "true"}
    api_version, kind = body.pop("apiVersion"), body.pop("kind")
    typed = _TYPED.get((api_version, kind))
    if typed is not None:
        metadata.setdefault("namespace", doc.namespace)
        return typed()(resource_name(doc), metadata=metadata, spec=body.get("spec"), opts=opts)
    return k8s.apiextensions.CustomResource(
        resource_name(doc), api_version=api_version, kind=kind, metadata=metadata, opts=opts, **body)
