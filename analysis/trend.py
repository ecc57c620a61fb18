"""The trend verdict: one generic method for all indicators.

As CBS's Monitor Brede Welvaart does, no tuning per indicator: over the most recent
``WINDOW`` years (or all, if fewer, with at least ``MIN_POINTS`` observations) fit a straight
line by least squares. Its slope is the average annual change. When the slope is not
statistically distinguishable from zero (two-sided t-test, p >= ``ALPHA``) the verdict is
*stabiel*; otherwise the indicator's better direction turns rising or falling into
*verbetert* or *verslechtert* (for neutral indicators: *stijgt* or *daalt*).

Survey figures with a published 95% interval get one more test: when the window's last value
lies inside the first year's interval, or its first value inside the last year's, the change
is inside the margins and the verdict is *stabiel* however straight the line
(``Trend.within_margin`` says why).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

WINDOW = 8
MIN_POINTS = 4
ALPHA = 0.05

VERDICTS = ("verbetert", "stabiel", "verslechtert", "stijgt", "daalt", "onvoldoende gegevens", "niet van toepassing", "losse publicaties")


@dataclass(frozen=True)
class Trend:
    verdict: str
    slope: float  # average change per year, in the indicator's unit
    p_value: float
    points: int
    first: float | None  # first and last time point (year) of the window
    last: float | None
    within_margin: bool = False  # a rise or fall, but inside the survey's 95% margins


def window(series: pd.Series, years: int = WINDOW) -> pd.Series:
    """The part of a series (indexed by year) within the most recent ``years`` years."""
    series = series.dropna().sort_index()
    if series.empty:
        return series
    return series[series.index > series.index.max() - years]


def trend(series: pd.Series, better: str, years: int = WINDOW, min_points: int = MIN_POINTS, alpha: float = ALPHA,
          lower: pd.Series | None = None, upper: pd.Series | None = None) -> Trend:
    recent = window(series, years)
    if len(recent) < min_points or recent.index.nunique() < 2:
        return Trend("onvoldoende gegevens", np.nan, np.nan, len(recent), _first(recent), _last(recent))
    x = np.asarray(recent.index, dtype=float)
    y = recent.to_numpy(dtype=float)
    if np.allclose(y, y[0]):
        return Trend("stabiel", 0.0, 1.0, len(recent), x[0], x[-1])
    fit = stats.linregress(x, y)
    p_value = float(fit.pvalue)
    if not np.isfinite(p_value) or p_value >= alpha:
        verdict = "stabiel"
    else:
        verdict = direction_word(fit.slope, better)
    if verdict != "stabiel" and lower is not None and upper is not None and within_margins(recent, lower, upper):
        return Trend("stabiel", float(fit.slope), p_value, len(recent), x[0], x[-1], within_margin=True)
    return Trend(verdict, float(fit.slope), p_value, len(recent), x[0], x[-1])


def within_margins(recent: pd.Series, lower: pd.Series, upper: pd.Series) -> bool:
    """Whether the change from the window's first to its last value lies inside the 95%
    interval of either end (series indexed by year)."""
    first, last = recent.index[0], recent.index[-1]
    if not all(year in s.index and pd.notna(s[year]) for s in (lower, upper) for year in (first, last)):
        return False
    return bool(lower[first] <= recent[last] <= upper[first] or lower[last] <= recent[first] <= upper[last])


def indicator_trend(series: pd.Series, better: str, cumulative: bool,
                    lower: pd.Series | None = None, upper: pd.Series | None = None, publications: bool = False) -> Trend:
    """The trend of an indicator; a running total (homes added since 2022) only ever rises, so
    a verdict on it would say nothing: its progress is judged against its target instead.
    Figures from a handful of separate publications get no verdict either."""
    if cumulative or publications:
        recent = window(series)
        word = "losse publicaties" if publications else "niet van toepassing"
        return Trend(word, np.nan, np.nan, len(recent), _first(recent), _last(recent))
    return trend(series, better, lower=lower, upper=upper)


def direction_word(change: float, better: str) -> str:
    """'verbetert'/'verslechtert' for a change, or 'stijgt'/'daalt' when no direction is better."""
    if change == 0:
        return "stabiel"
    if better == "neutraal":
        return "stijgt" if change > 0 else "daalt"
    improving = (change > 0) == (better == "hoger")
    return "verbetert" if improving else "verslechtert"


def _first(s: pd.Series):
    return float(s.index[0]) if len(s) else None


def _last(s: pd.Series):
    return float(s.index[-1]) if len(s) else None
