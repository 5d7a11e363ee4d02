#!/usr/bin/env bash
# The local stack: file state backend in .state/, the emulators on fixed loopback ports with
# SQLite state in .run/, the local control plane, and the Pulumi CLI built by tools/.
# Usage: scripts/local-stack.sh {up|preview|refresh|destroy|export-state|emulators|emulators-stop|env|endpoints}
# LOCAL_STACK=local-cloudflare: the same on the Cloudflare stack (its emulators: Vultr + Cloudflare).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
RUN=$ROOT/.run
STACK=${LOCAL_STACK:-local}
case $STACK in
  local|local-cloudflare) ;;
  *) echo "LOCAL_STACK=$STACK is not a local stack (allowed: local, local-cloudflare)" >&2; exit 2 ;;
esac
# The local passphrase is documented in the README; it protects only emulator credentials.
export PULUMI_CONFIG_PASSPHRASE=${PULUMI_CONFIG_PASSPHRASE:-cdn-ingress-local}
# BACKEND=postgres: the shared PostgreSQL state backend of docs/team.md instead of .state/.
case ${BACKEND:-file} in
  file) ;;
  postgres) scripts/backend.sh start; eval "$(scripts/backend.sh env)" ;;
  *) echo "BACKEND=$BACKEND is not a state backend here (allowed: file, postgres)" >&2; exit 2 ;;
esac
export PULUMI_BACKEND_URL=${PULUMI_BACKEND_URL:-file://$ROOT/.state}
VULTR_PORT=${EMULATOR_VULTR_PORT:-18081}
EDGIO_PORT=${EMULATOR_EDGIO_PORT:-18082}
CLOUDFLARE_PORT=${EMULATOR_CLOUDFLARE_PORT:-18083}
# The same ports are where the local stacks' providers call: their stack files name no endpoint,
# so the providers take these (a config value would win over them).
export VULTR_ENDPOINT=http://127.0.0.1:$VULTR_PORT/v2
export EDGIO_ENDPOINT=http://127.0.0.1:$EDGIO_PORT/config-api/v1
export CLOUDFLARE_ENDPOINT=http://127.0.0.1:$CLOUDFLARE_PORT/client/v4
mkdir -p "$RUN" "$ROOT/.state"

log() { printf '[local-stack] %s\n' "$*" >&2; }

toolchain() {
  tools/toolchain.sh >&2
  # shellcheck source=/dev/null
  source tools/env.sh
}

repair_backend() {
  # A run killed between writing a checkpoint and its metadata file leaves that file empty, and
  # every command then fails with "failed to load checkpoint: EOF". An empty one carries nothing.
  local f
  while IFS= read -r f; do
    log "removing empty metadata file left by an interrupted run: $f"; rm -f "$f"
  done < <(find "$ROOT/.state/.pulumi" -name '*.attrs' -size 0 2>/dev/null)
}

stack_select() {
  repair_backend
  pulumi stack select "$STACK" --non-interactive 2>/dev/null \
    || pulumi stack init "$STACK" --secrets-provider passphrase --non-interactive >&2
}

emulators_running() {
  curl -sf "http://127.0.0.1:$VULTR_PORT/_emulator/faults" >/dev/null 2>&1 \
    && curl -sf "http://127.0.0.1:$EDGIO_PORT/_emulator/faults" >/dev/null 2>&1 \
    && { [ "$STACK" != local-cloudflare ] || curl -sf "http://127.0.0.1:$CLOUDFLARE_PORT/_emulator/faults" >/dev/null 2>&1; } \
    && [ "$(cat "$RUN/emulators.stack" 2>/dev/null || echo local)" = "$STACK" ]
}

config_or() { pulumi config get "$1" 2>/dev/null || echo "$2"; }

start_emulators() {
  if emulators_running; then log "emulators already running"; return; fi
  stop_emulators  # another local stack's, whose credentials differ
  toolchain; stack_select
  # The emulators take the same credentials the stack holds (encrypted) in stacks/Pulumi.$STACK.yaml;
  # a stack without Edgio credentials (local-cloudflare) gets throw-away ones for an unused Edgio.
  local shortname domain cloudflare=()
  shortname=$(config_or cdn-ingress:edgioShortname cstradtman)
  domain=$(pulumi config get cdn-ingress:originDomain)
  if [ "$STACK" = local-cloudflare ]; then
    cloudflare=(--cloudflare-port "$CLOUDFLARE_PORT" --cloudflare-zone "$(pulumi config get cloudflare:zoneName)")
    EMULATOR_CLOUDFLARE_API_TOKEN=$(pulumi config get cloudflare:apiToken); export EMULATOR_CLOUDFLARE_API_TOKEN
  fi
  EMULATOR_VULTR_API_KEY=$(pulumi config get vultr:apiKey) \
  EMULATOR_EDGIO_USERNAME=$(config_or edgio:username unused-local) \
  EMULATOR_EDGIO_SHARED_KEY=$(config_or edgio:sharedKey "$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')") \
    nohup venv/bin/python -m emulators serve --vultr-port "$VULTR_PORT" --edgio-port "$EDGIO_PORT" \
      --state "$RUN/emulators${STACK#local}.sqlite" --vultr-domain "$domain" --edgio-shortname "$shortname" \
      "${cloudflare[@]}" >"$RUN/emulators.out" 2>"$RUN/emulators.log" &
  echo $! >"$RUN/emulators.pid"
  echo "$STACK" >"$RUN/emulators.stack"
  unset EMULATOR_CLOUDFLARE_API_TOKEN
  for _ in $(seq 1 50); do emulators_running && { log "emulators up: $(head -1 "$RUN/emulators.out")"; return; }; sleep 0.2; done
  log "emulators did not start; see $RUN/emulators.log"; exit 1
}

stop_emulators() {
  if [ -f "$RUN/emulators.pid" ]; then
    kill "$(cat "$RUN/emulators.pid")" 2>/dev/null || true
    rm -f "$RUN/emulators.pid"
  fi
}

start_cluster() {
  tools/cluster.sh build >&2
  tools/cluster.sh start >&2
  KUBECONFIG=$(tools/cluster.sh kubeconfig)
  export KUBECONFIG
}

prepare() {
  toolchain; stack_select; start_emulators; start_cluster
}

# The policy pack (policy/) with this stack's enforcement levels and settings (docs/policy.md).
# `up` keeps its preview: stack policies (the route ceiling) judge an up only after its changes,
# its preview before any.
POLICY=(--policy-pack policy --policy-pack-config "stacks/policy.$STACK.json")

case "${1:-}" in
  up) prepare; pulumi up --yes --non-interactive "${POLICY[@]}" "${@:2}" ;;
  preview) prepare; pulumi preview --diff --non-interactive "${POLICY[@]}" "${@:2}" ;;
  refresh) prepare; pulumi refresh --yes --non-interactive "${@:2}" ;;
  destroy) prepare; pulumi destroy --yes --non-interactive "${@:2}" ;;
  export-state) toolchain; stack_select; pulumi stack export ;;
  emulators) start_emulators ;;
  emulators-stop) stop_emulators ;;
  env) toolchain; start_cluster
       echo "export PULUMI_BACKEND_URL=$PULUMI_BACKEND_URL KUBECONFIG=$KUBECONFIG" \
            "VULTR_ENDPOINT=$VULTR_ENDPOINT EDGIO_ENDPOINT=$EDGIO_ENDPOINT CLOUDFLARE_ENDPOINT=$CLOUDFLARE_ENDPOINT" ;;
  endpoints) echo "VULTR_ENDPOINT=$VULTR_ENDPOINT EDGIO_ENDPOINT=$EDGIO_ENDPOINT" \
                  "CLOUDFLARE_ENDPOINT=$CLOUDFLARE_ENDPOINT" ;;
  *) echo "usage: $0 {up|preview|refresh|destroy|export-state|emulators|emulators-stop|env|endpoints}" >&2; exit 2 ;;
esac
