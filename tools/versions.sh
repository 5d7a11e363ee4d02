# Pinned versions of everything tools/toolchain.sh builds. Sourced by the tools/ scripts.
# Change a version here, run `make toolchain`, and only what changed is rebuilt.

GO_LANG_VERSION=1.26

# Pulumi CLI (github.com/pulumi/pulumi/pkg/v3). The Python SDK pinned in requirements.txt may be
# older than the CLI, never newer.
PULUMI_VERSION=3.274.1
# pkg/go.mod's one non-local replace, copied into the wrapper module.
CLIPBOARD_REPLACE=github.com/tgummerer/clipboard@v0.0.0-20241001131231-d02d263e614e

# Version reported by the project's own Python language host (tools/langhost).
LANGHOST_VERSION=1.0.0

# Kubernetes resource plugin: exactly the version the pinned Python package declares in its
# pulumi-plugin.json (the engine matches plugin versions exactly), built from the only
# provider/v4 pseudo-version the module proxy serves here.
K8S_PYPI_VERSION=4.25.0a1768448096
K8S_PLUGIN_VERSION=4.25.0-alpha.1768448096
K8S_PROVIDER_PSEUDO=v4.0.0-20260115033456-f47bc2d6f199
# That commit builds against its own sdk/v4 (v4.24.0 through a local replace), which the proxy does
# not serve; v4.22.2 is the newest served release not newer than it. Newer ones (v4.29+) pull in a
# pulumi sdk/v3 that the provider's pkg/v3 v3.215.0 does not compile against.
K8S_SDK_VERSION=v4.22.2

# Local control plane.
KUBE_VERSION=1.36.1
# Gateway API CRDs installed into it (module sigs.k8s.io/gateway-api, standard channel).
GATEWAY_API_VERSION=v1.6.1
ETCD_VERSION=3.6.16
KWOK_VERSION=0.8.0
