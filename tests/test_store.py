"""Store atomicity, failure bookkeeping and unreadable files."""
import pytest

from data_sources import store as store_module
from data_sources.api import read_indicator
from data_sources.frame import build_frame
from data_sources.provenance import Provenance
from data_sources.store import StoreError


def _frame(value=1.0):
    return build_frame("t.x", [{"region_code": "NL01", "region_name": "Nederland", "period": "2023JJ00", "value": value}])


def test_save_and_read_round_trip(store):
    store.save(_frame(3.0), Provenance("t.x", "cbs", table_id="1"))
    assert store.frame("t.x")["value"].tolist() == [3.0]
    record = store.record("t.x")
    assert record.rows == 1 and record.first_period == "2023JJ00" and record.provenance.table_id == "1"


def test_a_crash_mid_write_leaves_the_old_file_and_no_temporary(store, monkeypatch):
    store.save(_frame(1.0), Provenance("t.x", "cbs"))

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(store_module.os, "replace", broken_replace)
    with pytest.raises(OSError):
        store.save(_frame(2.0), Provenance("t.x", "cbs"))
    monkeypatch.undo()
    assert store.frame("t.x")["value"].tolist() == [1.0]
    assert sorted(p.name for p in store.folder.iterdir()) == ["t.x.json", "t.x.parquet"]


def test_failure_keeps_frame_and_records_reason(store):
    store.save(_frame(1.0), Provenance("t.x", "cbs"))
    store.save_failure("t.x", "HTTP 503")
    assert store.frame("t.x")["value"].tolist() == [1.0]
    record = store.record("t.x")
    assert record.error == "HTTP 503" and record.error_at and record.last_refresh
    assert [h["ok"] for h in record.history] == [True, False]


def test_corrupt_parquet_gives_clear_error_and_indicator_unavailable(store, catalogue):
    store.save(_frame(), Provenance("testwonen.waarde", "cbs"))
    store.frame_path("testwonen.waarde").write_bytes(b"not parquet at all")
    with pytest.raises(StoreError, match="testwonen.waarde.parquet: unreadable data file"):
        store.frame("testwonen.waarde")
    data = read_indicator(store, catalogue.indicator("testwonen.waarde"))
    assert not data.available and "unreadable data file" in data.problem


def test_corrupt_record_gives_clear_error(store, catalogue):
    store.folder.mkdir(parents=True)
    store.record_path("testwonen.waarde").write_text("{broken")
    with pytest.raises(StoreError, match="testwonen.waarde.json: unreadable provenance file"):
        store.record("testwonen.waarde")
    data = read_indicator(store, catalogue.indicator("testwonen.waarde"))
    assert not data.available and "unreadable" in data.problem


def test_version_changes_on_write(store):
    store.save(_frame(1.0), Provenance("t.x", "cbs"))
    before = store.version("t.x")
    store.save_failure("t.x", "boom")
    assert store.version("t.x") != before
