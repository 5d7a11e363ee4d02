"""Route sources: each turns one kind of Kubernetes object into the same ``Route``s (as
external-dns keeps its sources apart); ``cdn_ingress.routes.plan`` joins them."""
