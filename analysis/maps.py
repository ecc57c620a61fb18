"""Pure logic behind the maps: which boundaries a period uses, how values join to shapes, and
the colour classes of a legend."""
from __future__ import annotations

from dataclasses import dataclass

import json

import numpy as np
import pandas as pd
import shapely

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
    method: str  # "kwantielen", "vaste grenzen", "rond Nederland" or "één waarde" (every region has the same value)
    centre: float | None = None  # "rond Nederland": Nederland's value, one of the edges

    @property
    def below_centre(self) -> int:
        """How many classes lie below the centre (all of them without one)."""
        return self.count if self.centre is None else self.edges.index(self.centre)

    def index(self, values: pd.Series) -> pd.Series:
        """Class number (0 = lowest) per value; NaN stays NaN."""
        inner = np.asarray(self.edges[1:-1], dtype=float)
        idx = np.searchsorted(inner, values.to_numpy(dtype=float), side="right").astype(float)
        idx[np.isnan(values.to_numpy(dtype=float))] = np.nan
        return pd.Series(idx, index=values.index)

    @property
    def count(self) -> int:
        return len(self.edges) - 1


def is_share(unit: str) -> bool:
    """Percentages and 'per ...' rates sit on a scale with meaningful round numbers."""
    unit = unit.strip().lower()
    return unit == "%" or unit.startswith("%") or "procent" in unit


def classify(values: pd.Series, unit: str, decimals: int, classes: int = CLASSES) -> Classes | None:
    """Quantile classes (equal numbers of regions per class: counts and amounts are skewed, so
    equal intervals would put nearly everyone in one class); for percentages fixed breaks at
    round numbers (equal steps between the rounded minimum and maximum), which read more
    easily. Edges are rounded to the indicator's decimals and never repeat."""
    clean = values.dropna().astype(float)
    if clean.empty:
        return None
    low, high = float(clean.min()), float(clean.max())
    if low == high:
        return Classes([low, high], "één waarde")
    if is_share(unit):
        step = _nice_step((high - low) / classes)
        start = np.floor(low / step) * step
        edges = [start + step * i for i in range(classes + 1)]
        while edges[-1] < high:
            edges.append(edges[-1] + step)
        while len(edges) > 2 and edges[-2] >= high:
            edges.pop()
        method = "vaste grenzen"
    else:
        edges = list(np.quantile(clean, np.linspace(0, 1, classes + 1)))
        method = "kwantielen"
    rounded = [round(e, decimals) for e in edges]
    rounded[0], rounded[-1] = min(rounded[0], low), max(rounded[-1], high)
    unique = sorted(set(rounded))
    if len(unique) < 2:
        unique = [low, high]
    return Classes(unique, method)


def diverging(values: pd.Series, centre: float, decimals: int, per_side: int = 3) -> Classes | None:
    """Classes in equal round steps below and above ``centre`` (Nederland's value), at most
    ``per_side`` on each side, so a map reads as 'better or worse than Nederland, and by how
    much'. None when the centre is not strictly inside the values or the steps would vanish
    in the indicator's decimals (the map then uses classify)."""
    clean = values.dropna().astype(float)
    if clean.empty or not clean.min() < centre < clean.max():
        return None
    low, high = float(clean.min()), float(clean.max())
    step = max(_nice_step(max(centre - low, high - centre) / per_side), 10.0 ** -decimals)
    below, above = int(np.ceil((centre - low) / step)), int(np.ceil((high - centre) / step))
    edges = [centre + step * k for k in range(-below, above + 1)]
    edges[0], edges[below], edges[-1] = low, centre, high  # the outer classes end at the real extremes
    return Classes(edges, "rond Nederland", centre=centre)


def _nice_step(raw: float) -> float:
    """1, 2, 2.5 or 5 times a power of ten, at least ``raw``."""
    power = 10 ** np.floor(np.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if factor * power >= raw:
            return float(factor * power)
    return float(10 * power)
