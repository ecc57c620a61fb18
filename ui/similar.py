"""Comparable municipalities: the table under a municipality's regions and on its profile."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.similar import comparable_regions, features_table
from ui import format as fmt
from ui.data import catalogue, indicator_data
from ui.safe import plain
from ui.texts import t

from .language import current

FEATURE_LABELS = {
    "nl": {"inwoners": "inwoners", "dichtheid": "inwoners per km²", "stedelijkheid": "stedelijkheid (1 = zeer sterk)", "distance": "afstand"},
    "en": {"inwoners": "inhabitants", "dichtheid": "inhabitants per km²", "stedelijkheid": "urbanity (1 = very strong)", "distance": "distance"},
}
SIMILARITY_FEATURES = ("inwoners", "dichtheid", "stedelijkheid")  # each the catalogue role of the indicator that gives it


def feature_frames() -> dict[str, pd.DataFrame] | None:
    """The comparison features' frames, or None when the catalogue gives no indicator the role
    of one or the store has no data for it (the comparison is left out)."""
    frames = {}
    for role in SIMILARITY_FEATURES:
        indicator = catalogue().with_role(role)
        data = indicator_data(indicator) if indicator else None
        if data is None or not data.available:
            return None
        frames[role] = data.frame
    return frames


def similar_regions(region: str) -> None:
    frames = feature_frames()
    if frames is None:
        return
    table = features_table(frames)
    similar = comparable_regions(table, region)
    if similar.empty:
        return
    st.header(t("similar"))
    st.caption(t("similar_help", region=plain(table.loc[region, "region_name"])))
    me = table.loc[[region]].assign(distance=float("nan"))
    shown = pd.concat([me, similar])
    labels = FEATURE_LABELS[current()]
    st.dataframe(
        pd.DataFrame(
            {
                t("region"): shown["region_name"],
                labels["inwoners"]: [fmt.number(v, 0) for v in shown["inwoners"]],
                labels["dichtheid"]: [fmt.number(v, 0) for v in shown["dichtheid"]],
                labels["stedelijkheid"]: [fmt.number(v, 0) for v in shown["stedelijkheid"]],
                labels["distance"]: [fmt.number(v, 2) for v in shown["distance"]],
            }
        ),
        hide_index=True,
        width="stretch",
        column_config={labels[c]: st.column_config.TextColumn(labels[c], alignment="right") for c in ("inwoners", "dichtheid", "stedelijkheid", "distance")},
    )
