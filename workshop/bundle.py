"""A deck and exactly the data its slides need, as one zip for a room without network.

The bundle holds ``deck.toml`` and ``snapshot.zip`` (a store snapshot made by
``snapshot.export_snapshot`` of only the deck's indicators). Import checks the deck against
the catalogue before the store is touched, then, holding the store's writer lock, imports the
snapshot (which validates everything itself), keeps the deck in the decks folder and notes in
the state folder when the snapshot was imported, so every slide can say that it shows snapshot
data and how old it is. The command line and the app's upload (beheer mode) both import here.
"""
from __future__ import annotations

import io
import json
import shutil
import tempfile
import zipfile
import zlib
from pathlib import Path

from data_sources import snapshot as snapshot_limits
from data_sources.catalogue import Catalogue
from data_sources.disk import atomic_write_bytes
from data_sources.lock import StoreBusy
from data_sources.snapshot import SnapshotError, export_snapshot, import_snapshot
from data_sources.store import Store, now_iso

from .decks import MAX_BYTES, NAME, Deck, decks_dir, read_toml, to_toml
from .rooms import state_dir

DECK_MEMBER, SNAPSHOT_MEMBER = "deck.toml", "snapshot.zip"
MARKER = "snapshot.json"
MAX_BUNDLE_BYTES = 300 * 1024 * 1024


def export_bundle(store: Store, deck: Deck, target: Path | None = None) -> bytes:
    """Zip the deck with a snapshot of exactly its indicators (``target`` written atomically)."""
    with tempfile.TemporaryDirectory() as temp:
        subset = Store(Path(temp))
        for indicator in deck.indicators():
            if store.has_data(indicator):
                record, frame = store.read(indicator)
                subset.save(frame, record.provenance)
        snapshot = export_snapshot(subset)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(DECK_MEMBER, to_toml(deck))
        zf.writestr(SNAPSHOT_MEMBER, snapshot)
    payload = buffer.getvalue()
    if target is not None:
        atomic_write_bytes(Path(target), payload)
    return payload


def is_bundle(raw: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as zf:
            return set(zf.namelist()) == {DECK_MEMBER, SNAPSHOT_MEMBER}
    except zipfile.BadZipFile:
        return False


def import_bundle(store: Store, raw: bytes, catalogue: Catalogue, name: str) -> tuple[Deck, Path]:
    """Check the deck, import the snapshot, keep the deck as ``<name>.toml`` in the decks
    folder; returns the deck and where it was kept. Raises SnapshotError or DeckError."""
    if not NAME.match(name):
        raise ValueError(f"deck name {name!r}: use lower-case letters, digits and '-'")
    if len(raw) > MAX_BUNDLE_BYTES or not is_bundle(raw):
        raise SnapshotError(f"not a deck bundle: it must be a zip of exactly {DECK_MEMBER} and {SNAPSHOT_MEMBER}")
    with zipfile.ZipFile(io.BytesIO(raw)) as zf, tempfile.TemporaryDirectory() as temp:
        if zf.getinfo(DECK_MEMBER).file_size > MAX_BYTES:
            raise SnapshotError(f"{DECK_MEMBER} is too large (at most {MAX_BYTES:,} bytes)")
        deck = read_toml(zf.read(DECK_MEMBER), DECK_MEMBER, catalogue)
        snapshot = _unpacked_snapshot(zf, Path(temp))
        _import(store, snapshot, deck, name)
    return deck, decks_dir() / f"{name}.toml"


def _unpacked_snapshot(zf: zipfile.ZipFile, folder: Path) -> Path:
    """The bundle's snapshot as a file, its size checked against the snapshot limits before a
    byte is unpacked (zipfile stops at the size it was checked for), never whole in memory."""
    info = zf.getinfo(SNAPSHOT_MEMBER)
    if info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise SnapshotError(f"refused: {SNAPSHOT_MEMBER} is encrypted or uses an unsupported compression")
    if info.file_size > snapshot_limits.MAX_TOTAL_BYTES:
        raise SnapshotError(f"refused: {SNAPSHOT_MEMBER} is {info.file_size:,} bytes (limit {snapshot_limits.MAX_TOTAL_BYTES:,})")
    if info.file_size > snapshot_limits.MAX_RATIO * max(info.compress_size, 1):
        raise SnapshotError(f"refused: {SNAPSHOT_MEMBER} compresses {info.file_size // max(info.compress_size, 1):,}:1 (a zip bomb?)")
    target = folder / SNAPSHOT_MEMBER
    try:
        with zf.open(info) as source, target.open("wb") as out:
            shutil.copyfileobj(source, out, snapshot_limits.CHUNK)
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise SnapshotError(f"refused: {SNAPSHOT_MEMBER} is damaged ({exc})") from exc
    return target


def _import(store: Store, snapshot: Path, deck: Deck, name: str) -> None:
    try:
        with store.writing("import of a deck bundle"):  # no refresh between the data and its note
            import_snapshot(store, snapshot)
            path = decks_dir() / f"{name}.toml"
            atomic_write_bytes(path, to_toml(deck).encode())
            # Which refresh of each indicator came with the snapshot: a later refresh, even within
            # the same second, leaves another record behind and ends the notice for that indicator.
            versions = {i: store.record(i).last_refresh for i in deck.indicators() if store.has_data(i)}
            marker = {"imported": now_iso(), "store": str(store.root), "versions": versions}
            atomic_write_bytes(state_dir() / MARKER, json.dumps(marker).encode())
    except StoreBusy as exc:
        raise SnapshotError(str(exc)) from None


def snapshot_imported_at(store: Store, indicator_id: str, last_refresh: str | None) -> str | None:
    """When the indicator's data came into this store from a bundle's snapshot (None if it
    did not, or if it has been refreshed since: a refresh makes the data live again)."""
    try:
        marker = json.loads((state_dir() / MARKER).read_text())
    except (OSError, ValueError):
        return None
    if not isinstance(marker, dict) or marker.get("store") != str(store.root):
        return None
    versions = marker.get("versions")
    if not isinstance(versions, dict) or indicator_id not in versions or versions[indicator_id] != last_refresh:
        return None
    return marker.get("imported")
