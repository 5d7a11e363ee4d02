"""Edgio Delivery (Limelight Configuration API v1): client and the ``DeliveryRule`` resource."""

from edgio_provider.client import EdgioClient
from edgio_provider.errors import (
    EdgioAPIError,
    EdgioAuthError,
    EdgioBadRequest,
    EdgioConfigError,
    EdgioConflict,
    EdgioDeployError,
    EdgioError,
    EdgioNotFound,
    EdgioRateLimited,
    EdgioServerError,
    EdgioTransportError,
)
from edgio_provider.resource import DeliveryRule, DeliveryRuleArgs, RuleDeployment

__all__ = [
    "DeliveryRule", "DeliveryRuleArgs", "EdgioAPIError", "EdgioAuthError", "EdgioBadRequest",
    "EdgioClient", "EdgioConfigError", "EdgioConflict", "EdgioDeployError", "EdgioError",
    "EdgioNotFound", "EdgioRateLimited", "EdgioServerError", "EdgioTransportError", "RuleDeployment",
]
