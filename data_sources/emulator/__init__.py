"""A local emulator of CBS's OData v3 and v4 APIs, serving a folder in the layout of
``../shared/cbs-mirror`` so that the real adapters run over real HTTP without internet."""
from .server import Emulator, Fault, start_emulator

__all__ = ["Emulator", "Fault", "start_emulator"]
