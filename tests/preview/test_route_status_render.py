"""The preview comment understands routes from either source: an HTTPRoute's and a Gateway's
status writes (GatewayApiStatus) are status rows and traffic lines, as an Ingress's are."""

from __future__ import annotations

from preview import Target, parse, render
from tests.preview.kit import lines, step

TARGET = Target("cdn-ingress", "test")
TYPE = "pulumi-python:dynamic/cdn:GatewayApiStatus"
ACCEPTED = {"parents": [{"parentRef": {"name": "edge"}, "conditions": [
    {"type": "Accepted", "status": "True", "reason": "Accepted", "message": "published on the CDN"}]}]}


def test_httproute_status_is_a_status_row_and_a_traffic_line() -> None:
    new = {"plural": "httproutes", "namespace": "default", "name": "web", "status": ACCEPTED}
    text = render(parse(lines(step("create", TYPE, "HTTPRoute/default/web", None, new))), TARGET)
    assert "| Ingress status | 1 | · | · | · | · |" in text
    assert "HTTPRoute `default/web` reports Accepted=True (Accepted) for parent `edge`" in text


def test_gateway_addresses_are_a_traffic_line() -> None:
    status = {"addresses": [{"type": "Hostname", "value": "shop.example.com"}], "conditions": []}
    new = {"plural": "gateways", "namespace": "default", "name": "edge", "status": status}
    text = render(parse(lines(step("create", TYPE, "Gateway/default/edge", None, new))), TARGET)
    assert "Gateway `default/edge` reports `shop.example.com` in status.addresses" in text
