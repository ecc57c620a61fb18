"""Store atomicity, validation, failure bookkeeping, the writer lock and recovery from what a
killed writer or the previous release left behind."""
import json
import os
import subprocess
import sys
import time

import pytest

from data_sources import store as store_module
from data_sources.api import NEVER_REFRESHED, REFRESH_FAILED, UNREADABLE_FILE, read_indicator
from data_sources.failures import OTHER, SERVER
from data_sources.frame import build_frame
from data_sources.provenance import Provenance
from data_sources.records import Failure
from data_sources.store import INDICATORS, Store, StoreBusy, StoreError
from tests.conftest import ROOT


def _frame(value=1.0):
    return build_frame("t.x", [{"region_code": "NL01", "region_name": "Nederland", "period": "2023JJ00", "value": value}])


def _names(store):
    return sorted(p.name for p in store.folder.iterdir())


def test_save_and_read_round_trip(store):
    store.save(_frame(3.0), Provenance("t.x", "cbs", table_id="1"))
    assert store.frame("t.x")["value"].tolist() == [3.0]
    record = store.record("t.x")
    assert record.rows == 1 and record.first_period == "2023JJ00" and record.provenance.table_id == "1"
    assert store.folder.is_symlink() and store.frame_path("t.x").name == record.data


def test_a_crash_mid_write_leaves_the_old_file_and_no_temporary(store, monkeypatch):
    store.save(_frame(1.0), Provenance("t.x", "cbs"))
    before = _names(store)

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(store_module.os, "replace", broken_replace)
    with pytest.raises(OSError):
        store.save(_frame(2.0), Provenance("t.x", "cbs"))
    monkeypatch.undo()
    assert store.frame("t.x")["value"].tolist() == [1.0]
    assert _names(store) == before


def test_a_kill_between_data_file_and_record_keeps_old_rows_with_old_provenance(store, monkeypatch):
    """The record is the commit point: a new data file without its record is not read, and the
    next writer removes it."""
    store.save(_frame(1.0), Provenance("t.x", "cbs", table_id="old"))

    def killed(*args):
        raise KeyboardInterrupt  # stands for the kill: nothing after this line runs

    monkeypatch.setattr(Store, "_write_record", killed)
    with pytest.raises(KeyboardInterrupt):
        store.save(_frame(2.0), Provenance("t.x", "cbs", table_id="new"))
    monkeypatch.undo()
    assert len(list(store.folder.glob("t.x.*.parquet"))) == 2  # the orphan is there
    assert store.frame("t.x")["value"].tolist() == [1.0] and store.record("t.x").provenance.table_id == "old"
    with Store(store.root).writing("test"):
        pass
    assert _names(store) == sorted(["t.x.json", store.record("t.x").data])


def test_failure_keeps_frame_and_records_reason(store):
    store.save(_frame(1.0), Provenance("t.x", "cbs"))
    store.save_failure("t.x", Failure(SERVER, "HTTP 503", 503))
    assert store.frame("t.x")["value"].tolist() == [1.0]
    record = store.record("t.x")
    assert record.error == "HTTP 503" and record.error_at and record.last_refresh
    assert [h["ok"] for h in record.history] == [True, False]


def test_a_failure_is_stored_with_its_kind_and_status_and_cleared_by_a_save(store):
    store.save_failure("t.x", Failure(SERVER, "HTTP 503 (Service Unavailable)", 503))
    record = store.record("t.x")
    assert (record.error_kind, record.error_status) == (SERVER, 503)
    assert record.failure == Failure(SERVER, "HTTP 503 (Service Unavailable)", 503)
    assert record.history[-1]["kind"] == SERVER and record.history[-1]["status"] == 503
    store.save(_frame(1.0), Provenance("t.x", "cbs"))
    record = store.record("t.x")
    assert record.failure is None and record.error_kind is None and record.error_status is None


@pytest.mark.parametrize("kind", [None, "a kind of a newer release"])
def test_a_failure_without_a_known_kind_reads_as_other(store, kind):
    """Records written before kinds were stored (or by a newer release) still read."""
    store.save_failure("t.x", Failure(SERVER, "x"))
    data = json.loads(store.record_path("t.x").read_text())
    data.pop("error_status")
    data.pop("error_kind")
    if kind is not None:
        data["error_kind"] = kind
    store.record_path("t.x").write_text(json.dumps(data))
    assert store.record("t.x").failure == Failure(OTHER, "x")


def test_corrupt_parquet_gives_clear_error_and_indicator_unavailable(store, catalogue):
    store.save(_frame(), Provenance("testwonen.waarde", "cbs"))
    store.frame_path("testwonen.waarde").write_bytes(b"not parquet at all")
    with pytest.raises(StoreError, match=r"testwonen\.waarde\.[0-9a-f]{16}\.parquet: unreadable data file"):
        store.frame("testwonen.waarde")
    data = read_indicator(store, catalogue.indicator("testwonen.waarde"))
    assert not data.available and "unreadable data file" in data.problem.text and data.problem.kind == UNREADABLE_FILE


def test_corrupt_record_gives_clear_error(store, catalogue):
    store.folder.mkdir(parents=True)
    store.record_path("testwonen.waarde").write_text("{broken")
    with pytest.raises(StoreError, match="testwonen.waarde.json: unreadable provenance file"):
        store.record("testwonen.waarde")
    data = read_indicator(store, catalogue.indicator("testwonen.waarde"))
    assert not data.available and "unreadable" in data.problem.text and data.problem.kind == UNREADABLE_FILE


def test_an_indicator_without_data_says_why_as_a_kind(store, catalogue):
    indicator = catalogue.indicator("testwonen.waarde")
    assert read_indicator(store, indicator).problem.kind == NEVER_REFRESHED
    store.save_failure(indicator.id, Failure(SERVER, "HTTP 503", 503))
    problem = read_indicator(store, indicator).problem
    assert (problem.kind, problem.text) == (REFRESH_FAILED, "HTTP 503")
    store.save(_frame(), Provenance(indicator.id, "cbs"))
    assert read_indicator(store, indicator).problem is None


@pytest.mark.parametrize(
    "change, message",
    [
        ({"provenance": "evil"}, "provenance: expected an object, got str"),
        ({"provenance": {"indicator": "t.x", "source": "cbs", "filters": ["a"]}}, "provenance.filters: expected object of text"),
        ({"rows": "many"}, "rows: expected integer"),
        ({"provenance": {"indicator": "t.x", "source": "cbs", "filter_titles": ["a"]}}, "filter_titles: expected object of text or null, or null"),
        ({"history": "x"}, "history: expected list of objects"),
        ({"error_status": "503"}, "record.error_status: expected integer or null, got str"),
        ({"error_kind": 5}, "record.error_kind: expected text or null, got int"),
        ({"rows": True}, "record.rows: expected integer, got bool"),
        ({"data": "../../etc/passwd"}, "is not a data file of 't.x'"),
        ({"provenance": {"indicator": "t.x", "source": "derived", "inputs": [{"source": 5}]}}, r"inputs\[0\].source: expected text"),
    ],
)
def test_a_record_of_the_wrong_shape_is_a_clear_store_error(store, change, message):
    """Before, a provenance of the wrong type raised AttributeError on every page."""
    store.save(_frame(), Provenance("t.x", "cbs"))
    data = json.loads(store.record_path("t.x").read_text())
    data.update(change)
    store.record_path("t.x").write_text(json.dumps(data))
    with pytest.raises(StoreError, match=message):
        store.record("t.x")


def test_version_changes_on_write(store):
    store.save(_frame(1.0), Provenance("t.x", "cbs"))
    before = store.version("t.x")
    store.save_failure("t.x", Failure(OTHER, "boom"))
    assert store.version("t.x") != before
    # many at once (a page over all indicators): the same keys, one of them changed by the write
    assert store.versions(["t.x", "t.none"]) == (("t.x", store.version("t.x")), ("t.none", store.version("t.none")))
    assert store.versions(["t.x"])[0][1] != before


def test_the_previous_release_layout_is_read_and_migrated(tmp_path):
    """A plain ``indicators/`` folder with ``<id>.parquet`` and a record without ``data``."""
    folder = tmp_path / INDICATORS
    folder.mkdir()
    (folder / "t.x.parquet").write_bytes(_frame(4.0).to_parquet(index=False))
    (folder / "t.x.json").write_text(json.dumps({"indicator": "t.x", "provenance": {"indicator": "t.x", "source": "cbs"}, "rows": 1}))
    (folder / ".t.x.json.abc.tmp").write_text("half")
    store = Store(tmp_path)
    assert store.folder.is_symlink()
    assert store.frame("t.x")["value"].tolist() == [4.0] and store.record("t.x").data is None
    assert _names(store) == ["t.x.json", "t.x.parquet"]
    store.save(_frame(5.0), Provenance("t.x", "cbs"))
    assert _names(store) == sorted(["t.x.json", store.record("t.x").data])


def test_an_old_import_stopped_between_its_renames_is_adopted(tmp_path):
    """The previous release renamed the live folder to ``.retired-*`` before renaming the
    new one into place; a crash in between left no ``indicators`` at all."""
    retired = tmp_path / ".retired-0123"
    retired.mkdir()
    (retired / "t.x.parquet").write_bytes(_frame(6.0).to_parquet(index=False))
    (retired / "t.x.json").write_text(json.dumps({"indicator": "t.x", "rows": 1}))
    (tmp_path / ".import-half").mkdir()
    store = Store(tmp_path)
    assert store.frame("t.x")["value"].tolist() == [6.0]
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".writer")) == [".retired-0123", INDICATORS]


def test_an_unfinished_import_folder_is_removed_and_the_store_kept(store):
    store.save(_frame(1.0), Provenance("t.x", "cbs"))
    staging = store.new_version_folder()
    (staging / "t.x.json").write_text("{}")
    current = os.readlink(store.folder)
    reopened = Store(store.root)
    assert not staging.exists() and os.readlink(reopened.folder) == current
    assert reopened.frame("t.x")["value"].tolist() == [1.0]


HOLD = """
import sys, time
from data_sources.store import Store
with Store(sys.argv[1]).writing("refresh"):
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def test_a_held_lock_refuses_another_writer_with_who_and_since(store, short_lock_wait):
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(store.root), "30"], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(StoreBusy, match=rf"another refresh is running since 20\d\d-.*, by pid {holder.pid}"):
            with store.writing("import"):
                pass
    finally:
        holder.kill()
        holder.wait()
    with store.writing("import"):  # a killed holder frees the lock at once
        pass


SAVES = """
import sys
from data_sources.records import Failure
from data_sources.store import Store
for i in range(10):
    Store(sys.argv[1]).save_failure("t.x", Failure("other", f"{sys.argv[2]}-{i}"))
"""


def test_concurrent_writers_lose_no_history(store):
    store.save(_frame(1.0), Provenance("t.x", "cbs"))
    writers = [subprocess.Popen([sys.executable, "-c", SAVES, str(store.root), name], cwd=ROOT) for name in "ab"]
    assert [w.wait(timeout=120) for w in writers] == [0, 0]
    errors = {h["error"] for h in store.record("t.x").history if not h["ok"]}
    assert errors == {f"{n}-{i}" for n in "ab" for i in range(10)}


def test_a_reader_waits_for_nobody(store):
    store.save(_frame(1.0), Provenance("t.x", "cbs"))
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(store.root), "30"], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        started = time.perf_counter()
        assert Store(store.root).frame("t.x")["value"].tolist() == [1.0]
        assert time.perf_counter() - started < 5
    finally:
        holder.kill()
        holder.wait()
