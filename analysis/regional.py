"""Regional spread: how regions of one level compare in a period."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


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


def level_values(frame: pd.DataFrame, level: str, period: str) -> pd.DataFrame:
    """region_code, region_name, value of every region of ``level`` with a value in ``period``."""
    rows = frame[(frame["region_level"] == level) & (frame["period"] == period) & frame["value"].notna()]
    return rows[["region_code", "region_name", "value", "status"]].reset_index(drop=True)


def latest_period(frame: pd.DataFrame, level: str) -> str | None:
    """The most recent period in which regions of ``level`` have values."""
    rows = frame[(frame["region_level"] == level) & frame["value"].notna() & frame["period_start"].notna()]
    if rows.empty:
        return None
    return str(rows.sort_values("period_start")["period"].iloc[-1])


def spread(frame: pd.DataFrame, level: str, period: str) -> Spread | None:
    values = level_values(frame, level, period)["value"]
    if values.empty:
        return None
    q = values.quantile([0, 0.25, 0.5, 0.75, 1]).tolist()
    return Spread(period, level, len(values), *q)


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


def best_and_worst(frame: pd.DataFrame, level: str, period: str, better: str, n: int = 10) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``n`` best and ``n`` worst regions, never the same region in both: with fewer than
    2n regions each side gets half (12 provinces: 6 and 6)."""
    table = ranked(frame, level, period, better)
    n = min(n, len(table) // 2)
    return table.head(n), table.tail(n).iloc[::-1].reset_index(drop=True)
