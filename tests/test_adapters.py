"""The real adapters over HTTP against the emulator serving the hand-made mirror."""
import math
from urllib.parse import unquote_plus as unquote

import pytest

from data_sources.adapters import ADAPTERS
from data_sources.http import JsonClient, SourceError
from tests.fixtures.mirror import YEARS, v3_value, v4_value
from ui.language import speaking
from ui.texts import t


def fetch(catalogue, indicator_id):
    indicator = catalogue.indicator(indicator_id)
    client = JsonClient()
    frame, provenance = ADAPTERS[indicator.source.adapter](indicator, client)
    return frame, provenance, client


def test_v3_values_codes_titles_and_status(cbs, catalogue):
    frame, prov, _ = fetch(catalogue, "testwonen.waarde")
    assert set(frame["region_code"]) == {"NL01", "PV27", "PV30", "GM0363", "GM0106"}  # padding stripped
    ams = frame[frame["region_code"] == "GM0363"].set_index("period")
    assert ams.loc["2018JJ00", "value"] == v3_value("GM0363", 2018)
    assert ams.loc["2018JJ00", "region_name"] == "Amsterdam"
    assert ams.loc["2018JJ00", "region_level"] == "gemeente"
    assert ams.loc[f"{YEARS[-1]}JJ00", "status"] == "voorlopig"
    assert ams.loc["2018JJ00", "status"] == "definitief"
    assert math.isnan(frame.query("region_code == 'GM0106' and period == '2019JJ00'")["value"].iloc[0])
    odd = frame[frame["period"] == "2024X000"]
    assert len(odd) == 1 and odd["period_start"].isna().all()  # unknown form kept, not crashed
    assert prov.table_title == "Testtabel v3" and prov.unit == "m3" and prov.modified == "2025-06-30T02:00:00"
    assert prov.filters == {"Woningtype": "T001100"}


def test_v3_asks_only_for_needed_columns_and_rows_and_follows_next_link(cbs, catalogue):
    _, prov, client = fetch(catalogue, "testwonen.waarde")
    data_requests = [unquote(u) for u in cbs.log if "TypedDataSet" in u]
    first = data_requests[0]
    assert "$select=RegioS,Perioden,Woningtype,Waarde_1" in first
    assert "startswith(Woningtype,'T001100')" in first
    assert len(data_requests) == math.ceil(51 / 7)  # 5 regions x 10 years + odd period, 7 per page
    assert all("/ODataFeed/" in u for u in data_requests)
    assert client.requests == len(cbs.log) and client.bytes_transferred > 0
    assert prov.request_urls and prov.request_urls[0].startswith(cbs.url)


def test_v3_region_levels_filter(cbs, catalogue):
    frame, _, _ = fetch(catalogue, "testwonen.derden")
    assert set(frame["region_level"]) == {"gemeente"}
    assert frame[frame["region_code"] == "GM0363"]["value"].iloc[0] == v3_value("GM0363", YEARS[0]) * 0.5


def test_v3_dataderden_catalogue_has_its_own_base_url(cbs, catalogue, monkeypatch):
    monkeypatch.setenv("OPGAVEMONITOR_CBS_DATADERDEN_URL", "http://127.0.0.1:9")  # closed port
    monkeypatch.setenv("OPGAVEMONITOR_HTTP_RETRIES", "0")
    with pytest.raises(SourceError, match="connection failed"):
        fetch(catalogue, "testwonen.derden")
    fetch(catalogue, "testwonen.waarde")  # the opendata catalogue still works


def test_v4_values_missing_attribute_status_and_titles(cbs, catalogue):
    frame, prov, _ = fetch(catalogue, "testwonen.aantal")
    nl = frame[frame["region_code"] == "NL01"].set_index("period")
    assert nl.loc["2020JJ00", "value"] == v4_value("NL01", 2020)
    assert nl.loc[f"{YEARS[-1]}JJ00", "status"] == "voorlopig"
    assert nl.loc["2020JJ00", "region_name"] == "Nederland"
    assert math.isnan(frame.query("region_code == 'GM0363' and period == '2016JJ00'")["value"].iloc[0])
    assert len(frame) == 30  # only Geslacht T001038, only M000001
    assert prov.measure_title == "Testmaat" and prov.unit == "aantal" and prov.table_title == "Testtabel v4"
    obs = [unquote(u) for u in cbs.log if "Observations" in u]
    assert "Measure eq 'M000001'" in obs[0] and len(obs) == math.ceil(30 / 7)


def _indicator_with(catalogue, indicator_id, **source_changes):
    from dataclasses import replace

    ind = catalogue.indicator(indicator_id)
    return replace(ind, source=replace(ind.source, **source_changes))


@pytest.mark.parametrize("indicator_id", ["testwonen.waarde", "testwonen.aantal"])
def test_unknown_measure_names_table_key_and_entry(cbs, catalogue, indicator_id):
    ind = _indicator_with(catalogue, indicator_id, measure="Verzonnen_99")
    with pytest.raises(SourceError) as err:
        ADAPTERS[ind.source.adapter](ind, JsonClient())
    text = str(err.value)
    assert ind.source.table in text and "Verzonnen_99" in text and indicator_id in text and "testwonen.toml" in text
    assert err.value.kind == "selection"


def test_unknown_measure_without_data_properties_is_caught_by_cbs_select_error(cbs, catalogue):
    ind = _indicator_with(catalogue, "testwonen.derden", measure="Verzonnen_99")
    with pytest.raises(SourceError) as err:
        ADAPTERS["cbs"](ind, JsonClient())
    assert "99902TST" in str(err.value) and "Verzonnen_99" in str(err.value) and "testwonen.derden" in str(err.value)
    assert "http" not in str(err.value) and "HTTP 400: " in str(err.value)  # CBS's answer, not the 300-character URL
    assert (err.value.kind, err.value.status) == ("refused", 400)


@pytest.mark.parametrize("indicator_id", ["testwonen.waarde", "testwonen.aantal"])
def test_unknown_dimension_code_gives_a_clear_error(cbs, catalogue, indicator_id):
    dim = "Woningtype" if indicator_id.endswith("waarde") else "Geslacht"
    ind = _indicator_with(catalogue, indicator_id, filters={dim: "X999999"})
    with pytest.raises(SourceError) as err:
        ADAPTERS[ind.source.adapter](ind, JsonClient())
    text = str(err.value)
    assert ("returned no rows" if ind.source.adapter == "cbs" else "returned no observations") in text
    # the message names the wrong code and what the dimension does have, with CBS's titles
    known = "ZW25806 Eengezinswoning" if dim == "Woningtype" else "3000 Mannen"
    assert f"filter {dim} has no code 'X999999' (its codes include" in text and known in text, text
    assert err.value.kind == "selection"


def test_unknown_code_where_cbs_lists_no_codes_says_to_check_the_values(cbs, catalogue):
    ind = _indicator_with(catalogue, "testwonen.derden", filters={"Woningtype": "X999999"})
    with pytest.raises(SourceError, match="CBS lists no codes for Woningtype: check 'X999999' against the values"):
        ADAPTERS["cbs"](ind, JsonClient())


def test_unknown_table_says_so(cbs, catalogue):
    ind = catalogue.indicator("testenergie.kapot")
    with pytest.raises(SourceError, match="99909TST does not exist") as err:
        ADAPTERS["cbs"](ind, JsonClient())
    assert (err.value.kind, err.value.status) == ("missing", 404)
    v4 = _indicator_with(catalogue, "testwonen.aantal", table="00000XXX")
    with pytest.raises(SourceError, match="00000XXX does not exist in CBS's OData v4") as err:
        ADAPTERS["cbs_v4"](v4, JsonClient())
    assert (err.value.kind, err.value.status) == ("missing", 404)


def test_metadata_is_shared_within_a_refresh_run_but_data_is_not(cbs, catalogue):
    shared: dict = {}
    ind = catalogue.indicator("testwonen.waarde")
    first = JsonClient(cache=shared)
    ADAPTERS["cbs"](ind, first)
    second = JsonClient(cache=shared)
    frame, prov = ADAPTERS["cbs"](ind, second)
    assert not frame.empty
    assert second.requests == math.ceil(51 / 7)  # only the data pages again
    assert any("TableInfos" in u for u in prov.request_urls)  # provenance still names the metadata


def test_titles_of_measure_and_filter_codes_are_recorded(cbs, catalogue):
    _, v3, _ = fetch(catalogue, "testwonen.waarde")
    assert v3.measure_title == "Waarde" and v3.filter_titles == {"Woningtype": "Totaal woningen"}
    assert v3.filter_labels(t("title_unavailable")) == ["Woningtype = T001100 — Totaal woningen"]
    _, v4, _ = fetch(catalogue, "testwonen.aantal")
    assert v4.measure_title == "Testmaat" and v4.filter_titles == {"Geslacht": "Totaal"}
    # 99902TST lists neither DataProperties nor a Woningtype endpoint: recorded as unknown, shown so
    _, bare, _ = fetch(catalogue, "testwonen.derden")
    assert bare.filter_titles == {"Woningtype": None} and bare.measure_title == ""
    assert bare.filter_labels(t("title_unavailable")) == ["Woningtype = ZW25806 — titel niet beschikbaar"]
    with speaking("en"):
        assert bare.filter_labels(t("title_unavailable")) == ["Woningtype = ZW25806 — title not available"]
    assert bare.filter_labels() == ["Woningtype = ZW25806 — title not available"]  # the command line's
    assert bare.missing_titles() == ["99902TST: Waarde_1", "99902TST: Woningtype=ZW25806"]


@pytest.mark.parametrize(
    "indicator_id, endpoint",
    [
        ("testwonen.aantal", "99903TST/RegioSCodes"),
        ("testwonen.aantal", "99903TST/PeriodenCodes"),
        ("testwonen.aantal", "99903TST/GeslachtCodes"),
        ("testwonen.waarde", "99901TST/RegioS"),
        ("testwonen.waarde", "99901TST/Perioden"),
        ("testwonen.waarde", "99901TST/Woningtype"),
    ],
)
def test_failing_metadata_endpoint_fails_the_indicator_and_keeps_its_last_good_data(cbs, store, catalogue, indicator_id, endpoint):
    from data_sources.emulator.server import Fault
    from data_sources.refresh import refresh_one

    indicator = catalogue.indicator(indicator_id)
    assert refresh_one(catalogue, store, indicator).ok
    before = store.frame(indicator_id)
    assert (before["region_name"] == "Amsterdam").any() and (before["status"] == "voorlopig").any()
    cbs.faults.append(Fault(endpoint + r"(\?|$)", "status", 404))
    outcome = refresh_one(catalogue, store, indicator)
    assert not outcome.ok
    assert f"metadata endpoint {endpoint} failed" in outcome.error and "last good data stays" in outcome.error
    assert any(endpoint in u for u in cbs.log)  # the fault did fire
    after = store.frame(indicator_id)
    assert after.equals(before)  # names and statuses not replaced by codes or dropped
    assert store.record(indicator_id).error == outcome.error
