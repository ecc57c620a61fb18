"""The Regio's tab on the hand-made store: the ranking of every region drawn (Nederland as a
named dashed line, the chosen region marked by colour, ▶ and name), numbers right-aligned, no
'Beste / Slechtste' split, and a total compared per person by default, ranked by size."""
import base64
import json

import numpy as np

from tests.apptest import app_page, texts
from ui.ranking import CHOSEN, OTHERS


def _numbers(values) -> list[float]:
    """A plotly array as sent to the browser: a list, or a typed binary array."""
    if isinstance(values, dict):
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"]).tolist()
    return list(values)


def _charts(at) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def test_the_regions_tab_draws_the_ranking_of_every_level(filled):
    at = app_page("testwonen", indicator="testwonen.waarde", tab="regios", regio="GM0363")
    assert not at.exception
    gemeenten, provincies = _charts(at)
    bars, national = gemeenten["data"]
    assert bars["type"] == "bar" and bars["y"] == ["▶ Amsterdam", "Assen"]  # best first, the chosen one marked in words too
    assert bars["marker"]["color"] == [CHOSEN, OTHERS]
    assert national["name"] == "Nederland 1.090 m³" and national["line"]["dash"] == "dash" and national["x"] == [1090, 1090]
    assert gemeenten["layout"]["xaxis"]["range"][0] == 0  # bars from zero
    assert provincies["data"][0]["y"] == ["Noord-Holland", "Drenthe"]
    body = texts(at)
    assert "Amsterdam: plaats 1 van 2 (1 = beste)" in body
    assert "Beste" not in body and "Slechtste" not in body


def test_numbers_in_the_ranking_tables_are_right_aligned(filled):
    at = app_page("testwonen", indicator="testwonen.waarde", tab="regios", regio="GM0363")
    for table in at.dataframe[:2]:
        config = json.loads(table.proto.columns)
        assert config["m³"]["alignment"] == "right" and config["plaats (1 = beste)"]["alignment"] == "right"
    assert list(at.dataframe[0].value["m³"]) == ["210", "100"]


def test_a_total_is_compared_per_person_by_default_and_ranked_by_size(filled):
    at = app_page("testwonen", indicator="testwonen.aantal", tab="regios", regio="GM0363")
    assert not at.exception
    choice = at.radio(key="testwonen.aantal-regions-compare")
    assert choice.value == "testwonen.per_persoon"
    assert "Waarde per 1.000 personen" in _charts(at)[0]["data"][0]["name"]
    choice.set_value("testwonen.aantal").run()
    assert not at.exception
    body = texts(at)
    assert "een grote regio heeft vanzelf meer" in body
    assert {list(table.value.columns)[0] for table in at.dataframe} == {"plaats naar grootte (1 = grootste)"}  # never "1 = beste"
    gemeenten = _charts(at)[0]
    assert all(trace.get("name", "").startswith("Nederland") is False for trace in gemeenten["data"])  # a national total is no reference
    assert gemeenten["layout"]["xaxis"]["title"]["text"] == "personen"
    values = _numbers(gemeenten["data"][0]["x"])
    assert values == sorted(values, reverse=True)  # largest first, though fewer people is 'better' nationally
