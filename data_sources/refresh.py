"""Refresh: fetch every chosen indicator from its source into the store.

Sourced indicators go first, derived ones after, computed from what the store holds. A
failure of one indicator is recorded with its reason and never stops the others.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable

from .adapters import ADAPTERS
from .catalogue import Catalogue, Indicator
from .derive import derive, derived_provenance
from .http import JsonClient, SourceError
from .settings import HttpSettings
from .store import Store, StoreError


@dataclass
class Outcome:
    indicator: str
    ok: bool
    rows: int = 0
    bytes: int = 0
    requests: int = 0
    seconds: float = 0.0
    error: str | None = None


def refresh(
    catalogue: Catalogue,
    store: Store,
    indicators: list[Indicator],
    progress: Callable[[Indicator, Outcome], None] | None = None,
    http: HttpSettings | None = None,
) -> list[Outcome]:
    ordered = [i for i in indicators if i.source] + [i for i in indicators if i.derive]
    outcomes = []
    metadata: dict = {}  # table metadata shared by the indicators of this run
    for indicator in ordered:
        outcome = refresh_one(catalogue, store, indicator, http, metadata)
        outcomes.append(outcome)
        if progress:
            progress(indicator, outcome)
    return outcomes


def refresh_one(
    catalogue: Catalogue, store: Store, indicator: Indicator, http: HttpSettings | None = None, metadata: dict | None = None
) -> Outcome:
    started = time.perf_counter()
    client = JsonClient(http, cache=metadata)
    try:
        if indicator.source:
            frame, provenance = ADAPTERS[indicator.source.adapter](indicator, client)
        else:
            frame, provenance = _derive(catalogue, store, indicator)
        if frame["value"].notna().sum() == 0:
            raise SourceError(f"no values for {indicator.id}: every cell is empty at CBS ({indicator.file})")
        provenance.bytes_transferred, provenance.requests = client.bytes_transferred, client.requests
        stats = _stats(client, started)
        store.save(frame, provenance, stats)
        return Outcome(indicator.id, True, len(frame), client.bytes_transferred, client.requests, stats["seconds"])
    except (SourceError, StoreError, ValueError, KeyError) as exc:
        reason = str(exc) or type(exc).__name__
        stats = _stats(client, started)
        store.save_failure(indicator.id, reason, stats)
        return Outcome(indicator.id, False, 0, client.bytes_transferred, client.requests, stats["seconds"], reason)


def _derive(catalogue: Catalogue, store: Store, indicator: Indicator):
    frames, provenances = [], []
    for name in indicator.derive.inputs:
        if not store.has_data(name):
            raise SourceError(f"input {name} has no data yet; refresh it first ({indicator.id} in {indicator.file})")
        frames.append(store.frame(name))
        provenances.append(store.record(name).provenance)
    frame = derive(indicator.id, indicator.derive, frames)
    return frame, derived_provenance(indicator.id, indicator.derive, provenances, indicator.unit_nl)


def _stats(client: JsonClient, started: float) -> dict:
    return {
        "bytes": client.bytes_transferred,
        "requests": client.requests,
        "seconds": round(time.perf_counter() - started, 3),
    }
