"""Maps, profile and samenhang on the real CBS mirror in ../shared (skipped when absent): the
real catalogue and boundaries are refreshed through the emulator, as a user would."""
import json
import re

import pytest

from data_sources.boundaries import refresh_boundaries
from tests.apptest import app_page, rendered, texts
from tests.conftest import REAL_CATALOGUE


@pytest.fixture(scope="module")
def real(real_store):
    """The real catalogue refreshed from the mirror (``real_store``, whose settings stay in
    force for this module), plus the mirror's boundaries."""
    catalogue, store, _ = real_store
    return catalogue, store, refresh_boundaries(store.root, [2022, 2023, 2024])


def test_boundaries_of_the_mirror_years_are_stored(real):
    _, _, outcomes = real
    stored = {(o.level, o.year): o.features for o in outcomes if o.ok}
    assert stored[("gemeente", 2022)] == 345 and stored[("gemeente", 2024)] == 342
    assert ("gemeente", 2023) not in stored


def test_2023_sale_price_maps_at_least_340_municipalities_on_2024_boundaries(real):
    at = app_page("woningtekort", indicator="woningtekort.verkoopprijs", tab="kaart", periode="2023JJ00")
    assert not at.exception
    data = json.loads(at.get("plotly_chart")[0].proto.spec)["data"]
    with_value = data[0]["locations"]
    assert len(with_value) >= 340 and len(set(with_value)) == len(with_value)
    assert sum(len(trace["locations"]) for trace in data if trace["type"] == "choropleth") == 342  # one shape per municipality of 2024
    body = texts(at)
    assert "Voor 2023 zijn geen grenzen beschikbaar; de kaart tekent de gemeenten met de grenzen van 2024." in body
    assert "regio's met cijfers hebben geen vorm" not in body  # 2023 codes are the 2024 codes


def test_2020_figures_on_2022_boundaries_name_the_merged_municipalities(real):
    at = app_page("eenzaamheid", indicator="eenzaamheid.eenzaam_gemeente", tab="kaart")
    assert not at.exception
    body = texts(at)
    assert "de grenzen van 2022" in body
    assert "geen vorm in de grenzen van 2022" in body  # 355 municipalities of 2020, 345 shapes
    assert "Weesp" not in body.split("geen vorm")[1]  # Weesp still existed in 2022: it has a shape
    assert "Haaren (GM0788) → na 2020 verdeeld over Boxtel, Oisterwijk, Tilburg, Vught" in body  # a split, named as such
    # loneliness, a share where lower is better: quantile classes, Nederland's 47,0% marked in the legend
    assert "◆ Nederland 47,0%" in body and "(donker = beter)" in body
    classed = json.loads(at.get("plotly_chart")[0].proto.spec)["data"][0]
    classes = [row[3] for row in classed["customdata"]]
    assert len(set(classes)) >= 4 and max(classes.count(c) for c in set(classes)) <= 0.4 * len(classes)
    assert "t.o.v. Nederland: %{customdata[4]}" in classed["hovertemplate"]
    assert all(row[4].endswith("procentpunt") for row in classed["customdata"])


def test_amsterdam_profile_shows_every_indicator_with_gemeente_data(real):
    catalogue, store, _ = real
    expected = {i.title_nl for i in catalogue.indicators()
                if store.has_data(i.id) and ((f := store.frame(i.id))["region_code"].eq("GM0363") & f["value"].notna()).any()}
    at = app_page("gemeente", regio="GM0363")
    assert not at.exception
    shown = {rendered(name) for table in at.table for name in table.value.index}
    assert shown == expected and len(expected) >= 8
    assert "Weesp (GM0457)" in texts(at)
    features = at.dataframe[0].value  # why these are comparable: Amsterdam and its five peers
    assert len(features) == 6 and features.iloc[0]["Regio"] == "Amsterdam"


def test_samenhang_scatter_of_two_gemeente_indicators_has_over_300_points(real):
    at = app_page("samenhang", regio="GM0363")
    assert not at.exception
    data = json.loads(at.get("plotly_chart")[0].proto.spec)["data"]
    assert sum(len(trace["hovertext"]) for trace in data) >= 300  # x and y travel as binary arrays
    body = texts(at)
    assert "n = 3" in body and "samenhang is geen oorzaak" in body


def test_a_merged_municipality_s_line_ends_visibly(real):
    at = app_page("woningtekort", indicator="woningtekort.verkoopprijs", regio="GM0457,GM0363")
    assert not at.exception
    assert "Weesp bestaat niet meer: na 2022 opgegaan in Amsterdam (herindeling). De lijn eindigt daar" in texts(at)
    weesp = next(trace for trace in json.loads(at.get("plotly_chart")[0].proto.spec)["data"] if trace["name"] == "Weesp")
    after = [h for h in weesp["hovertext"] if int(h.split("<br>")[1][:4]) > 2022]
    assert after and all(re.search(r"\d{4}: – ", h) for h in after)  # CBS's empty cells stay empty: never a zero


def test_a_rank_over_the_2020_indeling_says_so_and_one_over_todays_does_not(real):
    at = app_page("eenzaamheid", indicator="eenzaamheid.eenzaam_gemeente", tab="regios", regio="GM0363")
    assert not at.exception
    # the 2020 figures (50090NED, indeling 2020): 355 municipalities, 17 merged since and Haaren split up
    assert ("Indeling van 2020: 18 gemeenten zijn sindsdien opgeheven (Appingedam, Beemster, Boxmeer, Brielle, Cuijk, …); "
            "5 gemeenten van nu bestonden toen nog niet (Dijk en Waard, Eemsdelta, Land van Cuijk, Maashorst, Voorne aan Zee); "
            "de rangorde telt 355 gemeenten van die indeling.") in texts(at)
    at = app_page("woningtekort", indicator="woningtekort.verkoopprijs", tab="regios", regio="GM0363")
    assert not at.exception and "Indeling van" not in texts(at)


def test_a_split_municipality_and_its_receivers_say_so_on_their_profiles(real):
    at = app_page("gemeente", regio="GM0865")  # Vught received part of Haaren in 2021
    assert not at.exception
    assert "Kreeg ook een deel van: [Haaren (GM0788)](gemeente?regio=GM0788) (cijfers t/m 2020)." in texts(at)
    at = app_page("gemeente", regio="GM0788")
    assert not at.exception
    assert "Deze gemeente bestaat niet meer: na 2020 verdeeld over Boxtel, Oisterwijk, Tilburg, Vught." in texts(at)


def test_every_opgave_appears_in_a_profile_with_figures_or_one_line_why(real):
    at = app_page("gemeente", regio="GM0363")
    assert not at.exception
    assert [h.value for h in at.subheader] == ["Woningtekort", "Energietransitie", "Stikstof", "Asiel en vluchtelingen", "Eenzaamheid"]
    body = texts(at)
    assert "Geen cijfers per gemeente: de indicatoren van deze opgave zijn er alleen voor Nederland en de provincies." in body  # stikstof
    assert "Geen cijfers per gemeente: de indicatoren van deze opgave zijn er alleen voor Nederland." in body  # asiel
    ranks = {rendered(name): row.map(rendered) for table in at.table for name, row in table.value.iterrows()}  # cells are plain-text markdown
    # four cities with price rises are no ranking of municipalities; classes 1–5 are no amounts
    assert ranks["Prijsstijging koopwoningen per provincie"]["Plaats"] == "–"
    assert (ranks["Mate van stedelijkheid"]["Plaats"], ranks["Mate van stedelijkheid"]["t.o.v. Nederland"]) == ("–", "–")
    assert ranks["Mate van stedelijkheid"]["t.o.v. vergelijkbare gemeenten (mediaan)"] == "–"
    assert ranks["Vermogen zonnepanelen"]["Plaats"].endswith("naar grootte")
    assert ranks["Vermogen zonnepanelen"]["Plaats"].split(" van ")[1].startswith("342 ")  # GM0000 is not counted
    eemsdelta = app_page("gemeente", regio="GM1979")
    assert not eemsdelta.exception
    assert [h.value for h in eemsdelta.subheader][-1] == "Eenzaamheid"
    text = texts(eemsdelta)
    assert "Geen cijfers: Eemsdelta bestaat sinds 1 januari 2021, en de laatste cijfers per gemeente bij deze opgave zijn van 2020." in text
    assert "Geen vergelijkbare gemeenten, en daarom – in die kolom: voor Eemsdelta ontbreken de kenmerken inwoners per km² (2020)" in text


def test_zonnevermogen_is_compared_per_inhabitant_and_niet_in_te_delen_is_listed_apart(real):
    at = app_page("energietransitie", indicator="energietransitie.zonnevermogen", tab="regios", regio="GM0363")
    assert not at.exception
    assert at.radio(key="energietransitie.zonnevermogen-regions-compare").value == "energietransitie.zon_per_inwoner"
    body = texts(at)
    assert "Beste" not in body and "Slechtste" not in body
    assert "Amsterdam: plaats 341 van 342 (1 = beste)" in body
    at.radio(key="energietransitie.zonnevermogen-regions-compare").set_value("energietransitie.zonnevermogen").run()
    body = texts(at)
    assert "Amsterdam: plaats 6 van 342 naar grootte (1 = grootste)" in body and "(n = 342)" in body and "(n = 12)" in body
    assert "Niet aan een gemeente toe te delen (telt niet mee in kaart, rangorde en spreiding): Niet in te delen (GM): 292.787 kW." in body
    assert "Niet aan een provincie toe te delen (telt niet mee in kaart, rangorde en spreiding): Niet in te delen (PV): 292.787 kW." in body
    bars = json.loads(at.get("plotly_chart")[1].proto.spec)["data"][0]
    assert len(bars["y"]) == 12 and not any("Niet in te delen" in name for name in bars["y"])


def test_the_price_rise_map_opens_at_the_provinces_in_the_headline_s_year(real):
    at = app_page("woningtekort", indicator="woningtekort.prijsstijging_regio", tab="kaart")
    assert not at.exception
    assert at.radio(key="woningtekort.prijsstijging_regio-map-level").value == "provincie"  # 4 cities per gemeente, 12 provinces
    assert at.select_slider(key="woningtekort.prijsstijging_regio-map-period").value == "2025JJ00"  # the headline's period
    classed, *rest = json.loads(at.get("plotly_chart")[0].proto.spec)["data"]
    assert len(classed["locations"]) == 12 and not rest  # no grey crosses
    assert "De kaart opent op" not in texts(at)  # same period as the headline: nothing to explain


def test_zon_per_inwoner_map_classes_show_the_spread(real):
    at = app_page("energietransitie", indicator="energietransitie.zon_per_inwoner", tab="kaart")
    assert not at.exception
    classed = json.loads(at.get("plotly_chart")[0].proto.spec)["data"][0]
    classes = [row[3] for row in classed["customdata"]]
    assert len(set(classes)) >= 4 and max(classes.count(c) for c in set(classes)) <= 0.4 * len(classes)
    legend = next(str(m.value) for m in at.markdown if "om-legend" in str(m.value))
    assert "(donker = beter)" in legend and "◆ Nederland" in legend and "rood" not in legend


@pytest.fixture(scope="module")
def refreshed_once(real_emulator, tmp_path_factory):
    """A fresh store after ONE `python -m data_sources refresh` against the mirror (no separate
    `boundaries` command), as a newcomer's first start runs it."""
    from data_sources.__main__ import main as cli

    mp = pytest.MonkeyPatch()
    for key, value in real_emulator.env().items():
        mp.setenv(key, value)
    mp.setenv("OPGAVEMONITOR_CATALOGUE_DIR", str(REAL_CATALOGUE))
    mp.setenv("OPGAVEMONITOR_DATA_DIR", str(tmp_path_factory.mktemp("refreshed-once")))
    code = cli(["refresh"])
    yield code
    mp.undo()


@pytest.mark.slow
def test_after_one_refresh_the_map_shows_the_municipalities(refreshed_once):
    assert refreshed_once == 0  # every indicator and every published boundary year
    at = app_page("woningtekort", indicator="woningtekort.verkoopprijs", tab="kaart")
    assert not at.exception
    data = json.loads(at.get("plotly_chart")[0].proto.spec)["data"]
    shapes = sum(len(trace["locations"]) for trace in data if trace["type"] == "choropleth")
    assert shapes >= 300
    assert "met de grenzen van 2024" in texts(at)  # the newest year the mirror publishes, fetched by refresh
