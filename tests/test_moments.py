"""Policy moments: catalogue validation, the drawing on charts and the before/after description."""
from pathlib import Path

import pytest

from data_sources.catalogue import check_catalogue, load_catalogue
from tests.test_catalogue import GOOD_INDICATOR, HEAD
from ui.language import speaking

GOOD_MOMENT = """
[[moment]]
date = 2019-05-29
title_nl = "PAS-uitspraak"
title_en = "PAS ruling"
aim_nl = "Doel."
aim_en = "Aim."
source = "Raad van State"
source_url = "https://www.raadvanstate.nl/programma-aanpak/"
indicators = ["demo.a"]
evidence = "stored page raadvanstate.nl/programma-aanpak/"
"""


def _problems(tmp_path: Path, text: str) -> list[str]:
    (tmp_path / "demo.toml").write_text(text, encoding="utf-8")
    return [str(p) for p in check_catalogue(tmp_path)[1]]


def test_a_good_moment_loads_and_belongs_to_its_indicator(tmp_path):
    (tmp_path / "demo.toml").write_text(HEAD + GOOD_INDICATOR + GOOD_MOMENT, encoding="utf-8")
    catalogue = load_catalogue(tmp_path)
    [moment] = catalogue.moments("demo.a")
    assert (moment.date.isoformat(), moment.title_en, moment.source_url) == ("2019-05-29", "PAS ruling", "https://www.raadvanstate.nl/programma-aanpak/")
    assert catalogue.moments("demo.b") == []


@pytest.mark.parametrize(
    "change, expected",
    [
        (('source_url = "https://www.raadvanstate.nl/programma-aanpak/"\n', ""), "demo.toml [moment #1] source_url: is required"),
        (('source_url = "https://www.raadvanstate.nl/programma-aanpak/"', 'source_url = "https://www.nu.nl/stikstof"'), "demo.toml [moment #1] source_url: must be an https page on an official site"),
        (('source_url = "https://www.raadvanstate.nl/programma-aanpak/"', 'source_url = "http://www.raadvanstate.nl/x"'),
         "demo.toml [moment #1] source_url: must be an https page on an official site"),
        (('source_url = "https://www.raadvanstate.nl/programma-aanpak/"', 'source_url = "https://raadvanstate.nl.evil.com/x"'),
         "demo.toml [moment #1] source_url: must be an https page on an official site"),
        (('date = 2019-05-29', 'date = "29 mei 2019"'), "demo.toml [moment #1] date: must be a date such as 2019-05-29"),
        (('date = 2019-05-29', 'date = "2019-02-30"'), "demo.toml [moment #1] date: must be a date such as 2019-05-29"),
        (('indicators = ["demo.a"]', 'indicators = ["demo.onbekend"]'), "demo.toml [moment 2019-05-29 (PAS-uitspraak)] indicators: unknown indicator 'demo.onbekend'"),
        (('indicators = ["demo.a"]', 'indicators = []'), "demo.toml [moment #1] indicators: name at least one indicator"),
        (('evidence = ', 'bewijs = '), "demo.toml [moment #1] bewijs: unknown field (a typo?)"),
    ],
)
def test_a_bad_moment_is_a_catalogue_error_naming_file_entry_and_problem(tmp_path, change, expected):
    problems = _problems(tmp_path, HEAD + GOOD_INDICATOR + GOOD_MOMENT.replace(*change))
    assert any(p.startswith(expected) for p in problems), problems


# An honest exception: no moment concerns the share of the 2014 permit cohort with a job in its
# years (2020–2022). The Civic Integration Act 2021 applies to people obliged to integrate from
# 2022 on, and the housing letter of January 2023 is about homes and falls after the figures.
NO_MOMENT_ON_DEFAULT_CHART = {"asiel"}


def test_every_opgave_has_three_sourced_moments_and_its_default_chart_shows_one():
    catalogue, problems = check_catalogue()
    assert problems == []
    for opgave in catalogue.opgaven:
        assert len(opgave.moments) >= 3, opgave.id
        assert all(m.source_url.startswith("https://") and m.evidence for m in opgave.moments)
        default = sorted(opgave.indicators, key=lambda i: i.kind != "resultaat")[0]  # what views/opgave.py opens with
        if opgave.id in NO_MOMENT_ON_DEFAULT_CHART:
            assert not catalogue.moments(default.id), f"{opgave.id}: {default.id} now marks a moment; drop the exception"
            continue
        assert catalogue.moments(default.id), f"{opgave.id}: default chart {default.id} marks no moment"


def test_change_around_a_moment_is_the_yearly_change_on_each_side():
    from datetime import date

    import pandas as pd

    from analysis.moments import change_around

    series = pd.Series([10.0, 11.0, 12.0, 12.0, 11.0, 9.0], index=[2016, 2017, 2018, 2019, 2020, 2021])
    around = change_around(series, date(2019, 5, 29))
    assert around.before == pytest.approx(2 / 3) and around.before_years == (2016, 2019)
    assert around.after == pytest.approx(-1.5) and around.after_years == (2019, 2021)
    # the window limits each side; a side with one year says nothing
    assert change_around(series, date(2019, 1, 1), window=1).before_years == (2018, 2019)
    late = change_around(series, date(2021, 7, 1))
    assert late.after is None and late.after_years is None and late.before == pytest.approx(-0.2)
    assert change_around(pd.Series(dtype="float64"), date(2020, 1, 1)).before is None


def _frame(years, values):

    from data_sources.frame import build_frame

    return build_frame("demo.a", [{"region_code": "NL01", "period": f"{y}JJ00", "value": v} for y, v in zip(years, values, strict=True)])


def _moment(day, title="PAS-uitspraak", url="https://www.raadvanstate.nl/programma-aanpak/"):
    from data_sources.catalogue import Moment

    return Moment(date=day, title_nl=title, title_en=title + " (en)", aim_nl="Doel.", aim_en="Aim.", source="Raad van State",
                  source_url=url, indicators=("demo.a",))


def test_a_moment_in_the_span_is_a_labelled_line_with_its_source_on_hover(tmp_path):
    from datetime import date

    from ui import charts
    from ui.chart_moments import NAME

    (tmp_path / "demo.toml").write_text(HEAD + GOOD_INDICATOR, encoding="utf-8")
    indicator = load_catalogue(tmp_path).indicator("demo.a")
    frame = _frame(range(2015, 2024), [10, 11, 12, 12, 11, 10, 9, 9, 8])
    inside, close, outside = _moment(date(2019, 5, 29)), _moment(date(2019, 9, 1), "Klimaatwet"), _moment(date(2012, 1, 1), "Oud")
    plain_fig = charts.time_series(frame, indicator, ["NL01"], "absoluut")
    fig = charts.time_series(frame, indicator, ["NL01"], "absoluut", moments=[inside, close, outside])
    lines = [s for s in fig.layout.shapes if s.name == NAME]
    labels = [a for a in fig.layout.annotations if (a.name or "").startswith(NAME)]
    assert [str(s.x0)[:10] for s in lines] == ["2019-05-29", "2019-09-01"]  # the one outside the years is left out
    assert [a.text for a in labels] == ["PAS-uitspraak", "Klimaatwet"]
    assert labels[0].y == 0 and labels[0].yanchor == "top" and labels[0].yshift < 0  # under the plot: never over data or legend
    assert labels[0].yshift != labels[1].yshift  # close moments: labels in two rows, not on top of each other
    assert fig.layout.margin.b > plain_fig.layout.margin.b + 2 * labels[0].font.size  # room made for both rows
    hovers = [tr.hovertext[0] for tr in fig.data if tr.hovertext is not None and "PAS" in tr.hovertext[0]]
    assert hovers and "29 mei 2019" in hovers[0] and "Bron: Raad van State" in hovers[0]
    with speaking("en"):
        english = charts.time_series(frame, indicator, ["NL01"], "absoluut", moments=[inside])
    assert [a.text for a in english.layout.annotations if (a.name or "").startswith(NAME)] == ["PAS-uitspraak (en)"]


def test_the_caption_links_the_source_and_describes_without_claiming_an_effect(tmp_path):
    from datetime import date

    from ui.chart_moments import caption

    (tmp_path / "demo.toml").write_text(HEAD + GOOD_INDICATOR, encoding="utf-8")
    indicator = load_catalogue(tmp_path).indicator("demo.a")
    frame = _frame(range(2015, 2024), [10, 11, 12, 13, 14, 13, 12, 11, 10])
    text = caption([_moment(date(2019, 5, 29))], frame, "NL01", indicator)
    assert "[Raad van State](https://www.raadvanstate.nl/programma-aanpak/)" in text
    assert "geen gemeten effect" in text
    assert "2015–2019: +1,0 procentpunt; 2019–2023: −1,0 procentpunt" in text.replace("\\", "")


def test_opgave_page_marks_moments_and_switches_them_off_in_the_url(filled):
    from tests.apptest import app_page, markdown_sources

    at = app_page("testwonen", indicator="testwonen.waarde")
    assert not at.exception
    [chart] = at.get("plotly_chart")
    assert "Testuitspraak" in chart.proto.spec
    shown = "\n".join(markdown_sources(at))
    assert "[Raad van State \\(test\\)](https://www.raadvanstate.nl/programma-aanpak/)" in shown
    assert "<b>" not in shown and "\\<b\\>" in shown  # catalogue text stays text
    off = app_page("testwonen", indicator="testwonen.waarde", momenten="uit")
    assert not off.exception
    assert "Testuitspraak" not in off.get("plotly_chart")[0].proto.spec
    assert "Beleidsmomenten**" not in "\n".join(markdown_sources(off))
    assert off.query_params["momenten"] == "uit"
    off.toggle(key="testwonen-moments").set_value(True).run()
    assert "momenten" not in off.query_params and "Testuitspraak" in off.get("plotly_chart")[0].proto.spec


def test_slides_mark_the_same_moments_in_projector_type(filled):
    import json

    from tests.apptest import app_page
    from ui.presentation import TICK_PX

    spec = json.loads(app_page("testwonen", modus="presentatie", indicator="testwonen.aantal").get("plotly_chart")[0].proto.spec)
    [label] = [a for a in spec["layout"]["annotations"] if a.get("name", "").startswith("beleidsmoment")]
    assert label["text"] == "Testuitspraak" and label["font"]["size"] == TICK_PX
    assert -label["yshift"] >= 2 * TICK_PX and spec["layout"]["margin"]["b"] > -label["yshift"]  # under the enlarged year labels, inside the chart
    off = app_page("testwonen", modus="presentatie", indicator="testwonen.aantal", momenten="uit")
    assert "Testuitspraak" not in off.get("plotly_chart")[0].proto.spec


def test_labels_share_a_row_only_when_they_cannot_touch_on_a_phone(tmp_path):
    from datetime import date

    from ui import charts
    from ui.chart_moments import NAME

    (tmp_path / "demo.toml").write_text(HEAD + GOOD_INDICATOR, encoding="utf-8")
    indicator = load_catalogue(tmp_path).indicator("demo.a")
    frame = _frame(range(1990, 2025), [100 - n for n in range(35)])
    moments = [_moment(date(1995, 1, 1), "Oud besluit"), _moment(date(2019, 5, 29)), _moment(date(2021, 7, 1), "Wet stikstofreductie")]
    fig = charts.time_series(frame, indicator, ["NL01"], "absoluut", moments=moments)
    rows = {a.text: a.yshift for a in fig.layout.annotations if a.name == NAME}
    assert rows["PAS-uitspraak"] != rows["Wet stikstofreductie"]  # two years apart on 35 years: they would overlap
    assert rows["Oud besluit"] == rows["PAS-uitspraak"]  # 24 years apart: one row is enough


def test_labels_never_touch_on_a_phone_nor_on_a_projector(tmp_path):
    from datetime import date

    import pandas as pd

    from ui import charts
    from ui.chart_moments import LABEL_FONT, NAME, NARROW_PLOT_PX, PX_PER_CHAR
    from ui.presentation import PLOT_PX, TICK_PX, projector_figure

    (tmp_path / "demo.toml").write_text(HEAD + GOOD_INDICATOR, encoding="utf-8")
    indicator = load_catalogue(tmp_path).indicator("demo.a")
    frame = _frame(range(1990, 2025), [100 - n for n in range(35)])
    moments = [_moment(date(2019, 5, 29)), _moment(date(2021, 7, 1), "Wet stikstofreductie"), _moment(date(2024, 1, 1), "Omgevingswet")]

    def rows_and_clear(fig, plot_px, font_px):
        labels = [a for a in fig.layout.annotations if a.name == NAME]
        days_per_px = 34 * 365.25 / plot_px
        for a in labels:
            for b in labels:
                if a is not b and a.yshift == b.yshift:
                    gap_px = abs((pd.Timestamp(a.x) - pd.Timestamp(b.x)).days) / days_per_px
                    assert gap_px >= (len(a.text) + len(b.text)) / 2 * font_px * PX_PER_CHAR / LABEL_FONT, (a.text, b.text)
        return len({a.yshift for a in labels})

    page = charts.time_series(frame, indicator, ["NL01"], "absoluut", moments=moments)
    slide = projector_figure(charts.time_series(frame, indicator, ["NL01"], "absoluut", moments=moments))
    assert rows_and_clear(page, NARROW_PLOT_PX, LABEL_FONT) == 3
    assert rows_and_clear(slide, PLOT_PX, TICK_PX) == 3  # 22 px type: two years apart still touch


def test_the_bron_tab_says_which_moments_the_chart_draws_and_respects_the_switch(filled):
    from tests.apptest import app_page, markdown_sources

    def listed(**params) -> str:
        at = app_page("testwonen", indicator="testwonen.waarde", tab="bron", **params)
        assert not at.exception, at.exception
        return "\n".join(markdown_sources(at))

    drawn = listed()
    assert "Testuitspraak" in drawn and "de stippellijnen in de grafiek" in drawn
    later = listed(van="2020")  # the chart starts after the moment
    assert "Testuitspraak" in later and "buiten de getoonde jaren" in later and "stippellijnen" not in later
    off = listed(momenten="uit")
    assert "Testuitspraak" in off and "beleidsmomenten staan uit" in off and "stippellijnen" not in off


def test_the_downloaded_chart_image_marks_the_moments_the_chart_shows(filled, monkeypatch):
    from tests.apptest import app_page
    from ui import chart_image
    from ui.chart_moments import NAME

    framed = []
    real = chart_image.framed
    monkeypatch.setattr(chart_image, "available", lambda: True)
    monkeypatch.setattr(chart_image, "framed", lambda figure, *texts: framed.append(real(figure, *texts)) or framed[-1])
    assert not app_page("testwonen", indicator="testwonen.waarde", tab="download").exception
    image = framed[-1]
    [label] = [a for a in image.layout.annotations if a.name == NAME]
    [source] = [a for a in image.layout.annotations if (a.text or "").startswith("Bron:")]
    assert label.text == "Testuitspraak"
    assert source.yshift <= label.yshift - 1.6 * label.font.size  # the source line sits under the moment's label, not on it
    assert not app_page("testwonen", indicator="testwonen.waarde", tab="download", momenten="uit").exception
    assert not [a for a in framed[-1].layout.annotations if a.name == NAME]
