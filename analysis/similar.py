"""Comparable municipalities: the ones most like a given one on population size, density and
urbanity, with the features shown so a user can see why.

Each feature is standardised (z-score over all municipalities; population on a log scale, as
sizes span three orders of magnitude) and municipalities are ordered by Euclidean distance.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

LOG_FEATURES = ("inwoners",)


def features_table(frames: dict[str, pd.DataFrame], level: str = "gemeente") -> pd.DataFrame:
    """One row per region of today's division with each feature's value in its latest period
    (name -> frame). A municipality merged away since has no value then, so it is never
    offered as comparable on old figures."""
    columns = {}
    names = {}
    for name, frame in frames.items():
        rows = frame[(frame["region_level"] == level) & frame["value"].notna() & frame["period_start"].notna()]
        latest = rows[rows["period_start"] == rows["period_start"].max()]
        columns[name] = latest.set_index("region_code")["value"]
        names.update(latest.set_index("region_code")["region_name"].to_dict())
    table = pd.DataFrame(columns).dropna()
    table.insert(0, "region_name", pd.Series(names))
    return table


def comparable_regions(features: pd.DataFrame, region_code: str, n: int = 5) -> pd.DataFrame:
    """The ``n`` regions closest to ``region_code`` (itself excluded), nearest first."""
    if region_code not in features.index:
        return features.iloc[0:0].assign(distance=pd.Series(dtype=float))
    numeric = features.drop(columns=["region_name"]).astype(float)
    for col in numeric.columns:
        if col in LOG_FEATURES:
            numeric[col] = np.log10(numeric[col].clip(lower=1))
    spread = numeric.std(ddof=0).replace(0, 1)
    z = (numeric - numeric.mean()) / spread
    distance = np.sqrt(((z - z.loc[region_code]) ** 2).sum(axis=1))
    result = features.assign(distance=distance).drop(index=region_code)
    return result.sort_values(["distance", "region_name"]).head(n)


def missing_features(frames: dict[str, pd.DataFrame], region_code: str, level: str = "gemeente") -> dict[str, str]:
    """The features ``region_code`` has no value for in their latest period (name -> period):
    why it has no comparable regions (a municipality formed after the latest urbanity figures)."""
    missing = {}
    for name, frame in frames.items():
        rows = frame[(frame["region_level"] == level) & frame["value"].notna() & frame["period_start"].notna()]
        if rows.empty:
            continue
        latest = rows[rows["period_start"] == rows["period_start"].max()]
        if not (latest["region_code"] == region_code).any():
            missing[name] = str(latest["period"].iloc[0])
    return missing
