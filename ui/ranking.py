"""The Regio's tab's ranking picture: every region of one level in one period, in rank order,
Nederland's value as a marked line, the chosen regions highlighted by colour, shape and name
(never by colour alone). Provinces as named bars; municipalities, too many to name, as a
row of dots with the chosen ones labelled."""
from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

from data_sources.catalogue import Indicator

from . import format as fmt
from .charts import FONT, PALETTE, TEXT_COLOUR, separators
from .texts import t

NAMED_BARS = 40  # up to this many regions each gets a named bar; more become dots
OTHERS = "#7F8C99"  # 3.5:1 on white: a graphical object (WCAG 1.4.11 asks 3:1)
CHOSEN = PALETTE[1]
NATIONAL = "#1A1A1A"
AXIS = dict(gridcolor="#E3E7EB", zerolinecolor="#9AA5B1", linecolor="#9AA5B1", tickfont=dict(color=TEXT_COLOUR),
            separatethousands=True, exponentformat="none")


def rank_words(indicator: Indicator) -> str:
    """What rank 1 means: the best one, the largest one (totals) or the highest one."""
    if indicator.total:
        return "largest"
    return "highest" if indicator.better == "neutraal" else "best"


def ranking_figure(table: pd.DataFrame, indicator: Indicator, chosen: list[str], national: float | None, lang: str) -> go.Figure:
    """``table``: region_code, region_name, value, rank (rank 1 first)."""
    unit, decimals = indicator.unit(lang), indicator.decimals
    is_chosen = table["region_code"].isin(chosen).to_numpy()
    names = [("▶ " if c else "") + html.escape(str(n)) for n, c in zip(table["region_name"], is_chosen)]
    hover = [f"<b>{html.escape(str(n))}</b><br>{html.escape(fmt.value_with_unit(v, unit, decimals, lang))}"
             f"<br>{html.escape(t('rank_' + rank_words(indicator), lang, rank=r, n=len(table)))}"
             for n, v, r in zip(table["region_name"], table["value"], table["rank"])]
    colours = [CHOSEN if c else OTHERS for c in is_chosen]
    fig = go.Figure()
    if len(table) <= NAMED_BARS:
        fig.add_trace(go.Bar(x=table["value"], y=names, orientation="h", marker_color=colours,
                             hovertext=hover, hoverinfo="text", name=indicator.title(lang), showlegend=False))
        fig.update_yaxes(autorange="reversed", tickfont=dict(color=TEXT_COLOUR), automargin=True)
        fig.update_xaxes(title=unit, rangemode="tozero", **AXIS)
        if national is not None:
            fig.add_vline(x=national, line=dict(color=NATIONAL, dash="dash", width=2))
            fig.add_annotation(x=national, y=1, yref="paper", yanchor="bottom", showarrow=False, font=dict(color=NATIONAL),
                               text=html.escape(f"◆ {t('map_national', lang, value=fmt.value_with_unit(national, unit, decimals, lang))}"))
        height = 90 + 26 * len(table)
    else:
        fig.add_trace(go.Scatter(x=table["rank"], y=table["value"], mode="markers", showlegend=False, name=indicator.title(lang),
                                 marker=dict(color=OTHERS, size=6), hovertext=hover, hoverinfo="text"))
        picked = table[is_chosen]
        if not picked.empty:
            fig.add_trace(go.Scatter(x=picked["rank"], y=picked["value"], mode="markers+text", showlegend=False,
                                     text=[html.escape(str(n)) for n in picked["region_name"]], textposition="middle right",
                                     marker=dict(color=CHOSEN, size=13, symbol="diamond", line=dict(color="black", width=1.5)),
                                     hovertext=[h for h, c in zip(hover, is_chosen) if c], hoverinfo="text"))
        fig.update_xaxes(title=t("rank_axis_" + rank_words(indicator), lang), **AXIS)
        fig.update_yaxes(title=unit, rangemode="tozero", **AXIS)
        if national is not None:
            fig.add_hline(y=national, line=dict(color=NATIONAL, dash="dash", width=2))
            fig.add_annotation(x=1, xref="paper", xanchor="right", y=national, yanchor="bottom", showarrow=False, font=dict(color=NATIONAL),
                               text=html.escape(f"◆ {t('map_national', lang, value=fmt.value_with_unit(national, unit, decimals, lang))}"))
        height = 420
    fig.update_layout(height=height, font=FONT, separators=separators(lang), plot_bgcolor="white", paper_bgcolor="white",
                      margin=dict(l=10, r=10, t=30, b=10), hovermode="closest", dragmode=False)
    return fig
