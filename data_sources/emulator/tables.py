"""Reading a mirror folder: ``v3/<table>/<Endpoint>.json`` (the endpoint's ``value`` array)
and ``v4/<table>/<Endpoint>.json`` (the endpoint's whole body)."""
from __future__ import annotations

import json
import threading
from functools import cached_property
from pathlib import Path

V3_DATA = ("TypedDataSet", "UntypedDataSet")


class MirrorTable:
    def __init__(self, folder: Path):
        self.folder = folder
        self.id = folder.name
        self._lock = threading.Lock()
        self._cache: dict[str, object] = {}

    @cached_property
    def endpoints(self) -> list[str]:
        return sorted(p.stem for p in self.folder.glob("*.json") if not p.name.startswith("_"))

    def has(self, endpoint: str) -> bool:
        return endpoint in self.endpoints

    def load(self, endpoint: str):
        with self._lock:
            if endpoint not in self._cache:
                with open(self.folder / f"{endpoint}.json", encoding="utf-8") as fh:
                    self._cache[endpoint] = json.load(fh)
            return self._cache[endpoint]

    def records(self, endpoint: str) -> list[dict]:
        """The endpoint's records whatever the layout (v3 arrays, v4 bodies)."""
        data = self.load(endpoint)
        return data["value"] if isinstance(data, dict) and "value" in data else data

    def columns(self, endpoint: str) -> set[str]:
        """Known columns: DataProperties keys (v3 data), else every key any record has."""
        cols: set[str] = set()
        for rec in self.records(endpoint):
            cols.update(rec)
        if endpoint in V3_DATA and self.has("DataProperties"):
            cols.update(p["Key"] for p in self.records("DataProperties") if p.get("Key"))
        return cols


class Mirror:
    """The tables of a mirror folder, by API version and table id (case-insensitive)."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self._tables: dict[tuple[str, str], MirrorTable] = {}
        for version in ("v3", "v4"):
            folder = self.root / version
            if folder.is_dir():
                for sub in folder.iterdir():
                    if sub.is_dir():
                        self._tables[(version, sub.name.lower())] = MirrorTable(sub)

    def table(self, version: str, table_id: str) -> MirrorTable | None:
        return self._tables.get((version, table_id.lower()))
