"""What each resource is, told from its type token alone (the renderer never imports the program)."""

from __future__ import annotations

from enum import Enum

from preview.events import Step

DNS_TYPE = "pulumi-python:dynamic/vultr:DnsRecordSet"
CDN_TYPE = "pulumi-python:dynamic/edgio:DeliveryRule"
ORIGIN_RULE_TYPE = "pulumi-python:dynamic/cloudflare:OriginRule"  # the CDN rule of a Cloudflare stack
CLOUDFLARE_DNS_TYPE = "pulumi-python:dynamic/cloudflare:DnsRecord"  # a published host or an origin alias
CDN_TYPES = (CDN_TYPE, ORIGIN_RULE_TYPE)
VENDOR_OF = {CDN_TYPE: "Edgio", ORIGIN_RULE_TYPE: "Cloudflare", DNS_TYPE: "Vultr", CLOUDFLARE_DNS_TYPE: "Cloudflare"}
STATUS_TYPE = "pulumi-python:dynamic/cdn:IngressStatus"
ROUTE_STATUS_TYPE = "pulumi-python:dynamic/cdn:GatewayApiStatus"  # an HTTPRoute's or a Gateway's status
# Ops that count as changes, and the column each falls in.
COLUMNS = ("create", "update", "replace", "delete", "same")
_COLUMN_OF = {"create": "create", "update": "update", "replace": "replace", "delete": "delete", "same": "same",
              "import": "create", "discard": "delete", "remove-pending-replace": "delete"}


class Kind(Enum):
    KUBERNETES = "Kubernetes objects"
    DNS = "DNS record sets"
    CDN = "CDN rules"
    STATUS = "Ingress status"
    OTHER = "Other"

    @property
    def vendor(self) -> bool:
        """Objects that live at a vendor (Vultr, Edgio, Cloudflare): the ones protect and the gate guard."""
        return self in (Kind.DNS, Kind.CDN)


def kind_of(step: Step) -> Kind | None:
    """None for the engine's own bookkeeping: the stack, providers and components."""
    if step.type in (DNS_TYPE, CLOUDFLARE_DNS_TYPE):
        return Kind.DNS
    if step.type in CDN_TYPES:
        return Kind.CDN
    if step.type in (STATUS_TYPE, ROUTE_STATUS_TYPE):
        return Kind.STATUS
    if step.type.startswith("kubernetes:"):
        return Kind.KUBERNETES
    if step.type.startswith("pulumi:") or not step.custom:
        return None
    return Kind.OTHER


def column(step: Step) -> str | None:
    """The summary column of a step, None for reads and refreshes (they change nothing)."""
    return _COLUMN_OF.get(step.op)


def short_type(step: Step) -> str:
    return step.type.rsplit(":", 1)[-1]


def changes(step: Step) -> bool:
    return column(step) not in (None, "same")
