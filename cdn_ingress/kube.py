"""Declaring the manifests' objects as pulumi_kubernetes resources, in dependency order.

Every object is registered as written under its kind's type token (what pulumi_kubernetes's typed
classes and ``CustomResource`` register), so any field of any kind passes through and the API
server, not a Python type assertion, judges the fields the program does not read.
"""

from __future__ import annotations

import copy
from collections.abc import Collection
from typing import Any

import pulumi
from pulumi_kubernetes import _utilities as k8s_utilities

from cdn_ingress.manifests import Document
from cdn_ingress.objects import crd_names, group_of, is_built_in, namespace_of

SKIP_AWAIT = "pulumi.com/skipAwait"
SECRET_FIELDS = ("data", "stringData")  # of a Secret: secret in state, as the typed class makes them
FIRST = ("Namespace", "CustomResourceDefinition")  # what the other objects may live in or be
Key = tuple[str, str, str]  # kind, namespace, name: how the program finds an object


class KubeObject(pulumi.CustomResource):
    """One Kubernetes object of any kind, its fields given to the provider as written; each
    top-level field is an output of the same name (plain JSON: ``spec["ports"][0]["nodePort"]``)."""

    metadata: pulumi.Output[dict[str, Any]]
    spec: pulumi.Output[Any]

    def __init__(self, resource_name: str, token: str, props: dict[str, Any], opts: pulumi.ResourceOptions) -> None:
        # The typed classes' defaults (the provider version): one default provider for all objects.
        opts = pulumi.ResourceOptions.merge(k8s_utilities.get_resource_opts_defaults(), opts)
        super().__init__(token, resource_name, props, opts)


def type_token(api_version: str, kind: str) -> str:
    return f"kubernetes:{'core/v1' if api_version == 'v1' else api_version}:{kind}"


class _Scopes:
    """Which objects live in a namespace: built-in kinds by name, custom ones by their CRD."""

    def __init__(self, documents: list[Document]) -> None:
        crds = [names for names in map(crd_names, documents) if names is not None]
        self.cluster = {(group, kind) for group, kind, scope in crds if scope == "Cluster"}
        self.custom = {(group, kind) for group, kind, _ in crds}

    def namespace(self, doc: Document) -> str | None:
        return namespace_of(doc, self.cluster)

    def known(self, doc: Document) -> bool:
        group = group_of(str(doc.body["apiVersion"]))
        return is_built_in(group) or (group, doc.kind) in self.custom


def resource_name(doc: Document, scopes: _Scopes | None = None) -> str:
    namespace = scopes.namespace(doc) if scopes else doc.namespace
    return doc.name if namespace is None else f"{namespace}/{doc.name}"


def declare_all(documents: list[Document], *, skip_await: Collection[int], opts: pulumi.ResourceOptions
                ) -> dict[Key, KubeObject]:
    """Every object; Namespaces and CRDs first, and each object depends on the Namespace it lives
    in and the CRD that defines its kind when the manifests declare them."""
    scopes = _Scopes(documents)
    namespaces: dict[str, pulumi.Resource] = {}
    crds: dict[tuple[str, str], pulumi.Resource] = {}
    declared: dict[Key, KubeObject] = {}
    for doc in sorted(documents, key=lambda d: FIRST.index(d.kind) if d.kind in FIRST else len(FIRST)):
        api_version = str(doc.body["apiVersion"])
        needs = [namespaces.get(scopes.namespace(doc) or ""), crds.get((group_of(api_version), doc.kind))]
        own = pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(depends_on=[r for r in needs if r]))
        resource = declare(doc, scopes, skip_await=id(doc) in skip_await, opts=own)
        declared[(doc.kind, doc.namespace, doc.name)] = resource
        if (api_version, doc.kind) == ("v1", "Namespace"):
            namespaces[doc.name] = resource
        names = crd_names(doc)
        if names is not None:
            crds[names[:2]] = resource
    return declared


def declare(doc: Document, scopes: _Scopes, *, skip_await: bool, opts: pulumi.ResourceOptions) -> KubeObject:
    """One resource for one (validated) document."""
    body = copy.deepcopy(doc.body)
    metadata: dict[str, Any] = body.pop("metadata", None) or {}
    if skip_await:
        # No controller writes the status of a CDN Ingress: IngressStatus does, after the rules.
        metadata["annotations"] = {**(metadata.get("annotations") or {}), SKIP_AWAIT: "true"}
    namespace = scopes.namespace(doc)
    if namespace is None:
        metadata.pop("namespace", None)
    elif scopes.known(doc):
        metadata.setdefault("namespace", namespace)
    api_version, kind = body.pop("apiVersion"), body.pop("kind")
    if (api_version, kind) == ("v1", "Secret"):
        body.update({key: pulumi.Output.secret(body[key]) for key in SECRET_FIELDS if key in body})
        opts = pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(additional_secret_outputs=list(SECRET_FIELDS)))
    props = {"apiVersion": api_version, "kind": kind, "metadata": metadata, **body}
    return KubeObject(resource_name(doc, scopes), type_token(api_version, kind), props, opts)
