"""Snapshot export -> import round trip, and refusals that change nothing."""
import hashlib
import io
import json
import zipfile

import pytest

from data_sources.frame import build_frame
from data_sources.provenance import Provenance
from data_sources.snapshot import (
    MAX_MEMBER_BYTES,
    SnapshotError,
    export_snapshot,
    import_snapshot,
)
from data_sources.store import Store


def _fill(store, value):
    frame = build_frame("t.x", [{"region_code": "NL01", "period": "2023JJ00", "value": value}])
    store.save(frame, Provenance("t.x", "cbs", table_id="T"))


def _state(store):
    return {p.name: p.read_bytes() for p in sorted(store.folder.iterdir())}


def test_round_trip(tmp_path):
    source, target = Store(tmp_path / "a"), Store(tmp_path / "b")
    _fill(source, 1.0)
    _fill(target, 99.0)
    payload = export_snapshot(source, tmp_path / "snap.zip")
    assert (tmp_path / "snap.zip").read_bytes() == payload
    assert import_snapshot(target, tmp_path / "snap.zip") == 2
    assert _state(target) == _state(source)
    assert target.frame("t.x")["value"].tolist() == [1.0]


def _zip(members: dict[str, bytes], manifest: dict | None = None, listed: dict | None = None) -> bytes:
    if manifest is None:
        files = listed if listed is not None else members
        manifest = {
            "format": "opgavemonitor-snapshot/1",
            "files": {n: {"bytes": len(d), "sha256": hashlib.sha256(d).hexdigest()} for n, d in files.items()},
        }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
        zf.writestr("manifest.json", json.dumps(manifest))
    return buffer.getvalue()


BAD = {
    "dotdot": (_zip({"../evil.json": b"{}"}), "outside the store"),
    "absolute": (_zip({"/etc/evil.json": b"{}"}), "outside the store"),
    "wrong manifest format": (_zip({"indicators/t.x.json": b'{"indicator": "t.x"}'}, manifest={"format": "other", "files": {}}), "not an Opgavemonitor snapshot"),
    "unlisted file": (_zip({"indicators/t.x.json": b'{"indicator": "t.x"}'}, listed={}), "manifest does not match"),
    "checksum": (
        _zip({"indicators/t.x.json": b'{"indicator": "t.x"}'}, manifest={"format": "opgavemonitor-snapshot/1", "files": {"indicators/t.x.json": {"bytes": 20, "sha256": "0" * 64}}}),
        "checksum",
    ),
    "bad parquet": (_zip({"indicators/t.x.parquet": b"garbage"}), "unreadable parquet"),
    "not a zip": (b"hello", "not a zip"),
    "bomb": (_zip({"indicators/t.x.json": b" " * 5_000_000}), "zip bomb"),
}


@pytest.mark.parametrize("payload, message", BAD.values(), ids=BAD.keys())
def test_bad_snapshots_are_refused_and_change_nothing(tmp_path, payload, message):
    store = Store(tmp_path / "s")
    _fill(store, 5.0)
    before = _state(store)
    with pytest.raises(SnapshotError, match=message):
        import_snapshot(store, payload)
    assert _state(store) == before
    assert sorted(p.name for p in store.root.iterdir()) == ["indicators"]


def test_oversized_member_is_refused(tmp_path, monkeypatch):
    from data_sources import snapshot

    monkeypatch.setattr(snapshot, "MAX_MEMBER_BYTES", 10)
    store = Store(tmp_path / "s")
    _fill(store, 5.0)
    before = _state(store)
    with pytest.raises(SnapshotError, match="bytes \\(limit 10\\)"):
        import_snapshot(store, _zip({"indicators/t.x.json": b'{"indicator": "t.x", "pad": 1}'}))
    assert _state(store) == before
    assert MAX_MEMBER_BYTES > 10
