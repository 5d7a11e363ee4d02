#!/usr/bin/env bash
# Previews one stack with the engine's event log and renders its pull-request comment.
#   preview/run.sh STACK        (make preview-comment STACK=...)
# Writes $PREVIEW_OUT (default .run/preview-<stack>.md) and prints it. The local stack is prepared
# like `make up` (toolchain, emulators, cluster); other stacks take the backend, passphrase and vendor
# credentials from the environment (CI: repository secrets). Optional: PREVIEW_LABELS (pull-request
# labels, comma-separated), PREVIEW_RUN_URL, POLICY_CONFIG, PULUMI_FLAGS (extra preview flags).
# Exit: the preview's own status when it failed, 3 when the deletion gate blocks, else 0.
set -euo pipefail
cd "$(dirname "$0")/.."
STACK=${1:?usage: preview/run.sh STACK}
OUT=${PREVIEW_OUT:-.run/preview-$STACK.md}
EVENTS=${OUT%.md}.events.jsonl
mkdir -p "$(dirname "$OUT")"

if [ "$STACK" = local ]; then
  export PULUMI_CONFIG_PASSPHRASE=${PULUMI_CONFIG_PASSPHRASE:-cdn-ingress-local}
  scripts/local-stack.sh emulators >&2
  eval "$(scripts/local-stack.sh env)"
  # shellcheck source=/dev/null
  source tools/env.sh
  pulumi stack select local --non-interactive 2>/dev/null \
    || pulumi stack init local --secrets-provider passphrase --non-interactive >&2
fi

# --event-log is offered only with PULUMI_DEBUG_COMMANDS=true, which the Automation API sets too.
export PULUMI_DEBUG_COMMANDS=true
flags=(--stack "$STACK" --event-log "$EVENTS" --color never --non-interactive --diff)
# Protection is enforced by the deletion gate below: the engine would stop at the first protected
# delete and hide the rest of the plan.
flags+=(--ignore-protect)
if [ -f policy/PulumiPolicy.yaml ]; then
  flags+=(--policy-pack policy)
  config=${POLICY_CONFIG:-stacks/policy.$STACK.json}
  [ -f "$config" ] && flags+=(--policy-pack-config "$config")
fi
# shellcheck disable=SC2206
flags+=(${PULUMI_FLAGS:-})

rc=0
pulumi preview "${flags[@]}" >&2 || rc=$?
gate=0
venv/bin/python -m preview render "$EVENTS" --stack "$STACK" --labels "${PREVIEW_LABELS:-}" \
  --run-url "${PREVIEW_RUN_URL:-}" --out "$OUT" || gate=$?
echo "[preview] comment written to $OUT" >&2
if [ "$rc" -ne 0 ]; then exit "$rc"; fi
exit "$gate"
