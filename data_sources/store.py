"""The store: the last good copy of every indicator, in a data directory.

Per indicator ``indicators/<id>.parquet`` (the frame) and ``indicators/<id>.json`` (its
provenance plus refresh bookkeeping). Every write goes to a temporary file in the same folder
and is renamed into place, so a reader sees the old file or the new one, never half of one.
A failed refresh only updates the bookkeeping: the last good frame stays.
"""
from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from .frame import normalise, validate_frame
from .provenance import Provenance

INDICATORS = "indicators"


class StoreError(Exception):
    """A store file cannot be read; the message names the file and the problem."""


@dataclass
class Record:
    """What the store knows about one indicator besides its rows."""

    indicator: str
    provenance: Provenance | None = None
    last_refresh: str | None = None  # last successful refresh
    last_attempt: str | None = None
    error: str | None = None  # reason of the last failed refresh (cleared on success)
    error_at: str | None = None
    rows: int = 0
    first_period: str | None = None
    last_period: str | None = None
    history: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        data = dict(self.__dict__)
        data["provenance"] = self.provenance.to_dict() if self.provenance else None
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "Record":
        data = dict(data)
        prov = data.pop("provenance", None)
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(provenance=Provenance.from_dict(prov) if prov else None, **known)


def atomic_write_bytes(path: Path, payload: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def now_iso() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


class Store:
    def __init__(self, root: Path):
        self.root = Path(root)
        self.folder = self.root / INDICATORS

    def frame_path(self, indicator_id: str) -> Path:
        return self.folder / f"{indicator_id}.parquet"

    def record_path(self, indicator_id: str) -> Path:
        return self.folder / f"{indicator_id}.json"

    def version(self, indicator_id: str) -> tuple[float, float]:
        """Modification times of an indicator's files: a cache key that changes on every write."""
        return tuple(p.stat().st_mtime_ns if p.exists() else 0 for p in (self.frame_path(indicator_id), self.record_path(indicator_id)))

    def has_data(self, indicator_id: str) -> bool:
        return self.frame_path(indicator_id).exists()

    def is_empty(self) -> bool:
        return not self.folder.is_dir() or not any(self.folder.glob("*.parquet"))

    # -- reading ---------------------------------------------------------------------------

    def record(self, indicator_id: str) -> Record:
        path = self.record_path(indicator_id)
        if not path.exists():
            return Record(indicator_id)
        try:
            return Record.from_dict(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError) as exc:
            raise StoreError(f"{path}: unreadable provenance file ({exc})") from exc

    def frame(self, indicator_id: str) -> pd.DataFrame:
        path = self.frame_path(indicator_id)
        if not path.exists():
            raise StoreError(f"{path}: no data yet (never refreshed)")
        try:
            frame = pd.read_parquet(path)
        except Exception as exc:  # pyarrow raises several types for a damaged file
            raise StoreError(f"{path}: unreadable data file ({type(exc).__name__}: {exc})") from exc
        problems = validate_frame(frame)
        if problems:
            raise StoreError(f"{path}: not an indicator frame ({'; '.join(problems)})")
        return normalise(frame)

    # -- writing ---------------------------------------------------------------------------

    def save(self, frame: pd.DataFrame, provenance: Provenance, stats: dict | None = None) -> Record:
        """Store a fresh frame and its provenance (both atomically)."""
        indicator_id = provenance.indicator
        record = self._previous(indicator_id)
        atomic_write_bytes(self.frame_path(indicator_id), frame.to_parquet(index=False))
        when = now_iso()
        periods = frame.dropna(subset=["value"]).sort_values("period_start")["period"]
        record.provenance = provenance
        record.last_refresh = record.last_attempt = when
        record.error = record.error_at = None
        record.rows = len(frame)
        record.first_period = periods.iloc[0] if len(periods) else None
        record.last_period = periods.iloc[-1] if len(periods) else None
        record.history = (record.history + [{"at": when, "ok": True, **(stats or {})}])[-20:]
        self._write_record(record)
        return record

    def save_failure(self, indicator_id: str, reason: str, stats: dict | None = None) -> Record:
        """Note a failed refresh; the previous frame and provenance are kept."""
        record = self._previous(indicator_id)
        when = now_iso()
        record.last_attempt = record.error_at = when
        record.error = reason
        record.history = (record.history + [{"at": when, "ok": False, "error": reason, **(stats or {})}])[-20:]
        self._write_record(record)
        return record

    def _previous(self, indicator_id: str) -> Record:
        try:
            return self.record(indicator_id)
        except StoreError:
            return Record(indicator_id)  # a damaged record is replaced by the next write

    def _write_record(self, record: Record) -> None:
        payload = json.dumps(record.to_dict(), ensure_ascii=False, indent=1).encode("utf-8")
        atomic_write_bytes(self.record_path(record.indicator), payload)
