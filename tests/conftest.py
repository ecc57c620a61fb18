"""Shared fixtures: a hand-made mirror served by the emulator on 127.0.0.1, a store, and
the test catalogue pointed at both."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from data_sources.catalogue import load_catalogue
from data_sources.emulator import start_emulator
from data_sources.refresh import Outcome, refresh
from data_sources.settings import PROJECT_ROOT
from data_sources.store import Store
from tests.browser import app_env, app_url, axe, browser  # noqa: F401 - the browser tests' fixtures, registered here once
from tests.fixtures.mirror import build_mirror
from ui import texts
from ui.language import speaking

texts.STRICT = True  # a text key missing from ui/texts.py fails the test that meets it

ROOT = Path(__file__).resolve().parent.parent

FIXTURE_CATALOGUE = ROOT / "tests" / "fixtures" / "catalogue"
FIXTURE_FILES = ROOT / "tests" / "fixtures" / "files"  # files of the catalogue's tabular sources
REAL_CATALOGUE = PROJECT_ROOT / "data_sources" / "catalogue"
# the real CBS mirror beside the repository; OPGAVEMONITOR_TEST_MIRROR points elsewhere (e.g. from a git worktree)
SHARED_MIRROR = Path(os.environ.get("OPGAVEMONITOR_TEST_MIRROR") or ROOT.parent / "shared" / "cbs-mirror")
PAGE_SIZE = 7  # small, so that every adapter test pages


@pytest.fixture(autouse=True)
def dutch():
    """Every test starts on a Dutch page, whatever the test before it spoke."""
    with speaking("nl"):
        yield


@pytest.fixture(scope="session")
def mirror_dir(tmp_path_factory) -> Path:
    return build_mirror(tmp_path_factory.mktemp("mirror"))


@pytest.fixture(scope="session")
def emulator(mirror_dir):
    em = start_emulator(mirror_dir, page_size=PAGE_SIZE)
    yield em
    em.stop()


def point_at(emulator, monkeypatch) -> None:
    """The settings of a refresh from ``emulator`` with the fixture catalogue, failing fast."""
    for key, value in emulator.env().items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("OPGAVEMONITOR_HTTP_TIMEOUT", "2")
    monkeypatch.setenv("OPGAVEMONITOR_HTTP_RETRIES", "2")
    monkeypatch.setenv("OPGAVEMONITOR_HTTP_BACKOFF", "0.01")
    monkeypatch.setenv("OPGAVEMONITOR_CATALOGUE_DIR", str(FIXTURE_CATALOGUE))
    monkeypatch.setenv("OPGAVEMONITOR_FILES_DIR", str(FIXTURE_FILES))


@pytest.fixture
def cbs(emulator, monkeypatch):
    """The emulator, with the settings pointing at it and no faults left over."""
    emulator.faults.clear()
    emulator.log.clear()
    point_at(emulator, monkeypatch)
    yield emulator
    emulator.faults.clear()


@pytest.fixture
def store(tmp_path, monkeypatch) -> Store:
    monkeypatch.setenv("OPGAVEMONITOR_DATA_DIR", str(tmp_path / "data"))
    return Store(tmp_path / "data")


@pytest.fixture(scope="session")
def refreshed_once(emulator, tmp_path_factory) -> Path:
    """A store refreshed from the emulator once per test run; ``filled`` copies it, which
    costs milliseconds where a refresh per test cost seconds."""
    from data_sources.__main__ import main as cli

    root = tmp_path_factory.mktemp("refreshed-once") / "data"
    with pytest.MonkeyPatch.context() as monkeypatch:
        point_at(emulator, monkeypatch)
        monkeypatch.setenv("OPGAVEMONITOR_DATA_DIR", str(root))
        emulator.faults.clear()
        assert cli(["refresh"]) == 1 and Store(root).has_data("testwonen.waarde")  # testenergie.kapot fails on purpose
        emulator.log.clear()
    return root


def copy_store(source: Path, target: Path) -> Store:
    """A copy of the store at ``source``, its ``indicators`` link kept relative."""
    shutil.copytree(source, target, symlinks=True, dirs_exist_ok=True)
    return Store(target)


@pytest.fixture
def filled(cbs, store, refreshed_once) -> Store:
    """A store refreshed from the emulator (testenergie.kapot fails on purpose): a copy of
    ``refreshed_once``."""
    return copy_store(refreshed_once, store.root)


@pytest.fixture
def short_lock_wait(monkeypatch):
    """A writer is refused a busy store after 0.2 s instead of the 2 s of ``WAIT_SECONDS``."""
    monkeypatch.setattr("data_sources.store.WAIT_SECONDS", 0.2)


@pytest.fixture
def catalogue():
    return load_catalogue(FIXTURE_CATALOGUE)


@pytest.fixture(scope="session")
def shared_mirror() -> Path:
    if not (SHARED_MIRROR / "v3").is_dir():
        pytest.skip(f"real CBS mirror not found at {SHARED_MIRROR} (../shared is absent; OPGAVEMONITOR_TEST_MIRROR may point at it)")
    return SHARED_MIRROR


@pytest.fixture(scope="session")
def real_emulator(shared_mirror):
    """The emulator serving the real CBS mirror."""
    em = start_emulator(shared_mirror)
    yield em
    em.stop()


@pytest.fixture(scope="session")
def real_refreshed(real_emulator, tmp_path_factory) -> tuple[Path, list[Outcome]]:
    """The real catalogue refreshed from the real mirror once per test run, and the refresh's
    outcomes: the modules that read it each take a ``copy_store`` (a refresh costs seconds)."""
    root = tmp_path_factory.mktemp("real-refreshed-once") / "data"
    with pytest.MonkeyPatch.context() as monkeypatch:
        for key, value in real_emulator.env().items():
            monkeypatch.setenv(key, value)
        monkeypatch.setenv("OPGAVEMONITOR_CATALOGUE_DIR", str(REAL_CATALOGUE))
        monkeypatch.setenv("OPGAVEMONITOR_DATA_DIR", str(root))
        catalogue = load_catalogue(REAL_CATALOGUE)
        outcomes = refresh(catalogue, Store(root), catalogue.indicators())
    return root, outcomes


@pytest.fixture(scope="module")
def real_store(real_emulator, real_refreshed, tmp_path_factory):
    """The module's own copy of ``real_refreshed`` as (catalogue, store, outcomes), with the
    settings pointing at it and at the real mirror's emulator until the module ends."""
    refreshed, outcomes = real_refreshed
    root = tmp_path_factory.mktemp("real-store")
    with pytest.MonkeyPatch.context() as monkeypatch:
        for key, value in real_emulator.env().items():
            monkeypatch.setenv(key, value)
        monkeypatch.setenv("OPGAVEMONITOR_CATALOGUE_DIR", str(REAL_CATALOGUE))
        monkeypatch.setenv("OPGAVEMONITOR_DATA_DIR", str(root))
        yield load_catalogue(REAL_CATALOGUE), copy_store(refreshed, root), outcomes


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
