"""Vultr DNS v2: client and the ``DnsRecordSet`` dynamic resource."""

from vultr_provider.client import VultrClient
from vultr_provider.errors import (
    VultrAPIError,
    VultrAuthError,
    VultrBadRequest,
    VultrConfigError,
    VultrConflict,
    VultrError,
    VultrNotFound,
    VultrRateLimited,
    VultrServerError,
    VultrTransportError,
)
from vultr_provider.resource import DnsRecordSet, DnsRecordSetArgs

__all__ = [
    "DnsRecordSet", "DnsRecordSetArgs", "VultrAPIError", "VultrAuthError", "VultrBadRequest",
    "VultrClient", "VultrConfigError", "VultrConflict", "VultrError", "VultrNotFound",
    "VultrRateLimited", "VultrServerError", "VultrTransportError",
]
