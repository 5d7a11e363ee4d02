"""The kubeconfig of every Kubernetes call the program makes, found as the Kubernetes provider finds
it: ``kubernetes:kubeconfig`` as a path or as the content itself; unset, the ``KUBECONFIG`` files
merged as kubectl merges them, or ``~/.kube/config``. No message ever shows the content."""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import yaml

REQUEST_TIMEOUT = (10.0, 30.0)  # (connect, read) seconds of every call to the API server
SETTING = "kubernetes:kubeconfig"
_SECTIONS = ("clusters", "contexts", "users")
_FILE_KEYS = {"cluster": ("certificate-authority",), "user": ("client-certificate", "client-key", "tokenFile")}
_SECRET_KEYS = ("token", "password", "client-key-data", "client-certificate-data", "certificate-authority-data")


class KubeconfigError(RuntimeError):
    """The kubeconfig cannot be found or read; the message names its source, never its content."""


@dataclass(frozen=True)
class Kubeconfig:
    source: str  # how messages name it
    config: dict[str, Any] = field(repr=False)
    hidden: tuple[str, ...] = field(repr=False)  # text that must not appear in any message

    def scrub(self, message: str) -> str:
        for text in sorted(self.hidden, key=len, reverse=True):
            message = message.replace(text, "<kubeconfig content>")
        return message


def load(kubeconfig: str | None, environ: Mapping[str, str] = os.environ) -> Kubeconfig:
    """The setting's file or content, else the merged KUBECONFIG files, else ~/.kube/config."""
    if kubeconfig:
        path = Path(kubeconfig).expanduser()
        if _is_file(path):
            return _from_files(f"{SETTING} (file {path})", [path])
        return _from_content(kubeconfig)
    paths = [Path(p).expanduser() for p in environ.get("KUBECONFIG", "").split(os.pathsep) if p]
    if paths:
        existing = [p for p in paths if _is_file(p)]  # kubectl skips the files that do not exist
        if not existing:
            raise KubeconfigError(f"none of the KUBECONFIG files exists: {[str(p) for p in paths]}")
        return _from_files(f"KUBECONFIG ({os.pathsep.join(map(str, existing))})", existing)
    return _from_files("~/.kube/config", [Path("~/.kube/config").expanduser()])


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except (OSError, ValueError):  # content is no file name: too long, or with a NUL byte
        return False


def _from_content(content: str) -> Kubeconfig:
    if len(content) <= 255 and not any(c.isspace() or c == ":" for c in content):
        raise KubeconfigError(f"{SETTING} names no existing file: {content}")  # no kubeconfig is one word
    hidden = tuple({line.strip() for line in content.splitlines() if len(line.strip()) >= 6})
    try:
        config = yaml.safe_load(content)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise KubeconfigError(f"{SETTING} is no existing file, and as content it is not valid YAML{where} "
                              "(the content is not shown)") from None
    if not isinstance(config, dict):
        raise KubeconfigError(f"{SETTING} is no existing file, and as content it is not a kubeconfig "
                              "(a YAML mapping with clusters, contexts and users; the value is not shown)")
    return Kubeconfig(f"{SETTING} (content)", config, hidden + _secrets(config))


def _from_files(source: str, paths: list[Path]) -> Kubeconfig:
    merged: dict[str, Any] = {section: [] for section in _SECTIONS}
    for path in paths:
        try:
            loaded = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            raise KubeconfigError(f"kubeconfig file {path} cannot be read: {type(exc).__name__}") from None
        if isinstance(loaded, dict):
            _merge(merged, loaded, path.parent)
    return Kubeconfig(source, merged, _secrets(merged))


def _merge(merged: dict[str, Any], loaded: dict[str, Any], base: Path) -> None:
    """kubectl's rules: the first file to define a name, or the current context, wins; relative
    file references are relative to the file that holds them."""
    for section in _SECTIONS:
        known = {entry.get("name") for entry in merged[section]}
        for entry in loaded.get(section) or []:
            if isinstance(entry, dict) and entry.get("name") not in known:
                merged[section].append(_absolute(entry, base))
                known.add(entry.get("name"))
    if not merged.get("current-context") and loaded.get("current-context"):
        merged["current-context"] = loaded["current-context"]


def _absolute(entry: dict[str, Any], base: Path) -> dict[str, Any]:
    entry = dict(entry)
    for kind, keys in _FILE_KEYS.items():
        if isinstance(entry.get(kind), dict):
            body = dict(entry[kind])
            for key in keys:
                if isinstance(body.get(key), str) and body[key] and not Path(body[key]).is_absolute():
                    body[key] = str(base / body[key])
            entry[kind] = body
    return entry


def _secrets(config: dict[str, Any]) -> tuple[str, ...]:
    found: list[str] = []
    for entry in [*(config.get("users") or []), *(config.get("clusters") or [])]:
        body = (entry.get("user") or entry.get("cluster")) if isinstance(entry, dict) else None
        if isinstance(body, dict):
            found.extend(str(body[key]) for key in _SECRET_KEYS if body.get(key))
    return tuple(found)


_IMPORTING = threading.Lock()


def kube_client() -> Any:
    """``kubernetes.client``, imported (once) under a lock: a provider process runs several
    resources' calls in threads, and one thread importing ``kubernetes.client.exceptions`` while
    another imports ``kubernetes.client`` deadlocks the import system (seen on a destroy that
    deleted an IngressStatus and a GatewayApiStatus at once). Call it before any kubernetes import."""
    with _IMPORTING:
        from kubernetes import client, config  # noqa: F401  (heavy: only when the cluster is asked)
        from kubernetes.client import exceptions, rest  # noqa: F401  (the parts imported lazily elsewhere)

        return client


def api_client(kubeconfig: Kubeconfig, context: str | None) -> Any:
    """A client of the official library for this kubeconfig and context (None: the current one)."""
    library = kube_client()
    from kubernetes import config as kube_config
    from urllib3.util import Retry

    configuration = library.Configuration()
    configuration.retries = Retry(total=1, read=0)  # a read that timed out is not sent again: REQUEST_TIMEOUT bounds it
    try:
        return cast(Any, kube_config).new_client_from_config_dict(
            kubeconfig.config, context=context, client_configuration=configuration)
    except Exception as exc:  # the library raises several kinds; all mean "this kubeconfig cannot be used"
        raise KubeconfigError(f"the kubeconfig from {kubeconfig.source} cannot be used with context "
                              f"{context or '(current)'}: {kubeconfig.scrub(str(exc))[:200]}") from None
