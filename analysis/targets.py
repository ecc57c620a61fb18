"""Target tracking: is the indicator on course for its policy target?

For a target value in a target year: the annual pace needed from the latest figure, the pace
realised over the trend window (the trend slope), the value projected for the target year at
that pace, and the verdict *gehaald* (reached), *op koers* (the projection reaches it),
*niet op koers*, or *niet gehaald* (the target year has passed without reaching it).
Reduction targets are turned into a level from the base year's value. Cumulative targets
(900,000 homes) sum the yearly flow from the start year; annual targets compare each year's
flow with the yearly amount.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from data_sources.catalogue import Target

from .trend import WINDOW, trend

TARGET_VERDICTS = ("gehaald", "op koers", "niet op koers", "niet gehaald", "onvoldoende gegevens")


@dataclass(frozen=True)
class TargetStatus:
    target: Target
    verdict: str
    goal: float | None  # the level to reach (for reductions: from the base year)
    current: float | None  # latest value (cumulative targets: the sum so far)
    current_year: float | None
    needed_pace: float | None = None  # per year, from now to the target year
    realised_pace: float | None = None  # per year, over the trend window
    projected: float | None = None  # value in the target year at the realised pace
    goal_to: float | None = None  # other end of a band


def track_target(series: pd.Series, target: Target, better: str) -> TargetStatus:
    """``series``: the indicator's yearly values indexed by year (see analysis.series.annual)."""
    series = series.dropna().sort_index()
    if series.empty:
        return TargetStatus(target, "onvoldoende gegevens", None, None, None)
    if target.kind == "cumulative":
        return _cumulative(series, target)
    if target.kind == "annual":
        return _annual(series, target, better)
    goal, goal_to = target.value, target.value_to
    if target.kind == "reduction":
        base = series.get(target.base_year)
        if base is None or math.isnan(base):
            return TargetStatus(target, "onvoldoende gegevens", None, float(series.iloc[-1]), float(series.index[-1]))
        goal = base * (1 + target.value / 100)
        goal_to = None if target.value_to is None else base * (1 + target.value_to / 100)
    wants_higher = _wants_higher(better, goal, float(series.iloc[-1]))
    return _level(series, target, goal, goal_to, wants_higher)


def _wants_higher(better: str, goal: float, current: float) -> bool:
    if better == "hoger":
        return True
    if better == "lager":
        return False
    return goal >= current  # neutral indicator with a target: the target says which way


def _meets(value: float, goal: float, wants_higher: bool) -> bool:
    return value >= goal if wants_higher else value <= goal


def _level(series: pd.Series, target: Target, goal: float, goal_to: float | None, wants_higher: bool) -> TargetStatus:
    current_year, current = float(series.index[-1]), float(series.iloc[-1])
    pace = trend(series, "hoger" if wants_higher else "lager").slope
    realised = None if np.isnan(pace) else float(pace)
    if target.year is not None and current_year >= target.year:
        at_year = series[series.index <= target.year]
        value = float(at_year.iloc[-1]) if len(at_year) else current
        verdict = "gehaald" if _meets(value, goal, wants_higher) else "niet gehaald"
        return TargetStatus(target, verdict, goal, current, current_year, None, realised, None, goal_to)
    years_left = target.year - current_year
    needed = (goal - current) / years_left
    projected = None if realised is None else current + realised * years_left
    if _meets(current, goal, wants_higher):
        verdict = "gehaald"
    elif projected is None:
        verdict = "onvoldoende gegevens"
    else:
        verdict = "op koers" if _meets(projected, goal, wants_higher) else "niet op koers"
    return TargetStatus(target, verdict, goal, current, current_year, needed, realised, projected, goal_to)


def _cumulative(series: pd.Series, target: Target) -> TargetStatus:
    since = series[series.index >= target.start_year]
    if since.empty:
        return TargetStatus(target, "onvoldoende gegevens", target.value, None, None)
    done, last_year = float(since.sum()), float(since.index[-1])
    realised = float(since.tail(WINDOW).mean())
    years_left = target.year - last_year
    if done >= target.value:
        verdict = "gehaald"
        needed = projected = None
    elif years_left <= 0:
        verdict, needed, projected = "niet gehaald", None, None
    else:
        needed = (target.value - done) / years_left
        projected = done + realised * years_left
        verdict = "op koers" if projected >= target.value else "niet op koers"
    return TargetStatus(target, verdict, target.value, done, last_year, needed, realised, projected)


def _annual(series: pd.Series, target: Target, better: str) -> TargetStatus:
    current_year, current = float(series.index[-1]), float(series.iloc[-1])
    wants_higher = better != "lager"
    verdict = "gehaald" if _meets(current, target.value, wants_higher) else "niet op koers"
    return TargetStatus(target, verdict, target.value, current, current_year, target.value, current, None)


def reading_order(statuses: list[TargetStatus], this_year: int) -> list[TargetStatus]:
    """Every target, the nearest open one first: open targets (year not yet passed, or no
    year) by year, then the passed ones, most recent first. Nothing is dropped, so an
    off-track target is never hidden behind one that was reached."""
    def key(status: TargetStatus):
        year = status.target.year
        if year is None or year >= this_year:
            return (0, year if year is not None else 10_000)
        return (1, -year)

    return sorted(statuses, key=key)
