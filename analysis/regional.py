"""Regional spread: how regions of one level compare in a period.

CBS publishes some rows under codes that are no place at all. They are left out of every
rank, count, spread and map here, and listed apart (``pseudo_values``). How they are known,
never from the code's look alone:

- a title starting with "Niet in te delen" (PV99, LD99, AM99 ...): CBS's own description of
  those codes (85554NED RegioSCodes) says the figures could not be assigned to a region
  "door een gebrek aan informatie of door onjuiste informatie";
- GM0000, which CBS publishes without a title: in 85005NED (zonnepanelen) it carries in every
  measure and year exactly the values of PV99 "Niet in te delen (PV)" and LD99, so it is the
  municipal "niet in te delen".
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

NOT_ASSIGNABLE_TITLE = "niet in te delen"
# Untitled codes confirmed from their values to be "niet in te delen" (see the docstring).
NOT_ASSIGNABLE_CODES = {"GM0000": ("Niet in te delen (GM)", "Not assignable (GM)")}


@dataclass(frozen=True)
class Spread:
    period: str
    level: str
    count: int
    minimum: float
    q1: float
    median: float
    q3: float
    maximum: float


def is_pseudo(codes: pd.Series, names: pd.Series) -> pd.Series:
    """True for CBS's non-geographic codes ("niet in te delen"), per row."""
    titled = names.astype(str).str.strip().str.lower().str.startswith(NOT_ASSIGNABLE_TITLE)
    return titled | codes.astype(str).isin(NOT_ASSIGNABLE_CODES)


def _geographic(frame: pd.DataFrame, level: str) -> pd.DataFrame:
    rows = frame[(frame["region_level"] == level) & frame["value"].notna()]
    return rows[~is_pseudo(rows["region_code"], rows["region_name"])]


def level_values(frame: pd.DataFrame, level: str, period: str) -> pd.DataFrame:
    """region_code, region_name, value of every region of ``level`` with a value in ``period``
    (real regions only: never a "niet in te delen" code)."""
    rows = _geographic(frame, level)
    rows = rows[rows["period"] == period]
    return rows[["region_code", "region_name", "value", "status"]].reset_index(drop=True)


def pseudo_values(frame: pd.DataFrame, level: str, period: str) -> pd.DataFrame:
    """The non-geographic rows of ``level`` holding a value in ``period``, to list apart."""
    rows = frame[(frame["region_level"] == level) & (frame["period"] == period) & frame["value"].notna()]
    rows = rows[is_pseudo(rows["region_code"], rows["region_name"])]
    return rows[["region_code", "region_name", "value"]].reset_index(drop=True)


def latest_period(frame: pd.DataFrame, level: str) -> str | None:
    """The most recent period in which regions of ``level`` have values."""
    rows = _geographic(frame, level)
    rows = rows[rows["period_start"].notna()]
    if rows.empty:
        return None
    return str(rows.sort_values("period_start")["period"].iloc[-1])


def spread(frame: pd.DataFrame, level: str, period: str) -> Spread | None:
    values = level_values(frame, level, period)["value"]
    if values.empty:
        return None
    q = values.quantile([0, 0.25, 0.5, 0.75, 1]).tolist()
    return Spread(period, level, len(values), *q)


COVERED = 0.5  # a period "has data" for a level when at least half as many regions have a value as in its best-covered period


def region_counts(frame: pd.DataFrame, level: str) -> pd.Series:
    """Regions with a value per period of ``level`` (real regions only), oldest period first."""
    rows = _geographic(frame, level)
    rows = rows[rows["period_start"].notna()]
    order = rows.drop_duplicates("period").sort_values("period_start")["period"]
    return rows.groupby("period")["region_code"].nunique().reindex(order)


def well_covered(frame: pd.DataFrame, level: str, period: str, size: int | None = None) -> bool:
    """Whether ``period`` has values for at least half as many regions of ``level`` as ``size``
    (the level's number of regions; by default this frame's best-covered period): a rank
    among the four cities CBS publishes prices for is no rank among municipalities."""
    counts = region_counts(frame, level)
    if period not in counts.index:
        return False
    return counts[period] >= COVERED * (size if size is not None else counts.max())


def rank_order(better: str, total: bool) -> str:
    """The direction a rank runs: a total (kW, people) runs largest first whatever its
    ``better``, as the size of a region is no merit; otherwise best first (highest first
    without a direction)."""
    return "neutraal" if total else better


def ranked(frame: pd.DataFrame, level: str, period: str, better: str) -> pd.DataFrame:
    """Regions best first (highest first for ``hoger`` and ``neutraal``), with a 1-based rank."""
    values = level_values(frame, level, period)
    ascending = better == "lager"
    values = values.sort_values(["value", "region_name"], ascending=[ascending, True]).reset_index(drop=True)
    values["rank"] = values["value"].rank(method="min", ascending=ascending).astype(int)
    return values


def rank_of(frame: pd.DataFrame, level: str, period: str, better: str, region_code: str) -> tuple[int, int] | None:
    table = ranked(frame, level, period, better)
    row = table[table["region_code"] == region_code]
    if row.empty:
        return None
    return int(row["rank"].iloc[0]), len(table)
