"""Refresh: fetch every chosen indicator from its source into the store.

Sourced indicators go first (files that name regions by name after the CBS tables, whose region
names they are looked up in), derived ones after, computed from what the store holds. A
failure of one indicator is recorded with its reason and never stops the others. A sourced
indicator whose table CBS has not modified since its last good refresh, with the same catalogue
selection, is left as it is ("unchanged"): that costs metadata requests only. ``force`` fetches
anyway. A run holds the store's writer lock throughout (a second run is refused with
StoreBusy, never interleaved) and shares one HostHealth: once a CBS host is given up, its
remaining indicators fail at once and keep their last good data.

A failure is stored with its kind and HTTP status (``failures``): a source's SourceError says
both, a StoreError is kind "store", and anything else is a bug, stored as kind "internal" and
logged with its traceback while the run goes on with the other indicators.
"""
from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

from .adapters import ADAPTERS, TABLE_MODIFIED
from .catalogue import Catalogue, Indicator
from .derive import derive, derived_provenance
from .failures import INPUT, INTERNAL, SELECTION, STORE
from .http import HostHealth, HostUnreachable, JsonClient, SourceError
from .records import Failure
from .settings import HttpSettings
from .store import Store, StoreError

logger = logging.getLogger(__name__)


@dataclass
class Outcome:
    indicator: str
    ok: bool
    rows: int = 0
    bytes: int = 0
    requests: int = 0
    seconds: float = 0.0
    error: str | None = None
    kind: str | None = None  # the failure's kind (``failures.KINDS``)
    unchanged: bool = False  # CBS's table not modified since the last good refresh: not fetched
    unreachable: str | None = None  # the host given up on, when that is why it failed
    given_up: str | None = None  # and why, in one line: "CBS niet bereikbaar (<host>)" or "CBS is druk (<host>)"


def unreachable_hosts(outcomes: list[Outcome]) -> list[str]:
    """Each host a run gave up on, once, in the order it happened."""
    return list(dict.fromkeys(o.unreachable for o in outcomes if o.unreachable))


def given_up_lines(outcomes: list[Outcome]) -> list[str]:
    """One line per host a run gave up on ("CBS is druk (<host>)"), in the order it happened."""
    return list(dict.fromkeys(o.given_up for o in outcomes if o.given_up))


def refresh(
    catalogue: Catalogue,
    store: Store,
    indicators: list[Indicator],
    progress: Callable[[Indicator, Outcome], None] | None = None,
    http: HttpSettings | None = None,
    force: bool = False,
    hosts: HostHealth | None = None,
) -> list[Outcome]:
    """Refresh ``indicators``; raises StoreBusy when another writer holds the store. ``hosts``
    carries the give-up state on to whatever else the run fetches (boundaries)."""
    ordered = sorted((i for i in indicators if i.source), key=_names_regions) + [i for i in indicators if i.derive]
    outcomes = []
    metadata: dict = {}  # table metadata shared by the indicators of this run
    settings = http or HttpSettings.from_env()
    hosts = hosts or HostHealth(settings.host_failures, settings.busy_budget)
    with store.writing("refresh"):
        for indicator in ordered:
            outcome = refresh_one(catalogue, store, indicator, settings, metadata, hosts, skip_unchanged=not force)
            outcomes.append(outcome)
            if progress:
                progress(indicator, outcome)
        store.refreshed([o.indicator for o in outcomes if o.ok])
    return outcomes


def refresh_one(
    catalogue: Catalogue,
    store: Store,
    indicator: Indicator,
    http: HttpSettings | None = None,
    metadata: dict | None = None,
    hosts: HostHealth | None = None,
    skip_unchanged: bool = False,
) -> Outcome:
    started = time.perf_counter()
    client = JsonClient(http, cache=metadata, hosts=hosts)
    try:
        if indicator.source and skip_unchanged and _unchanged(store, indicator, client):
            stats = _stats(client, started)
            rows = store.record(indicator.id).rows
            return Outcome(indicator.id, True, rows, client.bytes_transferred, client.requests, stats["seconds"], unchanged=True)
        if indicator.source:
            frame, provenance = ADAPTERS[indicator.source.adapter](indicator, client)
            provenance.definition = definition(indicator)
        else:
            frame, provenance = _derive(catalogue, store, indicator)
        if frame["value"].notna().sum() == 0:
            raise SourceError(f"no values for {indicator.id}: every cell is empty at CBS ({indicator.file})", kind=SELECTION)
        provenance.bytes_transferred, provenance.requests = client.bytes_transferred, client.requests
        stats = _stats(client, started)
        store.save(frame, provenance, stats)
        return Outcome(indicator.id, True, len(frame), client.bytes_transferred, client.requests, stats["seconds"])
    except Exception as exc:  # noqa: BLE001 - one indicator's bug must not stop the run; logged below
        failure = failure_of(exc, indicator)
        stats = _stats(client, started)
        store.save_failure(indicator.id, failure, stats)
        given_up = exc if isinstance(exc, HostUnreachable) else None
        return Outcome(indicator.id, False, 0, client.bytes_transferred, client.requests, stats["seconds"], failure.reason,
                       failure.kind, unreachable=given_up and given_up.host, given_up=given_up and given_up.headline)


def failure_of(exc: Exception, indicator: Indicator) -> Failure:
    """What is stored for an exception: its kind and status as the raiser set them; an
    exception no source or store raises is a bug, logged here with its traceback."""
    reason = str(exc) or type(exc).__name__
    if isinstance(exc, SourceError):
        return Failure(exc.kind, reason, exc.status)
    if isinstance(exc, StoreError):
        return Failure(STORE, reason)
    logger.exception("refresh of %s failed on a bug", indicator.id)
    return Failure(INTERNAL, f"internal error ({type(exc).__name__}: {reason}); the traceback is in the refresh log")


def definition(indicator: Indicator) -> str:
    """The catalogue selection an indicator's data was fetched with (source and region levels)."""
    return json.dumps({"source": asdict(indicator.source), "region_levels": list(indicator.region_levels)}, sort_keys=True)


def _unchanged(store: Store, indicator: Indicator, client: JsonClient) -> bool:
    """True when the store's last refresh of this very selection succeeded and CBS's Modified date
    of the table is still the one that data was fetched at."""
    try:
        record = store.record(indicator.id)
    except StoreError:
        return False  # a damaged record is replaced by a fresh fetch
    prov = record.provenance
    if record.error or prov is None or not prov.modified or not store.has_data(indicator.id):
        return False
    if prov.definition != definition(indicator) or prov.filter_titles is None:
        return False  # another selection, or fetched before titles were recorded
    modified = TABLE_MODIFIED.get(indicator.source.adapter)  # file sources have no such date
    return modified is not None and modified(indicator, client) == prov.modified


def _names_regions(indicator: Indicator) -> bool:
    """A file that names its regions (looked up among the store's names) sorts after the rest."""
    return bool(getattr(indicator.source, "region_name_column", ""))


def _derive(catalogue: Catalogue, store: Store, indicator: Indicator):
    frames, provenances = [], []
    for name in indicator.derive.inputs:
        if not store.has_data(name):
            raise SourceError(f"input {name} has no data yet; refresh it first ({indicator.id} in {indicator.file})", kind=INPUT)
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
