"""Cloudflare (API v4 through the official ``cloudflare`` library): client, the ``DnsRecord`` and
``OriginRule`` resources."""

from cloudflare_provider.client import CloudflareClient
from cloudflare_provider.errors import (
    CloudflareAPIError,
    CloudflareAuthError,
    CloudflareBadRequest,
    CloudflareConfigError,
    CloudflareConflict,
    CloudflareError,
    CloudflareNotFound,
    CloudflareRateLimited,
    CloudflareServerError,
    CloudflareTransportError,
)
from cloudflare_provider.naming import origin_alias
from cloudflare_provider.resource import DnsRecord, DnsRecordArgs, OriginRule, OriginRuleArgs

__all__ = [
    "CloudflareAPIError", "CloudflareAuthError", "CloudflareBadRequest", "CloudflareClient", "CloudflareConfigError",
    "CloudflareConflict", "CloudflareError", "CloudflareNotFound", "CloudflareRateLimited", "CloudflareServerError",
    "CloudflareTransportError", "DnsRecord", "DnsRecordArgs", "OriginRule", "OriginRuleArgs", "origin_alias",
]
