"""The CDN a stack names (``cdn-ingress:cdn``): the one place of the program that picks a vendor.
Each vendor module turns the program's ``Route``s into that vendor's resources (base.Cdn)."""

from __future__ import annotations

from cdn_ingress.cdn.base import Cdn, Origin, Published, Wiring
from cdn_ingress.settings import Settings

__all__ = ["Cdn", "Origin", "Published", "Wiring", "cdn_for"]


def cdn_for(settings: Settings) -> Cdn:
    """The CDN of the stack; ``load_settings`` has refused any other value of ``cdn``."""
    if settings.cdn == "cloudflare":
        from cdn_ingress.cdn.cloudflare import Cloudflare

        return Cloudflare(settings.cloudflare_zone)
    from cdn_ingress.cdn.edgio import Edgio

    return Edgio()
