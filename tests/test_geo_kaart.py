"""The Kaart tab with AppTest on the hand-made store plus hand-made 2024 boundaries: classes and
Dutch hovers, grey 'geen gegevens', the nearest-year fallback said aloud, levels, the URL round
trip and garbage parameters."""
import json
import re

import pandas as pd
import pytest
import shapely

from tests.apptest import app_page as page
from tests.apptest import rendered, texts
from tests.fixtures.geo import store_boundaries


@pytest.fixture
def mapped(filled):
    store_boundaries(filled.root)
    return filled


def _inside(feature: dict, lon: float, lat: float) -> bool:
    return shapely.contains_xy(shapely.from_geojson(json.dumps(feature["geometry"])), lon, lat)


def _figure(at) -> dict:
    charts = at.get("plotly_chart")
    assert len(charts) == 1
    return json.loads(charts[0].proto.spec)


def test_map_of_the_latest_year_on_its_own_boundaries(mapped):
    at = page("testwonen", indicator="testwonen.waarde", tab="kaart", regio="GM0363")
    assert not at.exception
    data = _figure(at)["data"]
    classed, grey, crosses = data
    assert classed["type"] == "choropleth" and sorted(classed["locations"]) == ["GM0106", "GM0363"]
    hover = {row[0]: row[2] for row in classed["customdata"]}
    assert hover == {"GM0363": "210 m³", "GM0106": "100 m³"}  # 2024: 120 + 9 × 10 and 10 + 9 × 10
    assert grey["locations"] == ["GM0014"] and "geen gegevens" in grey["hovertemplate"]
    # every shape travels to the browser once: each trace carries only its own shapes
    assert [f["id"] for f in grey["geojson"]["features"]] == ["GM0014"]
    assert sorted(f["id"] for f in classed["geojson"]["features"]) == ["GM0106", "GM0363"]
    assert classed["marker"]["line"]["width"][classed["locations"].index("GM0363")] == 3  # the chosen region
    body = texts(at)
    # grey is not the only sign: a cross inside Groningen's shape, and the count under the map
    assert crosses["type"] == "scattergeo" and crosses["marker"]["symbol"] == "x-thin" and crosses["hoverinfo"] == "skip"
    assert len(crosses["lon"]) == 1 and _inside(grey["geojson"]["features"][0], crosses["lon"][0], crosses["lat"][0])
    assert "Klassen: kwantielen" in body and "Grijs met ×: geen gegevens voor 1 gemeente." in body
    legend = next(str(m.value) for m in at.markdown if "om-legend" in str(m.value))
    assert legend.count('class="om-swatch"') == 6 and legend.count('role="listitem"') == 7  # 5 classes + grey, and Nederland
    assert "◆ Nederland" in legend
    assert legend.endswith('style="background:#BDBDBD">×</span>geen gegevens</span></div>')  # the legend shows the cross too
    assert "<strong>m³</strong> (donker = beter)" in legend and "100 – 120" in legend
    assert "Voor 2024 zijn geen grenzen" not in body
    assert "periode" not in at.query_params  # the latest period is the default


def test_an_older_period_uses_the_nearest_boundaries_and_says_so(mapped):
    at = page("testwonen", indicator="testwonen.waarde", tab="kaart", periode="2019JJ00")
    assert not at.exception
    body = texts(at)
    assert "Voor 2019 zijn geen grenzen beschikbaar; de kaart tekent de gemeenten met de grenzen van 2024." in body
    assert "Alle gemeenten met cijfers hebben dezelfde waarde." in body and "160</span>" in body  # one value: one class
    classed, grey, _ = _figure(at)["data"]
    assert classed["locations"] == ["GM0363"]  # Assen has no 2019 value (a CBS null): grey
    assert sorted(grey["locations"]) == ["GM0014", "GM0106"]
    assert at.query_params["periode"] == "2019JJ00"


def test_province_level_and_period_control_round_trip(mapped):
    at = page("testwonen", indicator="testwonen.waarde", tab="kaart", niveau="provincie")
    assert not at.exception
    (classed,) = _figure(at)["data"]
    assert sorted(classed["locations"]) == ["PV27", "PV30"]
    at.select_slider(key="testwonen.waarde-map-period").set_value("2020JJ00").run()
    assert at.query_params["periode"] == "2020JJ00" and at.query_params["niveau"] == "provincie"
    at.radio(key="testwonen.waarde-map-level").set_value("gemeente").run()
    assert "niveau" not in at.query_params and not at.exception


def test_garbage_parameters_fall_back_quietly(mapped):
    at = page("testwonen", indicator="testwonen.waarde", tab="kaart", periode="kapot", niveau="wijk")
    assert not at.exception
    body = texts(at)
    assert "periode=kapot" in body and "niveau=wijk" in body
    assert len(at.get("plotly_chart")) == 1
    at = page("testwonen", indicator="testwonen.waarde", tab="kaart", periode="1999JJ00")
    assert "periode=1999JJ00" in texts(at) and not at.exception


def test_without_boundaries_the_tab_says_how_to_get_them(filled):
    at = page("testwonen", indicator="testwonen.waarde", tab="kaart")
    assert not at.exception
    assert "python -m data_sources boundaries" in texts(at)
    assert len(at.get("plotly_chart")) == 0


def test_indicator_without_regional_data_says_so_and_draws_no_map(mapped):
    frame, record = mapped.frame("testwonen.waarde"), mapped.record("testwonen.waarde")
    mapped.save(frame[frame["region_level"] == "land"], record.provenance)  # Nederland only
    at = page("testwonen", indicator="testwonen.waarde", tab="kaart")
    assert not at.exception
    assert "Voor deze indicator heeft CBS geen regionale cijfers; getoond: Nederland." in [i.value for i in at.info]
    assert not [c for c in at.get("plotly_chart") if '"choropleth"' in c.proto.spec]


def _legend_items(legend: str) -> list[str]:
    items = re.findall(r'role="listitem">(.*?)</span>(?=<span class="om-legend-item"|</div>)', legend)
    return [re.sub(r"<.*?>", "", i) for i in items]


def test_legend_marks_nederland_and_its_words_match_the_colours(catalogue):
    import dataclasses

    from analysis.maps import classify
    from ui.maps import SEQUENTIAL, legend_html

    higher = catalogue.indicator("testwonen.waarde")  # m³ per woning, higher is better
    values = pd.Series([float(v) for v in range(1, 101)])
    classes = classify(values, 0)
    legend = legend_html(classes, higher, 0, national=47.0)
    assert "<strong>m³</strong> (donker = beter)" in legend
    assert _legend_items(legend) == ["1 – 21", "21 – 41", "41 – 60", "◆ Nederland 47 m³", "60 – 80", "80 – 100"]
    swatches = re.findall(r'om-swatch" style="background:(#\w+)"', legend)
    assert swatches == SEQUENTIAL  # light to dark: the dark end is the best
    lower = dataclasses.replace(higher, better="lager")
    assert re.findall(r'om-swatch" style="background:(#\w+)"', legend_html(classes, lower, 0)) == SEQUENTIAL[::-1]
    neutral = dataclasses.replace(higher, better="neutraal")
    assert "(donker = hoger)" in legend_html(classes, neutral, 0)
    below = _legend_items(legend_html(classes, higher, 0, national=0.25))
    assert below[0] == "◆ Nederland 0 m³"  # below every class: first


def test_a_total_is_larger_or_smaller_never_better_or_worse(catalogue):
    from analysis.maps import classify
    from ui.maps import SEQUENTIAL, legend_html

    total = catalogue.indicator("testwonen.aantal")  # persons; lower is better as a national series
    legend = legend_html(classify(pd.Series([float(v) for v in range(1, 11)]), 0), total, 0)
    assert "(donker = groter)" in legend and "beter" not in legend
    assert re.findall(r'om-swatch" style="background:(#\w+)"', legend) == SEQUENTIAL  # not reversed by 'lager'


def test_a_total_is_compared_per_person_by_default_and_never_against_nederland(mapped):
    at = page("testwonen", indicator="testwonen.aantal", tab="kaart", regio="GM0363")
    assert not at.exception
    choice = at.radio(key="testwonen.aantal-map-compare")
    assert choice.value == "testwonen.per_persoon"  # the default for comparing regions
    assert [rendered(o) for o in choice.options] == ["Waarde per 1.000 personen (per 1.000)", "Aantal (v4) (personen, totaal)"]
    choice.set_value("testwonen.aantal").run()
    assert not at.exception
    body = texts(at)
    assert "een grote regio heeft vanzelf meer" in body
    legend = next(str(m.value) for m in at.markdown if "om-legend" in str(m.value))
    assert "(donker = groter)" in legend and "◆ Nederland" not in legend  # a national total is no reference
    classed = _figure(at)["data"][0]
    assert "t.o.v. Nederland" not in classed["hovertemplate"]
