"""The snapshot that ships with the project (``momentopname.zip``): real CBS figures for a first
start without internet (a workshop room without network). It is the one piece of data derived
from saved CBS responses that the repository holds; ``python -m data_sources bundle <folder>``
rebuilds it with the project's own refresh and export, its date and sources in its manifest.
"""
from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SNAPSHOT = Path(__file__).resolve().parent / "momentopname.zip"
SETTINGS = ("OPGAVEMONITOR_CBS_V3_URL", "OPGAVEMONITOR_CBS_DATADERDEN_URL", "OPGAVEMONITOR_CBS_V4_URL",
            "OPGAVEMONITOR_GEO_URL", "OPGAVEMONITOR_DATA_DIR")


def build(mirror: Path, target: Path = SNAPSHOT) -> int:
    """Refresh every indicator (and its boundaries) into a new store from ``mirror`` (saved CBS
    responses, served by the emulator) and export it to ``target``; returns the refresh's
    exit code (the snapshot is written only when it is 0)."""
    from data_sources.__main__ import main as cli
    from data_sources.emulator import start_emulator
    from data_sources.snapshot import export_snapshot
    from data_sources.store import Store

    emulator = start_emulator(Path(mirror))
    try:
        with tempfile.TemporaryDirectory() as data, _settings({**emulator.env(), "OPGAVEMONITOR_DATA_DIR": data}):
            code = cli(["refresh"])
            if code == 0:
                note = (f"gemaakt met `python -m data_sources bundle` uit opgeslagen CBS-antwoorden ({Path(mirror).name}), "
                        "via de CBS-emulator van het project; grenzen vereenvoudigd zoals de store ze bewaart")
                export_snapshot(Store(Path(data)), target, note=note)
    finally:
        emulator.stop()
    return code


@contextmanager
def _settings(values: dict[str, str]) -> Iterator[None]:
    before = {key: os.environ.get(key) for key in SETTINGS}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in before.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
