"""Charts that cannot mislead, on hand-made frames: the y axis includes zero unless the
catalogue says why not (and then the chart says so in words), and no line or sparkline
bridges a missing period."""
import dataclasses
import re

import pandas as pd

from analysis.series import with_gaps
from data_sources.catalogue import load_catalogue
from data_sources.frame import build_frame
from tests.conftest import FIXTURE_CATALOGUE
from ui import charts
from ui.language import speaking

INDICATOR = load_catalogue(FIXTURE_CATALOGUE).indicator("testwonen.waarde")
WITH_REASON = dataclasses.replace(INDICATOR, axis_reason_nl="de klassen lopen van 1 tot 5.", axis_reason_en="the classes run from 1 to 5.")


def frame(values: dict[str, float], region: str = "NL01") -> pd.DataFrame:
    return build_frame(INDICATOR.id, [{"region_code": region, "period": p, "value": v} for p, v in values.items()])


LONELY = frame({"2018JJ00": 9.0, "2019JJ00": 8.7, "2021JJ00": 11.0, "2022JJ00": 10.5})  # no 2020


def line_points(figure, trace: int = 0) -> list:
    return [None if pd.isna(y) else y for y in figure.data[trace].y]


def test_axis_includes_zero_for_an_amount():
    figure = charts.time_series(LONELY, INDICATOR, ["NL01"], "absoluut")
    assert figure.layout.yaxis.rangemode == "tozero"
    assert charts.axis_note(INDICATOR) == ""


def test_axis_reason_lets_the_axis_float_and_is_said_in_words():
    figure = charts.time_series(LONELY, WITH_REASON, ["NL01"], "absoluut")
    assert figure.layout.yaxis.rangemode == "normal"
    assert charts.axis_note(WITH_REASON) == "De verticale as begint niet bij nul: de klassen lopen van 1 tot 5."
    with speaking("en"):
        assert charts.axis_note(WITH_REASON).startswith("The vertical axis does not start at zero: the classes")


def test_line_breaks_where_a_year_is_missing():
    figure = charts.time_series(LONELY, INDICATOR, ["NL01"], "absoluut")
    assert line_points(figure) == [9.0, 8.7, None, 11.0, 10.5]
    assert figure.data[0].connectgaps is False
    assert pd.Timestamp(figure.data[0].x[2]) == pd.Timestamp(2020, 1, 1)


def test_change_mode_gives_no_change_across_the_gap():
    figure = charts.time_series(LONELY, INDICATOR, ["NL01"], "verandering")
    assert line_points(figure)[2:4] == [None, None]


def sparkline_path(svg: str) -> list[list[tuple[float, float]]]:
    """The sparkline's line as its pieces of (x, y) points."""
    d = re.search(r"<path d='([^']*)'", svg).group(1)
    return [[tuple(map(float, p.split(","))) for p in piece.split(" L")] for piece in d.replace("M", "|").split("|")[1:] if piece.strip()]


def test_sparkline_breaks_too_and_includes_zero():
    svg = charts.sparkline_svg(LONELY, "NL01", "Verloop <b>")
    pieces = sparkline_path(svg)
    assert [len(piece) for piece in pieces] == [2, 2]  # 2018-2019 and 2021-2022, nothing across 2020
    assert pieces[0][1][0] < pieces[1][0][0] - 40  # 2021 starts two years to the right of 2019
    ys = [y for piece in pieces for _, y in piece]
    assert min(ys) >= 4 and max(ys) < 12  # 8.7 to 11 on a scale from zero: all in the top quarter of 36 px
    assert "aria-label='Verloop &lt;b&gt;'" in svg and "<b>" not in svg


def test_sparkline_scale_of_a_flat_series_and_an_empty_one():
    flat = charts.sparkline_svg(frame({"2020JJ00": 0.0, "2021JJ00": 0.0}), "NL01", "x")
    assert [len(p) for p in sparkline_path(flat)] == [2]
    assert charts.sparkline_svg(frame({"2020JJ00": 1.0}), "GM0363", "x") == ""


def test_a_survey_every_four_years_is_not_a_gap():
    rows = with_gaps(frame({"2012JJ00": 39.6, "2016JJ00": 43.4, "2020JJ00": 47.0}))
    assert rows["value"].tolist() == [39.6, 43.4, 47.0]


def test_missing_quarter_gets_its_own_period_code():
    rows = with_gaps(frame({"2024KW01": 1.0, "2024KW02": 2.0, "2024KW04": 4.0, "2025KW01": 5.0}))
    assert rows["period"].tolist() == ["2024KW01", "2024KW02", "2024KW03", "2024KW04", "2025KW01"]
    assert rows["value"].isna().tolist() == [False, False, True, False, False]


def test_every_region_gets_its_own_gaps():
    both = pd.concat([LONELY, frame({f"{y}JJ00": float(y - 2000) for y in range(2018, 2023)}, "GM0363")])
    figure = charts.time_series(both, INDICATOR, ["NL01", "GM0363"], "absoluut")
    assert line_points(figure, 0) == [9.0, 8.7, None, 11.0, 10.5]
    assert line_points(figure, 1) == [18.0, 19.0, 20.0, 21.0, 22.0]


NO_1990 = dataclasses.replace(INDICATOR, targets=(), target_note_nl="Het doel staat niet bij deze reeks: geen cijfer voor 1990.", target_note_en="Not on this series: no 1990 figure.")


def test_a_series_that_cannot_carry_its_target_says_why_under_the_chart_and_to_screen_readers():
    assert charts.chart_notes(NO_1990, []) == ["Het doel staat niet bij deze reeks: geen cijfer voor 1990."]
    with speaking("en"):
        assert charts.chart_notes(WITH_REASON, []) == ["The vertical axis does not start at zero: the classes run from 1 to 5."]
    assert "Doel: Het doel staat niet bij deze reeks: geen cijfer voor 1990." in charts.chart_summary(LONELY, NO_1990, ["NL01"])
    with speaking("en"):
        assert "Target: no numeric target." in charts.chart_summary(LONELY, dataclasses.replace(INDICATOR, targets=()), ["NL01"])


def test_default_energietransitie_indicator_explains_the_missing_climate_act_target():
    from data_sources.catalogue import load_catalogue as load
    from data_sources.settings import PROJECT_ROOT

    opgave = load(PROJECT_ROOT / "data_sources" / "catalogue").opgave("energietransitie")
    default = sorted(opgave.indicators, key=lambda i: i.kind != "resultaat")[0]  # as views/opgave.py picks it
    assert "55%" in opgave.summary_nl
    assert default.targets or ("Klimaatwet" in default.target_note_nl and "1990" in default.target_note_nl)


def test_separate_publications_are_dots_never_a_line():
    svg = charts.sparkline_svg(LONELY, "NL01", "x", points=True)
    assert "<path d=''" in svg and svg.count("<circle") == 4 + 1  # four figures, and the latest marked
