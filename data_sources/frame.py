"""The indicator frame: the contract between the data layer, the analysis and the pages.

See docs/architecture.md. Every adapter returns rows in this shape; the store and the analysis accept
nothing else.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .codes import FREQUENCIES, REGION_LEVELS, parse_period, region_level, strip_code

COLUMNS = (
    "indicator",
    "region_code",
    "region_name",
    "region_level",
    "period",
    "period_start",
    "frequency",
    "value",
    "status",
)
# Optional columns, present only where a source publishes them: the 95% interval of a survey
# figure (lower <= value <= upper), and per row the publication's wording and page (figures
# transcribed from separate publications). Frames without them keep the contract above.
OPTIONAL_COLUMNS = ("lower", "upper", "note", "source_url")
NUMERIC_OPTIONAL = ("lower", "upper")
STATUSES = ("definitief", "nader voorlopig", "voorlopig")


def build_frame(indicator: str, records: list[dict]) -> pd.DataFrame:
    """Build a typed indicator frame from records.

    Each record has ``region_code``, ``region_name``, ``period``, ``value`` and optionally
    ``status``; codes may still carry CBS padding. Level, period start and frequency are
    derived here so that every adapter derives them the same way.
    """
    optional = [c for c in OPTIONAL_COLUMNS if any(c in rec for rec in records)]
    rows = []
    for rec in records:
        code = strip_code(rec.get("region_code")) or "NL01"
        period = parse_period(rec.get("period"))
        rows.append(
            (
                indicator,
                code,
                str(rec.get("region_name") or code).strip(),
                region_level(code),
                period.code,
                period.start,
                period.frequency,
                _to_float(rec.get("value")),
                rec.get("status"),
                *(_to_float(rec.get(c)) if c in NUMERIC_OPTIONAL else rec.get(c) for c in optional),
            )
        )
    frame = pd.DataFrame.from_records(rows, columns=[*COLUMNS, *optional])
    # Regions without a single value (municipalities that no longer existed in any period
    # asked for) only add noise to every list and map.
    has_value = frame.groupby("region_code")["value"].transform(lambda v: v.notna().any())
    return normalise(frame[has_value.astype(bool)] if len(frame) else frame)


def normalise(frame: pd.DataFrame) -> pd.DataFrame:
    """Give a frame the contract's dtypes (also used after reading parquet); optional columns
    it has are kept, others dropped."""
    frame = frame.loc[:, [*COLUMNS, *(c for c in OPTIONAL_COLUMNS if c in frame.columns)]].copy()
    for col in NUMERIC_OPTIONAL:
        if col in frame.columns:
            frame[col] = pd.to_numeric(frame[col], errors="coerce").astype("float64")
    for col in set(OPTIONAL_COLUMNS) - set(NUMERIC_OPTIONAL):
        if col in frame.columns:
            frame[col] = frame[col].astype("string")
    for col in ("indicator", "region_code", "region_name", "period"):
        frame[col] = frame[col].astype("string")
    frame["region_level"] = pd.Categorical(frame["region_level"], categories=REGION_LEVELS)
    frame["frequency"] = pd.Categorical(frame["frequency"], categories=FREQUENCIES)
    frame["period_start"] = pd.to_datetime(frame["period_start"])
    frame["value"] = pd.to_numeric(frame["value"], errors="coerce").astype("float64")
    statuses = list(STATUSES) + sorted(
        {s for s in frame["status"].dropna().unique() if s not in STATUSES}
    )
    frame["status"] = pd.Categorical(frame["status"], categories=statuses)
    return frame.sort_values(["region_code", "period_start", "period"], kind="stable").reset_index(drop=True)


def validate_frame(frame: pd.DataFrame) -> list[str]:
    """Problems with a frame's shape (empty list when it honours the contract)."""
    problems = [f"column {c!r} is missing" for c in COLUMNS if c not in frame.columns]
    if problems:
        return problems
    if not pd.api.types.is_float_dtype(frame["value"]):
        problems.append("column 'value' is not float64")
    if not pd.api.types.is_datetime64_any_dtype(frame["period_start"]):
        problems.append("column 'period_start' is not datetime64")
    for col in NUMERIC_OPTIONAL:
        if col in frame.columns and not pd.api.types.is_float_dtype(frame[col]):
            problems.append(f"column {col!r} is not float64")
    return problems


TEXT_COLUMNS = ("indicator", "region_code", "region_name", "period")


def content_problems(frame: pd.DataFrame, indicator: str) -> list[str]:
    """Problems with a frame's values against the rules every adapter's frame honours (empty
    when none): what ``normalise`` would otherwise turn silently into NaN or a page would trip
    over. Checked per distinct value, so a long frame costs little. Assumes
    ``validate_frame`` found nothing."""
    problems = []
    for col in (*TEXT_COLUMNS, "status"):
        bad = [v for v in pd.unique(frame[col].astype(object)) if not isinstance(v, str) and not (col == "status" and pd.isna(v))]
        if bad:
            problems.append(f"column {col!r}: {_shown(bad)} is not text")
    if problems:
        return problems
    other = sorted(set(frame["indicator"]) - {indicator})
    if other:
        problems.append(f"column 'indicator': {_shown(other)} is not {indicator!r}")
    if (frame["region_code"].str.strip() == "").any():
        problems.append("column 'region_code': an empty code")
    pairs = frame[["region_code", "region_level"]].astype(object).drop_duplicates()
    wrong = [f"{level!r} for {code}" for code, level in pairs.itertuples(index=False) if level != region_level(code)]
    if wrong:
        problems.append(f"column 'region_level': {', '.join(wrong[:3])} (the level follows from the code: one of {', '.join(REGION_LEVELS)})")
    unknown = [f for f in pd.unique(frame["frequency"].astype(object)) if f not in FREQUENCIES]
    if unknown:
        problems.append(f"column 'frequency': {_shown(unknown)} is not one of {', '.join(FREQUENCIES)}")
    periods = frame[["period", "period_start", "frequency"]].astype(object).drop_duplicates()
    for code, start, frequency in periods.itertuples(index=False):
        expected = parse_period(code)
        if frequency in FREQUENCIES and frequency != expected.frequency:
            problems.append(f"column 'frequency': {frequency!r} for period {code!r} (expected {expected.frequency!r})")
            break
        if not (pd.isna(start) and expected.start is None) and start != expected.start:
            problems.append(f"column 'period_start': {start} for period {code!r} (expected {expected.start})")
            break
    if np.isinf(frame["value"].to_numpy(dtype="float64")).any():
        problems.append("column 'value': an infinite value (values are finite numbers or empty)")
    if frame.duplicated(["region_code", "period"]).any():
        problems.append("columns 'region_code', 'period': a region has more than one row for a period")
    return problems


def _shown(values: list) -> str:
    """At most three values, for a message."""
    return ", ".join(repr(v) for v in values[:3]) + (f" (and {len(values) - 3} more)" if len(values) > 3 else "")


def _to_float(value: object) -> float:
    """CBS values as float; CBS's missing markers (null, '.', 'x', '-', '') become NaN."""
    if value is None:
        return np.nan
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value).strip()
    try:
        return float(text)
    except ValueError:
        return np.nan
