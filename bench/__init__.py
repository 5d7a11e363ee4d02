"""Benchmark of the DNS and CDN providers against the emulators: calls, 429s and wall time per
lifecycle phase, beside the original demo's call pattern (``baseline.py``)."""
