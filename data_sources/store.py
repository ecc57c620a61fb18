"""The store: the last good copy of every indicator, in a data directory.

Layout (see docs/store.md)::

    <root>/indicators -> .indicators.<hex>     symlink: the whole-store commit point
    <root>/.indicators.<hex>/<id>.json         record: provenance, bookkeeping, and the name
                                               of its data file (the per-indicator commit point)
    <root>/.indicators.<hex>/<id>.<hash>.parquet   the frame, named after its content

A save writes the new data file beside the old one, then atomically replaces the record that
names it, then removes the old data file: a reader that reads the record and then the file it
names sees the old version or the new one, never new rows with old provenance. A snapshot
import fills a new folder and swaps the symlink (``os.replace``) in one step. Every writer
holds the inter-process writer lock (``Store.writing``), and whoever takes it first tidies up
what a killed writer left (temporary files, unnamed data files, unfinished folders) and
migrates the previous release's plain ``indicators/`` folder.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

import pandas as pd

from .disk import atomic_write_bytes, exchange, fsync_dir, fsync_tree
from .frame import normalise, validate_frame
from .lock import StoreBusy, write_lock
from .provenance import Provenance
from .records import DATA_NAME, Failure, Record, record_problems

INDICATORS = "indicators"
VERSION_PREFIX = ".indicators."
RETIRED_PREFIX = ".retired-"  # the previous release's import left these after a crash
LEGACY_STAGING_PREFIX = ".import-"
WAIT_SECONDS = 2  # a refresh or an import waits this long for the lock before it is refused
SAVE_WAIT_SECONDS = 120  # a save outside a refresh waits this long for another writer
READ_RETRIES = 5  # a read racing a save or a swap tries again this often
HISTORY = 20
ORIGIN = "origin.json"  # where the store's data came from, while any came from a snapshot


T = TypeVar("T")


class StoreError(Exception):
    """A store file cannot be read; the message names the file and the problem."""


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def data_name(indicator_id: str, payload: bytes) -> str:
    return f"{indicator_id}.{hashlib.sha256(payload).hexdigest()[:16]}.parquet"


def _version_in(folder: Path, indicator_id: str) -> tuple:
    try:
        st = (folder / f"{indicator_id}.json").stat()
    except FileNotFoundError:
        return (folder.name, 0, 0, 0)
    return (folder.name, st.st_ino, st.st_mtime_ns, st.st_size)


class Store:
    def __init__(self, root: Path):
        self.root = Path(root)
        self.folder = self.root / INDICATORS
        if self._needs_recovery():
            self._try_recover()

    # -- where things are ------------------------------------------------------------------

    def _current(self) -> Path:
        """The folder the ``indicators`` link points to now (resolved once per read)."""
        return Path(os.path.realpath(self.folder))

    def _consistent(self, read: Callable[[Path], T]) -> T:
        """``read(folder)`` on the current version folder, again on the new one if an import
        swapped the store meanwhile (the old folder is being removed then)."""
        for _ in range(READ_RETRIES):
            folder = self._current()
            try:
                result = read(folder)
            except FileNotFoundError:
                if folder == self._current():
                    raise
                continue
            if folder == self._current():
                return result
        return result

    def record_path(self, indicator_id: str) -> Path:
        return self.folder / f"{indicator_id}.json"

    def frame_path(self, indicator_id: str) -> Path:
        """The data file the indicator's record names (``<id>.parquet`` for an old record)."""
        return self.folder / self._consistent(lambda folder: self._data_file(folder, indicator_id))

    def _data_file(self, folder: Path, indicator_id: str) -> str:
        try:
            name = self._read_record(folder, indicator_id).data
        except StoreError:
            name = None
        return name or f"{indicator_id}.parquet"

    def version(self, indicator_id: str) -> tuple:
        """Changes on every write of the indicator and on every import: a cache key."""
        return self._consistent(lambda folder: _version_in(folder, indicator_id))

    def versions(self, indicator_ids) -> tuple:
        """``version`` of many indicators, the link resolved once (not twice per indicator)."""
        return self._consistent(lambda folder: tuple((i, _version_in(folder, i)) for i in indicator_ids))

    def has_data(self, indicator_id: str) -> bool:
        def read(folder: Path) -> bool:
            name = self._data_file(folder, indicator_id)
            # a save that replaced the file meanwhile wrote the new one before its record
            return (folder / name).exists() or self._data_file(folder, indicator_id) != name

        return self._consistent(read)

    def is_empty(self) -> bool:
        return self._consistent(lambda folder: not folder.is_dir() or not any(folder.glob("*.parquet")))

    # -- reading ---------------------------------------------------------------------------

    def record(self, indicator_id: str) -> Record:
        return self._consistent(lambda folder: self._read_record(folder, indicator_id))

    def _read_record(self, folder: Path, indicator_id: str) -> Record:
        """The record in ``folder``; an empty one when the store has none (never refreshed)."""
        path = folder / f"{indicator_id}.json"
        shown = self.folder / path.name  # as messages show it
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            if folder != self._current():
                raise  # the folder was swapped out: ``_consistent`` reads the new one
            return Record(indicator_id)
        except OSError as exc:
            raise StoreError(f"{shown}: unreadable provenance file ({exc})") from exc
        try:
            return Record.from_dict(json.loads(text))
        except (ValueError, TypeError, RecursionError) as exc:
            raise StoreError(f"{shown}: unreadable provenance file ({exc})") from exc

    def frame(self, indicator_id: str) -> pd.DataFrame:
        frame = self.read(indicator_id)[1]
        if frame is None:
            raise StoreError(f"{self.folder / f'{indicator_id}.parquet'}: no data yet (never refreshed)")
        return frame

    def read(self, indicator_id: str) -> tuple[Record, pd.DataFrame | None]:
        """The record and the frame it names, from one version of the indicator (no new rows
        with old provenance even while a save or an import runs); None when it has no data."""
        for attempt in range(READ_RETRIES):
            try:
                record, frame, path = self._consistent(lambda folder: self._read_pair(folder, indicator_id))
                break
            except FileNotFoundError as exc:
                missing = exc  # a save replaced the file between reading its record and it
                time.sleep(0.01 * (attempt + 1))
        else:
            raise StoreError(f"{self.folder / Path(missing.filename).name}: data file missing") from None
        if frame is None:
            return record, None
        problems = validate_frame(frame)
        if problems:
            raise StoreError(f"{path}: not an indicator frame ({'; '.join(problems)})")
        return record, normalise(frame)

    def _read_pair(self, folder: Path, indicator_id: str) -> tuple[Record, pd.DataFrame | None, Path]:
        record = self._read_record(folder, indicator_id)
        name = record.data or f"{indicator_id}.parquet"
        try:
            return record, pd.read_parquet(folder / name), self.folder / name
        except FileNotFoundError:
            if record.data is None and folder == self._current():
                return record, None, self.folder / name  # never refreshed
            raise
        except Exception as exc:  # pyarrow raises several types for a damaged file
            raise StoreError(f"{self.folder / name}: unreadable data file ({type(exc).__name__}: {exc})") from exc

    def regions(self) -> pd.DataFrame:
        """Every region (``region_code``, ``region_name``, ``region_level``, as text) the stored
        frames hold, from one version of the store. A damaged data file is skipped here:
        reading that indicator reports it."""
        columns = ["region_code", "region_name", "region_level"]

        def read(folder: Path) -> pd.DataFrame:
            parts = []
            for path in sorted(folder.glob("*.parquet")) if folder.is_dir() else []:
                try:
                    parts.append(pd.read_parquet(path, columns=columns).drop_duplicates())
                except FileNotFoundError:
                    raise
                except Exception:  # noqa: BLE001 - pyarrow raises several types for a damaged file
                    continue
            return pd.concat(parts) if parts else pd.DataFrame(columns=columns)

        return self._consistent(read).astype(str).drop_duplicates()

    def files(self) -> list[tuple[str, bytes]]:
        """Every record and the data file it names, as (file name, bytes): one consistent
        version of each indicator even while a refresh saves (what an export zips)."""
        return self._consistent(_folder_files)

    # -- writing ---------------------------------------------------------------------------

    @contextmanager
    def writing(self, action: str = "write", wait: float | None = None) -> Iterator[Store]:
        """Hold the store's writer lock (raises StoreBusy when another writer has it for
        longer than ``wait`` seconds, WAIT_SECONDS unless given, read when called so tests
        can shorten it). The outermost holder first repairs what a killed writer left behind."""
        with write_lock(self.root, action, WAIT_SECONDS if wait is None else wait) as outermost:
            if outermost:
                self._recover()
            yield self

    def save(self, frame: pd.DataFrame, provenance: Provenance, stats: dict | None = None) -> Record:
        """Store a fresh frame and its provenance as one step (the record is the commit)."""
        indicator_id = provenance.indicator
        payload = frame.to_parquet(index=False)
        with self.writing("save", wait=SAVE_WAIT_SECONDS):
            folder = self._writable_folder()
            record = self._previous(folder, indicator_id)
            name = data_name(indicator_id, payload)
            if not (folder / name).exists():
                atomic_write_bytes(folder / name, payload)
            when = now_iso()
            periods = frame.dropna(subset=["value"]).sort_values("period_start")["period"]
            record.data = name
            record.provenance = provenance
            record.last_refresh = record.last_attempt = when
            record.error = record.error_kind = record.error_status = record.error_at = None
            record.rows = len(frame)
            record.first_period = periods.iloc[0] if len(periods) else None
            record.last_period = periods.iloc[-1] if len(periods) else None
            record.history = (record.history + [{"at": when, "ok": True, **(stats or {})}])[-HISTORY:]
            self._write_record(folder, record)
            _remove_other_data_files(folder, indicator_id, keep=name)
        return record

    def save_failure(self, indicator_id: str, failure: Failure, stats: dict | None = None) -> Record:
        """Note a failed refresh (its kind, status and reason); the previous frame and
        provenance are kept."""
        with self.writing("save", wait=SAVE_WAIT_SECONDS):
            folder = self._writable_folder()
            record = self._previous(folder, indicator_id)
            when = now_iso()
            record.last_attempt = record.error_at = when
            record.error, record.error_kind, record.error_status = failure.reason, failure.kind, failure.status
            noted = {"at": when, "ok": False, "error": failure.reason, "kind": failure.kind, "status": failure.status}
            record.history = (record.history + [{**noted, **(stats or {})}])[-HISTORY:]
            self._write_record(folder, record)
        return record

    def new_version_folder(self) -> Path:
        """An empty folder to fill and then hand to ``swap_in`` (an import's staging area).
        Until it is swapped in, recovery treats it as unfinished and removes it."""
        self.root.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=VERSION_PREFIX, dir=self.root))

    def swap_in(self, folder: Path) -> None:
        """Make ``folder`` the whole store in one atomic step; the old folder is removed after."""
        with self.writing("import", wait=SAVE_WAIT_SECONDS):
            old = self._current() if self.folder.is_symlink() else None
            fsync_tree(folder)
            link = self.root / f".link-{uuid.uuid4().hex}"
            os.symlink(folder.name, link)
            os.replace(link, self.folder)
            fsync_dir(self.root)
            if old is not None and old != folder.resolve():
                shutil.rmtree(old, ignore_errors=True)

    def _previous(self, folder: Path, indicator_id: str) -> Record:
        try:
            return self._read_record(folder, indicator_id)
        except StoreError:
            return Record(indicator_id)  # a damaged record is replaced by the next write

    def _write_record(self, folder: Path, record: Record) -> None:
        """Checked against the schema first: the store never writes what it would refuse."""
        data = record.to_dict()
        problems = record_problems(data)
        if problems:
            raise StoreError(f"{self.folder / f'{record.indicator}.json'}: not written ({'; '.join(problems[:5])})")
        payload = json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")
        atomic_write_bytes(folder / f"{record.indicator}.json", payload)

    def _writable_folder(self) -> Path:
        """The current version folder, created (with its link) for a new store."""
        if not self.folder.is_symlink():
            self.swap_in(self.new_version_folder())
        return self._current()

    # -- where the data came from ------------------------------------------------------------

    def origin(self) -> dict | None:
        """The snapshot the store was filled from (``snapshot``, ``created``, ``sources``,
        ``imported_at``, and the ``indicators`` no refresh has replaced yet), or None when
        every figure came from a refresh."""
        try:
            data = json.loads((self.root / ORIGIN).read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError):
            return None
        if not isinstance(data, dict) or not isinstance(data.get("indicators"), list):
            return None
        try:  # a date a page can show, or none
            datetime.fromisoformat(data.get("created") or data.get("imported_at"))
        except (TypeError, ValueError):
            return {**data, "created": None, "imported_at": None}
        return data

    def set_origin(self, origin: dict) -> None:
        """Note an import (under the writer lock, after the swap)."""
        atomic_write_bytes(self.root / ORIGIN, json.dumps(origin, ensure_ascii=False, indent=1).encode("utf-8"))

    def refreshed(self, indicator_ids: list[str]) -> None:
        """These indicators now hold (or were confirmed to hold) what the source has: once no
        snapshot figure is left, the store no longer says it came from a snapshot."""
        origin = self.origin()
        if origin is None:
            return
        left = [i for i in origin["indicators"] if i not in set(indicator_ids)]
        with self.writing("save", wait=SAVE_WAIT_SECONDS):
            if left:
                self.set_origin({**origin, "indicators": left})
            else:
                (self.root / ORIGIN).unlink(missing_ok=True)

    # -- recovery --------------------------------------------------------------------------

    def _needs_recovery(self) -> bool:
        """Cheap check on every open: anything a killed writer or the old release left."""
        try:
            names = os.listdir(self.root)
        except OSError:
            return False
        leftovers = [n for n in names if n.startswith((VERSION_PREFIX, RETIRED_PREFIX, LEGACY_STAGING_PREFIX, ".link-"))]
        if self.folder.is_symlink():
            try:
                temporary = any(n.endswith(".tmp") for n in os.listdir(self.folder))
            except OSError:
                temporary = False
            return len(leftovers) > 1 or temporary
        return bool(leftovers) or INDICATORS in names

    def _try_recover(self) -> None:
        """Repair on open when no writer is busy; a reader never waits for it."""
        try:
            with self.writing("recovery", wait=0):
                pass
        except (StoreBusy, OSError):
            pass  # a busy writer or a read-only data directory: the next writer repairs

    def _recover(self) -> None:
        """Under the writer lock: finish or undo whatever a killed writer left."""
        names = os.listdir(self.root)
        if self.folder.is_dir() and not self.folder.is_symlink():
            # the previous release's plain folder: becomes a version folder behind the link
            version = self.root / f"{VERSION_PREFIX}{uuid.uuid4().hex}"
            os.symlink(version.name, version)  # after the exchange: indicators -> the old folder
            if not exchange(version, self.folder):
                version.unlink()  # no atomic exchange here: a moment without a store
                retired = self.root / f"{RETIRED_PREFIX}{uuid.uuid4().hex}"
                self.folder.rename(retired)
                names.append(retired.name)
        if not self.folder.is_symlink():
            # no link: an old-release import stopped between its two renames (its data is in
            # a retired folder) or a migration stopped before the link; adopt the newest.
            retired = sorted((self.root / n for n in names if n.startswith(RETIRED_PREFIX)), key=lambda p: p.stat().st_mtime)
            if retired:
                link = self.root / f".link-{uuid.uuid4().hex}"
                os.symlink(retired[-1].name, link)
                os.replace(link, self.folder)
        current = self._current() if self.folder.is_symlink() else None
        for name in os.listdir(self.root):
            path = self.root / name
            if path == current or not name.startswith((VERSION_PREFIX, RETIRED_PREFIX, LEGACY_STAGING_PREFIX, ".link-")):
                continue
            if path.is_symlink() or path.is_file():
                path.unlink(missing_ok=True)
            else:
                shutil.rmtree(path, ignore_errors=True)
        if current is not None and current.is_dir():
            _tidy_folder(current)


def _folder_files(folder: Path) -> list[tuple[str, bytes]]:
    files = []
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        for _ in range(READ_RETRIES):
            raw = path.read_bytes()
            name = _named_data(raw, path.stem)
            try:
                data = (folder / name).read_bytes() if DATA_NAME.match(name) or (folder / name).exists() else None
                break
            except FileNotFoundError:
                continue  # replaced by a save between the two reads: read the new record
        else:
            continue
        files.append((path.name, raw))
        if data is not None:
            files.append((name, data))
    return sorted(files)


def _named_data(raw: bytes, indicator_id: str) -> str:
    """The data file a raw record names (``<id>.parquet`` in the previous release's layout)."""
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        data = None
    name = data.get("data") if isinstance(data, dict) else None
    return name if isinstance(name, str) and DATA_NAME.match(name) else f"{indicator_id}.parquet"


def _remove_other_data_files(folder: Path, indicator_id: str, keep: str) -> None:
    for path in folder.glob(f"{_glob_escape(indicator_id)}.*parquet"):
        match = DATA_NAME.match(path.name)
        if path.name != keep and ((match and match["id"] == indicator_id) or path.name == f"{indicator_id}.parquet"):
            path.unlink(missing_ok=True)


def _glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)


def _tidy_folder(folder: Path) -> None:
    """Remove temporary files and data files no record names (a save killed before its
    commit). The data files of a damaged record are kept: nothing says which one is good."""
    named: set[str] = set()
    damaged: set[str] = set()
    for path in folder.glob("*.json"):
        try:
            data = json.loads(path.read_bytes())
        except (ValueError, RecursionError):
            data = None
        if isinstance(data, dict) and isinstance(data.get("data", ""), (str, type(None))):
            named.add(data.get("data") or "")
        else:
            damaged.add(path.stem)
    for path in folder.iterdir():
        match = DATA_NAME.match(path.name)
        if path.name.startswith(".") and path.name.endswith(".tmp"):
            path.unlink(missing_ok=True)
        elif match and path.name not in named and match["id"] not in damaged:
            path.unlink(missing_ok=True)
