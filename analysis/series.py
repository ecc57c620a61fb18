"""Picking one region's series out of an indicator frame."""
from __future__ import annotations

import pandas as pd


def region_series(frame: pd.DataFrame, region_code: str) -> pd.DataFrame:
    """Rows of one region that have a start date, oldest first."""
    rows = frame[(frame["region_code"] == region_code) & frame["period_start"].notna()]
    return rows.sort_values("period_start")


def main_frequency(rows: pd.DataFrame) -> str | None:
    """Year if the series has yearly figures, else its most common frequency."""
    freqs = rows.loc[rows["value"].notna(), "frequency"].astype(str)
    if freqs.empty:
        return None
    return "year" if (freqs == "year").any() else freqs.value_counts().index[0]


def annual(frame: pd.DataFrame, region_code: str, column: str = "value") -> pd.Series:
    """The region's yearly values (or another numeric column's, such as a margin's ``lower``)
    indexed by year (int); NaN values dropped.

    Tables that mix years and quarters (emissions) use their yearly figures; a series with
    only quarters or months is indexed by fractional year so the trend still has a time axis.
    """
    rows = region_series(frame, region_code)
    freq = main_frequency(rows)
    if freq is None:
        return pd.Series(dtype="float64")
    rows = rows[(rows["frequency"] == freq) & rows["value"].notna() & rows[column].notna()]
    start = rows["period_start"]
    if freq == "year":
        index = start.dt.year
    else:
        index = start.dt.year + (start.dt.dayofyear - 1) / 365.25
    return pd.Series(rows[column].to_numpy(), index=index.to_numpy(), dtype="float64")
