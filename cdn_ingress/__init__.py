"""The domain of the program: manifests -> validated CDN routes -> Kubernetes, DNS and CDN resources."""
