"""Shared fixtures: a hand-made mirror served by the emulator on 127.0.0.1, a store, and
the test catalogue pointed at both."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from data_sources.catalogue import load_catalogue  # noqa: E402
from data_sources.emulator import start_emulator  # noqa: E402
from data_sources.store import Store  # noqa: E402
from tests.browser import app_env, app_url, browser  # noqa: E402,F401 (the browser tests' fixtures)
from tests.fixtures.mirror import build_mirror  # noqa: E402

FIXTURE_CATALOGUE = ROOT / "tests" / "fixtures" / "catalogue"
FIXTURE_FILES = ROOT / "tests" / "fixtures" / "files"  # files of the catalogue's tabular sources
SHARED_MIRROR = ROOT.parent / "shared" / "cbs-mirror"
PAGE_SIZE = 7  # small, so that every adapter test pages


@pytest.fixture(scope="session")
def mirror_dir(tmp_path_factory) -> Path:
    return build_mirror(tmp_path_factory.mktemp("mirror"))


@pytest.fixture(scope="session")
def emulator(mirror_dir):
    em = start_emulator(mirror_dir, page_size=PAGE_SIZE)
    yield em
    em.stop()


@pytest.fixture
def cbs(emulator, monkeypatch):
    """The emulator, with the settings pointing at it and no faults left over."""
    emulator.faults.clear()
    emulator.log.clear()
    for key, value in emulator.env().items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("OPGAVEMONITOR_HTTP_TIMEOUT", "2")
    monkeypatch.setenv("OPGAVEMONITOR_HTTP_RETRIES", "2")
    monkeypatch.setenv("OPGAVEMONITOR_HTTP_BACKOFF", "0.01")
    monkeypatch.setenv("OPGAVEMONITOR_CATALOGUE_DIR", str(FIXTURE_CATALOGUE))
    monkeypatch.setenv("OPGAVEMONITOR_FILES_DIR", str(FIXTURE_FILES))
    yield emulator
    emulator.faults.clear()


@pytest.fixture
def store(tmp_path, monkeypatch) -> Store:
    monkeypatch.setenv("OPGAVEMONITOR_DATA_DIR", str(tmp_path / "data"))
    return Store(tmp_path / "data")


@pytest.fixture
def filled(cbs, store) -> Store:
    """A store refreshed from the emulator (testenergie.kapot fails on purpose)."""
    from data_sources.__main__ import main as cli

    cli(["refresh"])
    return store


@pytest.fixture
def catalogue():
    return load_catalogue(FIXTURE_CATALOGUE)


@pytest.fixture(scope="session")
def shared_mirror() -> Path:
    if not (SHARED_MIRROR / "v3").is_dir():
        pytest.skip(f"real CBS mirror not found at {SHARED_MIRROR} (../shared is absent)")
    return SHARED_MIRROR


@pytest.fixture(scope="session")
def shared_publications() -> Path:
    """The hand transcriptions of CBS and COA publications the bundled asylum files come from."""
    folder = SHARED_MIRROR.parent / "asiel-publicaties"
    if not folder.is_dir():
        pytest.skip(f"asylum publications not found at {folder} (../shared is absent)")
    return folder


def pytest_collection_modifyitems(items):
    """Every test that reads the real mirror carries the ``shared`` marker, so CI can require
    those tests (``-m shared``) instead of letting them skip unnoticed."""
    for item in items:
        if {"shared_mirror", "shared_publications"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.shared)
