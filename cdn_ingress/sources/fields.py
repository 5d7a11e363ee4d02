"""The field tables of docs/routes.md: every field of Ingress (v1 and the legacy v1beta1) and
IngressClass, served, warned or refused. A field the table does not know is refused, so no field
of a CDN object is ever silently ignored (shapes from k8s.io/api networking/v1 and v1beta1)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

SERVED, WARNED, REFUSED = "served", "warned", "refused"


@dataclass(frozen=True)
class Field:
    verdict: str
    how: str  # served: how, in CDN terms; warned: what is lost; refused: why, what to write instead


_SERVICE = "the CDN rule's origin: <service>.<originDomain> at the Service's NodePort"
_RESOURCE = Field(REFUSED, "the CDN reaches Services only; name a NodePort Service in service.name/port")
_PORT_NAME = Field(SERVED, "the Service port of that name; the rule uses its nodePort")
_PORT_NUMBER = Field(SERVED, "the Service port of that number; the rule uses its nodePort")
_PATH_TYPE = ("Prefix: a prefix rule; Exact and ImplementationSpecific: a prefix rule, with a warning "
              "(the CDN matches by prefix)")
_STATUS = Field(WARNED, "written by the program (the published hosts), never read from the manifest")

INGRESS_V1: dict[str, Field] = {
    "spec.ingressClassName": Field(SERVED, "selects the Ingress: the stack's ingressClass, or an IngressClass "
                                   "of the manifests whose spec.controller is cdn-ingress.io/edgio"),
    "spec.defaultBackend.service.name": Field(SERVED, "a catch-all rule '/' on each host of the Ingress "
                                              "(or on cdn-ingress:defaultHost); " + _SERVICE),
    "spec.defaultBackend.service.port.name": _PORT_NAME,
    "spec.defaultBackend.service.port.number": _PORT_NUMBER,
    "spec.defaultBackend.resource": _RESOURCE,
    "spec.rules[].host": Field(SERVED, "the published hostname; a rule without host is published on "
                               "cdn-ingress:defaultHost, refused when that is not set; wildcards refused"),
    "spec.rules[].http.paths[].path": Field(SERVED, "the published path prefix, and the source path unless "
                                            "a rewrite is asked for; regular expressions and globs refused"),
    "spec.rules[].http.paths[].pathType": Field(SERVED, _PATH_TYPE),
    "spec.rules[].http.paths[].backend.service.name": Field(SERVED, _SERVICE),
    "spec.rules[].http.paths[].backend.service.port.name": _PORT_NAME,
    "spec.rules[].http.paths[].backend.service.port.number": _PORT_NUMBER,
    "spec.rules[].http.paths[].backend.resource": _RESOURCE,
    "spec.tls[].hosts": Field(SERVED, "the hosts are published on https (the CDN terminates TLS); a host no "
                              "rule publishes, or a published host missing here, is warned"),
    "spec.tls[].secretName": Field(WARNED, "the CDN does not read Kubernetes Secrets: the host's certificate "
                                   "is the one provisioned at the CDN, not this Secret's"),
    "status": _STATUS,
}

INGRESS_V1BETA1: dict[str, Field] = {
    "spec.ingressClassName": INGRESS_V1["spec.ingressClassName"],
    "spec.backend.serviceName": Field(SERVED, "as v1 spec.defaultBackend.service.name"),
    "spec.backend.servicePort": Field(SERVED, "as v1 service.port: a number or a port name"),
    "spec.backend.resource": _RESOURCE,
    "spec.rules[].host": INGRESS_V1["spec.rules[].host"],
    "spec.rules[].http.paths[].path": INGRESS_V1["spec.rules[].http.paths[].path"],
    "spec.rules[].http.paths[].pathType": Field(SERVED, _PATH_TYPE + "; missing: ImplementationSpecific"),
    "spec.rules[].http.paths[].backend.serviceName": Field(SERVED, _SERVICE),
    "spec.rules[].http.paths[].backend.servicePort": Field(SERVED, "as v1 service.port: a number or a port name"),
    "spec.rules[].http.paths[].backend.resource": _RESOURCE,
    "spec.tls[].hosts": INGRESS_V1["spec.tls[].hosts"],
    "spec.tls[].secretName": INGRESS_V1["spec.tls[].secretName"],
    "status": _STATUS,
}

INGRESS_CLASS: dict[str, Field] = {
    "spec.controller": Field(SERVED, "cdn-ingress.io/edgio makes the class the CDN's: its Ingresses are "
                             "published; any other controller's class is left alone"),
    "spec.parameters": Field(REFUSED, "the CDN has no per-class settings object; give options per Ingress "
                             "with cdn-ingress.io/ annotations, or per stack with config"),
}

METADATA: dict[str, Field] = {
    "metadata.name": Field(SERVED, "names the object; messages and the status write use it"),
    "metadata.namespace": Field(SERVED, "the namespace of the object and of its backend Services"),
    "metadata.labels": Field(SERVED, "declared as written; label cdn=<ingressClass> selects an Ingress"),
    "metadata.annotations": Field(SERVED, "cdn-ingress.io/* are rule options (cdn-ingress.io/rules: \"off\": "
                                  "the object's origin only, no CDN rule); other controllers' keys are "
                                  "warned, a few with a CDN meaning served (see the annotations table)"),
    "metadata.*": Field(SERVED, "any other metadata field is declared to Kubernetes as written"),
}

_TOP = ("apiVersion", "kind", "metadata")


def unknown_fields(body: Mapping[str, Any], table: Mapping[str, Field]) -> Iterator[tuple[str, Any]]:
    """(field, value) of every field below the top level that the table has no row for; a value
    of the wrong type is left to the checks that read it."""
    prefixes = {prefix for path in table for prefix in _prefixes(path)}
    lists = {p[:-2] for p in prefixes if p.endswith("[]")}
    mappings = {p.rpartition(".")[0] for p in prefixes if "." in p and not p.endswith("[]")}
    stack: list[tuple[str, str, Any]] = [(key, key, value) for key, value in body.items()
                                         if isinstance(key, str) and key not in _TOP]
    while stack:
        shape, shown, value = stack.pop()
        if shape in table:
            continue
        if shape not in prefixes:
            yield shown, value
        elif isinstance(value, dict) and shape in mappings:
            stack.extend((f"{shape}.{k}", f"{shown}.{k}", v) for k, v in value.items() if isinstance(k, str))
        elif isinstance(value, list) and shape in lists:
            stack.extend((f"{shape}[]", f"{shown}[{i}]", v) for i, v in enumerate(value))


def _prefixes(path: str) -> Iterator[str]:
    at = ""
    for part in path.replace("[]", ".[]").split("."):
        at = at + part if part == "[]" or not at else f"{at}.{part}"
        yield at
