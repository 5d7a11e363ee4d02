"""Annotations of other Ingress controllers on a CDN Ingress: the few with a CDN meaning are
served (unless a cdn-ingress.io/ annotation says the same thing), the rest are named in one
warning per Ingress. Keys of other tools (kubectl, Helm, Argo CD, external-dns, ...) are theirs."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from cdn_ingress.annotations import hidden_character

NGINX = "nginx.ingress.kubernetes.io/"
#: Key prefixes that belong to Ingress controllers (or to the legacy generic controller keys).
CONTROLLER_PREFIXES = (
    NGINX, "nginx.org/", "nginx.com/", "ingress.kubernetes.io/", "alb.ingress.kubernetes.io/",
    "traefik.ingress.kubernetes.io/", "traefik.", "networking.gke.io/", "ingress.gcp.kubernetes.io/",
    "cloud.google.com/", "kubernetes.io/ingress.allow-http", "kubernetes.io/ingress.global-static-ip-name",
    "kubernetes.io/ingress.regional-static-ip-name", "kubernetes.io/tls-acme", "haproxy.org/",
    "haproxy.router.openshift.io/", "router.openshift.io/", "konghq.com/", "appgw.ingress.kubernetes.io/",
    "projectcontour.io/", "contour.heptio.com/", "zalando.org/", "getambassador.io/",
    "service.beta.kubernetes.io/", "azure.application-gateway/", "cert-manager.io/", "acme.cert-manager.io/",
)
_CAPTURE = re.compile(r"\$[0-9{]")


@dataclass
class Foreign:
    """What other controllers' annotations mean on the CDN."""

    source_path: str | None = None
    published_protocols: tuple[str, ...] | None = None
    source_protocol: str | None = None
    options: tuple[dict[str, Any], ...] = ()  # CDN rule options (request headers)
    refused: list[tuple[str, Any, str]] = field(default_factory=list)  # (key, value, why / what instead)
    no_effect: list[str] = field(default_factory=list)


def _rewrite(found: Foreign, key: str, value: str) -> None:
    if not value.startswith("/") or _CAPTURE.search(value) or any(c.isspace() for c in value):
        found.refused.append((key, value, "the CDN maps a published path prefix to a source path prefix: "
                              "no capture groups ($1); write cdn-ingress.io/source-path with the prefix "
                              "the backend expects, e.g. '/'"))
    else:
        found.source_path = value


def _regex(found: Foreign, key: str, value: str) -> None:
    if value.strip().lower() in ("true", "case_sensitive", "case_insensitive"):  # the last two: nginx.org
        found.refused.append((key, value, "the CDN matches literal path prefixes, not regular "
                              "expressions; write each prefix as a Prefix path and drop this annotation"))


def _redirect(found: Foreign, key: str, value: str) -> None:
    answer = value.strip().lower()
    if answer not in ("true", "false"):
        found.refused.append((key, value, "must be 'true' or 'false'"))
    elif answer == "false" and not key.endswith("force-ssl-redirect"):
        found.published_protocols = ("http", "https")
    elif answer == "true":
        found.published_protocols = ("https",)


def _backend_protocol(found: Foreign, key: str, value: str) -> None:
    if value.strip().upper() not in ("HTTP", "HTTPS"):
        found.refused.append((key, value, "the CDN reaches origins over HTTP or HTTPS only; "
                              "allowed: 'HTTP', 'HTTPS'"))
    else:
        found.source_protocol = value.strip().lower()


def _proxy_set_headers(found: Foreign, key: str, value: str) -> None:
    """nginx.org's 'Name: value, Name2: value2'; a name alone copies the client's header, which a
    CDN rule option (a fixed value) cannot do."""
    options = []
    for item in filter(None, (part.strip() for part in value.split(","))):
        name, sep, header_value = item.partition(":")
        if not sep or not name.strip() or not header_value.strip():
            found.refused.append((key, value, "a header without a value copies the client's header, which the "
                                  "CDN cannot; give every header a value, or use cdn-ingress.io/request-headers"))
            return
        options.append({"name": "req_send_header", "parameters": [name.strip(), header_value.strip()]})
    found.options = tuple(options)


def _refuse(why: str) -> Callable[[Foreign, str, str], None]:
    def parse(found: Foreign, key: str, value: str) -> None:
        found.refused.append((key, value, why))

    return parse


_SERVED: dict[str, tuple[str | None, Callable[[Foreign, str, str], None]]] = {
    # key -> (the cdn-ingress.io/ annotation that says the same thing and wins, parser)
    NGINX + "rewrite-target": ("cdn-ingress.io/source-path", _rewrite),
    NGINX + "use-regex": (None, _regex),
    NGINX + "ssl-redirect": ("cdn-ingress.io/published-protocols", _redirect),
    NGINX + "force-ssl-redirect": ("cdn-ingress.io/published-protocols", _redirect),
    NGINX + "backend-protocol": ("cdn-ingress.io/source-protocol", _backend_protocol),
    "nginx.org/path-regex": (None, _regex),
    "nginx.org/redirect-to-https": ("cdn-ingress.io/published-protocols", _redirect),
    "nginx.org/proxy-set-headers": ("cdn-ingress.io/request-headers", _proxy_set_headers),
    "nginx.org/rewrites": ("cdn-ingress.io/source-path", _refuse(
        "per-Service rewrites are not served; the CDN maps each path prefix to one source path: write "
        "cdn-ingress.io/source-path on an Ingress of those paths")),
    "nginx.org/ssl-services": ("cdn-ingress.io/source-protocol", _refuse(
        "per-Service origin protocols are not served: write cdn-ingress.io/source-protocol: https on an "
        "Ingress whose backends all speak HTTPS")),
    "nginx.org/grpc-services": (None, _refuse("the CDN reaches origins over HTTP or HTTPS only, not gRPC")),
}
SERVED_KEYS = tuple(_SERVED)


def is_controller_key(key: str) -> bool:
    return key.startswith(CONTROLLER_PREFIXES)


def read_foreign(annotations: Mapping[str, Any]) -> Foreign:
    found = Foreign()
    for key in sorted(k for k in annotations if isinstance(k, str) and is_controller_key(k)):
        value = annotations[key]
        served = _SERVED.get(key)
        # A value of the wrong type is the shape check's; a cdn-ingress.io/ key saying the same wins.
        overridden = served is not None and served[0] is not None and served[0] in annotations
        if served is None or not isinstance(value, str) or overridden:
            found.no_effect.append(key)
        elif (hidden := hidden_character(value)) is not None:  # served values reach the vendor
            found.refused.append((key, value, hidden))
        else:
            served[1](found, key, value)
    return found
