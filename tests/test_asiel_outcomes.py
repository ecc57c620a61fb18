"""Asylum outcomes from CBS and COA publications: a bundled, hand-transcribed file read by the
tabular adapter, drawn as separate points with their wording and page, no trend verdict, and
shown on the asiel page and its overview card."""
import json

import pytest

from data_sources.adapters import ADAPTERS
from data_sources.catalogue import check_catalogue, load_catalogue
from data_sources.http import JsonClient
from data_sources.refresh import refresh
from data_sources.settings import PROJECT_FILES, PROJECT_ROOT
from data_sources.store import Store
from tests.apptest import app_page, markdown_sources, rendered
from tests.test_catalogue import HEAD

CATALOGUE_DIR = PROJECT_ROOT / "data_sources" / "catalogue"
OUTCOME, WAITING = "asiel.statushouders_met_baan", "asiel.statushouders_in_opvang"


def test_every_opgave_has_an_outcome_indicator():
    catalogue, problems = check_catalogue()
    assert problems == []
    for opgave in catalogue.opgaven:
        assert any(i.kind == "resultaat" for i in opgave.indicators), opgave.id


def test_the_bundled_files_give_primary_figures_each_with_its_wording_and_page():
    catalogue = load_catalogue()
    frame, provenance = ADAPTERS["tabular"](catalogue.indicator(OUTCOME), JsonClient())
    assert list(frame["period"]) == ["2020MM07", "2022MM07"]  # "medio 2020": mid-year, not 1 January
    assert frame["note"].str.contains("verblijfsvergunning uit 2014 een baan").all()
    assert provenance.request_urls == ["data_sources/files/cbs_statushouders_2014_baan.csv"] and provenance.publisher == "CBS"
    assert (PROJECT_FILES / "README.md").is_file()


def _primary(folder, name: str) -> list[dict]:
    import csv

    with (folder / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def test_every_bundled_row_is_a_primary_row_of_the_transcriptions(shared_publications):
    """Each figure, its moment and its page come from a row the transcriptions mark as a
    primary CBS or COA publication of the same definition."""
    catalogue = load_catalogue()
    jobs, _ = ADAPTERS["tabular"](catalogue.indicator(OUTCOME), JsonClient())
    cbs = {
        (r["meetmoment"], float(r["waarde"]), r["bron_url"]) for r in _primary(shared_publications, "cbs_asiel_integratie_uitkomsten.csv")
        if r["bron_type"] == "CBS nieuwsbericht (primair)" and r["indicator"] == "baan" and r["populatie"] == "statushouders 2014"
    }
    assert len(jobs) >= 2
    for row in jobs.itertuples():
        assert (f"medio {row.period[:4]}", row.value, row.source_url) in cbs, row
        assert row.period.endswith("MM07") and row.source_url.startswith("https://www.cbs.nl/")
    waiting, _ = ADAPTERS["tabular"](catalogue.indicator(WAITING), JsonClient())
    coa = {
        (r["peildatum"][:7], float(r["waarde"]), r["bron_url"]) for r in _primary(shared_publications, "coa_bezetting_snapshots.csv")
        if r["indicator"].startswith("waarvan vergunninghouders")
    }
    assert len(waiting) >= 2
    for row in waiting.itertuples():
        assert (f"{row.period[:4]}-{row.period[-2:]}", row.value, row.source_url) in coa, row
        assert row.source_url.startswith("https://coa.nl/")


TABULAR = """
[[indicator]]
id = "demo.p"
title_nl = "P"
title_en = "P"
explanation_nl = "Uitleg."
explanation_en = "Explanation."
kind = "resultaat"
unit_nl = "%"
unit_en = "%"
better = "hoger"
points = true
[indicator.source]
adapter = "tabular"
path = "p.csv"
bundled = true
unit = "%"
licence = "CC BY 4.0"
attribution = "CBS"
value_column = "procent"
period_column = "jaar"
period_format = "year"
region = "NL01"
note_column = "meetmoment"
source_url_column = "bron"
"""


def test_bundled_needs_a_path_and_every_row_needs_an_official_https_page(tmp_path, monkeypatch):
    (tmp_path / "demo.toml").write_text(HEAD + TABULAR.replace('path = "p.csv"', 'url = "https://example.org/p.csv"'), encoding="utf-8")
    assert any("bundled: a bundled file needs a path" in str(p) for p in check_catalogue(tmp_path)[1])
    (tmp_path / "demo.toml").write_text(HEAD + TABULAR, encoding="utf-8")
    indicator = load_catalogue(tmp_path).indicator("demo.p")
    files = tmp_path / "files"
    files.mkdir()
    monkeypatch.setattr("data_sources.adapters.tabular.PROJECT_FILES", files)
    (files / "p.csv").write_text("jaar;procent;meetmoment;bron\n2020;43;Medio 2020;javascript:alert(1)\n", encoding="utf-8")
    with pytest.raises(Exception, match="row 2, column 'bron': 'javascript:alert\\(1\\)' is not an https page"):
        ADAPTERS["tabular"](indicator, JsonClient())
    (files / "p.csv").write_text("jaar;procent;meetmoment;bron\n2020;43;Medio 2020;https://www.cbs.nl/a\n2021;44;Medio 2021;https://cbs.nl.example.com/b\n", encoding="utf-8")
    with pytest.raises(Exception, match="file .*p.csv.*row 3, column 'bron': 'https://cbs.nl.example.com/b' is not a page on an official site"):
        ADAPTERS["tabular"](indicator, JsonClient())
    (files / "p.csv").write_text("jaar;procent;meetmoment;bron\n2020;43;Medio 2020;https://www.cbs.nl/a\n2021;44;Medio 2021;https://coa.nl/b\n", encoding="utf-8")
    assert list(ADAPTERS["tabular"](indicator, JsonClient())[0]["value"]) == [43, 44]


@pytest.fixture
def asiel_store(tmp_path, monkeypatch):
    monkeypatch.setenv("OPGAVEMONITOR_CATALOGUE_DIR", str(CATALOGUE_DIR))
    monkeypatch.setenv("OPGAVEMONITOR_DATA_DIR", str(tmp_path))
    catalogue = load_catalogue(CATALOGUE_DIR)
    store = Store(tmp_path)
    refresh(catalogue, store, [catalogue.indicator(OUTCOME), catalogue.indicator(WAITING)])
    return store


def test_the_asiel_page_opens_on_the_outcome_as_points_with_sources(asiel_store):
    at = app_page("asiel")
    assert not at.exception, at.exception
    assert at.selectbox(key="asiel-indicator").value == OUTCOME
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    points = [tr for tr in spec["data"] if "verblijfsvergunning uit 2014 een baan" in str(tr.get("hovertext"))]
    assert len(points) == 1 and points[0]["mode"] == "markers"  # separate publications: never joined into a line
    assert "juli 2020: 43%" in points[0]["hovertext"][0] and "juli 2022: 45%" in points[0]["hovertext"][1]  # as on the page
    # the Wet inburgering 2021 applies from 2022 on, not to the 2014 cohort: no moment on this chart
    assert not any(a.get("text") == "Wet inburgering 2021" for a in spec["layout"].get("annotations", []))
    assert spec["layout"]["yaxis"]["rangemode"] == "tozero"  # a share starts at zero, also as points
    shown = "\n".join(markdown_sources(at))
    assert "(https://www.cbs.nl/nl-nl/nieuws/2023/15/steeds-meer-statushouders-hebben-betaald-werk)" in shown
    assert "(https://www.cbs.nl/en-gb/news/2021/15/labour-participation-of-status-holders-stagnating)" in shown
    assert "geen trend: losse publicaties" in shown and "stijgt" not in shown  # no trend verdict on two points
    line = rendered(next(c.value for c in at.caption if c.value.startswith("Bron: ")))
    assert "CBS-nieuwsberichten" in line and ".csv" not in line, line  # the source line names the publications, not the file
    at.selectbox(key="asiel-indicator").set_value(WAITING).run()
    assert not at.exception
    assert "(https://coa.nl/nl/over-coa/bezetting)" in "\n".join(markdown_sources(at))


def test_the_overview_card_of_asiel_shows_the_outcome_in_percent_with_its_source(asiel_store):
    at = app_page("")
    assert not at.exception, at.exception
    shown = "\n".join(markdown_sources(at))
    assert "<span class='om-value om-big'>45%</span>" in shown  # the card's figure
    assert "steeds-meer-statushouders-hebben-betaald-werk" in shown or "cbs_statushouders_2014_baan" in shown


def _points_data(indicator_id: str):
    from data_sources.api import IndicatorData

    indicator = load_catalogue().indicator(indicator_id)
    frame, provenance = ADAPTERS["tabular"](indicator, JsonClient())
    return frame, IndicatorData(indicator=indicator, frame=frame, record=type("R", (), {"provenance": provenance})())


def test_the_xlsx_of_points_carries_each_publication_and_judges_them_as_points():
    import io

    import openpyxl

    from ui import download

    frame, data = _points_data(OUTCOME)
    hostile = frame.assign(note=["=HYPERLINK(\"https://x.example\")", frame["note"].iloc[1]])
    book = openpyxl.load_workbook(io.BytesIO(download.xlsx_bundle(hostile, ["NL01"], data)))
    sheet, about = book.worksheets
    header = [c.value for c in sheet[1]]
    assert header[-2:] == ["publicatie", "bron"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert [r[3] for r in rows] == [43, 45] and [r[2] for r in rows] == ["juli 2020", "juli 2022"]
    assert rows[1][-2].startswith("Medio 2022 had 45%") and rows[1][-1] == "https://www.cbs.nl/nl-nl/nieuws/2023/15/steeds-meer-statushouders-hebben-betaald-werk"
    assert not str(rows[0][-2]).startswith("=")  # neutralised: a cell never becomes a formula
    method = "\n".join(str(c.value) for c in about["A"])
    assert "losse publicaties" in method and "geen t-toets" in method and "p ≥ 0,05" not in method


def test_the_bronnen_page_calls_bundled_files_transcribed_publications_not_fresh(asiel_store):
    from tests.apptest import texts

    at = app_page("bronnen")
    assert not at.exception, at.exception
    [row] = [line for line in texts(at).splitlines() if line.startswith("| Statushouders met een baan")]
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[2:] == ["handmatig overgenomen uit publicaties (meegeleverd bestand)", "losse publicaties; nieuwste cijfer: juli 2022"]
