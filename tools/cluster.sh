#!/usr/bin/env bash
# The local control plane, without Docker: etcd, kube-apiserver, kube-controller-manager and
# kube-scheduler built from Go modules by tools/toolchain.sh, run as local processes by kwokctl's
# binary runtime, with kwok simulating three nodes (node-1..3, ExternalIP 203.0.113.11..13).
# kwok manages only nodes annotated kwok.x-k8s.io/node=fake, so a test can take one out of its
# hands and make it NotReady.
#
#   tools/cluster.sh build        build the binaries that are missing (tools/toolchain.sh cluster)
#   tools/cluster.sh start        start (or create) the cluster, its nodes and the Gateway API CRDs
#                                 (standard channel, GATEWAY_API_VERSION); idempotent
#   tools/cluster.sh stop         stop the processes, keep the data; idempotent
#   tools/cluster.sh delete       stop and forget the cluster
#   tools/cluster.sh status       exit 0 when the API server answers
#   tools/cluster.sh kubeconfig   print the kubeconfig path
#
# Everything binds to 127.0.0.1. Data and kubeconfig live under $CDN_INGRESS_CACHE/cluster.
#
# CLUSTER=second runs a second, independent cluster beside the first (two clusters serving one
# origin name): kwok name cdn-ingress-second, data and kubeconfig under
# $CDN_INGRESS_CACHE/cluster-second, nodes node-1..3 with ExternalIP 203.0.113.21..23, and fixed
# ports 32740..32745 (the first cluster's ports are kwokctl's pick, counting down from 32767).
# Unset (or CLUSTER=first) is the first cluster, as always.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=tools/env.sh
source "$ROOT/tools/env.sh"
BIN=$CDN_INGRESS_CACHE/bin
case "${CLUSTER:-first}" in
  first)
    NAME=cdn-ingress
    export KWOK_WORKDIR=$CDN_INGRESS_CACHE/cluster
    ADDRESSES=203.0.113.11,203.0.113.12,203.0.113.13
    PORTS="" ;;
  second)
    NAME=cdn-ingress-second
    export KWOK_WORKDIR=$CDN_INGRESS_CACHE/cluster-second
    ADDRESSES=203.0.113.21,203.0.113.22,203.0.113.23
    PORTS="
  etcdPort: 32740
  etcdPeerPort: 32741
  kubeApiserverPort: 32742
  kubeControllerManagerPort: 32743
  kubeSchedulerPort: 32744
  kwokControllerPort: 32745" ;;
  *) printf '[cluster] CLUSTER=%s: unknown cluster; allowed: first (the default), second\n' "$CLUSTER" >&2; exit 2 ;;
esac
KUBECONFIG_PATH=$KWOK_WORKDIR/kubeconfig
PY=${PYTHON:-$ROOT/venv/bin/python}

say() { printf '[cluster] %s\n' "$*" >&2; }

kwokctl() { "$BIN/kwokctl" --name "$NAME" "$@"; }

exists() { [ -d "$KWOK_WORKDIR/clusters/$NAME" ]; }

healthy() {
  [ -f "$KUBECONFIG_PATH" ] || return 1
  "$PY" "$ROOT/tools/nodes.py" --kubeconfig "$KUBECONFIG_PATH" ping >/dev/null 2>&1
}

create() {
  mkdir -p "$KWOK_WORKDIR"
  cat >"$KWOK_WORKDIR/kwokctl.yaml" <<CFG
kind: KwokctlConfiguration
apiVersion: config.kwok.x-k8s.io/v1alpha1
options:
  runtime: binary
  bindAddress: 127.0.0.1
  kubeVersion: v$(. "$ROOT/tools/versions.sh"; echo "$KUBE_VERSION")$PORTS
CFG
  say "creating cluster '$NAME' (binaries from $BIN)"
  kwokctl create cluster --config "$KWOK_WORKDIR/kwokctl.yaml" --runtime binary \
    --kubeconfig "$KUBECONFIG_PATH" \
    --etcd-binary "$BIN/etcd" \
    --kube-apiserver-binary "$BIN/kube-apiserver" \
    --kube-controller-manager-binary "$BIN/kube-controller-manager" \
    --kube-scheduler-binary "$BIN/kube-scheduler" \
    --kwok-controller-binary "$BIN/kwok" \
    --extra-args "kwok-controller=manage-all-nodes=false" \
    --extra-args "kwok-controller=manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake" \
    --wait 2m
}

start() {
  if healthy; then
    say "already running"
  elif exists; then
    say "starting cluster '$NAME'"
    kwokctl start cluster --wait 2m || { say "start failed; recreating"; kwokctl delete cluster || true; create; }
  else
    create
  fi
  for _ in $(seq 1 60); do healthy && break; sleep 1; done
  healthy || { say "the API server does not answer; logs in $KWOK_WORKDIR/clusters/$NAME/logs"; exit 1; }
  "$PY" "$ROOT/tools/nodes.py" --kubeconfig "$KUBECONFIG_PATH" --addresses "$ADDRESSES" ensure
  gateway_crds
  say "ready; KUBECONFIG=$KUBECONFIG_PATH"
}

gateway_crds() { # the module comes from the Go module proxy, like the rest of the toolchain
  local version module
  version=$(. "$ROOT/tools/versions.sh"; echo "$GATEWAY_API_VERSION")
  module=$(GOWORK=off GOTOOLCHAIN=local GOFLAGS=-mod=mod go mod download -json "sigs.k8s.io/gateway-api@$version" |
    python3 -c "import json,sys;print(json.load(sys.stdin)['Dir'])")
  "$PY" "$ROOT/tools/gateway_crds.py" --kubeconfig "$KUBECONFIG_PATH" --module "$module"
}

case "${1:-}" in
  build) "$ROOT/tools/toolchain.sh" cluster ;;
  start) "$ROOT/tools/toolchain.sh" --check cluster >/dev/null || { "$ROOT/tools/toolchain.sh" --check cluster; exit 1; }; start ;;
  stop) if exists; then kwokctl stop cluster || true; fi; say "stopped" ;;
  delete) if exists; then kwokctl delete cluster; fi; say "deleted" ;;
  status) healthy ;;
  kubeconfig) echo "$KUBECONFIG_PATH" ;;
  *) sed -n '2,22p' "$0" >&2; exit 2 ;;
esac
