"""Survey margins: fetched with the value over HTTP, drawn as a band, in the table and the
download, and respected by the trend verdict."""

from itertools import pairwise

import pandas as pd
import pytest

from analysis.trend import trend
from data_sources.adapters import ADAPTERS
from data_sources.catalogue import load_catalogue
from data_sources.http import JsonClient
from tests.fixtures.mirror import YEARS, survey_value
from ui.language import speaking

SURVEY = """
[opgave]
id = "welzijn"
title_nl = "Welzijn"
title_en = "Well-being"
summary_nl = "s"
summary_en = "s"

[[indicator]]
id = "welzijn.eenzaam"
title_nl = "Eenzaam"
title_en = "Lonely"
explanation_nl = "Uitleg."
explanation_en = "Explanation."
kind = "resultaat"
unit_nl = "%"
unit_en = "%"
better = "lager"
decimals = 1
[indicator.source]
adapter = "cbs"
table = "99904TST"
measure = "Eenzaam_1"
filters = { Kenmerken = "T009002", Marges = "MW00000" }
margins = { dimension = "Marges", lower = "MOG0095", upper = "MBG0095", lower_title = "Ondergrens 95%-interval", upper_title = "Bovengrens 95%-interval", titles_from = "85554NED MargesCodes" }
"""


@pytest.fixture
def survey(tmp_path):
    (tmp_path / "welzijn.toml").write_text(SURVEY, encoding="utf-8")
    return load_catalogue(tmp_path).indicator("welzijn.eenzaam")


def test_the_adapter_fetches_the_bounds_with_the_value_over_http(cbs, survey):
    client = JsonClient()
    frame, provenance = ADAPTERS["cbs"](survey, client)
    rows = frame.set_index("period")
    for year in YEARS:
        assert tuple(rows.loc[f"{year}JJ00", ["lower", "value", "upper"]]) == pytest.approx(survey_value(year))
    asked = " ".join(client.urls)
    assert "MOG0095" in asked and "MBG0095" in asked  # the bounds come from CBS, never computed
    assert provenance.filters == {"Kenmerken": "T009002", "Marges": "MW00000"}


def test_bounds_survive_the_store_and_frames_without_them_keep_the_contract(cbs, store, survey):
    frame, provenance = ADAPTERS["cbs"](survey, JsonClient())
    store.save(frame, provenance)
    stored = store.frame("welzijn.eenzaam")
    assert list(stored.columns)[-2:] == ["lower", "upper"] and stored["lower"].dtype == "float64"
    assert stored["upper"].iloc[0] == pytest.approx(survey_value(YEARS[0])[2])


def test_a_change_inside_the_margins_is_not_called_better_or_worse():
    years = list(range(2015, 2023))
    value = pd.Series([10.0 + 0.1 * n for n in range(8)], index=years)
    narrow = trend(value, "lager", lower=value - 0.2, upper=value + 0.2)
    wide = trend(value, "lager", lower=value - 1.5, upper=value + 1.5)
    assert trend(value, "lager").verdict == "verslechtert" and narrow.verdict == "verslechtert"
    assert wide.verdict == "stabiel" and wide.within_margin
    assert not trend(value, "lager").within_margin


def test_the_chart_draws_the_band_behind_the_line_and_the_table_and_csv_carry_the_bounds(cbs, survey):
    from ui import charts, download

    frame, _ = ADAPTERS["cbs"](survey, JsonClient())
    fig = charts.time_series(frame, survey, ["NL01"], "absoluut")
    names = [tr.name or "" for tr in fig.data]
    band = next(n for n, name in enumerate(names) if name.endswith("95%-marge"))
    line = next(n for n, tr in enumerate(fig.data) if tr.mode == "lines+markers")
    assert band < line and fig.data[band].fill == "tonexty"  # behind the line, named in the legend
    assert list(fig.data[band].y) == pytest.approx([survey_value(y)[0] for y in YEARS])
    assert "95%-marge: 8,5 – 11,5" in fig.data[line].hovertext[0]
    assert not any((tr.name or "").endswith("95%-marge") for tr in charts.time_series(frame, survey, ["NL01"], "index").data)
    table = download.view_table(frame, ["NL01"], survey)
    assert list(table.columns[-3:]) == ["ondergrens 95%", "bovengrens 95%", "status"]
    assert table["ondergrens 95%"].iloc[-1] == "8,5"
    csv = download.csv_rows(frame, ["NL01"], survey)
    assert csv.splitlines()[0].startswith("indicator,region_code,region_name,period,period_start,value,lower,upper,status")


def test_the_real_eenzaamheid_figure_carries_cbs_bounds(shared_mirror, monkeypatch):
    """The default eenzaamheid chart's indicator against the real mirror: every value lies in
    its published interval (the mirror's own MOG0095/MBG0095 rows) and the chart draws the band."""
    import json

    from data_sources.emulator import start_emulator
    from ui import charts

    em = start_emulator(shared_mirror)
    try:
        for key, value in em.env().items():
            monkeypatch.setenv(key, value)
        indicator = load_catalogue().indicator("eenzaamheid.sterk_eenzaam")
        frame, _ = ADAPTERS["cbs"](indicator, JsonClient())
    finally:
        em.stop()
    rows = json.loads((shared_mirror / "v3" / "85766NED" / "TypedDataSet.json").read_text(encoding="utf-8"))
    by = {(r["Marges"].strip(), r["Perioden"]): r["Eenzaamheid_1"] for r in rows
          if r["Kenmerken"].strip() == "T009002" and r["MateVanEenzaamheid"].strip() == "A052503"}
    complete = frame.dropna(subset=["value", "lower", "upper"])
    assert len(complete) >= 4 and (complete["lower"] <= complete["value"]).all() and (complete["value"] <= complete["upper"]).all()
    for row in complete.itertuples():
        assert (row.lower, row.upper) == (by[("MOG0095", row.period)], by[("MBG0095", row.period)])
    fig = charts.time_series(frame, indicator, ["NL01"], "absoluut")
    assert any((tr.name or "").endswith("95%-marge") for tr in fig.data)


def test_the_margin_rule_turns_the_t_test_verdict_of_a_survey_frame_into_stabiel(cbs, survey):
    """The hand-made survey creeps up 0,1 a year on a perfect line (the t-test alone: worse),
    while the whole change stays inside CBS's interval of ±1,5: the page's verdict is stable,
    and without the bounds it would not be."""
    from ui.data import _verdicts

    frame, _ = ADAPTERS["cbs"](survey, JsonClient())
    verdict, _, series = _verdicts(repr(survey), (), "NL01", ("whole frame",), frame, survey)
    without, _, _ = _verdicts(repr(survey), ("no bounds",), "NL01", ("whole frame",), frame.drop(columns=["lower", "upper"]), survey)
    assert len(series) >= 4 and series.iloc[-1] - series.iloc[0] < 1.5
    assert without.verdict == "verslechtert" and not without.within_margin
    assert verdict.verdict == "stabiel" and verdict.within_margin


def test_the_xlsx_download_carries_the_bounds_as_numbers(cbs, survey):
    import io

    import openpyxl

    from data_sources.api import IndicatorData
    from ui import download

    frame, provenance = ADAPTERS["cbs"](survey, JsonClient())
    data = IndicatorData(indicator=survey, frame=frame, record=type("R", (), {"provenance": provenance})())
    sheet = openpyxl.load_workbook(io.BytesIO(download.xlsx_bundle(frame, ["NL01"], data))).worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header[4:7] == ["ondergrens 95%", "bovengrens 95%", "status"]
    assert (sheet.cell(2, 5).value, sheet.cell(2, 6).value) == pytest.approx(survey_value(YEARS[0])[::2])
    assert sheet.cell(2, 5).number_format == sheet.cell(2, 4).number_format


BOUNDS_NL = "ondergrens = Marges MOG0095 “Ondergrens 95%-interval”, bovengrens = Marges MBG0095 “Bovengrens 95%-interval”"


def test_the_bron_tab_and_the_readme_name_the_bounds_and_the_margin_rule(cbs, store, survey, tmp_path, monkeypatch):
    from data_sources.api import IndicatorData
    from data_sources.refresh import refresh
    from tests.apptest import app_page, markdown_sources
    from ui import download

    monkeypatch.setenv("OPGAVEMONITOR_CATALOGUE_DIR", str(tmp_path))  # where the survey fixture wrote welzijn.toml
    refresh(load_catalogue(tmp_path), store, [survey])
    at = app_page("welzijn", tab="bron")
    assert not at.exception, at.exception
    shown = "\n".join(markdown_sources(at)).replace("\\", "")
    assert BOUNDS_NL in shown and "(titels uit 85554NED MargesCodes)" in shown
    assert "binnen de 95%-marge van een van beide jaren, dan heet de trend stabiel" in shown
    frame, provenance = ADAPTERS["cbs"](survey, JsonClient())
    data = IndicatorData(indicator=survey, frame=frame, record=type("R", (), {"provenance": provenance})())
    assert BOUNDS_NL in download.readme(data, ["NL01"])
    with speaking("en"):
        english = download.readme(data, ["NL01"])
    assert "lower bound = Marges MOG0095 “Ondergrens 95%-interval”" in english and "within the 95% margin of either year" in english


def test_the_band_breaks_where_a_year_has_no_survey_figure(cbs, survey):
    from ui import charts

    frame, _ = ADAPTERS["cbs"](survey, JsonClient())
    years = frame["period_start"].dt.year
    gap, missing = YEARS[2], YEARS[4]
    frame.loc[years == gap, ["value", "lower", "upper"]] = float("nan")  # a survey year without a figure
    frame = frame[years != missing]  # and one without a row at all
    fig = charts.time_series(frame, survey, ["NL01"], "absoluut")
    bands = [tr for tr in fig.data if tr.fill == "tonexty"]
    spans = [[x.year for x in pd.to_datetime(list(tr.x))] for tr in bands]
    assert all(gap not in s and missing not in s for s in spans)
    assert not any(a < gap < b or a < missing < b for s in spans for a, b in pairwise(s))  # nothing bridges a gap
    assert sum(len(s) for s in spans) == len(YEARS) - 2  # every other year keeps its band
    assert [tr.showlegend for tr in bands].count(True) == 1  # named once in the legend
