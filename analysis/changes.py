"""Latest change: the last period against the one before, and against the same period a year
earlier for quarters and months."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .series import main_frequency, region_series


@dataclass(frozen=True)
class Change:
    period: str
    value: float
    status: str | None
    previous_period: str | None = None
    previous_value: float | None = None
    year_ago_period: str | None = None
    year_ago_value: float | None = None

    @property
    def change(self) -> float | None:
        return None if self.previous_value is None else self.value - self.previous_value

    @property
    def change_pct(self) -> float | None:
        return _pct(self.value, self.previous_value)

    @property
    def year_change_pct(self) -> float | None:
        return _pct(self.value, self.year_ago_value)


def latest_change(frame: pd.DataFrame, region_code: str) -> Change | None:
    rows = region_series(frame, region_code)
    freq = main_frequency(rows)
    if freq is None:
        return None
    rows = rows[(rows["frequency"] == freq) & rows["value"].notna()]
    last = rows.iloc[-1]
    status = None if pd.isna(last["status"]) else str(last["status"])
    change = Change(str(last["period"]), float(last["value"]), status)
    if len(rows) >= 2:
        prev = rows.iloc[-2]
        change = Change(change.period, change.value, status, str(prev["period"]), float(prev["value"]))
    if freq in ("quarter", "month"):
        year_ago = rows[rows["period_start"] == last["period_start"] - pd.DateOffset(years=1)]
        if len(year_ago):
            change = Change(
                change.period, change.value, status, change.previous_period, change.previous_value,
                str(year_ago.iloc[0]["period"]), float(year_ago.iloc[0]["value"]),
            )
    return change


def _pct(value: float, base: float | None) -> float | None:
    if base is None or base == 0:
        return None
    return (value - base) / abs(base) * 100
