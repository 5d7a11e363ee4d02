"""The reconciler's Prometheus metrics (prometheus-client), on their own registry."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, start_http_server

# Node event to DNS written: a targeted run is a few seconds, a full one tens, a lock can add minutes.
BUCKETS = (1, 2, 5, 10, 15, 20, 30, 45, 60, 90, 120, 300, 600)


class Metrics:
    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry or CollectorRegistry()
        self.runs = Counter("cdn_ingress_reconciler_runs", "Runs of the stack's up, by kind (targeted, full)",
                            ["kind"], registry=self.registry)
        self.failures = Counter("cdn_ingress_reconciler_failures", "Runs of the stack's up that failed",
                                ["kind"], registry=self.registry)
        self.last_success = Gauge("cdn_ingress_reconciler_last_success_timestamp_seconds",
                                  "Unix time of the last run that succeeded", registry=self.registry)
        self.event_to_dns = Histogram("cdn_ingress_reconciler_event_to_dns_seconds",
                                      "Seconds from a node event to the DNS records written",
                                      buckets=BUCKETS, registry=self.registry)
        self.kept = Counter("cdn_ingress_reconciler_last_address_kept",
                            "Passes that found no usable node and kept the records", registry=self.registry)

    def serve(self, port: int, address: str = "127.0.0.1") -> None:
        start_http_server(port, addr=address, registry=self.registry)
