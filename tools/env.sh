# Source this file to use the toolchain built by tools/toolchain.sh:
#   source tools/env.sh
# Puts the built CLI, language host and scripts first on PATH, keeps Pulumi's plugins and settings
# in the cache (not ~/.pulumi), and makes a missing plugin fail fast instead of being downloaded.
CDN_INGRESS_CACHE=${CDN_INGRESS_CACHE:-$HOME/.cache/cdn-ingress}
export CDN_INGRESS_CACHE
export PULUMI_HOME=${PULUMI_HOME:-$CDN_INGRESS_CACHE/pulumi-home}
case ":$PATH:" in
  *":$CDN_INGRESS_CACHE/bin:"*) ;;
  *) export PATH="$CDN_INGRESS_CACHE/bin:$PATH" ;;
esac
export PULUMI_SKIP_UPDATE_CHECK=true
export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
export PULUMI_DISABLE_REGISTRY_RESOLVE=true
# No telemetry or cloud look-ups from a local backend.
export PULUMI_SKIP_CONFIRMATIONS=true
