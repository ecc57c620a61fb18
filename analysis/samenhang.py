"""How opgaven hang together over municipalities: two indicators paired per region in one
period, their correlation, and 'stapeling': regions in the worst fifth on several opgaven."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from .regional import level_values

MIN_PAIRS = 3
WORST_SHARE = 0.2  # the worst quintile


def periods_with_values(frame: pd.DataFrame, level: str) -> list[str]:
    rows = frame[(frame["region_level"] == level) & frame["value"].notna() & frame["period_start"].notna()]
    return list(rows.sort_values("period_start")["period"].drop_duplicates())


def overlapping_periods(x: pd.DataFrame, y: pd.DataFrame, level: str) -> list[str]:
    """Periods in which both indicators have values for regions of ``level``, oldest first."""
    in_y = set(periods_with_values(y, level))
    return [p for p in periods_with_values(x, level) if p in in_y]


def paired(x: pd.DataFrame, y: pd.DataFrame, level: str, period: str) -> pd.DataFrame:
    """region_code, region_name, x, y for the regions with both values in ``period``."""
    left = level_values(x, level, period)[["region_code", "region_name", "value"]].rename(columns={"value": "x"})
    right = level_values(y, level, period)[["region_code", "value"]].rename(columns={"value": "y"})
    return left.merge(right, on="region_code").reset_index(drop=True)


@dataclass(frozen=True)
class Correlation:
    n: int
    pearson: float | None
    spearman: float | None
    p_value: float | None  # of Pearson's r against no linear relation

    @property
    def strength(self) -> str:
        """A plain word for |r| (rules of thumb after Cohen): nauwelijks, zwak, matig, sterk."""
        if self.pearson is None:
            return "onbekend"
        size = abs(self.pearson)
        return "nauwelijks" if size < 0.1 else "zwak" if size < 0.3 else "matig" if size < 0.5 else "sterk"


def correlation(pairs: pd.DataFrame) -> Correlation:
    n = len(pairs)
    if n < MIN_PAIRS or pairs["x"].nunique() < 2 or pairs["y"].nunique() < 2:
        return Correlation(n, None, None, None)
    pearson = stats.pearsonr(pairs["x"], pairs["y"])
    spearman = stats.spearmanr(pairs["x"], pairs["y"])
    return Correlation(n, float(pearson.statistic), float(spearman.statistic), float(pearson.pvalue))


def worst_fifth(frame: pd.DataFrame, level: str, better: str) -> tuple[str | None, set[str]]:
    """The latest period with values for ``level`` and the regions in its worst quintile
    (lowest fifth where higher is better, highest fifth where lower is better)."""
    periods = periods_with_values(frame, level)
    if better not in ("hoger", "lager") or not periods:
        return None, set()
    values = level_values(frame, level, periods[-1]).set_index("region_code")["value"]
    if better == "hoger":
        worst = values[values <= values.quantile(WORST_SHARE)]
    else:
        worst = values[values >= values.quantile(1 - WORST_SHARE)]
    return periods[-1], set(worst.index)


def stapeling(worst: dict[str, tuple[str, set[str]]], names: dict[str, str]) -> pd.DataFrame:
    """Per region: on how many opgaven it is in the worst fifth of at least one indicator, and
    which. ``worst`` maps an indicator title to (opgave title, region codes). Most first."""
    opgaven: dict[str, set[str]] = {}
    indicators: dict[str, list[str]] = {}
    for indicator, (opgave, codes) in worst.items():
        for code in codes:
            opgaven.setdefault(code, set()).add(opgave)
            indicators.setdefault(code, []).append(indicator)
    table = pd.DataFrame({
        "region_code": list(opgaven),
        "region_name": [names.get(c, c) for c in opgaven],
        "opgaven": [len(opgaven[c]) for c in opgaven],
        "which_opgaven": [", ".join(sorted(opgaven[c])) for c in opgaven],
        "indicators": [", ".join(sorted(indicators[c])) for c in opgaven],
    }, columns=["region_code", "region_name", "opgaven", "which_opgaven", "indicators"])
    return table.sort_values(["opgaven", "region_name"], ascending=[False, True]).reset_index(drop=True)


def marker_sizes(population: pd.Series, smallest: float = 5, largest: float = 40) -> pd.Series:
    """Marker diameters whose areas follow population (square root), within bounds."""
    clean = population.astype(float)
    if clean.notna().sum() == 0 or clean.max() <= 0:
        return pd.Series(smallest * 2, index=population.index)
    root = np.sqrt(clean.clip(lower=0))
    return (smallest + (largest - smallest) * root / root.max()).fillna(smallest)
