"""The comment on a Cloudflare stack's preview: an Origin Rule is a CDN rule named by host + path
and its origin (the Vultr name its alias points to), its records are DNS rows, and every phrase
from the manifests is escaped as for Edgio."""

from __future__ import annotations

from typing import Any

from preview import Target, gate, parse, render
from preview.md import ADD, code
from tests.preview.kit import lines, prelude, secret, step

TARGET = Target("cdn-ingress", "test")
ORIGIN_RULE = "pulumi-python:dynamic/cloudflare:OriginRule"
CF_RECORD = "pulumi-python:dynamic/cloudflare:DnsRecord"
ALIAS = "o-pywai-1a2b3c4d.acme.test"
ORIGIN = "pywai.origin.example.com"


def origin_rule(path: str, port: Any = 30080, **extra: Any) -> dict[str, Any]:
    return {"host": "www.acme.test", "path": path, "match": "prefix", "origin_host": ALIAS, "origin_port": port,
            "zone": "acme.test", "host_header": "", "sni": "", "rewrite_path": "", "request_headers": {},
            "response_headers": {}, "options": [], "adopt": False, "owner": "cdn-ingress/test/x",
            "__provider": secret(), **extra}


def record(name: str, content: str, proxied: bool) -> dict[str, Any]:
    return {"name": name, "content": content, "type": "CNAME", "proxied": proxied, "ttl": 1, "zone": "acme.test",
            "adopt": False, "owner": "cdn-ingress/test/x", "__provider": secret()}


def rule_step(op: str, path: str, old: Any, new: Any, **flags: Any) -> dict[str, Any]:
    return step(op, ORIGIN_RULE, f"www.acme.test{path}", old, new, **flags)


def alias_step(op: str = "create") -> dict[str, Any]:
    alias = record(ALIAS, ORIGIN, False)
    return step(op, CF_RECORD, "alias/default/pywai", alias if op != "create" else None,
                alias if op != "delete" else None)


def host_step(op: str, **flags: Any) -> dict[str, Any]:
    host = record("www.acme.test", ALIAS, True)
    return step(op, CF_RECORD, "host/www.acme.test", host if op != "create" else None,
                host if op != "delete" else None, **flags)


def test_a_new_origin_rule_names_its_route_and_origin() -> None:
    text = render(parse(lines(alias_step(), host_step("create"), rule_step("create", "/api", None,
                                                                             origin_rule("/api")))), TARGET)
    assert (f"- {ADD} `www.acme.test/api` will be served by the CDN from `{ORIGIN}:30080` (Cloudflare Origin Rule, "
            f"prefix match, via alias `{ALIAS}`)") in text
    assert f"- {ADD} `{ALIAS}` is created: unproxied CNAME → `{ORIGIN}` (the origin alias of Cloudflare rules)" in text
    assert f"- {ADD} `www.acme.test` is created: proxied by Cloudflare (CNAME → `{ALIAS}`)" in text


def test_without_its_alias_in_the_plan_the_rule_names_the_alias() -> None:
    text = render(parse(lines(rule_step("create", "/api", None, origin_rule("/api", match="exact")))), TARGET)
    assert f"`www.acme.test/api` will be served by the CDN from `{ALIAS}:30080` (Cloudflare Origin Rule, " \
           "exact match)" in text


def test_an_origin_rule_update_names_the_port() -> None:
    text = render(parse(lines(rule_step("update", "/api", origin_rule("/api"), origin_rule("/api", port=31999)))),
                  TARGET)
    assert "- ✏️ `www.acme.test/api`: origin port 30080 → 31999\n" in text


def test_deleting_an_origin_rule_or_a_published_host_warns() -> None:
    text = render(parse(lines(rule_step("delete", "/api", origin_rule("/api"), None), host_step("delete"))),
                  TARGET)
    assert "CDN rule for `www.acme.test/api` is **deleted**: `www.acme.test/api` will stop being served" in text
    assert "Published host `www.acme.test` is **deleted** at Cloudflare: the host stops resolving" in text


def test_a_retained_origin_rule_stays_at_cloudflare() -> None:
    text = render(parse(lines(rule_step("delete", "/api", origin_rule("/api"), None, retain=True))), TARGET)
    assert "leaves the program but is **retained** at Cloudflare (retainOnDelete)" in text


def test_manifest_phrases_are_escaped() -> None:
    path = "/a`b*<x>"
    text = render(parse(lines(rule_step("create", path, None, origin_rule(path)))), TARGET)
    (line,) = [line for line in text.splitlines() if "will be served by the CDN" in line]
    assert code(f"www.acme.test{path}") in line
    assert "<x>" not in line.replace(code(f"www.acme.test{path}"), "")


def test_cloudflare_objects_are_counted_and_gated() -> None:
    log = parse(lines(prelude({"cdn-ingress:protect": "true"}), rule_step("delete", "/api", origin_rule("/api"),
                                                                           None), host_step("delete")))
    text = render(log, TARGET)
    assert "| CDN rules | · | · | · | 1 | · |" in text
    assert "| DNS record sets | · | · | · | 1 | · |" in text
    assert gate(log).blocked
