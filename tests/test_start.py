"""scripts/start.sh: an empty store fills itself from CBS (here: the emulator), a filled one is
left alone, ``--snapshot`` imports first; and the first-run page shows the fill's progress."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from data_sources.__main__ import main as cli
from data_sources.emulator import Fault
from data_sources.progress import progress_path, read_progress
from data_sources.store import Store, now_iso
from tests.browser import ARGS, CHROMIUM, assert_page_ok
from tests.server import free_port, wait_healthy

pytestmark = pytest.mark.slow  # start.sh runs: installs, fills, serves

ROOT = Path(__file__).resolve().parent.parent
START = ROOT / "scripts" / "start.sh"
APP = str(ROOT / "app.py")


def start(*args: str, timeout: float = 180) -> subprocess.CompletedProcess:
    """start.sh with the environment the fixtures set (emulator URLs, store, catalogue)."""
    return subprocess.run(["bash", str(START), *args], cwd=ROOT, env=dict(os.environ), capture_output=True, text=True, timeout=timeout)


def cbs_requests(emulator) -> int:
    return len(emulator.log)


def test_fill_only_fills_an_empty_store_from_cbs(cbs, store):
    assert store.is_empty()
    result = start("--fill-only")
    # testenergie.kapot fails on purpose in the fixture catalogue, so the refresh exits 1
    assert result.returncode == 1, result.stderr
    assert "The store is empty" in result.stderr
    assert "[##############################] " in result.stderr  # the terminal progress bar reached the end
    assert store.has_data("testwonen.aantal") and store.has_data("testenergie.cumulatief")
    progress = json.loads(progress_path(store.root).read_text())
    assert progress["done"] == progress["total"] and progress["finished"] and progress["failed"] == 1


def test_filled_store_is_not_refreshed_at_start(cbs, store):
    cli(["refresh", "--opgave", "testwonen"])
    cbs.log.clear()
    result = start("--fill-only")
    assert result.returncode == 0, result.stderr
    assert cbs_requests(cbs) == 0 and "store is empty" not in result.stderr


def test_snapshot_is_imported_first_without_network(cbs, store, tmp_path, monkeypatch):
    cli(["refresh", "--opgave", "testwonen"])
    snapshot = tmp_path / "snap.zip"
    assert cli(["export", str(snapshot)]) == 0
    fresh = tmp_path / "fresh"
    monkeypatch.setenv("OPGAVEMONITOR_DATA_DIR", str(fresh))
    cbs.log.clear()
    result = start("--snapshot", str(snapshot), "--fill-only")
    assert result.returncode == 0, result.stderr
    assert "imported" in result.stdout
    assert cbs_requests(cbs) == 0  # the imported store is not empty: no refresh
    assert Store(fresh).has_data("testwonen.aantal")


def test_bad_snapshot_stops_the_start(cbs, store, tmp_path):
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"not a zip")
    result = start("--snapshot", str(bad), "--fill-only")
    assert result.returncode != 0 and "import refused" in result.stderr
    assert store.is_empty() and cbs_requests(cbs) == 0


@contextmanager
def started(*args: str):
    """start.sh serving on a free port (in its own process group, stopped afterwards)."""
    port = free_port()
    proc = subprocess.Popen(
        ["bash", str(START), *args, "--server.port", str(port), "--server.headless", "true", "--server.fileWatcherType", "none",
         "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=dict(os.environ), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        wait_healthy(url, 60)
        yield url
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


def test_start_serves_while_the_store_fills(cbs, store):
    """The real start: the app answers at once and the refresh beside it fills the store."""
    with started():
        deadline = time.time() + 60
        while time.time() < deadline and not store.has_data("testenergie.cumulatief"):
            time.sleep(0.3)
        assert store.has_data("testwonen.aantal") and store.has_data("testenergie.cumulatief")


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (apt-get install chromium)")
def test_first_run_page_follows_the_fill_in_the_browser(cbs, store, monkeypatch):
    """In Chromium: the first-run page shows the fill's progress, re-reads it by itself and
    turns into the overview with figures when the fill is done, without a reload."""
    from playwright.sync_api import sync_playwright

    # CBS answers slowly until the page has shown the progress, so the fill cannot end first
    monkeypatch.setenv("OPGAVEMONITOR_HTTP_TIMEOUT", "30")
    cbs.faults.append(Fault(".", "latency", 5))
    with started() as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page()
            page.goto(url)
            page.get_by_text("indicatoren opgehaald").wait_for(timeout=60_000)
            assert page.get_by_role("progressbar").count() == 1
            assert not store.has_data("testenergie.cumulatief")  # the fill is still running
            cbs.faults.clear()
            page.get_by_text("1.090 m³").first.wait_for(timeout=90_000)  # a figure of the overview: the fill is done
            assert page.get_by_text("Welkom bij Opgavemonitor").count() == 0
            assert_page_ok(page)
        finally:
            browser.close()


def write_progress(store, **fields) -> None:
    progress = {"total": 10, "done": 3, "failed": 1, "current": "testwonen.aantal", "started": now_iso(), "updated": now_iso(),
                "finished": None, **fields}
    store.root.mkdir(parents=True, exist_ok=True)
    progress_path(store.root).write_text(json.dumps(progress))


def page_text(at) -> str:
    return "\n".join(str(e.value) for e in [*at.markdown, *at.caption, *at.info, *at.warning, *at.header])


def test_first_run_page_shows_the_running_fill(cbs, store):
    write_progress(store)
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    body = page_text(at)
    assert "Welkom bij Opgavemonitor" in body
    assert "3 van 10 indicatoren klaar" in body and "1 indicator(en) mislukt" in body
    bars = at.get("progress")
    assert len(bars) == 1 and bars[0].proto.value == 30  # percent


def test_first_run_page_says_when_the_fill_delivered_nothing(cbs, store):
    write_progress(store, done=10, failed=10, finished=now_iso())
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert "leverde geen enkele indicator op (10 mislukt)" in page_text(at)
    assert not at.get("progress")


def test_first_run_page_without_progress_and_with_a_broken_file(cbs, store):
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception and not at.get("progress")
    store.root.mkdir(parents=True, exist_ok=True)
    progress_path(store.root).write_text("{not json")
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception and not at.get("progress") and "Welkom bij Opgavemonitor" in page_text(at)


def test_progress_file_with_wrong_types_is_ignored(tmp_path):
    path = progress_path(tmp_path)
    good = {"total": 4, "done": 1, "failed": 0, "current": "a", "started": now_iso(), "updated": now_iso(), "finished": None}
    path.write_text(json.dumps(good))
    assert read_progress(path).done == 1
    for bad in ({"done": "1"}, {"updated": "2024-01-01T00:00:00"}, {"finished": 5}, {"total": -1}, {"current": None}):
        path.write_text(json.dumps({**good, **bad}))
        assert read_progress(path) is None, bad
