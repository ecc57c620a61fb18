"""Static files for tabular sources: ``GET /files/<name>`` answers ``<mirror>/files/<name>``
(or ``<--files DIR>/<name>``) as raw bytes (the same faults apply as to the CBS routes)."""
from __future__ import annotations

from pathlib import Path

FILES = "files"


def read_static(folder: Path, segments: list[str]) -> bytes | None:
    """The file's bytes, or None when it does not exist or lies outside ``folder``."""
    folder = Path(folder).resolve()
    path = folder.joinpath(*segments).resolve()
    if not path.is_relative_to(folder) or not path.is_file():
        return None
    return path.read_bytes()
