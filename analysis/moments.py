"""What a series did before and after a policy moment, as a description only.

The average yearly change over the years up to the moment's year and over the years from it
on: two slopes between first and last value of each side. It says how the figures moved, not
what the policy did: other causes change over the same years, and one moment's "after" is
another moment's "before". Pages label it that way."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

WINDOW = 5  # years on each side at most


@dataclass(frozen=True)
class AroundMoment:
    before: float | None  # average change per year, in the series' unit
    after: float | None
    before_years: tuple[int, int] | None  # (first, last) year of each side
    after_years: tuple[int, int] | None


def change_around(series: pd.Series, when: date, window: int = WINDOW) -> AroundMoment:
    """``series``: values indexed by year (as ``analysis.series.annual`` gives). The moment's
    own year ends the "before" side and starts the "after" side."""
    series = series.dropna().sort_index()
    if not all(float(i).is_integer() for i in series.index):  # quarters or months: no yearly change
        return AroundMoment(None, None, None, None)
    pivot = when.year
    before = series[(series.index >= pivot - window) & (series.index <= pivot)]
    after = series[(series.index >= pivot) & (series.index <= pivot + window)]
    b_slope, b_years = _slope(before)
    a_slope, a_years = _slope(after)
    return AroundMoment(b_slope, a_slope, b_years, a_years)


def _slope(part: pd.Series) -> tuple[float | None, tuple[int, int] | None]:
    if len(part) < 2:
        return None, None
    first, last = int(part.index[0]), int(part.index[-1])
    return float((part.iloc[-1] - part.iloc[0]) / (last - first)), (first, last)
