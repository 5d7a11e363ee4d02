"""Composition root: read the stack config, validate the manifests, declare everything."""

from pathlib import Path

import pulumi

from cdn_ingress.app import CdnIngressApp
from cdn_ingress.cdn import cdn_for
from cdn_ingress.errors import ERROR_SHOWN_EXIT
from cdn_ingress.manifests import load_documents
from cdn_ingress.nodes import origin_addresses
from cdn_ingress.routes import plan
from cdn_ingress.settings import load_settings
from cdn_ingress.shared import shared_origins

try:
    settings = load_settings()
    cdn = cdn_for(settings)
    deployment_plan = plan(load_documents(Path(settings.manifests_path)), settings.ingress_class,
                           default_host=settings.default_host, refuse=cdn.refusals,
                           exact_paths=cdn.exact_paths)
    shared = shared_origins(deployment_plan, default=settings.shared_origins)
    addresses = origin_addresses(settings, deployment_plan)
except pulumi.RunError as error:  # the user's input: the message alone, and nothing registered
    pulumi.log.error(str(error))
    raise SystemExit(ERROR_SHOWN_EXIT) from error
app = CdnIngressApp("cdn-ingress", plan=deployment_plan, settings=settings, origin_addresses=addresses,
                    shared=shared, cdn=cdn)
pulumi.export("routes", app.routes)
