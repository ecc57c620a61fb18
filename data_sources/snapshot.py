"""Snapshots of the whole store as one zip with a manifest, for offline machines.

A snapshot is untrusted. Import checks, in this order, and refuses with a SnapshotError that
names the entry and the problem (the store stays byte-for-byte as it was):

1. the zip's directory, before anything is unpacked: number of entries, member names (only
   ``indicators/<file>`` and ``boundaries/<level>_<year>.geojson|json``), encrypted or unknown compression, declared sizes per entry and in
   total, and the compression ratio (zip bombs);
2. the manifest (size, format, every file listed with its size and SHA-256);
3. every entry, streamed to a staging folder on disk in chunks, never whole into memory:
   its CRC, size and checksum;
4. every record against the schema the store writes (``records.record_problems``), its data file
   present and its content hash matching the name; no data file without a record; at least
   one indicator with data;
5. every boundaries file: its shapes as a refresh would store them (``boundaries.areas``), its
   meta a JSON object;
6. every data file's row count, column count and size from its parquet metadata before it is
   read, its decoded text size, then its frame schema and the values of every column
   (frequency, region level, period codes, value type, finite values), naming the column.

Only then is the staging folder swapped in as the whole store in one atomic step
(``Store.swap_in``), the boundaries files are moved into the store's ``boundaries/`` (each in
one step; others stay), and the store notes where its data now come from (``Store.origin``:
the snapshot's date and sources, shown on every page until a refresh has replaced them). The
limits are the constants below (documented in docs/store.md).
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import zipfile
import zlib
from datetime import datetime
from pathlib import Path, PurePosixPath

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from .boundaries import FILE_NAME as SHAPES_NAME
from .boundaries import FOLDER as SHAPES
from .boundaries import STORED_AREAS, BoundaryStore, areas
from .disk import atomic_write_bytes
from .frame import content_problems, validate_frame
from .http import SourceError
from .lock import StoreBusy
from .records import DATA_NAME, Record, record_problems
from .store import INDICATORS, Store, now_iso

MANIFEST = "manifest.json"
FORMAT = "opgavemonitor-snapshot/1"
MAX_MEMBERS = 2_000  # entries in the zip
MAX_INDICATORS = 500  # records
MAX_MEMBER_BYTES = 64 * 1024 * 1024  # one entry, unpacked
MAX_TOTAL_BYTES = 256 * 1024 * 1024  # all entries, unpacked
MAX_RATIO = 1_000  # unpacked : packed, per entry
MAX_JSON_BYTES = 2 * 1024 * 1024  # the manifest or one record
MAX_SHAPES_BYTES = 32 * 1024 * 1024  # one boundaries file
MAX_ROWS = 500_000  # rows of one indicator
MAX_COLUMNS = 32  # columns of one indicator's frame
MAX_FRAME_BYTES = 128 * 1024 * 1024  # one frame's data, uncompressed and with text decoded
CHUNK = 1024 * 1024
_DAMAGED = (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError, ValueError, OverflowError)
# RuntimeError covers an encrypted entry and JSON nested too deep (RecursionError)


class SnapshotError(Exception):
    pass


def export_snapshot(store: Store, target: Path | None = None, note: str = "") -> bytes:
    """Zip every record and the data file it names, and the stored boundaries, with a manifest
    (its date, the sources of the data and ``note`` on how it was made); written atomically to
    ``target`` if given. Reads one consistent version of each indicator."""
    manifest = {"format": FORMAT, "created": now_iso(), "files": {}}
    files = [(f"{INDICATORS}/{name}", data) for name, data in store.files()]
    files += [(f"{SHAPES}/{name}", data) for name, data in BoundaryStore(store.root).files()]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for member, data in files:
            manifest["files"][member] = {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
            zf.writestr(member, data)
        manifest["sources"] = _sources(files)
        if note:
            manifest["note"] = note
        zf.writestr(MANIFEST, json.dumps(manifest, indent=1, ensure_ascii=False))
    payload = buffer.getvalue()
    if target is not None:
        atomic_write_bytes(Path(target), payload)
    return payload


def _sources(files: list[tuple[str, bytes]]) -> list[str]:
    """One line per table or file the snapshot's figures come from, and per boundaries source."""
    lines = set()
    for member, data in files:
        if member.startswith(f"{INDICATORS}/") and member.endswith(".json"):
            prov = Record.from_dict(json.loads(data)).provenance
            for source in prov.sources() if prov else []:
                what = " ".join(part for part in (source.table_id, source.table_title) if part)
                retrieved = f", opgehaald {source.retrieved_at[:10]}" if source.retrieved_at else ""
                lines.add(f"{source.attribution or 'CBS'}: {what}{retrieved}")
        elif member.endswith(".json"):
            meta = json.loads(data)
            lines.add(f"{meta.get('attribution', 'CBS')}: {meta.get('source', '')}".strip())
    return sorted(lines)


def import_snapshot(store: Store, source: Path | bytes) -> int:
    """Replace the whole store with a snapshot's indicators; returns the number of files."""
    try:
        with store.writing("import"):
            with _open_zip(source) as zf:
                members = _checked_members(zf)
                manifest = _manifest(zf, members)
                staging, shapes = store.new_version_folder(), store.new_version_folder()
                try:
                    checksums = _unpack(zf, members, manifest, staging, shapes)
                    _check_folder(staging, checksums)
                    _check_shapes(shapes)
                    store.swap_in(staging)
                    _move_shapes(shapes, BoundaryStore(store.root).folder)
                    store.set_origin({"snapshot": _name(source), "created": _created(manifest),
                                      "sources": _text_list(manifest.get("sources")), "imported_at": now_iso(),
                                      "indicators": sorted(n.removesuffix(".json") for n in checksums if n.endswith(".json"))})
                except BaseException:
                    shutil.rmtree(staging, ignore_errors=True)
                    raise
                finally:
                    shutil.rmtree(shapes, ignore_errors=True)
    except StoreBusy as exc:
        raise SnapshotError(str(exc)) from None
    return len(manifest["files"])


def _name(source: Path | bytes) -> str:
    return "upload" if isinstance(source, bytes) else Path(source).name


def _created(manifest: dict) -> str | None:
    """The manifest's creation time if it is one (it is untrusted)."""
    try:
        return datetime.fromisoformat(manifest.get("created")).isoformat()
    except (TypeError, ValueError):
        return None


def _text_list(value) -> list[str]:
    """The manifest's source lines, if they are a list of texts (it is untrusted)."""
    return [v for v in value if isinstance(v, str)][:200] if isinstance(value, list) else []


def _open_zip(source: Path | bytes) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else Path(source))
    except FileNotFoundError as exc:
        raise SnapshotError(f"no such file: {source}") from exc
    except (*_DAMAGED, OSError) as exc:
        raise SnapshotError(f"not a zip file: {exc}") from exc


def _checked_members(zf: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    """Everything the zip's directory says, checked before a byte is unpacked."""
    infos = [i for i in zf.infolist() if not i.is_dir()]
    if len(infos) > MAX_MEMBERS:
        raise SnapshotError(f"refused: {len(infos)} entries in the snapshot (limit {MAX_MEMBERS})")
    seen, total = set(), 0
    for info in infos:
        name = info.filename
        path = PurePosixPath(name)
        if path.is_absolute() or ".." in path.parts or "\\" in name or ":" in name:
            raise SnapshotError(f"refused: member {name!r} would be written outside the store")
        shapes = len(path.parts) == 2 and path.parts[0] == SHAPES and SHAPES_NAME.match(path.parts[1])
        if name != MANIFEST and not shapes and (len(path.parts) != 2 or path.parts[0] != INDICATORS or path.suffix not in (".parquet", ".json")):
            raise SnapshotError(f"refused: unexpected file {name!r} (only {INDICATORS}/*.parquet and *.json, {SHAPES}/<level>_<year>.geojson and .json)")
        if name in seen:
            raise SnapshotError(f"refused: member {name!r} appears twice")
        seen.add(name)
        if info.flag_bits & 0x1:
            raise SnapshotError(f"refused: member {name!r} is encrypted")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise SnapshotError(f"refused: member {name!r} uses an unsupported compression (method {info.compress_type})")
        if info.file_size > MAX_MEMBER_BYTES:
            raise SnapshotError(f"refused: member {name!r} is {info.file_size} bytes (limit {MAX_MEMBER_BYTES})")
        if info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise SnapshotError(f"refused: member {name!r} compresses {info.file_size // max(info.compress_size, 1)}:1 (a zip bomb?)")
        total += info.file_size
    if total > MAX_TOTAL_BYTES:
        raise SnapshotError(f"refused: snapshot unpacks to {total} bytes (limit {MAX_TOTAL_BYTES})")
    if MANIFEST not in seen:
        raise SnapshotError(f"no {MANIFEST} in snapshot")
    return infos


def _manifest(zf: zipfile.ZipFile, members: list[zipfile.ZipInfo]) -> dict:
    info = zf.getinfo(MANIFEST)
    if info.file_size > MAX_JSON_BYTES:
        raise SnapshotError(f"refused: {MANIFEST} is {info.file_size} bytes (limit {MAX_JSON_BYTES})")
    try:
        manifest = json.loads(zf.read(info))
    except _DAMAGED as exc:
        raise SnapshotError(f"{MANIFEST}: not valid JSON or damaged ({type(exc).__name__}: {exc})") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT or not isinstance(manifest.get("files"), dict):
        raise SnapshotError(f"{MANIFEST} is not an Opgavemonitor snapshot manifest (format {FORMAT})")
    for name, entry in manifest["files"].items():
        if not (isinstance(entry, dict) and isinstance(entry.get("bytes"), int) and isinstance(entry.get("sha256"), str)):
            raise SnapshotError(f"{MANIFEST}: entry for {name!r} needs 'bytes' (integer) and 'sha256' (text)")
    names = {m.filename for m in members} - {MANIFEST}
    listed = set(manifest["files"])
    if names != listed:
        extra, missing = sorted(names - listed)[:5], sorted(listed - names)[:5]
        raise SnapshotError(f"manifest does not match the files: unlisted {extra or '-'}, missing {missing or '-'}")
    return manifest


def _unpack(zf: zipfile.ZipFile, members: list[zipfile.ZipInfo], manifest: dict, staging: Path, shapes: Path) -> dict[str, str]:
    """Stream every indicator entry to ``staging`` and every boundaries entry to ``shapes``;
    returns each indicator file's SHA-256."""
    checksums = {}
    for info in members:
        if info.filename == MANIFEST:
            continue
        entry = manifest["files"][info.filename]
        if entry["bytes"] != info.file_size:
            raise SnapshotError(f"{info.filename}: size differs from the manifest ({info.file_size} != {entry['bytes']})")
        name = PurePosixPath(info.filename).name
        folder = shapes if info.filename.startswith(f"{SHAPES}/") else staging
        digest, written = hashlib.sha256(), 0
        try:
            with zf.open(info) as src, open(folder / name, "wb") as out:
                while chunk := src.read(CHUNK):
                    written += len(chunk)
                    if written > info.file_size:
                        raise SnapshotError(f"{info.filename}: unpacks to more than its stated {info.file_size} bytes")
                    digest.update(chunk)
                    out.write(chunk)
        except _DAMAGED as exc:
            raise SnapshotError(f"{info.filename}: damaged entry ({exc})") from exc
        except OSError as exc:
            raise SnapshotError(f"{info.filename}: could not unpack ({exc})") from exc
        if digest.hexdigest() != entry["sha256"]:
            raise SnapshotError(f"{info.filename}: size or checksum differs from the manifest")
        if folder is staging:
            checksums[name] = digest.hexdigest()
    return checksums


def _check_shapes(folder: Path) -> None:
    """Boundaries as a refresh stores them: areas with codes of their level; meta an object."""
    for path in sorted(folder.iterdir()):
        where, match = f"{SHAPES}/{path.name}", SHAPES_NAME.match(path.name)
        data = _json(path, where, MAX_SHAPES_BYTES if match["kind"] == "geojson" else MAX_JSON_BYTES)
        if match["kind"] == "json":
            if not isinstance(data, dict):
                raise SnapshotError(f"{where}: not a boundaries meta object")
            continue
        try:
            areas(data, match["level"], where, STORED_AREAS)
        except SourceError as exc:
            raise SnapshotError(str(exc)) from None


def _move_shapes(shapes: Path, target: Path) -> None:
    """Each boundaries file into the store in one step (meta after its shapes)."""
    target.mkdir(parents=True, exist_ok=True)
    for path in sorted(shapes.iterdir(), key=lambda p: (p.stem, p.suffix != ".geojson")):
        os.replace(path, target / path.name)


def _check_folder(staging: Path, checksums: dict[str, str]) -> None:
    """Records against the store's schema, data files against their records and limits."""
    records = sorted(n for n in checksums if n.endswith(".json"))
    if len(records) > MAX_INDICATORS:
        raise SnapshotError(f"refused: {len(records)} indicator records (limit {MAX_INDICATORS})")
    named = {}
    for name in records:
        record = _record(staging / name, f"{INDICATORS}/{name}")
        data = record.data or f"{record.indicator}.parquet"
        if data in checksums:
            named[data] = record
        elif record.data:
            raise SnapshotError(f"{INDICATORS}/{name}: names data file {record.data!r}, which is not in the snapshot")
    for name in sorted(n for n in checksums if n.endswith(".parquet")):
        where = f"{INDICATORS}/{name}"
        record = named.get(name)
        if record is None:
            raise SnapshotError(f"{where}: no record names this data file")
        match = DATA_NAME.match(name)
        if match and not checksums[name].startswith(match["hash"]):
            raise SnapshotError(f"{where}: content does not match the hash in its name")
        _check_parquet(staging / name, where, record.indicator)
    if not named:
        raise SnapshotError("refused: the snapshot holds no indicator data (importing it would empty the store)")


def _json(path: Path, where: str, limit: int):
    """An entry's JSON, its size checked before it is read."""
    if path.stat().st_size > limit:
        raise SnapshotError(f"{where}: {path.stat().st_size} bytes (limit {limit})")
    try:
        return json.loads(path.read_bytes())
    except (ValueError, RecursionError) as exc:
        raise SnapshotError(f"{where}: not valid JSON ({exc})") from exc


def _record(path: Path, where: str) -> Record:
    data = _json(path, where, MAX_JSON_BYTES)
    problems = record_problems(data)
    if problems:
        raise SnapshotError(f"{where}: not an indicator record ({'; '.join(problems[:5])})")
    if data["indicator"] != path.stem:
        raise SnapshotError(f"{where}: holds indicator {data['indicator']!r}, not {path.stem!r}")
    return Record.from_dict(data)


def _check_parquet(path: Path, where: str, indicator: str) -> None:
    """Sizes from the parquet metadata first, decoded text second, the frame's columns and
    then its values last (against the rules of ``frame.content_problems``)."""
    try:
        meta = pq.read_metadata(path)
        stored = sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
        if meta.num_rows > MAX_ROWS:
            raise SnapshotError(f"{where}: {meta.num_rows} rows (limit {MAX_ROWS})")
        if meta.num_columns > MAX_COLUMNS:
            raise SnapshotError(f"{where}: {meta.num_columns} columns (limit {MAX_COLUMNS})")
        if stored > MAX_FRAME_BYTES:
            raise SnapshotError(f"{where}: {stored} bytes uncompressed (limit {MAX_FRAME_BYTES})")
        texts = [f.name for f in meta.schema.to_arrow_schema() if _is_text(f.type)]
        table = pq.read_table(path, read_dictionary=texts)  # text stays encoded in memory
        decoded = sum(_decoded_bytes(table.column(name)) for name in texts)
        if decoded > MAX_FRAME_BYTES:
            raise SnapshotError(f"{where}: its text expands to {decoded} bytes (limit {MAX_FRAME_BYTES})")
        del table
        frame = pd.read_parquet(path)
    except SnapshotError:
        raise
    except Exception as exc:  # pyarrow raises several types for a damaged file
        raise SnapshotError(f"{where}: unreadable parquet ({type(exc).__name__}: {exc})") from exc
    problems = validate_frame(frame) or content_problems(frame, indicator)
    if problems:
        raise SnapshotError(f"{where}: {'; '.join(problems)}")


def _is_text(kind: pa.DataType) -> bool:
    if pa.types.is_dictionary(kind):
        kind = kind.value_type
    return pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_binary(kind) or pa.types.is_large_binary(kind)


def _decoded_bytes(column: pa.ChunkedArray) -> int:
    """Bytes a dictionary-encoded text column takes once every value is spelled out."""
    total = 0
    for chunk in column.chunks:
        if pa.types.is_dictionary(chunk.type):
            lengths = pc.binary_length(chunk.dictionary)
            total += pc.sum(pc.take(lengths, chunk.indices)).as_py() or 0
        else:
            total += chunk.nbytes
    return total
