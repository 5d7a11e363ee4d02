#!/usr/bin/env bash
# Builds the Pulumi toolchain and the local control plane from Go modules, into a cache outside
# the repository, and installs the Kubernetes resource plugin where the CLI looks for it.
#
#   tools/toolchain.sh [pulumi|cluster|all]   build what is missing (default: all)
#   tools/toolchain.sh --check [group]        exit 0 when everything is built, else list what is missing
#   tools/toolchain.sh --print-bin            print the directory of the built binaries
#
# Nothing prebuilt is downloaded: every binary is compiled here with `go build` from modules served
# by the Go module proxy (see docs/toolchain.md for the why of each step). Idempotent: a binary is
# rebuilt only when it is missing or its recorded version differs. Safe to run in the background;
# the full log goes to $CACHE/logs/toolchain-<group>.log. Two runs at once wait for each other (flock).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=tools/versions.sh
source "$ROOT/tools/versions.sh"

CACHE=${CDN_INGRESS_CACHE:-$HOME/.cache/cdn-ingress}
BIN=$CACHE/bin
# Built plugins live outside PATH: the CLI uses the copy installed into $PULUMI_HOME (exact version),
# and a binary on PATH would be used as an "ambient" plugin, with a warning on every run.
PLUGINS=$CACHE/plugins
WORK=$CACHE/work
LOGS=$CACHE/logs
export PULUMI_HOME=${PULUMI_HOME:-$CACHE/pulumi-home}

say() { printf '[toolchain] %s\n' "$*" >&2; }

dir_of() { case "$1" in pulumi-resource-kubernetes) echo "$PLUGINS" ;; *) echo "$BIN" ;; esac; }
stamp_of() { cat "$(dir_of "$1")/.stamp-$1" 2>/dev/null || true; }
is_built() { [ -x "$(dir_of "$1")/$1" ] && [ "$(stamp_of "$1")" = "$2" ]; }

langhost_id() {
  # The language host is the project's own code: rebuild when its source changes.
  echo "$LANGHOST_VERSION-$(cat "$ROOT"/tools/langhost/{*.go,go.mod,go.sum} 2>/dev/null | sha256sum | cut -c1-16)"
}

# name|stamp pairs, per group.
pulumi_targets() {
  echo "pulumi|$PULUMI_VERSION"
  echo "pulumi-language-python|$(langhost_id)"
  echo "pulumi-language-python-exec|$PULUMI_VERSION"
  echo "pulumi-resource-pulumi-python|$PULUMI_VERSION"
  echo "pulumi-resource-kubernetes|$K8S_PLUGIN_VERSION"
}
cluster_targets() {
  echo "etcd|$ETCD_VERSION"
  echo "kube-apiserver|$KUBE_VERSION"
  echo "kube-controller-manager|$KUBE_VERSION"
  echo "kube-scheduler|$KUBE_VERSION"
  echo "kwok|$KWOK_VERSION"
  echo "kwokctl|$KWOK_VERSION"
}
targets() {
  case "$1" in
    pulumi) pulumi_targets ;;
    cluster) cluster_targets ;;
    all) pulumi_targets; cluster_targets ;;
    *) echo "unknown group '$1' (allowed: pulumi, cluster, all)" >&2; exit 2 ;;
  esac
}

plugin_installed() {
  [ -x "$PULUMI_HOME/plugins/resource-kubernetes-v$K8S_PLUGIN_VERSION/pulumi-resource-kubernetes" ]
}

missing() {
  local group=$1 name want out=()
  while IFS='|' read -r name want; do
    is_built "$name" "$want" || out+=("$name $want")
  done < <(targets "$group")
  if [ "$group" != cluster ] && ! plugin_installed; then
    out+=("plugin resource-kubernetes v$K8S_PLUGIN_VERSION in $PULUMI_HOME")
  fi
  [ ${#out[@]} -eq 0 ] || printf '%s\n' "${out[@]}"
}

check_python_pin() {
  # The plugin must be exactly the version the pinned Python package asks the engine for.
  local pinned
  pinned=$(sed -n 's/^pulumi-kubernetes==//p' "$ROOT/requirements.txt")
  if [ "$pinned" != "$K8S_PYPI_VERSION" ]; then
    echo "tools/versions.sh K8S_PYPI_VERSION=$K8S_PYPI_VERSION but requirements.txt pins pulumi-kubernetes==$pinned;" \
      "update both together (and K8S_PLUGIN_VERSION, K8S_PROVIDER_PSEUDO)" >&2
    exit 2
  fi
}

go_env() {
  export GOWORK=off CGO_ENABLED=0 GOFLAGS=-mod=mod
  export GOTOOLCHAIN=local
}

record() { echo "$2" >"$(dir_of "$1")/.stamp-$1"; say "built $1 $2"; }

module_file() { # module_file MODULE@VERSION Dir|GoMod: where the module cache holds it (downloads it)
  go mod download -json "$1" | python3 -c "import json,sys;print(json.load(sys.stdin)['$2'])"
}

wrapper() { # wrapper DIR: an empty scratch module to build a module that go install refuses
  rm -rf "$1"; mkdir -p "$1"
  (cd "$1" && go mod init "local/$(basename "$1")-build" >/dev/null 2>&1 && go mod edit -go="$GO_LANG_VERSION")
}

build_pulumi() {
  is_built pulumi "$PULUMI_VERSION" && return 0
  say "pulumi $PULUMI_VERSION (github.com/pulumi/pulumi/pkg/v3; the longest build)"
  local w=$WORK/pulumi
  wrapper "$w"
  (
    cd "$w"
    # pkg/go.mod replaces sdk/v3 with a local path, which go install refuses; require the same tag instead,
    # and copy its one non-local replace.
    go mod edit -replace="github.com/atotto/clipboard=$CLIPBOARD_REPLACE"
    go get "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@v$PULUMI_VERSION" "github.com/pulumi/pulumi/sdk/v3@v$PULUMI_VERSION"
    go build -trimpath -tags osusergo,grpcnotrace \
      -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_VERSION" \
      -o "$BIN/pulumi.new" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
  )
  mv "$BIN/pulumi.new" "$BIN/pulumi"
  record pulumi "$PULUMI_VERSION"
}

build_langhost() {
  local id; id=$(langhost_id)
  is_built pulumi-language-python "$id" && return 0
  say "pulumi-language-python (tools/langhost)"
  (
    cd "$ROOT/tools/langhost"
    go build -trimpath -ldflags "-s -w -X main.version=$LANGHOST_VERSION" -o "$BIN/pulumi-language-python.new" .
  )
  mv "$BIN/pulumi-language-python.new" "$BIN/pulumi-language-python"
  record pulumi-language-python "$id"
}

build_python_scripts() {
  if is_built pulumi-language-python-exec "$PULUMI_VERSION" && is_built pulumi-resource-pulumi-python "$PULUMI_VERSION"; then
    return 0
  fi
  say "Python launcher and dynamic-provider scripts from the sdk/v3 module"
  local sdk
  sdk=$(module_file "github.com/pulumi/pulumi/sdk/v3@v$PULUMI_VERSION" Dir)
  # Copies, not links: the host finds the launcher beside its own resolved path.
  install -m 0755 "$sdk/python/cmd/pulumi-language-python-exec" "$BIN/pulumi-language-python-exec"
  install -m 0755 "$sdk/python/dist/pulumi-resource-pulumi-python" "$BIN/pulumi-resource-pulumi-python"
  record pulumi-language-python-exec "$PULUMI_VERSION"
  record pulumi-resource-pulumi-python "$PULUMI_VERSION"
}

build_k8s_provider() {
  if ! is_built pulumi-resource-kubernetes "$K8S_PLUGIN_VERSION"; then
    say "pulumi-resource-kubernetes $K8S_PLUGIN_VERSION (provider/v4@$K8S_PROVIDER_PSEUDO)"
    local src w=$WORK/k8sprov
    src=$(module_file "github.com/pulumi/pulumi-kubernetes/provider/v4@$K8S_PROVIDER_PSEUDO" Dir)
    rm -rf "$w"; cp -r "$src" "$w"; chmod -R u+w "$w"
    (
      cd "$w"
      # The module replaces sdk/v4 with a local path that is not in the module zip: require a served
      # sdk/v4 release instead (see tools/versions.sh). Its embedded schema files are generated, not shipped.
      go mod edit -dropreplace=github.com/pulumi/pulumi-kubernetes/sdk/v4 \
        -require="github.com/pulumi/pulumi-kubernetes/sdk/v4@$K8S_SDK_VERSION"
      (cd cmd/pulumi-resource-kubernetes && VERSION=$K8S_PLUGIN_VERSION go run generate.go)
      go build -trimpath \
        -ldflags "-s -w -X github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version.Version=$K8S_PLUGIN_VERSION" \
        -o "$PLUGINS/pulumi-resource-kubernetes.new" ./cmd/pulumi-resource-kubernetes
    )
    mv "$PLUGINS/pulumi-resource-kubernetes.new" "$PLUGINS/pulumi-resource-kubernetes"
    record pulumi-resource-kubernetes "$K8S_PLUGIN_VERSION"
  fi
  if ! plugin_installed; then
    say "installing resource plugin kubernetes v$K8S_PLUGIN_VERSION into $PULUMI_HOME"
    PULUMI_SKIP_UPDATE_CHECK=true "$BIN/pulumi" plugin install resource kubernetes "$K8S_PLUGIN_VERSION" \
      --file "$PLUGINS/pulumi-resource-kubernetes" --non-interactive
  fi
}

build_etcd() {
  is_built etcd "$ETCD_VERSION" && return 0
  say "etcd $ETCD_VERSION"
  local w=$WORK/etcd
  wrapper "$w"
  (
    cd "$w"
    # Every sibling module is tagged at the same version, so the wrapper needs no replace at all.
    go get "go.etcd.io/etcd/server/v3@v$ETCD_VERSION"
    go build -trimpath -ldflags "-s -w" -o "$BIN/etcd.new" go.etcd.io/etcd/server/v3
  )
  mv "$BIN/etcd.new" "$BIN/etcd"
  record etcd "$ETCD_VERSION"
}

build_kube() {
  local c need=()
  for c in kube-apiserver kube-controller-manager kube-scheduler; do
    is_built "$c" "$KUBE_VERSION" || need+=("$c")
  done
  [ ${#need[@]} -eq 0 ] && return 0
  say "${need[*]} $KUBE_VERSION"
  local w=$WORK/kube staging="0.${KUBE_VERSION#1.}" gomod m
  wrapper "$w"
  (
    cd "$w"
    gomod=$(module_file "k8s.io/kubernetes@v$KUBE_VERSION" GoMod)
    # k8s.io/kubernetes points its staging modules at ./staging; the same release publishes each of them
    # as v0.<minor>.<patch>, so require those instead.
    for m in $(sed -n 's#^[[:space:]]*\(k8s\.io/[A-Za-z0-9._-]*\) => \./staging/.*#\1#p' "$gomod"); do
      go mod edit -replace="$m=$m@v$staging"
    done
    if grep -q '^godebug' "$gomod"; then
      go mod edit -godebug="$(sed -n 's/^godebug[[:space:]]*//p' "$gomod" | head -1)"
    fi
    go get "k8s.io/kubernetes@v$KUBE_VERSION"
    local ldf="-X k8s.io/component-base/version.gitMajor=${KUBE_VERSION%%.*}"
    ldf+=" -X k8s.io/component-base/version.gitMinor=$(echo "$KUBE_VERSION" | cut -d. -f2)"
    ldf+=" -X k8s.io/component-base/version.gitVersion=v$KUBE_VERSION"
    ldf+=" -X k8s.io/component-base/version.gitTreeState=clean"
    ldf+=" -X k8s.io/component-base/version.buildDate=1970-01-01T00:00:00Z"
    for c in "${need[@]}"; do
      go build -trimpath -ldflags "-s -w $ldf" -o "$BIN/$c.new" "k8s.io/kubernetes/cmd/$c"
      mv "$BIN/$c.new" "$BIN/$c"
      record "$c" "$KUBE_VERSION"
    done
  )
}

build_kwok() {
  if is_built kwok "$KWOK_VERSION" && is_built kwokctl "$KWOK_VERSION"; then return 0; fi
  say "kwok and kwokctl $KWOK_VERSION"
  # sigs.k8s.io/kwok has no replace directives: plain go install works.
  GOFLAGS= GOBIN=$WORK/kwok-bin go install "sigs.k8s.io/kwok/cmd/kwok@v$KWOK_VERSION" "sigs.k8s.io/kwok/cmd/kwokctl@v$KWOK_VERSION"
  install -m 0755 "$WORK/kwok-bin/kwok" "$BIN/kwok"
  install -m 0755 "$WORK/kwok-bin/kwokctl" "$BIN/kwokctl"
  record kwok "$KWOK_VERSION"
  record kwokctl "$KWOK_VERSION"
}

build_group() {
  case "$1" in
    pulumi) build_pulumi; build_langhost; build_python_scripts; build_k8s_provider ;;
    cluster) build_etcd; build_kwok; build_kube ;;
    all) build_group pulumi; build_group cluster ;;
  esac
}

lock_group() { # one build per group at a time; `all` takes both locks
  local g fd=7
  for g in pulumi cluster; do
    fd=$((fd + 1))
    [ "$1" = all ] || [ "$1" = "$g" ] || continue
    eval "exec $fd>\"\$CACHE/.lock-$g\""
    if ! flock -n "$fd"; then say "another $g build is running; waiting for it"; flock "$fd"; fi
  done
}

main() {
  local mode=build group=all
  case "${1:-}" in
    --check) mode=check; group=${2:-all} ;;
    --print-bin) echo "$BIN"; return 0 ;;
    --build-steps) mkdir -p "$PLUGINS"; go_env; build_group "$2"; return 0 ;;  # internal: the steps, run by main
    -h|--help) sed -n '2,13p' "$0"; return 0 ;;
    "") ;;
    *) group=$1 ;;
  esac
  targets "$group" >/dev/null
  check_python_pin

  if [ "$mode" = check ]; then
    local gaps; gaps=$(missing "$group")
    if [ -n "$gaps" ]; then
      echo "not built (run: make toolchain):"; echo "$gaps" | sed 's/^/  /'; return 1
    fi
    echo "toolchain complete in $BIN"; return 0
  fi

  command -v go >/dev/null || { echo "the go command is required (Go $GO_LANG_VERSION or newer)" >&2; exit 1; }
  mkdir -p "$BIN" "$PLUGINS" "$WORK" "$LOGS" "$PULUMI_HOME"
  lock_group "$group"
  if [ -z "$(missing "$group")" ]; then say "all built ($group) in $BIN"; return 0; fi

  go_env
  LOG=$LOGS/toolchain-$group.log
  local start=$SECONDS
  say "building into $BIN (log: $LOG)"
  echo "=== $(date -u +%FT%TZ) tools/toolchain.sh $group" >>"$LOG"
  # A separate process: `set -e` does not apply inside a command that is the left side of `||`,
  # so a failed step would otherwise be ignored and the next one would run.
  local rc=0
  bash "$0" --build-steps "$group" >>"$LOG" 2>&1 || rc=$?
  if [ "$rc" -ne 0 ]; then say "FAILED (exit $rc); last lines of $LOG:"; tail -25 "$LOG" >&2; exit "$rc"; fi
  say "done in $((SECONDS - start)) s; $(du -sh "$BIN" | cut -f1) of binaries in $BIN"
}

main "$@"
