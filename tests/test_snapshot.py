"""Snapshot export -> import round trip, and refusals that change nothing.

Every malicious snapshot docs/store.md guards against is built here (small on disk, huge when unpacked or read),
refused with a SnapshotError naming the problem, leaves the store byte-for-byte as it was, and
is refused within bounded memory (peak RSS of the import, measured in a subprocess)."""
import hashlib
import io
import json
import os
import random
import subprocess
import sys
import zipfile

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from data_sources import bundled, snapshot
from data_sources.boundaries import BoundaryStore
from data_sources.frame import build_frame
from data_sources.provenance import Provenance
from data_sources.snapshot import SnapshotError, export_snapshot, import_snapshot
from data_sources.store import Store, data_name
from tests.conftest import ROOT

FORMAT = "opgavemonitor-snapshot/1"
RSS_LIMIT_MB = 150  # an import may grow the process by at most this much, whatever it is fed


def _frame(value, indicator="t.x"):
    return build_frame(indicator, [{"region_code": "NL01", "period": "2023JJ00", "value": value}])


def _fill(store, value):
    store.save(_frame(value), Provenance("t.x", "cbs", table_id="T"))


def _tree_hash(store) -> str:
    """Every name, link and byte under the store's root (the writer lock's files aside)."""
    digest = hashlib.sha256()
    for dirpath, dirnames, filenames in sorted(os.walk(store.root)):
        dirnames.sort()
        for name in sorted(dirnames + filenames):
            path = os.path.join(dirpath, name)
            if name.startswith(".writer"):
                continue
            digest.update(path.encode())
            if os.path.islink(path):
                digest.update(os.readlink(path).encode())
            elif os.path.isfile(path):
                digest.update(open(path, "rb").read())
    return digest.hexdigest()


def test_round_trip(tmp_path):
    source, target = Store(tmp_path / "a"), Store(tmp_path / "b")
    _fill(source, 1.0)
    _fill(target, 99.0)
    payload = export_snapshot(source, tmp_path / "snap.zip")
    assert (tmp_path / "snap.zip").read_bytes() == payload
    assert import_snapshot(target, tmp_path / "snap.zip") == 2
    assert target.files() == source.files()
    assert target.frame("t.x")["value"].tolist() == [1.0]


def test_boundaries_travel_with_the_snapshot_and_the_store_says_where_its_figures_came_from(tmp_path):
    source, target = Store(tmp_path / "a"), Store(tmp_path / "b")
    _fill(source, 1.0)
    BoundaryStore(source.root).save("gemeente", 2024, json.loads(_shapes()), {"level": "gemeente", "year": 2024, "attribution": "Bron: test", "source": "hand-made"})
    export_snapshot(source, tmp_path / "snap.zip", note="made by a test")
    manifest = json.loads(zipfile.ZipFile(tmp_path / "snap.zip").read("manifest.json"))
    assert manifest["note"] == "made by a test" and manifest["created"]
    assert manifest["sources"] == ["Bron: CBS: T", "Bron: test: hand-made"]
    assert import_snapshot(target, tmp_path / "snap.zip") == 4
    assert BoundaryStore(target.root).files() == BoundaryStore(source.root).files()
    origin = target.origin()
    assert origin["snapshot"] == "snap.zip" and origin["created"] == manifest["created"] and origin["indicators"] == ["t.x"]
    assert origin["sources"] == manifest["sources"]
    target.refreshed(["t.y"])
    assert target.origin()["indicators"] == ["t.x"]
    target.refreshed(["t.x"])  # no snapshot figure left
    assert target.origin() is None and source.origin() is None


def test_the_bundled_snapshot_imports_with_its_date_sources_and_maps(tmp_path):
    """What a first start without internet imports: real figures, maps, where they came from."""
    size = bundled.SNAPSHOT.stat().st_size
    print(f"bundled snapshot: {size:,} bytes")
    assert size < 5 * 1024 * 1024
    store = Store(tmp_path / "s")
    import_snapshot(store, bundled.SNAPSHOT)
    origin = store.origin()
    assert len([i for i in origin["indicators"] if store.has_data(i)]) >= 60
    assert origin["created"] and any(line.startswith("Bron: CBS: ") for line in origin["sources"])
    shapes = BoundaryStore(store.root)
    newest = max(shapes.years("gemeente"))
    assert len(shapes.shapes("gemeente", newest)["features"]) >= 300


def test_a_snapshot_of_the_previous_release_imports(tmp_path):
    """Old snapshots hold ``<id>.parquet`` and records without ``data``."""
    data = _frame(7.0).to_parquet(index=False)
    record = json.dumps({"indicator": "t.x", "rows": 1, "provenance": {"indicator": "t.x", "source": "cbs"}}).encode()
    store = Store(tmp_path / "s")
    _fill(store, 1.0)
    assert import_snapshot(store, _zip({"indicators/t.x.parquet": data, "indicators/t.x.json": record})) == 2
    assert store.frame("t.x")["value"].tolist() == [7.0]


def _zip(members: dict[str, bytes], manifest: dict | None = None, listed: dict | None = None, method=zipfile.ZIP_DEFLATED) -> bytes:
    if manifest is None:
        files = listed if listed is not None else members
        manifest = {"format": FORMAT, "files": {n: {"bytes": len(d), "sha256": hashlib.sha256(d).hexdigest()} for n, d in files.items()}}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
        zf.writestr("manifest.json", json.dumps(manifest))
    return buffer.getvalue()


def _raw_manifest(payload: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("manifest.json", payload)
    return buffer.getvalue()


def _record(indicator="t.x", data_file=None, **extra) -> bytes:
    record = {"indicator": indicator, "rows": 1, "data": data_file, "provenance": {"indicator": indicator, "source": "cbs"}}
    return json.dumps({**record, **extra}).encode()


def _indicator(frame_bytes: bytes, indicator="t.x", **extra) -> dict[str, bytes]:
    name = data_name(indicator, frame_bytes)
    return {f"indicators/{name}": frame_bytes, f"indicators/{indicator}.json": _record(indicator, name, **extra)}


GOOD = _indicator(_frame(1.0).to_parquet(index=False))
REC = {"indicators/t.x.json": _record()}
BOX = {"type": "Polygon", "coordinates": [[[5.0, 52.0], [5.0, 52.1], [5.1, 52.1], [5.1, 52.0], [5.0, 52.0]]]}


def _shapes(code="GM0001", geometry=BOX) -> bytes:
    feature = {"type": "Feature", "id": code, "properties": {"statcode": code, "statnaam": "Oostdorp"}, "geometry": geometry}
    return json.dumps({"type": "FeatureCollection", "features": [feature]}).encode()

BAD = {
    "dotdot": (_zip({"../evil.json": b"{}"}), "outside the store"),
    "absolute": (_zip({"/etc/evil.json": b"{}"}), "outside the store"),
    "wrong manifest format": (_zip(REC, manifest={"format": "other", "files": {}}), "not an Opgavemonitor snapshot"),
    "unlisted file": (_zip(REC, listed={}), "manifest does not match"),
    "checksum": (_zip(GOOD, manifest={"format": FORMAT, "files": {n: {"bytes": len(d), "sha256": "0" * 64} for n, d in GOOD.items()}}), "checksum"),
    "bad parquet": (_zip(_indicator(b"garbage")), "unreadable parquet"),
    "not a zip": (b"hello", "not a zip"),
    "bomb": (_zip({"indicators/t.x.json": b" " * 5_000_000}), "zip bomb"),
    "manifest without data": (_zip({}), "holds no indicator data"),
    "records without data": (_zip(REC), "holds no indicator data"),
    "junk records": (_zip({f"indicators/j{i}.json": b'{"junk": 1}' for i in range(3000)}), "3001 entries in the snapshot"),
    "junk record": (_zip({**GOOD, "indicators/j.json": b'{"junk": 1}'}), r"indicators/j.json: not an indicator record \(record.indicator: missing\)"),
    "too many records": (_zip({**GOOD, **{f"indicators/i{i}.json": _record(f"i{i}") for i in range(600)}}), "601 indicator records"),
    "provenance of the wrong type": (_zip(_indicator(_frame(1.0).to_parquet(index=False), provenance="evil")), "provenance: expected an object, got str"),
    "record for another file": (_zip({**GOOD, "indicators/t.y.json": _record("t.x")}), "holds indicator 't.x', not 't.y'"),
    "data file without record": (_zip({**GOOD, "indicators/t.y.0123456789abcdef.parquet": b"x"}), "no record names this data file"),
    "data not matching its name": (
        _zip({"indicators/t.x.0123456789abcdef.parquet": _frame(1.0).to_parquet(index=False), "indicators/t.x.json": _record("t.x", "t.x.0123456789abcdef.parquet")}),
        "does not match the hash",
    ),
    "unknown file": (_zip({"indicators/run.sh": b"rm -rf /"}), "unexpected file"),
    "manifest nested too deep": (_raw_manifest(b"[" * 100_000), "manifest.json: not valid JSON or damaged"),
    "nested too deep": (_zip({**GOOD, "indicators/t.y.json": b"[" * 100_000}), "indicators/t.y.json: not valid JSON"),
    "boundaries of a point": (_zip({**GOOD, "boundaries/gemeente_2024.geojson": _shapes(geometry={"type": "Point", "coordinates": [5, 52]})}),
                              r"boundaries/gemeente_2024.geojson: feature 0 \(GM0001\) is a Point, not an area"),
    "boundaries of another level": (_zip({**GOOD, "boundaries/provincie_2024.geojson": _shapes()}), "feature 0 has no provincie code"),
    "boundaries not JSON": (_zip({**GOOD, "boundaries/gemeente_2024.geojson": b"garbage"}), "boundaries/gemeente_2024.geojson: not valid JSON"),
    "boundaries meta not an object": (_zip({**GOOD, "boundaries/gemeente_2024.json": b"[1]"}), "not a boundaries meta object"),
    "boundaries of an unknown level": (_zip({**GOOD, "boundaries/wijk_2024.geojson": _shapes()}), "unexpected file 'boundaries/wijk_2024.geojson'"),
}


@pytest.mark.parametrize("payload, message", BAD.values(), ids=BAD.keys())
def test_bad_snapshots_are_refused_and_change_nothing(tmp_path, payload, message):
    store = Store(tmp_path / "s")
    _fill(store, 5.0)
    before = _tree_hash(store)
    with pytest.raises(SnapshotError, match=message):
        import_snapshot(store, payload)
    assert _tree_hash(store) == before
    assert store.frame("t.x")["value"].tolist() == [5.0]


def test_a_member_over_the_size_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(snapshot, "MAX_MEMBER_BYTES", 250)
    store = Store(tmp_path / "s")
    _fill(store, 5.0)
    before = _tree_hash(store)
    big, small = b'{"indicator": "t.x", "pad": "' + b"x" * 300 + b'"}', b'{"indicator": "t.x"}'
    with pytest.raises(SnapshotError, match=r"member 'indicators/t.x.json' is 331 bytes \(limit 250\)"):
        import_snapshot(store, _zip({"indicators/t.x.json": big}))
    assert _tree_hash(store) == before
    with pytest.raises(SnapshotError, match="holds no indicator data"):  # under the limit: passes this check
        import_snapshot(store, _zip({"indicators/t.x.json": small}))


# -- frames that break the store's rules (issue 15.9) -----------------------------------------


def _broken(change) -> bytes:
    """A one-indicator snapshot whose frame is a good one with ``change`` applied to it (on
    plain object columns, so any value fits)."""
    frame = _frame(1.0)
    frame = frame.astype({c: object for c in ("region_level", "frequency", "status")})
    frame = pd.concat([frame, _frame(2.0).assign(region_code="GM0363", region_name="Amsterdam", region_level="gemeente")], ignore_index=True)
    change(frame)
    return _zip(_indicator(frame.to_parquet(index=False)))


def _set(column, value, row=0):
    def change(frame):
        frame.loc[row, column] = value
    return change


WRONG_FRAMES = {
    "weekly": (_set("frequency", "weekly"), r"column 'frequency': 'weekly' is not one of year, quarter, month, other"),
    "frequency not the period's": (_set("frequency", "month"), r"column 'frequency': 'month' for period '2023JJ00' \(expected 'year'\)"),
    "unknown region level": (_set("region_level", "galaxy"), r"column 'region_level': 'galaxy' for NL01"),
    "level not the code's": (_set("region_level", "provincie", row=1), r"column 'region_level': 'provincie' for GM0363"),
    "period start not the code's": (_set("period_start", pd.Timestamp("1999-05-01")), r"column 'period_start': 1999-05-01 00:00:00 for period '2023JJ00'"),
    "garbage period with a year's frequency": (_set("period", "garbage"), r"column 'frequency': 'year' for period 'garbage' \(expected 'other'\)"),
    "infinite value": (_set("value", float("inf")), r"column 'value': an infinite value"),
    "another indicator's rows": (_set("indicator", "t.other"), r"column 'indicator': 't.other' is not 't.x'"),
    "number as region code": (lambda f: f.__setitem__("region_code", [1, 2]), r"column 'region_code': 1, 2 is not text"),
    "missing region code": (_set("region_code", None), r"column 'region_code': None is not text"),
    "empty region code": (_set("region_code", "  "), r"column 'region_code': an empty code"),
    "text as value": (lambda f: f.__setitem__("value", ["1", "x"]), r"column 'value' is not float64"),
    "required column missing": (lambda f: f.drop(columns="frequency", inplace=True), r"column 'frequency' is missing"),
    "two rows for one region and period": (_set("region_code", "NL01", row=1), r"a region has more than one row for a period"),
}


@pytest.mark.parametrize("change, message", WRONG_FRAMES.values(), ids=WRONG_FRAMES.keys())
def test_frames_that_break_the_rules_are_refused_naming_entry_and_column(tmp_path, change, message):
    store = Store(tmp_path / "s")
    _fill(store, 5.0)
    before = _tree_hash(store)
    with pytest.raises(SnapshotError, match=r"^indicators/t\.x\.[0-9a-f]{16}\.parquet: .*" + message):
        import_snapshot(store, _broken(change))
    assert _tree_hash(store) == before
    assert store.frame("t.x")["value"].tolist() == [5.0]


def test_the_frame_the_wrong_ones_are_made_from_imports(tmp_path):
    """Unchanged, it imports: each refusal above is its change's doing."""
    store = Store(tmp_path / "s")
    assert import_snapshot(store, _broken(lambda frame: None)) == 2
    assert sorted(store.frame("t.x")["value"]) == [1.0, 2.0]


# -- snapshots that are small on disk and huge when unpacked or read ------------------------


def _total_bomb() -> bytes:
    """Members each under the per-member size and ratio limits, 300 MB unpacked together."""
    rng = random.Random(8)
    block = b"".join(bytes([rng.randrange(256)]) + b"\0" * 2999 for _ in range(700))  # ~450:1
    member = block * (15 * 1024 * 1024 // len(block))
    return _zip({f"indicators/b{i}.json": member for i in range(20)}, manifest={"format": FORMAT, "files": {}})


def _many_rows() -> bytes:
    """Five million rows of an indicator frame in a few kilobytes (the issue's 280 KB that
    took 5.4 GB): read whole, it would cost far more than RSS_LIMIT_MB."""
    rows = 5_000_000
    zeros = pa.array(np.zeros(rows, dtype="int8"))
    text = {name: pa.DictionaryArray.from_arrays(zeros, pa.array([value])) for name, value in (
        ("indicator", "t.x"), ("region_code", "NL01"), ("region_name", "Nederland"), ("region_level", "land"),
        ("period", "2023JJ00"), ("frequency", "year"), ("status", "definitief"))}
    table = pa.table({**text, "period_start": pa.array(np.zeros(rows, dtype="datetime64[ns]")), "value": np.zeros(rows)})
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return _zip(_indicator(buffer.getvalue()))


def _long_texts() -> bytes:
    """Fewer rows than the limit, but one long region name repeated: 400 MB once decoded."""
    rows = 400_000
    table = pa.table({
        "region_name": pa.DictionaryArray.from_arrays(pa.array(np.zeros(rows, dtype="int32")), pa.array(["x" * 1000])),
        "value": np.zeros(rows),
    })
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return _zip(_indicator(buffer.getvalue()))


def _damaged_crc() -> bytes:
    payload = bytearray(_zip(GOOD, method=zipfile.ZIP_STORED))
    start = payload.index(b"PAR1") + 10  # inside the stored parquet file
    payload[start] ^= 0xFF
    return bytes(payload)


def _encrypted() -> bytes:
    """The 'encrypted' flag set in the local and the central header of the first entry."""
    payload = bytearray(_zip(GOOD))
    local, central = payload.index(b"PK\x03\x04"), payload.index(b"PK\x01\x02")
    payload[local + 6] |= 1
    payload[central + 8] |= 1
    return bytes(payload)


HUGE = {
    "total expands to 300 MB": (_total_bomb, r"snapshot unpacks to 29\d{7} bytes \(limit 268435456\)"),
    "millions of rows": (_many_rows, "5000000 rows"),
    "text expands to 400 MB": (_long_texts, "its text expands to 400000000 bytes"),
    "bad CRC": (_damaged_crc, "damaged entry .*Bad CRC-32"),
    "encrypted": (_encrypted, "is encrypted"),
}

MEASURE = """
import json, os, sys
from data_sources.snapshot import SnapshotError, import_snapshot
from data_sources.store import Store
store = Store(sys.argv[1])
# the resident size now (not the peak so far, which the imports above may have set)
before = int(open("/proc/self/statm").read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024
try:
    import_snapshot(store, sys.argv[2])
    error = None
except SnapshotError as exc:
    error = str(exc)
# VmHWM: this process's own peak. ru_maxrss is not: Linux carries it over an exec from the
# forking parent, so under a big pytest process it reports pytest's size.
peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(json.dumps({"error": error, "grew_mb": (peak - before) / 1024, "peak_mb": peak / 1024}))
"""


@pytest.mark.parametrize("build, message", HUGE.values(), ids=HUGE.keys())
def test_huge_or_damaged_snapshots_are_refused_within_bounded_memory(tmp_path, build, message):
    payload = build()
    assert len(payload) < 5 * 1024 * 1024  # small on disk
    (tmp_path / "snap.zip").write_bytes(payload)
    store = Store(tmp_path / "s")
    _fill(store, 5.0)
    before = _tree_hash(store)
    run = subprocess.run(
        [sys.executable, "-c", MEASURE, str(store.root), str(tmp_path / "snap.zip")],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    print(f"{build.__name__}: {len(payload):,} bytes, peak RSS {result['peak_mb']:.0f} MB (+{result['grew_mb']:.0f} MB)")
    assert result["error"] and __import__("re").search(message, result["error"]), result["error"]
    assert result["grew_mb"] < RSS_LIMIT_MB
    assert _tree_hash(store) == before


def test_a_refused_import_reports_a_busy_store(tmp_path, short_lock_wait):
    store = Store(tmp_path / "s")
    _fill(store, 5.0)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time\nfrom data_sources.store import Store\nwith Store(sys.argv[1]).writing('refresh'):\n print('held', flush=True)\n time.sleep(30)", str(store.root)],
        cwd=ROOT, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(SnapshotError, match=f"another refresh is running since .*, by pid {holder.pid}"):
            import_snapshot(store, _zip(GOOD))
    finally:
        holder.kill()
        holder.wait()
    assert store.frame("t.x")["value"].tolist() == [5.0]
