"""What the app reads: the catalogue, and per indicator its frame and record from the store."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .catalogue import Catalogue, Indicator, load_catalogue
from .failures import STORE
from .records import Failure, Record
from .settings import data_dir
from .store import Store, StoreError

NEVER_REFRESHED = "never_refreshed"  # no refresh has stored data yet
REFRESH_FAILED = "refresh_failed"  # no data, and the last refresh failed (``record.failure``)
UNREADABLE_FILE = "unreadable_file"  # the store's record or data file cannot be read


@dataclass(frozen=True)
class DataProblem:
    """Why an indicator has no data: ``kind`` (pages decide on it) and the operator's ``text``."""

    kind: str
    text: str


@dataclass
class IndicatorData:
    """An indicator as the app shows it: frame (None when unavailable) plus why not."""

    indicator: Indicator
    record: Record
    frame: pd.DataFrame | None
    unreadable: str | None = None  # the StoreError's text when a store file cannot be read

    @property
    def available(self) -> bool:
        return self.frame is not None and not self.frame.empty

    @property
    def problem(self) -> DataProblem | None:
        """Why there is no data (None when there is)."""
        if self.available:
            return None
        if self.unreadable:
            return DataProblem(UNREADABLE_FILE, self.unreadable)
        if self.record.error:
            return DataProblem(REFRESH_FAILED, self.record.error)
        return DataProblem(NEVER_REFRESHED, f"no data yet; run: python -m data_sources refresh --indicator {self.indicator.id}")


def open_store(root: Path | None = None) -> Store:
    return Store(root or data_dir())


def read_indicator(store: Store, indicator: Indicator) -> IndicatorData:
    """Never raises for a store problem: an unreadable file makes the indicator unavailable."""
    try:
        record = store.record(indicator.id)
    except StoreError as exc:
        return IndicatorData(indicator, Record(indicator.id), None, str(exc))
    try:
        record, frame = store.read(indicator.id)  # the pair of one version, even mid-import
    except StoreError as exc:
        return IndicatorData(indicator, record, None, str(exc))
    return IndicatorData(indicator, record, frame)


def status_rows(catalogue: Catalogue, store: Store) -> list[dict]:
    """One row per indicator for ``status`` and the sources page."""
    rows = []
    for ind in catalogue.indicators():
        try:
            rec = store.record(ind.id)
            failure = rec.failure
        except StoreError as exc:
            rec, failure = Record(ind.id), Failure(STORE, str(exc))
        prov = rec.provenance
        rows.append(
            {
                "id": ind.id,
                "opgave": ind.opgave,
                "kind": ind.kind,
                "source": ind.source.adapter if ind.source else "derived",
                "table": ind.source.table if ind.source else (prov.table_id if prov else ""),
                "rows": rec.rows,
                "first_period": rec.first_period,
                "last_period": rec.last_period,
                "last_refresh": rec.last_refresh,
                "cbs_modified": prov.modified if prov else None,
                "error": failure and failure.reason,
                "error_kind": failure and failure.kind,  # failures.KINDS: what a page shows a visitor
                "error_status": failure and failure.status,
                "error_at": rec.error_at,
                # 'table: key' whose CBS title is not known (shown as "titel niet beschikbaar");
                # a record from before titles were recorded counts as not known
                "missing_titles": prov.missing_titles() if prov else [],
            }
        )
    return rows


__all__ = ["Catalogue", "DataProblem", "IndicatorData", "load_catalogue", "open_store", "read_indicator", "status_rows"]
