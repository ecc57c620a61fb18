"""Names shared by the boundaries adapter and the emulator: PDOK's WFS layers per level, and
the file layout of an offline folder of boundaries (the layout of ``../shared/cbs-mirror/geo``).
"""
from __future__ import annotations

from pathlib import Path

LAYERS = {"gemeente": "gemeente_gegeneraliseerd", "provincie": "provincie_gegeneraliseerd"}
FILE_STEMS = {"gemeente": "gemeenten", "provincie": "provincies"}


def level_of_layer(layer: str) -> str | None:
    return next((level for level, name in LAYERS.items() if name == layer), None)


def local_file(folder: Path, level: str, year: int) -> Path | None:
    """``<stem>_<year>.geojson``, else a year-independent ``<stem>.geojson`` (the mirror's
    provinces: their borders have not changed since Flevoland in 1986), else None."""
    stem = FILE_STEMS[level]
    for candidate in (folder / f"{stem}_{year}.geojson", folder / f"{stem}.geojson"):
        if candidate.is_file():
            return candidate
    return None
