"""Vendor-neutral machinery shared by the emulators: HTTP plumbing, faults, admin calls, storage."""

from emulators._core.faults import FaultConfig
from emulators._core.http import JSONBodyError, Request, Response, Router
from emulators._core.server import EmulatorServer, ServerOptions, ServiceApp
from emulators._core.store import Store

__all__ = [
    "EmulatorServer",
    "FaultConfig",
    "JSONBodyError",
    "Request",
    "Response",
    "Router",
    "ServerOptions",
    "ServiceApp",
    "Store",
]
