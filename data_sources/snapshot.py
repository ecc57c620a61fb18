"""Snapshots of the whole store as one zip with a manifest, for offline machines.

Import validates everything before it replaces anything: member names (no absolute paths, no
``..``), sizes (against zip bombs), the manifest (every file listed with its size and SHA-256)
and every frame's schema. Only then is the new store swapped in, by renaming folders.
"""
from __future__ import annotations

import hashlib
import io
import json
import shutil
import tempfile
import uuid
import zipfile
from pathlib import Path, PurePosixPath

import pandas as pd

from .frame import validate_frame
from .store import INDICATORS, Store, atomic_write_bytes, now_iso

MANIFEST = "manifest.json"
FORMAT = "opgavemonitor-snapshot/1"
MAX_MEMBER_BYTES = 200 * 1024 * 1024
MAX_TOTAL_BYTES = 1024 * 1024 * 1024
MAX_MEMBERS = 5000


class SnapshotError(Exception):
    pass


def export_snapshot(store: Store, target: Path | None = None) -> bytes:
    """Zip every indicator file with a manifest; written atomically to ``target`` if given."""
    files = sorted(p for p in store.folder.glob("*") if p.suffix in (".parquet", ".json")) if store.folder.is_dir() else []
    manifest = {"format": FORMAT, "created": now_iso(), "files": {}}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in files:
            data = path.read_bytes()
            name = f"{INDICATORS}/{path.name}"
            manifest["files"][name] = {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
            zf.writestr(name, data)
        zf.writestr(MANIFEST, json.dumps(manifest, indent=1))
    payload = buffer.getvalue()
    if target is not None:
        atomic_write_bytes(Path(target), payload)
    return payload


def import_snapshot(store: Store, source: Path | bytes) -> int:
    """Replace the store's indicators with a snapshot's; returns the number of files."""
    raw = Path(source).read_bytes() if isinstance(source, (str, Path)) else source
    try:
        zf = zipfile.ZipFile(io.BytesIO(raw))
    except zipfile.BadZipFile as exc:
        raise SnapshotError(f"not a zip file: {exc}") from exc
    with zf:
        members = _checked_members(zf)
        manifest = _manifest(zf)
        contents = _checked_contents(zf, members, manifest)
    _swap_in(store, contents)
    return len(contents)


def _checked_members(zf: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise SnapshotError(f"too many files in snapshot ({len(infos)} > {MAX_MEMBERS})")
    total = 0
    for info in infos:
        path = PurePosixPath(info.filename)
        if path.is_absolute() or ".." in path.parts or "\\" in info.filename or ":" in info.filename:
            raise SnapshotError(f"refused: member {info.filename!r} would be written outside the store")
        if info.file_size > MAX_MEMBER_BYTES:
            raise SnapshotError(f"refused: member {info.filename!r} is {info.file_size} bytes (limit {MAX_MEMBER_BYTES})")
        if info.compress_size and info.file_size / info.compress_size > 1000:
            raise SnapshotError(f"refused: member {info.filename!r} compresses {info.file_size // info.compress_size}:1 (a zip bomb?)")
        total += info.file_size
    if total > MAX_TOTAL_BYTES:
        raise SnapshotError(f"refused: snapshot unpacks to {total} bytes (limit {MAX_TOTAL_BYTES})")
    return infos


def _manifest(zf: zipfile.ZipFile) -> dict:
    try:
        manifest = json.loads(zf.read(MANIFEST))
    except KeyError as exc:
        raise SnapshotError(f"no {MANIFEST} in snapshot") from exc
    except ValueError as exc:
        raise SnapshotError(f"{MANIFEST} is not valid JSON: {exc}") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT or not isinstance(manifest.get("files"), dict):
        raise SnapshotError(f"{MANIFEST} is not an Opgavemonitor snapshot manifest (format {FORMAT})")
    return manifest


def _checked_contents(zf: zipfile.ZipFile, members: list[zipfile.ZipInfo], manifest: dict) -> dict[str, bytes]:
    names = {m.filename for m in members if not m.is_dir()} - {MANIFEST}
    listed = set(manifest["files"])
    if names != listed:
        extra, missing = sorted(names - listed), sorted(listed - names)
        raise SnapshotError(f"manifest does not match the files: unlisted {extra or '-'}, missing {missing or '-'}")
    contents = {}
    for name in sorted(names):
        path = PurePosixPath(name)
        if len(path.parts) != 2 or path.parts[0] != INDICATORS or path.suffix not in (".parquet", ".json"):
            raise SnapshotError(f"refused: unexpected file {name!r} (only {INDICATORS}/*.parquet and *.json)")
        data = zf.read(name)
        entry = manifest["files"][name]
        if len(data) != entry.get("bytes") or hashlib.sha256(data).hexdigest() != entry.get("sha256"):
            raise SnapshotError(f"{name}: size or checksum differs from the manifest")
        _check_file(name, data)
        contents[path.name] = data
    return contents


def _check_file(name: str, data: bytes) -> None:
    if name.endswith(".json"):
        try:
            record = json.loads(data)
        except ValueError as exc:
            raise SnapshotError(f"{name}: not valid JSON ({exc})") from exc
        if not isinstance(record, dict) or "indicator" not in record:
            raise SnapshotError(f"{name}: not an indicator record")
        return
    try:
        frame = pd.read_parquet(io.BytesIO(data))
    except Exception as exc:
        raise SnapshotError(f"{name}: unreadable parquet ({exc})") from exc
    problems = validate_frame(frame)
    if problems:
        raise SnapshotError(f"{name}: {'; '.join(problems)}")


def _swap_in(store: Store, contents: dict[str, bytes]) -> None:
    """Write the new folder beside the old, then swap by rename; the old one goes last."""
    store.root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".import-", dir=store.root))
    try:
        for name, data in contents.items():
            (staging / name).write_bytes(data)
        retired = store.root / f".retired-{uuid.uuid4().hex}"
        if store.folder.exists():
            store.folder.rename(retired)
        staging.rename(store.folder)
        shutil.rmtree(retired, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
