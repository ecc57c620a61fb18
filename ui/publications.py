"""Figures transcribed from separate publications (an indicator with ``points = true``): each
point keeps its own wording and page, in the chart's hover and in the list under the chart."""
from __future__ import annotations

import html

import pandas as pd

from data_sources.catalogue import Indicator

from . import format as fmt
from .language import pick
from .safe import link, plain
from .texts import t


def hover_suffix(note) -> str:
    return f"<br>{html.escape(str(note))}" if isinstance(note, str) and note else ""


def point_list(frame: pd.DataFrame, region: str, indicator: Indicator) -> str:
    """Markdown: per publication its period, value, wording and linked page, newest first."""
    if "note" not in frame.columns:
        return ""
    rows = frame[(frame["region_code"] == region) & frame["value"].notna()].sort_values("period_start", ascending=False)
    lines = [f"**{t('publications_title')}** — {t('publications_note')}"]
    for row in rows.itertuples():
        value = fmt.value_with_unit(row.value, pick(indicator, "unit"), indicator.decimals)
        url = getattr(row, "source_url", None)
        source = link(t("publication_page"), url if isinstance(url, str) else None)
        lines.append(f"- {plain(fmt.period(row.period))}: **{plain(value)}** — {plain(row.note or '')} ({t('source_label')}: {source})")
    return "\n".join(lines)
