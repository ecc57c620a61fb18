"""The Kaart tab with AppTest on the hand-made store plus hand-made 2024 boundaries: classes and
Dutch hovers, grey 'geen gegevens', the nearest-year fallback said aloud, levels, the URL round
trip and garbage parameters."""
import json
import re

import pandas as pd
import pytest
import shapely

from tests.fixtures.geo import store_boundaries
from tests.apptest import app_page as page, texts


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
    assert legend.count('class="om-swatch"') == 6 and legend.count('role="listitem"') == 6  # 5 classes + grey
    assert legend.endswith('style="background:#BDBDBD">×</span>geen gegevens</span></div>')  # the legend shows the cross too
    assert "<strong>m³</strong> (donker = beter)" in legend and "100 – 122" in legend
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


def test_around_nederland_red_is_worse_and_blue_better_whatever_the_direction(catalogue):
    from analysis.maps import diverging
    from ui.maps import BETTER, WORSE, class_colours, legend_html, map_classes

    higher = catalogue.indicator("testwonen.waarde")  # m³ per woning, higher is better
    values = pd.Series([35.2, 40.0, 47.0, 52.0, 56.8])
    classes = map_classes(values, 47.0, higher, "nl")
    assert classes.centre == 47.0 and class_colours(classes, "hoger") == WORSE + BETTER[::-1][:2]
    assert class_colours(classes, "lager") == BETTER + WORSE[::-1][:2]  # lower is better: the low side is blue
    legend = legend_html(classes, higher, 0, "nl")
    assert "(rood = slechter, blauw = beter dan Nederland)" in legend
    items = re.findall(r'role="listitem">(.*?)</span>(?=<span class="om-legend-item"|</div>)', legend)
    assert [re.sub(r"<.*?>", "", i) for i in items] == ["35 – 37", "37 – 42", "42 – 47", "◆ Nederland 47 m³", "47 – 52", "52 – 57"]  # no decimals
    # sequential where 'than Nederland' is not the question: a total, no direction, or Nederland outside
    total = catalogue.indicator("testwonen.aantal")
    assert map_classes(values, 47.0, total, "nl").centre is None
    assert map_classes(values, 99.0, higher, "nl").centre is None and map_classes(values, None, higher, "nl").centre is None
    assert diverging(values, 47.0, 1).edges == classes.edges
