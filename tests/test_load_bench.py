"""A short run of bench/load.py's protocol client (N = 1 and 5, a few seconds) against one
app process, so the client cannot rot. The full benchmark is ``python3 bench/load.py``."""
from __future__ import annotations

import asyncio
import os
from urllib.parse import parse_qs

import pytest

from bench.load import ProtocolError, Viewer, drive
from data_sources.emulator import start_emulator
from tests.conftest import FIXTURE_CATALOGUE, FIXTURE_FILES
from tests.server import cli, streamlit_server

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(tmp_path_factory, mirror_dir):
    """One app process on a store filled from the emulator (hand-made fixtures)."""
    emulator = start_emulator(mirror_dir)
    env = {**os.environ, **emulator.env(), "OPGAVEMONITOR_DATA_DIR": str(tmp_path_factory.mktemp("load-store")),
           "OPGAVEMONITOR_CATALOGUE_DIR": str(FIXTURE_CATALOGUE), "OPGAVEMONITOR_FILES_DIR": str(FIXTURE_FILES)}
    cli(env, "refresh", failed=("testenergie.kapot",), timeout=120)
    emulator.stop()
    with streamlit_server(env) as url:
        yield url


def test_region_change_over_the_websocket_reruns_the_page(server):
    async def run():
        viewer = Viewer(server, "testwonen")
        try:
            await viewer.open()
            assert viewer.region_id and "Amsterdam (GM0363)" in viewer.region_options
            await viewer.rerun(["Amsterdam (GM0363)", "Drenthe (PV30)"])
            return viewer.query
        finally:
            await viewer.close()

    # the app wrote the new regions into the URL: the server ran the script with them
    assert parse_qs(asyncio.run(run()))["regio"] == ["GM0363,PV30"]


def test_unknown_page_is_an_error(server):
    async def run():
        viewer = Viewer(server, "bestaat-niet")
        try:
            await viewer.open()
        finally:
            await viewer.close()

    with pytest.raises(ProtocolError, match="page not found"):
        asyncio.run(run())


@pytest.mark.parametrize("sessions", [1, 5])
def test_short_load_run(server, sessions):
    result = asyncio.run(drive(server, "testwonen", sessions, seconds=3))
    assert result.errors == []
    assert len(result.open_times) == sessions
    assert len(result.rerun_times) >= sessions  # every viewer finished at least one region change
    assert 0 < result.quantile(0.5) <= result.quantile(0.95) < 3
