"""Shared by the browser tests: Debian's chromium, a Streamlit server on a store refreshed
from the emulator (fixtures ``app_env``, ``app_url``, ``browser``; tests/conftest.py registers
them), and where screenshots go."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
AXE = ROOT / ".tools" / "axe" / "node_modules" / "axe-core" / "axe.min.js"  # installed by scripts/test.sh
SHOTS = ROOT / "test-output" / "screenshots"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def app_env(tmp_path_factory, mirror_dir):
    """Environment of a store refreshed from the emulator. The fixture catalogue has one
    indicator whose table does not exist, so the refresh must fail for exactly that one."""
    from data_sources.catalogue import load_catalogue
    from data_sources.emulator import start_emulator
    from tests.conftest import FIXTURE_CATALOGUE, FIXTURE_FILES

    emulator = start_emulator(mirror_dir)
    data = tmp_path_factory.mktemp("browser-store")
    env = {**os.environ, **emulator.env(), "OPGAVEMONITOR_DATA_DIR": str(data), "OPGAVEMONITOR_CATALOGUE_DIR": str(FIXTURE_CATALOGUE), "OPGAVEMONITOR_FILES_DIR": str(FIXTURE_FILES)}
    done = subprocess.run([sys.executable, "-m", "data_sources", "refresh"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    failed = [line.split()[0] for line in done.stdout.splitlines() if "FAILED" in line]
    assert (done.returncode, failed) == (1, ["testenergie.kapot"]), done.stdout + done.stderr
    total = len(load_catalogue(FIXTURE_CATALOGUE).indicators())
    assert done.stdout.splitlines()[-1] == f"{total - 1} ok, 1 failed", done.stdout
    yield env
    emulator.stop()


@contextmanager
def streamlit_server(env, script="app.py", output=subprocess.DEVNULL):
    """Streamlit serving ``script`` with the repository's .streamlit/config.toml; ``output``
    takes the server's log (a file, to read what it logged)."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port), "--server.headless", "true",
         "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=output, stderr=output,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while not _healthy(url):
            assert time.time() < deadline and server.poll() is None, "streamlit did not start"
            time.sleep(0.3)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=20)


def _healthy(url: str) -> bool:
    try:
        return requests.get(f"{url}/_stcore/health", timeout=1).ok
    except requests.RequestException:
        return False


@pytest.fixture(scope="module")
def app_url(app_env):
    with streamlit_server(app_env) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()
