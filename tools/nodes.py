"""The local cluster's simulated nodes: three kwok-managed Nodes with ExternalIP addresses.

    python tools/nodes.py --kubeconfig PATH ping     exit 0 when the API server answers
    python tools/nodes.py --kubeconfig PATH ensure   create node-1..3 if missing, wait until Ready,
                                                     give each its ExternalIP (203.0.113.11..13),
                                                     delete any other simulated node
    python tools/nodes.py --kubeconfig PATH --addresses A,B,C ensure
                                                     the same with other ExternalIPs (a second
                                                     cluster: 203.0.113.21..23)
    python tools/nodes.py --kubeconfig PATH replace OLD NEW ADDRESS
                                                     a node replaced: NEW joins (Ready, ExternalIP
                                                     ADDRESS), then OLD leaves (benchmarks)

kwok marks a Node Ready and writes its InternalIP and Hostname; the ExternalIP, which the program
publishes as origin address, is added afterwards (kwok keeps addresses it did not write).
203.0.113.0/24 is TEST-NET-3: documentation addresses that nothing ever connects to.
"""

from __future__ import annotations

import argparse
import sys
import time

from kubernetes import client, config
from kubernetes.client.rest import ApiException

NODES = {f"node-{i}": f"203.0.113.{10 + i}" for i in (1, 2, 3)}
KWOK_ANNOTATION = "kwok.x-k8s.io/node"


def api(kubeconfig: str) -> client.CoreV1Api:
    return client.CoreV1Api(config.new_client_from_config(config_file=kubeconfig))


def ready(node: client.V1Node) -> bool:
    for cond in (node.status and node.status.conditions) or []:
        if cond.type == "Ready":
            return cond.status == "True"
    return False


def node_body(name: str) -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {
            "name": name,
            "annotations": {KWOK_ANNOTATION: "fake", "node.alpha.kubernetes.io/ttl": "0"},
            "labels": {
                "kubernetes.io/hostname": name,
                "kubernetes.io/os": "linux",
                "kubernetes.io/arch": "amd64",
                "type": "kwok",
            },
        },
        "spec": {},
    }


def ensure(core: client.CoreV1Api, timeout: float = 60.0, nodes: dict[str, str] | None = None) -> None:
    nodes = NODES if nodes is None else nodes
    for node in core.list_node(label_selector="type=kwok").items:
        if node.metadata.name not in nodes:
            core.delete_node(node.metadata.name)
            print(f"[nodes] deleted {node.metadata.name}", file=sys.stderr)
    for name, external in nodes.items():
        join(core, name, external, timeout)


def join(core: client.CoreV1Api, name: str, external: str, timeout: float = 60.0) -> None:
    """Create the node if missing, wait until kwok has it Ready, give it its ExternalIP."""
    try:
        core.read_node(name)
    except ApiException as exc:
        if exc.status != 404:
            raise
        core.create_node(node_body(name))
        print(f"[nodes] created {name}", file=sys.stderr)
    deadline = time.monotonic() + timeout
    while True:
        node = core.read_node(name)
        if ready(node):
            break
        if time.monotonic() > deadline:
            raise SystemExit(f"[nodes] {name} is not Ready after {timeout:.0f} s (is kwok running?)")
        time.sleep(0.5)
    addresses = [a.to_dict() for a in (node.status.addresses or []) if a.type != "ExternalIP"]
    current = {a.address for a in node.status.addresses or [] if a.type == "ExternalIP"}
    if current != {external}:
        addresses.append({"type": "ExternalIP", "address": external})
        core.patch_node_status(name, {"status": {"addresses": addresses}})
        print(f"[nodes] {name} ExternalIP {external}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kubeconfig", required=True)
    parser.add_argument("--addresses", default=",".join(NODES.values()),
                        help="ensure: the ExternalIPs of node-1, node-2, ... (comma-separated)")
    parser.add_argument("command", choices=["ping", "ensure", "replace"])
    parser.add_argument("args", nargs="*", help="replace: OLD NEW ADDRESS")
    args = parser.parse_args(argv)
    core = api(args.kubeconfig)
    if args.command == "ping":
        core.list_namespace(limit=1, _request_timeout=5)
    elif args.command == "ensure":
        addresses = [a.strip() for a in args.addresses.split(",") if a.strip()]
        ensure(core, nodes={f"node-{i}": a for i, a in enumerate(addresses, 1)})
    else:
        if len(args.args) != 3:
            parser.error("replace takes OLD NEW ADDRESS, e.g. replace node-1 node-4 203.0.113.14")
        old, new, address = args.args
        join(core, new, address)
        core.delete_node(old)
        print(f"[nodes] deleted {old}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
