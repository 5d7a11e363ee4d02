"""The field tables of docs/routes.md for GatewayClass, Gateway and HTTPRoute
(gateway.networking.k8s.io/v1, standard channel v1.6.1; docs/gateway-api-contract.md).

"refused" at rule level means the rule is not published: a warning names it and the route's
status says why (Accepted=False, or PartiallyInvalid "Dropped Rule"); a field no table knows
stops the preview, as for Ingress."""

from __future__ import annotations

from cdn_ingress.sources.fields import REFUSED, SERVED, WARNED, Field

_STATUS = Field(WARNED, "written by the program, never read from the manifest")
_RULE = "the rule is not published (a warning, and the route's status say so): "
_NS_FROM = "Same, All, Selector (matchLabels, over the Namespaces of the manifests) or None"

GATEWAY_CLASS: dict[str, Field] = {
    "spec.controllerName": Field(SERVED, "cdn-ingress.io/edgio makes the class the CDN's; any other "
                                 "controller's class is left alone"),
    "spec.description": Field(SERVED, "declared as written"),
    "spec.parametersRef": Field(REFUSED, "the CDN has no per-class settings object; give options per "
                                "HTTPRoute with cdn-ingress.io/ annotations, or per stack with config"),
    "status": _STATUS,
}

GATEWAY: dict[str, Field] = {
    "spec.gatewayClassName": Field(SERVED, "selects the Gateway: a GatewayClass of the manifests whose "
                                   "controllerName is cdn-ingress.io/edgio"),
    "spec.listeners[].name": Field(SERVED, "what parentRefs[].sectionName selects"),
    "spec.listeners[].hostname": Field(SERVED, "intersected with each attached route's hostnames; the "
                                       "resulting hosts are published"),
    "spec.listeners[].port": Field(SERVED, "what parentRefs[].port selects; the CDN publishes http on 80 and "
                                   "https on 443, other ports are warned"),
    "spec.listeners[].protocol": Field(SERVED, "HTTP: hosts published on http; HTTPS: on https; TLS, TCP, UDP "
                                       "and others refused (the CDN serves HTTP and HTTPS only)"),
    "spec.listeners[].tls.mode": Field(SERVED, "Terminate: the CDN terminates TLS; Passthrough refused"),
    "spec.listeners[].tls.certificateRefs": Field(WARNED, "the CDN does not read Kubernetes Secrets: the "
                                                  "host's certificate is the one provisioned at the CDN"),
    "spec.listeners[].tls.options": Field(WARNED, "no TLS option of the CDN is set from it"),
    "spec.listeners[].allowedRoutes.namespaces.from": Field(SERVED, _NS_FROM),
    "spec.listeners[].allowedRoutes.namespaces.selector.matchLabels": Field(SERVED, "matched against the "
                                                                            "labels of Namespaces in the manifests"),
    "spec.listeners[].allowedRoutes.namespaces.selector.matchExpressions": Field(REFUSED, "write matchLabels"),
    "spec.listeners[].allowedRoutes.kinds": Field(SERVED, "HTTPRoute attaches when the list is empty or names it"),
    "spec.addresses": Field(REFUSED, "the CDN publishes hostnames, it takes no requested address; the "
                            "published hosts are written to status.addresses"),
    "spec.infrastructure": Field(WARNED, "the CDN has no infrastructure to label or parametrize"),
    "spec.allowedListeners": Field(REFUSED, "ListenerSets are not read: declare the listeners on the Gateway"),
    "spec.tls": Field(REFUSED, "client certificate validation and backend TLS are not served"),
    "status": _STATUS,
}

HTTPROUTE: dict[str, Field] = {
    "spec.parentRefs[].group": Field(SERVED, "gateway.networking.k8s.io (the default); other groups are "
                                     "other controllers' parents"),
    "spec.parentRefs[].kind": Field(SERVED, "Gateway (the default)"),
    "spec.parentRefs[].name": Field(SERVED, "a Gateway of the manifests; one of our class makes the route the CDN's"),
    "spec.parentRefs[].namespace": Field(SERVED, "the Gateway's namespace (default: the route's); "
                                         "allowedRoutes decides"),
    "spec.parentRefs[].sectionName": Field(SERVED, "the listener of that name; none: Accepted=False NoMatchingParent"),
    "spec.parentRefs[].port": Field(SERVED, "the listeners on that port"),
    "spec.hostnames": Field(SERVED, "intersected with the listeners' hostnames as the spec says; a wildcard "
                            "left after that is not published (a CDN rule publishes one FQDN)"),
    "spec.rules[].name": Field(SERVED, "names the rule in messages and status"),
    "spec.rules[].matches[].path.type": Field(SERVED, "PathPrefix: a prefix rule; Exact: a prefix rule with a "
                                              "warning; RegularExpression: " + _RULE + "write a prefix"),
    "spec.rules[].matches[].path.value": Field(SERVED, "the published path, and the source path unless a "
                                               "URLRewrite asks for another"),
    "spec.rules[].matches[].headers": Field(REFUSED, _RULE + "a CDN rule matches host and path only"),
    "spec.rules[].matches[].queryParams": Field(REFUSED, _RULE + "a CDN rule matches host and path only"),
    "spec.rules[].matches[].method": Field(REFUSED, _RULE + "a CDN rule matches host and path only"),
    "spec.rules[].filters[].type": Field(SERVED, "RequestHeaderModifier, ResponseHeaderModifier and URLRewrite "
                                         "are served; any other filter: " + _RULE + "the spec forbids skipping it"),
    "spec.rules[].filters[].requestHeaderModifier.set": Field(SERVED, "req_send_header options of the rule"),
    "spec.rules[].filters[].requestHeaderModifier.add": Field(SERVED, "req_send_header options of the rule"),
    "spec.rules[].filters[].requestHeaderModifier.remove": Field(REFUSED, _RULE + "no CDN option removes a header"),
    "spec.rules[].filters[].responseHeaderModifier.set": Field(SERVED, "reply_send_header options of the rule"),
    "spec.rules[].filters[].responseHeaderModifier.add": Field(SERVED, "reply_send_header options of the rule"),
    "spec.rules[].filters[].responseHeaderModifier.remove": Field(REFUSED, _RULE + "no CDN option removes a header"),
    "spec.rules[].filters[].urlRewrite.path": Field(SERVED, "ReplacePrefixMatch: the rule's source path; "
                                                    "ReplaceFullPath: " + _RULE + "the CDN maps prefixes"),
    "spec.rules[].filters[].urlRewrite.hostname": Field(REFUSED, _RULE + "the origin host is the Service's"),
    "spec.rules[].filters[].requestRedirect": Field(REFUSED, _RULE + "no redirect rule is written"),
    "spec.rules[].filters[].requestMirror": Field(REFUSED, _RULE + "the CDN does not mirror requests"),
    "spec.rules[].filters[].cors": Field(REFUSED, _RULE + "no CORS option is written; set the headers with "
                                         "ResponseHeaderModifier"),
    "spec.rules[].filters[].extensionRef": Field(REFUSED, _RULE + "no extension is known"),
    "spec.rules[].backendRefs[].name": Field(SERVED, "a NodePort Service of the manifests: the rule's origin"),
    "spec.rules[].backendRefs[].port": Field(SERVED, "the Service port of that number; the rule uses its nodePort"),
    "spec.rules[].backendRefs[].group": Field(SERVED, "'' (core, the default); any other: " + _RULE + "InvalidKind"),
    "spec.rules[].backendRefs[].kind": Field(SERVED, "Service (the default); any other: " + _RULE + "InvalidKind"),
    "spec.rules[].backendRefs[].namespace": Field(SERVED, "the route's own; another: " + _RULE + "RefNotPermitted "
                                                  "(ReferenceGrants are not read)"),
    "spec.rules[].backendRefs[].weight": Field(SERVED, "one backend with weight > 0; several backends or weight 0: "
                                               + _RULE + "a CDN rule has one origin"),
    "spec.rules[].backendRefs[].filters": Field(REFUSED, _RULE + "per-backend filters are not served"),
    "spec.rules[].timeouts": Field(REFUSED, _RULE + "no CDN option is known for it"),
    "status": _STATUS,
}
