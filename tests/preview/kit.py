"""Engine events in the shape ``pulumi preview --event-log`` writes (apitype.EngineEvent), for the
cases no real preview here can produce: policy results, ``--show-secrets`` plaintext, huge plans."""

from __future__ import annotations

import json
from typing import Any

from preview.kinds import CDN_TYPE, DNS_TYPE
from preview.values import SECRET_SIG, SIG_KEY

PROJECT, STACK = "cdn-ingress", "test"
PARENT = "cdn-ingress:index:CdnIngressApp"


def urn(type_: str, name: str) -> str:
    return f"urn:pulumi:{STACK}::{PROJECT}::{PARENT}${type_}::{name}"


def secret(plaintext: str | None = None) -> dict[str, str]:
    """A secret as the log writes it: blinded ciphertext, or plaintext under --show-secrets."""
    if plaintext is None:
        return {SIG_KEY: SECRET_SIG, "ciphertext": "[secret]"}
    return {SIG_KEY: SECRET_SIG, "plaintext": json.dumps(plaintext)}


def state(type_: str, name: str, inputs: dict[str, Any], *, protect: bool = False,
          retain: bool = False, outputs: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"type": type_, "urn": urn(type_, name), "custom": True, "id": "", "parent": "", "provider": "",
            "protect": protect, "retainOnDelete": retain, "inputs": inputs, "outputs": outputs or {}}


def step(op: str, type_: str, name: str, old: dict[str, Any] | None, new: dict[str, Any] | None,
         **flags: Any) -> dict[str, Any]:
    meta = {"op": op, "urn": urn(type_, name), "type": type_, "provider": "", "detailedDiff": None,
            "old": state(type_, name, old, **flags) if old is not None else None,
            "new": state(type_, name, new, **flags) if new is not None else None}
    return {"resourcePreEvent": {"metadata": meta, "planning": True}}


def rule(path: str, port: Any = 30080, **extra: Any) -> dict[str, Any]:
    return {"shortname": "acme", "published_hostname": "shop.example.com", "published_path": path,
            "source_hostname": "pywai.origin.example.com", "source_port": port, "source_path": "/",
            "published_protocols": ["https"], "source_protocol": "http", "profile_name": "LLNW-Generic",
            "options": [], "adopt": False, "wait_for_deploy": True, "deploy_timeout_seconds": 600,
            "__provider": secret(), **extra}


def records(addresses: list[str], ttl: int = 120) -> dict[str, Any]:
    return {"domain": "origin.example.com", "name": "pywai", "type": "A", "addresses": addresses, "ttl": ttl,
            "adopt": False, "owner": f"{PROJECT}/{STACK}", "__provider": secret()}


def rule_step(op: str, path: str, old: dict[str, Any] | None, new: dict[str, Any] | None,
              **flags: Any) -> dict[str, Any]:
    return step(op, CDN_TYPE, f"shop.example.com{path}", old, new, **flags)


def dns_step(op: str, old: dict[str, Any] | None, new: dict[str, Any] | None, **flags: Any) -> dict[str, Any]:
    return step(op, DNS_TYPE, "default/pywai", old, new, **flags)


def prelude(config: dict[str, str] | None = None) -> dict[str, Any]:
    return {"preludeEvent": {"config": config or {}}}


def summary(result: str = "succeeded") -> dict[str, Any]:
    return {"summaryEvent": {"maybeCorrupt": False, "durationSeconds": 1, "resourceChanges": {},
                             "PolicyPacks": {}, "isPreview": True, "result": result}}


def policy(urn_: str, level: str, message: str, name: str = "no-plain-http") -> dict[str, Any]:
    return {"policyEvent": {"resourceUrn": urn_, "message": message, "color": "never", "policyName": name,
                            "policyPackName": "cdn-ingress-policies", "policyPackVersion": "0.1.0",
                            "policyPackVersionTag": "0.1.0", "enforcementLevel": level}}


def lines(*events: dict[str, Any]) -> list[str]:
    """A whole log: prelude, the events, a summary (each numbered as the engine does)."""
    body = [prelude(), *events] if not any("preludeEvent" in e for e in events) else list(events)
    if not any("summaryEvent" in e for e in body):
        body.append(summary())
    return [json.dumps({"sequence": i, "timestamp": 0, **event}) for i, event in enumerate(body)]
