"""Pure logic behind the maps: which boundaries a period uses, how values join to shapes, and
the colour classes of a legend."""
from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely

from .regional import COVERED, region_counts

CLASSES = 5


@dataclass(frozen=True)
class BoundaryChoice:
    year: int
    exact: bool  # False: the boundaries of another year stand in (the map says so)


def choose_boundaries(available: list[int], wanted: int, data_codes: set[str] | None = None,
                      codes_by_year: dict[int, set[str]] | None = None) -> BoundaryChoice | None:
    """The boundaries of ``wanted``; else the nearest year, ties broken by which year's codes
    match the data best (then the later year). None when there are none at all."""
    if not available:
        return None
    if wanted in available:
        return BoundaryChoice(wanted, True)

    def matched(year: int) -> int:
        if not data_codes or not codes_by_year:
            return 0
        return len(data_codes & codes_by_year.get(year, set()))

    year = min(available, key=lambda y: (abs(y - wanted), -matched(y), -y))
    return BoundaryChoice(year, False)


@dataclass
class Join:
    """Values joined to shapes: every shape once (value NaN where there is none), plus what did
    not match either way, so nothing is dropped silently."""

    table: pd.DataFrame  # region_code, region_name, value (NaN: geen gegevens), in shape order
    without_shape: pd.DataFrame  # data rows whose code has no shape in these boundaries
    without_data: list[str]  # shape codes with no value in the data


def join_values(values: pd.DataFrame, shapes: dict[str, str]) -> Join:
    """``values`` has region_code, region_name, value; ``shapes`` maps code -> shape name."""
    by_code = values.drop_duplicates("region_code").set_index("region_code")
    codes = list(shapes)
    table = pd.DataFrame({"region_code": codes})
    table["region_name"] = [by_code["region_name"].get(c, shapes[c]) for c in codes]
    table["value"] = [float(by_code["value"].get(c, np.nan)) for c in codes]
    without_shape = values[~values["region_code"].isin(shapes)].reset_index(drop=True)
    without_data = table.loc[table["value"].isna(), "region_code"].tolist()
    return Join(table, without_shape, without_data)


def inner_points(geojson: dict) -> dict[str, tuple[float, float]]:
    """A point inside every shape (lon, lat), where a map marks a region without a colour:
    a point on the surface, never outside a bent municipality as a centroid can be."""
    points = {}
    for feature in geojson["features"]:
        point = shapely.point_on_surface(shapely.from_geojson(json.dumps(feature["geometry"])))
        points[feature["id"]] = (float(point.x), float(point.y))
    return points


@dataclass(frozen=True)
class Classes:
    edges: list[float]  # ascending, len = classes + 1
    method: str  # "kwantielen" or "één waarde" (every region has the same value)

    def index(self, values: pd.Series) -> pd.Series:
        """Class number (0 = lowest) per value; NaN stays NaN. A value on an edge belongs to
        the class above it."""
        inner = np.asarray(self.edges[1:-1], dtype=float)
        idx = np.searchsorted(inner, values.to_numpy(dtype=float), side="right").astype(float)
        idx[np.isnan(values.to_numpy(dtype=float))] = np.nan
        return pd.Series(idx, index=values.index)

    @property
    def count(self) -> int:
        return len(self.edges) - 1

    def shares(self, values: pd.Series) -> list[float]:
        """The share of the values (NaN left out) in each class, lowest class first."""
        index = self.index(values.dropna())
        return [float((index == i).mean()) if len(index) else 0.0 for i in range(self.count)]


MAX_SHARE = 0.4  # no class holds more than this share of the regions (where the values allow)
MIN_SHARE = 0.1  # nor less: no sliver classes


def classify(values: pd.Series, decimals: int, classes: int = CLASSES) -> Classes | None:
    """Quantile classes: about as many regions in each class, so the map shows the spread
    (equal steps put nearly every region of a skewed count in one or two classes, and leave
    sliver classes at the ends). Inner edges are rounded as coarsely as keeps every class
    (rounding to two significant digits of the range first, never finer than the
    indicator's decimals); the outer edges are the real minimum and maximum."""
    clean = values.dropna().astype(float)
    if clean.empty:
        return None
    low, high = float(clean.min()), float(clean.max())
    if low == high:
        return Classes([low, high], "één waarde")
    raw = np.quantile(clean, np.linspace(0, 1, classes + 1))[1:-1]
    coarsest = min(decimals, 1 - int(np.floor(np.log10(high - low))))
    candidates = []
    for places in range(coarsest, decimals + 1):
        inner = sorted({r for e in raw if low < (r := float(round(e, places))) < high})
        found = Classes([low, *inner, high], "kwantielen")
        shares = found.shares(clean)
        if found.count == classes and MIN_SHARE <= min(shares) and max(shares) <= MAX_SHARE:
            return found
        candidates.append(found)
    # Heavily tied values (a few distinct values) allow no fair split: the most classes.
    return max(candidates, key=lambda c: (c.count, -max(c.shares(clean))))


def opening_view(frame: pd.DataFrame, levels: list[str], prefer: str | None = None) -> tuple[str, str] | None:
    """The level and period a map opens at: per level ``prefer`` (the headline's period) when
    it is one of the level's well-covered periods, else its latest well-covered period (with
    at least half as many regions as its best-covered period: a latest quarter with four
    cities is not the picture of a level); of the levels the one whose period covers the most
    regions (ties: the first of ``levels``)."""
    best = None
    for level in levels:
        counts = region_counts(frame, level)
        if counts.empty:
            continue
        covered = counts[counts >= COVERED * counts.max()]
        period = prefer if prefer in covered.index else str(covered.index[-1])
        if best is None or counts[period] > best[2]:
            best = (level, period, counts[period])
    return None if best is None else best[:2]

