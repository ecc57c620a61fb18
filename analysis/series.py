"""Picking one region's series out of an indicator frame."""
from __future__ import annotations

import pandas as pd

from data_sources.frame import OPTIONAL_COLUMNS


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


def with_gaps(rows: pd.DataFrame) -> pd.DataFrame:
    """One region's rows of one frequency, oldest first, with an empty row (value NaN) where a
    period is missing, so a line drawn through them breaks there instead of bridging the gap.

    The step is the series' shortest distance between two periods, so a survey held every four
    years (2012, 2016, 2020) has no gaps, while a yearly series without 2020 has one."""
    rows = rows.sort_values("period_start")
    if rows.empty or rows["frequency"].nunique() != 1:
        return rows
    months = rows["period_start"].dt.year * 12 + rows["period_start"].dt.month
    steps = months.diff()
    step = steps[steps > 0].min()
    if pd.isna(step):
        return rows
    frequency = str(rows["frequency"].iloc[0])
    gaps = []
    for (_, before), gap in zip(rows.iloc[:-1].iterrows(), steps.iloc[1:], strict=True):
        if gap > step:
            start = before["period_start"] + pd.DateOffset(months=int(step))
            empty = {column: None for column in OPTIONAL_COLUMNS if column in rows}  # no margin, note or page either
            gaps.append(before.to_dict() | empty | {"period_start": start, "period": _period_code(start, frequency), "value": float("nan"), "status": None})
    if not gaps:
        return rows
    return pd.concat([rows, pd.DataFrame(gaps).astype(rows.dtypes.to_dict(), errors="ignore")]).sort_values("period_start")


def _period_code(start: pd.Timestamp, frequency: str) -> str:
    """The CBS code of a period that has no row (2020JJ00, 2020KW02, 2020MM05)."""
    if frequency == "year":
        return f"{start.year}JJ00"
    if frequency == "quarter":
        return f"{start.year}KW{(start.month - 1) // 3 + 1:02d}"
    return f"{start.year}MM{start.month:02d}"
