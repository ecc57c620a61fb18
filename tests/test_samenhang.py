"""Samenhang (/samenhang) with AppTest on the hand-made store, and its pure logic: pairing in one
period, correlation with n, the worst fifth and stapeling over opgaven."""
import json

import numpy as np
import pandas as pd
import pytest

from analysis.samenhang import correlation, marker_sizes, overlapping_periods, paired, stapeling, worst_fifth
from tests.apptest import app_page, texts


def relations(**params):
    """The router on /samenhang."""
    return app_page("samenhang", **params)


def _scatter(at) -> list[dict]:
    (chart,) = at.get("plotly_chart")
    return json.loads(chart.proto.spec)["data"]


def _frame(rows):
    frame = pd.DataFrame(rows, columns=["region_code", "period", "value"])
    frame["region_name"] = frame["region_code"]
    frame["region_level"] = np.where(frame["region_code"].str.startswith("GM"), "gemeente", "land")
    frame["period_start"] = pd.to_datetime(frame["period"].str[:4] + "-01-01")
    frame["status"] = None
    return frame


def test_pairs_only_regions_with_both_values_in_the_same_period():
    x = _frame([("GM0001", "2022JJ00", 1.0), ("GM0002", "2022JJ00", 2.0), ("GM0003", "2023JJ00", 3.0)])
    y = _frame([("GM0001", "2022JJ00", 10.0), ("GM0002", "2023JJ00", 20.0), ("GM0003", "2023JJ00", 30.0), ("NL01", "2022JJ00", 5.0)])
    assert overlapping_periods(x, y, "gemeente") == ["2022JJ00", "2023JJ00"]
    pairs = paired(x, y, "gemeente", "2022JJ00")
    assert pairs[["region_code", "x", "y"]].values.tolist() == [["GM0001", 1.0, 10.0]]


def test_correlation_with_n_and_a_plain_word():
    pairs = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0], "y": [2.0, 4.0, 6.0, 8.5]})
    corr = correlation(pairs)
    assert corr.n == 4 and corr.pearson == pytest.approx(0.9988, abs=1e-3) and corr.spearman == 1.0
    assert corr.strength == "sterk"
    assert correlation(pairs.head(2)).pearson is None and correlation(pairs.head(2)).n == 2
    assert correlation(pairs.assign(y=1.0)).pearson is None  # a constant: no correlation defined


def test_worst_fifth_follows_the_better_direction_and_stapeling_counts_opgaven():
    frame = _frame([(f"GM{n:04d}", "2023JJ00", float(n)) for n in range(1, 11)] + [("GM0001", "2022JJ00", 99.0)])
    assert worst_fifth(frame, "gemeente", "hoger") == ("2023JJ00", {"GM0001", "GM0002"})
    assert worst_fifth(frame, "gemeente", "lager") == ("2023JJ00", {"GM0009", "GM0010"})
    assert worst_fifth(frame, "gemeente", "neutraal") == (None, set())
    table = stapeling({"a1": ("A", {"GM0001", "GM0002"}), "a2": ("A", {"GM0001"}), "b1": ("B", {"GM0001", "GM0003"})}, {"GM0001": "Een"})
    assert table.iloc[0].to_dict() == {"region_code": "GM0001", "region_name": "Een", "opgaven": 2, "which_opgaven": "A, B", "indicators": "a1, a2, b1"}
    assert table["opgaven"].tolist() == [2, 1, 1]


def test_stapeling_leaves_out_what_the_catalogue_calls_a_total(filled):
    method = next(c for c in texts(relations(x="testwonen.waarde", y="testwonen.per_persoon")).split("\n") if c.startswith("Methode:"))
    assert "Waarde per woning (2024)" in method
    assert "Aantal (v4)" not in method  # total = true: a large municipality is not worse for having more people


def test_marker_area_follows_population():
    sizes = marker_sizes(pd.Series([100.0, 400.0, np.nan]), smallest=5, largest=45)
    assert sizes.tolist() == [25.0, 45.0, 5.0]


def test_page_scatter_correlation_caveat_and_stapeling(filled):
    at = relations(regio="GM0363", x="testwonen.waarde", y="testwonen.per_persoon")
    assert not at.exception
    traces = _scatter(at)
    assert [t.get("name") for t in traces] == ["regio's", "Amsterdam"]  # the chosen gemeente apart
    assert "<b>Amsterdam</b><br>Waarde per woning: 210 m³" in traces[1]["hovertext"][0]
    body = texts(at)
    assert "Te weinig gemeenten met beide cijfers (n = 1, minstens 3 nodig)" in body  # per_persoon: Amsterdam only
    assert "samenhang is geen oorzaak" in body and "ecologische drogreden" in body
    assert "Stapeling" in body and "slechtste 20%" in body
    assert "x" not in at.query_params and at.query_params["y"] == "testwonen.per_persoon"  # x is the default


def test_the_default_pair_is_the_one_the_catalogue_gives_the_roles(filled):
    """Without x and y the page shows the indicators with the roles samenhang-x and samenhang-y
    (the test catalogue gives them to testwonen.waarde and testwonen.derden)."""
    at = relations()
    assert (at.selectbox(key="samenhang-x").value, at.selectbox(key="samenhang-y").value) == ("testwonen.waarde", "testwonen.derden")


def test_page_url_round_trip_and_garbage(filled):
    at = relations(x="bestaat.niet", y="<b>", periode="20xx", niveau="wijk")
    assert not at.exception
    body = texts(at)
    for shown in ("x=bestaat.niet", "y=<b>", "periode=20xx", "niveau=wijk"):
        assert shown in body
    assert len(at.get("plotly_chart")) == 1  # the default pair instead
    at.selectbox(key="samenhang-y").set_value("testwonen.aantal").run()
    assert at.query_params["y"] == "testwonen.aantal" and not at.exception
    at.radio(key="samenhang-level").set_value("provincie").run()
    assert at.query_params["niveau"] == "provincie" and not at.exception


def test_the_scatter_uses_the_project_s_chart_theme_with_dark_ticks(filled):
    """Streamlit's theme drew ticks #808495 (3.7:1, failing WCAG AA); the project's are #1A1A1A."""
    from ui.charts import TEXT_COLOUR

    at = relations(regio="GM0363", x="testwonen.waarde", y="testwonen.derden")
    chart = at.get("plotly_chart")[0].proto
    assert chart.theme == ""  # theme=None: the figure's own layout, not Streamlit's
    layout = json.loads(chart.spec)["layout"]
    assert layout["xaxis"]["tickfont"]["color"] == layout["yaxis"]["tickfont"]["color"] == TEXT_COLOUR
    assert layout["font"]["color"] == TEXT_COLOUR


def test_the_shared_scatter_follows_a_catalogue_edit(filled, tmp_path, monkeypatch):
    """The scatter is built once per store and catalogue version and shared by every visitor:
    an edited factor must reach the next visitor, never the figure built before it."""
    import shutil

    from tests.conftest import FIXTURE_CATALOGUE

    edited = tmp_path / "catalogue"
    shutil.copytree(FIXTURE_CATALOGUE, edited)
    monkeypatch.setenv("OPGAVEMONITOR_CATALOGUE_DIR", str(edited))
    shown = "<b>Amsterdam</b><br>Waarde per woning: {} m³"
    assert shown.format(210) in _scatter(relations(regio="GM0363", x="testwonen.waarde", y="testwonen.per_persoon"))[1]["hovertext"][0]
    text = (edited / "testwonen.toml").read_text(encoding="utf-8")
    (edited / "testwonen.toml").write_text(text.replace('better = "hoger"\nheadline = true', 'better = "hoger"\nheadline = true\nfactor = 2', 1), encoding="utf-8")
    assert shown.format(420) in _scatter(relations(regio="GM0363", x="testwonen.waarde", y="testwonen.per_persoon"))[1]["hovertext"][0]
