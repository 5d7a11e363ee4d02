"""A CDN rule's inputs in the program's terms: route, origin target, protocols, and what changed.

An Edgio ``DeliveryRule`` is read as logged; a Cloudflare ``OriginRule`` is first put in the same
terms (``as_route_inputs``), its origin being the name its in-zone alias points to."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from preview.values import is_known


def _text(value: Any) -> str:
    return str(value) if is_known(value) else repr(value)


_ORIGIN_RULE_KEYS = {"host": "published_hostname", "path": "published_path", "origin_port": "source_port"}


def as_route_inputs(inputs: Mapping[str, Any] | None, aliases: Mapping[str, str]) -> dict[str, Any] | None:
    """An Origin Rule's inputs under the Delivery Rule's names: host, path, origin (the Vultr name
    behind the alias when the plan shows the alias record) and port; ``via`` keeps the alias."""
    if inputs is None:
        return None
    out = {_ORIGIN_RULE_KEYS.get(k, k): v for k, v in inputs.items()}
    alias = inputs.get("origin_host")
    origin = aliases.get(alias) if isinstance(alias, str) else None
    out.update(source_hostname=origin or alias, via=alias if origin else None, cdn="Cloudflare")
    return out


def route_of(inputs: Mapping[str, Any]) -> str:
    """``host/path`` as published."""
    return f"{_text(inputs.get('published_hostname'))}{_text(inputs.get('published_path'))}"


def target_of(inputs: Mapping[str, Any]) -> str:
    """``origin-name:node-port[/source-path]``."""
    path = inputs.get("source_path")
    suffix = "" if path in (None, "/") else _text(path)
    return f"{_text(inputs.get('source_hostname'))}:{_text(inputs.get('source_port'))}{suffix}"


def protocols(inputs: Mapping[str, Any]) -> str:
    """``https → http``: what the CDN publishes, and how it reaches the origin."""
    return f"{_published(inputs)} → {_text(inputs.get('source_protocol'))}"


def _option_text(option: Any) -> str:
    if not isinstance(option, Mapping):
        return _text(option)
    params = option.get("parameters")
    shown = ", ".join(map(str, params)) if isinstance(params, list) else _text(params)
    return f"{_text(option.get('name'))}({shown})"


def _options_change(old: Any, new: Any) -> str:
    """``CDN option refresh_absmax 300 → 600`` for one option changed; else what came and went."""
    before = [_option_text(o) for o in old] if isinstance(old, list) else [_text(old)]
    after = [_option_text(o) for o in new] if isinstance(new, list) else [_text(new)]
    added = [o for o in after if o not in before]
    removed = [o for o in before if o not in after]
    if len(added) == len(removed) == 1 and added[0].split("(")[0] == removed[0].split("(")[0]:
        name = added[0].split("(")[0]
        return f"CDN option {name} {removed[0][len(name) + 1:-1]} → {added[0][len(name) + 1:-1]}"
    parts = [f"+{o}" for o in added] + [f"-{o}" for o in removed]
    return "CDN options " + (" ".join(parts) if parts else "reordered")


def _published(inputs: Mapping[str, Any]) -> str:
    published = inputs.get("published_protocols")
    return ", ".join(map(str, published)) if isinstance(published, list) and is_known(published) else _text(published)


_LABELS = (
    ("source_hostname", "origin"),
    ("source_port", "origin port"),
    ("source_path", "origin path"),
    ("profile_name", "profile"),
    ("shortname", "account"),
    ("published_hostname", "host"),
    ("published_path", "path"),
    ("match", "match"),
)


def describe_rule_update(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """One phrase per changed setting that matters for traffic, e.g. ``origin port 30080 → 31999``."""
    phrases = []
    for key, label in _LABELS:
        if old.get(key) != new.get(key):
            phrases.append(f"{label} {_text(old.get(key))} → {_text(new.get(key))}")
    if old.get("published_protocols") != new.get("published_protocols"):
        phrases.append(f"published protocols {_published(old)} → {_published(new)}")
    if old.get("source_protocol") != new.get("source_protocol"):
        phrases.append(f"origin protocol {_text(old.get('source_protocol'))} → {_text(new.get('source_protocol'))}")
    if old.get("options") != new.get("options"):
        phrases.append(_options_change(old.get("options"), new.get("options")))
    return phrases
