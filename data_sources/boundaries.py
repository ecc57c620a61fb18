"""Boundaries as a source: CBS gebiedsindelingen (gemeenten, provincies per year) from PDOK's
WFS, or from an offline folder, into the store's ``boundaries/`` folder.

The shapes are simplified ONCE, here at refresh, for the browser (topology-preserving
Douglas-Peucker, then snapped to a coordinate grid, which also keeps them valid), so a page
only reads a small finished GeoJSON file and never simplifies on a rerun. Coordinates are
WGS84 lon/lat (what plotly draws); PDOK's default RD New (EPSG:28992) is reprojected.

Per level and year: ``boundaries/<level>_<year>.geojson`` and ``<level>_<year>.json`` (the
provenance and refresh bookkeeping). Every write is atomic; a failed fetch keeps the last
good file and records why.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import numpy as np
import pandas as pd
import pyarrow as pa
import shapely
from pyproj import Transformer

from .disk import atomic_write_bytes
from .geo_layout import LAYERS, local_file
from .http import HostUnreachable, JsonClient, SourceError
from .settings import geo_base_url
from .store import StoreError, now_iso

FOLDER = "boundaries"
TOLERANCE = 0.0015  # degrees (about 100 to 170 m): invisible on a map of the whole country
GRID = 0.0001  # degrees (about 7 to 11 m): coordinate rounding, 4 decimals
CODE_PREFIX = {"gemeente": "GM", "provincie": "PV"}
SOURCE = "CBS gebiedsindelingen via PDOK (WFS)"
LICENCE = "CC BY 4.0"
ATTRIBUTION = "Bron: CBS, Kadaster (PDOK)"
RD_NEW = "EPSG:28992"
_FILE_NAME = re.compile(r"^(gemeente|provincie)_(\d{4})\.geojson$")
FILE_NAME = re.compile(r"^(?P<level>gemeente|provincie)_(?P<year>\d{4})\.(?P<kind>geojson|json)$")  # shapes and their meta


def wfs_url(base: str, level: str, year: int) -> str:
    query = {
        "service": "WFS", "version": "2.0.0", "request": "GetFeature",
        "typeName": LAYERS[level], "outputFormat": "application/json",
    }
    return f"{base}/{year}/wfs/v1_0?{urlencode(query)}"


def fetch(level: str, year: int, client: JsonClient, base: str | None = None) -> tuple[dict, str, int]:
    """The raw FeatureCollection, where it came from and its size in bytes; raises SourceError."""
    base = base if base is not None else geo_base_url()
    if not re.match(r"^https?://", base):
        folder = Path(base.removeprefix("file://"))
        path = local_file(folder, level, year)
        if path is None:
            raise SourceError(f"no {level} boundaries for {year} in {folder}", status=404)
        raw = path.read_bytes()
        try:
            return json.loads(raw), str(path), len(raw)
        except ValueError as exc:
            raise SourceError(f"{path}: not JSON ({exc})") from exc
    url = wfs_url(base, level, year)
    before = client.bytes_transferred
    body = client.get_json(url)
    return body, url, client.bytes_transferred - before


def _crs_name(collection: dict) -> str:
    crs = collection.get("crs") or {}
    return str((crs.get("properties") or {}).get("name", ""))


def _is_rd(collection: dict, geometries: list) -> bool:
    """RD New when the collection says so, or when its coordinates cannot be lon/lat."""
    if "28992" in _crs_name(collection):
        return True
    xmin, ymin, xmax, ymax = shapely.total_bounds(geometries)
    return bool(xmax > 180 or ymax > 90)


AREAS = ("Polygon", "MultiPolygon")
STORED_AREAS = (*AREAS, "GeometryCollection")  # simplification can leave a polygon with a sliver line


def areas(collection: dict, level: str, source: str, kinds: tuple[str, ...] = AREAS) -> tuple[list[str], list[str], list]:
    """Codes, names and shapes of a FeatureCollection of areas (``kinds``) with distinct codes
    of ``level``; raises SourceError naming the source and the feature otherwise (also how a
    snapshot's stored shapes are checked before import, with STORED_AREAS)."""
    features = collection.get("features") if isinstance(collection, dict) else None
    if not isinstance(features, list) or not features:
        raise SourceError(f"{source}: no GeoJSON features")
    codes, names, geometries = [], [], []
    for n, feature in enumerate(features):
        props = feature.get("properties") if isinstance(feature, dict) else None
        props = props if isinstance(props, dict) else {}
        code = str(props.get("statcode", "")).strip()
        if not code.startswith(CODE_PREFIX[level]):
            raise SourceError(f"{source}: feature {n} has no {level} code in 'statcode' ({code!r})")
        try:
            geometry = shapely.from_geojson(json.dumps(feature["geometry"]))
        except (KeyError, TypeError, shapely.errors.GEOSException) as exc:
            raise SourceError(f"{source}: feature {n} ({code}) has no readable geometry ({exc})") from exc
        if geometry.geom_type not in kinds:
            raise SourceError(f"{source}: feature {n} ({code}) is a {geometry.geom_type}, not an area")
        codes.append(code)
        names.append(str(props.get("statnaam", code)).strip())
        geometries.append(geometry)
    duplicates = sorted(code for code, count in Counter(codes).items() if count > 1)
    if duplicates:
        raise SourceError(f"{source}: codes occur more than once: {', '.join(duplicates)}")
    return codes, names, geometries


def simplify(collection: dict, level: str, source: str, tolerance: float = TOLERANCE, grid: float = GRID) -> tuple[dict, dict]:
    """A small, valid lon/lat FeatureCollection with only ``statcode`` and ``statnaam``, and
    notes on what was done. Raises SourceError naming the source and feature when the input
    is not a collection of (multi)polygons with a code of the level."""
    codes, names, geometries = areas(collection, level, source)
    reprojected = _is_rd(collection, geometries)
    if reprojected:
        to_lonlat = Transformer.from_crs(RD_NEW, "EPSG:4326", always_xy=True)
        geometries = [shapely.transform(g, lambda xy: _stack(to_lonlat.transform(xy[:, 0], xy[:, 1]))) for g in geometries]
    simplified = shapely.simplify(shapely.make_valid(geometries), tolerance, preserve_topology=True)
    snapped = shapely.set_precision(simplified, grid)
    # d3-geo (which plotly uses) reads clockwise exterior rings as the area inside.
    oriented = shapely.orient_polygons(snapped, exterior_cw=True)
    out = []
    for code, name, geometry in zip(codes, names, oriented, strict=True):
        if geometry.is_empty or not geometry.is_valid:
            raise SourceError(f"{source}: {code} lost its shape in simplification (tolerance {tolerance})")
        out.append({"type": "Feature", "id": code, "properties": {"statcode": code, "statnaam": name},
                    "geometry": json.loads(shapely.to_geojson(geometry))})
    notes = {"crs_in": _crs_name(collection) or ("RD New (from the coordinates)" if reprojected else "WGS84 lon/lat"),
             "reprojected_from_rd": reprojected, "tolerance_degrees": tolerance, "grid_degrees": grid}
    return {"type": "FeatureCollection", "features": out}, notes


def _stack(pair):
    return np.column_stack(pair)


@dataclass
class Outcome:
    level: str
    year: int
    ok: bool
    features: int = 0
    bytes_in: int = 0
    bytes_out: int = 0
    error: str | None = None
    unpublished: bool = False  # the source does not publish this year (HTTP 404): no failure


class BoundaryStore:
    """The ``boundaries/`` folder of a store's data directory."""

    def __init__(self, root: Path):
        self.folder = Path(root) / FOLDER

    def shape_path(self, level: str, year: int) -> Path:
        return self.folder / f"{level}_{year}.geojson"

    def meta_path(self, level: str, year: int) -> Path:
        return self.folder / f"{level}_{year}.json"

    def years(self, level: str) -> list[int]:
        """Years with stored shapes of ``level``, ascending."""
        if not self.folder.is_dir():
            return []
        found = (_FILE_NAME.match(p.name) for p in self.folder.iterdir())
        return sorted(int(m.group(2)) for m in found if m and m.group(1) == level)

    def version(self) -> tuple:
        """Modification times of every file: a cache key that changes on every write."""
        if not self.folder.is_dir():
            return ()
        return tuple(sorted((p.name, p.stat().st_mtime_ns) for p in self.folder.iterdir() if not p.name.startswith(".")))

    def shapes(self, level: str, year: int) -> dict:
        path = self.shape_path(level, year)
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise SourceError(f"{path}: unreadable boundaries ({exc})") from exc

    def meta(self, level: str, year: int) -> dict:
        path = self.meta_path(level, year)
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def save(self, level: str, year: int, collection: dict, meta: dict) -> int:
        payload = json.dumps(collection, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        atomic_write_bytes(self.shape_path(level, year), payload)
        meta = {**meta, "bytes_stored": len(payload), "error": None, "error_at": None}
        atomic_write_bytes(self.meta_path(level, year), json.dumps(meta, ensure_ascii=False, indent=1).encode("utf-8"))
        return len(payload)

    def files(self) -> list[tuple[str, bytes]]:
        """Every stored shape file and its meta, as (file name, bytes): what an export zips."""
        if not self.folder.is_dir():
            return []
        return [(p.name, p.read_bytes()) for p in sorted(self.folder.iterdir()) if FILE_NAME.match(p.name)]

    def save_failure(self, level: str, year: int, reason: str) -> None:
        """Record a failed fetch; a stored shape file stays untouched."""
        meta = {**self.meta(level, year), "level": level, "year": year, "error": reason, "error_at": now_iso()}
        atomic_write_bytes(self.meta_path(level, year), json.dumps(meta, ensure_ascii=False, indent=1).encode("utf-8"))


def refresh_boundaries(root: Path, years: list[int], levels: tuple[str, ...] = tuple(LAYERS), client: JsonClient | None = None) -> list[Outcome]:
    """Fetch, simplify and store the boundaries of every level and year; one Outcome each."""
    client = client or JsonClient()
    store = BoundaryStore(root)
    outcomes = []
    for level in levels:
        for year in years:
            try:
                raw, source, size = fetch(level, year, client)
                collection, notes = simplify(raw, level, source)
            except SourceError as exc:
                missing = exc.status == 404
                if not missing and not isinstance(exc, HostUnreachable):  # a host given up says nothing of the year
                    store.save_failure(level, year, str(exc))
                outcomes.append(Outcome(level, year, False, error=("not available: " if missing else "") + str(exc), unpublished=missing))
                continue
            meta = {"level": level, "year": year, "layer": LAYERS[level], "source": SOURCE, "request_url": source,
                    "retrieved_at": now_iso(), "licence": LICENCE, "attribution": ATTRIBUTION,
                    "features": len(collection["features"]), "bytes_fetched": size, **notes}
            stored = store.save(level, year, collection, meta)
            outcomes.append(Outcome(level, year, True, len(collection["features"]), size, stored))
    return outcomes


def refresh_missing_boundaries(store, indicators, client: JsonClient | None = None) -> tuple[list[Outcome], dict[str, int]]:
    """Fetch the boundaries of every level for the years the regional data of ``indicators``
    needs and the store does not hold yet (what ``refresh`` does after the indicators).
    Returns the outcomes and, per level, how many years were already stored."""
    years = regional_years(store, indicators)
    shapes = BoundaryStore(store.root)
    outcomes, stored = [], {}
    for level in LAYERS:
        have = set(shapes.years(level))
        stored[level] = len(have & set(years))
        outcomes += refresh_boundaries(store.root, [y for y in years if y not in have], (level,), client)
    return outcomes, stored


def summary_lines(outcomes: list[Outcome], already: dict[str, int] | None = None) -> list[str]:
    """At most two lines per level: what was stored, already there or not published by the
    source (years, never URLs), and what failed with the first reason."""
    lines = []
    for level in dict.fromkeys([o.level for o in outcomes] + list(already or {})):
        mine = [o for o in outcomes if o.level == level]
        ok = [o.year for o in mine if o.ok]
        missing = [o.year for o in mine if o.unpublished]
        failed = [o for o in mine if not o.ok and not o.unpublished]
        parts = [f"{len(ok)} year(s) stored" + (f" ({year_ranges(ok)})" if ok else "")]
        if already and already.get(level):
            parts.append(f"{already[level]} already stored")
        if failed:
            parts.append(f"{len(failed)} failed")
        line = f"boundaries {level}: {', '.join(parts)}"
        if missing:
            line += f"; not published by the source: {year_ranges(missing)}"
        lines.append(line)
        if failed:
            lines.append(f"boundaries {level}: FAILED for {year_ranges([o.year for o in failed])}: {failed[0].error}")
    return lines


def year_ranges(years: list[int]) -> str:
    """2001-2004, 2007, 2010-2011: consecutive years joined."""
    runs: list[list[int]] = []
    for year in sorted(set(years)):
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return ", ".join(f"{run[0]}-{run[-1]}" if len(run) > 1 else str(run[0]) for run in runs)


def regional_years(store, indicators) -> list[int]:
    """Years in which any stored indicator has gemeente or provincie values: the boundaries
    its maps need. Reads only the three columns it needs (every refresh asks this)."""
    years: set[int] = set()
    for indicator in indicators:
        try:
            path = store.frame_path(indicator.id)
            rows = pd.read_parquet(path, columns=["region_level", "period_start", "value"]) if path.exists() else None
        except (StoreError, OSError, ValueError, pa.ArrowException):  # unreadable: nothing to map
            continue
        if rows is None:  # never refreshed
            continue
        rows = rows[rows["region_level"].astype(object).isin(tuple(LAYERS)) & rows["value"].notna()]
        years |= {int(y) for y in pd.to_datetime(rows["period_start"]).dropna().dt.year}
    return sorted(years)
