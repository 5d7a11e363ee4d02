"""The Gateway API CRDs (standard channel) in the local cluster, from the pinned module
sigs.k8s.io/gateway-api that tools/cluster.sh downloads through the Go module proxy.

    python tools/gateway_crds.py --kubeconfig PATH --module DIR   create or update each CRD of
                                                                  DIR/config/crd/standard, then
                                                                  wait until all are Established
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

import yaml

STANDARD = Path("config/crd/standard")


def crds(module: Path) -> list[dict[str, Any]]:
    """Every CustomResourceDefinition of the standard channel, in file order (no admission policies)."""
    found = []
    for path in sorted((module / STANDARD).glob("*.yaml")):
        found += [doc for doc in yaml.safe_load_all(path.read_text())
                  if isinstance(doc, dict) and doc.get("kind") == "CustomResourceDefinition"]
    return found


def apply(api: Any, crd: dict[str, Any]) -> str:
    from kubernetes.client.rest import ApiException

    name = crd["metadata"]["name"]
    try:
        live = api.read_custom_resource_definition(name)
    except ApiException as exc:
        if exc.status != 404:
            raise
        api.create_custom_resource_definition(crd)
        return f"created {name}"
    crd = {**crd, "metadata": {**crd["metadata"], "resourceVersion": live.metadata.resource_version}}
    api.replace_custom_resource_definition(name, crd)
    return f"updated {name}"


def established(api: Any, name: str) -> bool:
    conditions = api.read_custom_resource_definition(name).status.conditions or []
    return any(c.type == "Established" and c.status == "True" for c in conditions)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kubeconfig", required=True)
    parser.add_argument("--module", required=True, type=Path)
    args = parser.parse_args()
    from kubernetes import client, config

    api = client.ApiextensionsV1Api(config.new_client_from_config(config_file=args.kubeconfig))
    wanted = crds(args.module)
    if not wanted:
        print(f"no CRDs under {args.module / STANDARD}", file=sys.stderr)
        return 1
    for crd in wanted:
        print(f"[gateway-api] {apply(api, crd)}", file=sys.stderr)
    deadline = time.monotonic() + 60
    waiting = [c["metadata"]["name"] for c in wanted]
    while waiting and time.monotonic() < deadline:
        waiting = [name for name in waiting if not established(api, name)]
        time.sleep(0.5 if waiting else 0)
    if waiting:
        print(f"[gateway-api] not Established after 60 s: {waiting}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
