"""The adapters against the emulator serving the real CBS mirror in ../shared (skipped when
absent). Values are checked against the mirror's files, read independently here."""
import json
from dataclasses import replace

import pytest

from data_sources.adapters import ADAPTERS
from data_sources.catalogue import Indicator, Source
from data_sources.emulator import start_emulator
from data_sources.http import JsonClient


@pytest.fixture(scope="module")
def real_cbs(shared_mirror):
    em = start_emulator(shared_mirror)
    yield em
    em.stop()


@pytest.fixture
def real_env(real_cbs, monkeypatch):
    for key, value in real_cbs.env().items():
        monkeypatch.setenv(key, value)
    return real_cbs


def _indicator(source: Source, levels=("land",)) -> Indicator:
    return Indicator(
        id="real.test", opgave="real", title_nl="t", title_en="t", explanation_nl="", explanation_en="",
        kind="resultaat", unit_nl="", unit_en="", better="hoger", region_levels=levels, source=source, file="test",
    )


def _v3_rows(mirror, table):
    return json.loads((mirror / "v3" / table / "TypedDataSet.json").read_text(encoding="utf-8"))


def test_v4_new_build_homes_82235NED(real_env, shared_mirror):
    ind = _indicator(Source("cbs_v4", "82235NED", "M003003"))
    frame, prov = ADAPTERS["cbs_v4"](ind, JsonClient())
    body = json.loads((shared_mirror / "v4" / "82235NED" / "Observations.json").read_text(encoding="utf-8"))
    expected = {o["Perioden"]: o["Value"] for o in body["value"] if o["Measure"] == "M003003"}
    got = frame.set_index("period")["value"]
    for period in ("2000JJ00", "2023JJ00", max(expected)):
        assert got[period] == expected[period]
    assert prov.table_title == "Voorraad woningen; standen en mutaties vanaf 1921"
    assert prov.modified.startswith("2026-03-20")


def test_v3_gas_use_per_municipality_81528NED(real_env, shared_mirror):
    ind = _indicator(
        Source("cbs", "81528NED", "GemiddeldAardgasverbruik_1", filters={"Woningkenmerken": "T001100"}, region_dimension="RegioS"),
        levels=("land", "gemeente"),
    )
    frame, prov = ADAPTERS["cbs"](ind, JsonClient())
    rows = _v3_rows(shared_mirror, "81528NED")
    expected = {
        (r["RegioS"].strip(), r["Perioden"]): r["GemiddeldAardgasverbruik_1"]
        for r in rows
        if r["Woningkenmerken"].strip() == "T001100"
    }
    for key in (("GM0363", "2024JJ00"), ("NL01", "2010JJ00"), ("GM0599", "2020JJ00")):
        value = frame.query(f"region_code == '{key[0]}' and period == '{key[1]}'")["value"].iloc[0]
        assert value == expected[key]
    assert frame.query("region_code == 'GM0363'")["region_name"].iloc[0] == "Amsterdam"
    assert set(frame["region_level"]) == {"land", "gemeente"}
    assert prov.table_title.startswith("Energieverbruik particuliere woningen")


def test_dataderden_loneliness_50090NED(real_env, shared_mirror):
    ind = _indicator(
        Source("cbs", "50090NED", "Eenzaam_28", catalogue="dataderden", filters={"Leeftijd": "20300", "Marges": "MW00000"}, region_dimension="WijkenEnBuurten"),
        levels=("land", "gemeente"),
    )
    frame, _ = ADAPTERS["cbs"](ind, JsonClient())
    rows = _v3_rows(shared_mirror, "50090NED")
    expected = {
        (r["WijkenEnBuurten"].strip(), r["Perioden"]): r["Eenzaam_28"]
        for r in rows
        if r["Leeftijd"].strip() == "20300" and r["Marges"].strip() == "MW00000"
    }
    nl = frame.query("region_code == 'NL01'").set_index("period")["value"]
    assert nl["2020JJ00"] == expected[("NL01", "2020JJ00")]
    assert set(frame["period"]) == {"2012JJ00", "2016JJ00", "2020JJ00"}


def test_unknown_measure_on_table_without_data_properties(real_env):
    ind = _indicator(Source("cbs", "84917NED", "Verzonnen_3", filters={"BronTechniek": "T001028"}))
    with pytest.raises(Exception, match="84917NED.*Verzonnen_3"):
        ADAPTERS["cbs"](ind, JsonClient())


def test_unknown_v4_measure(real_env):
    ind = replace(_indicator(Source("cbs_v4", "82235NED", "M999999")))
    with pytest.raises(Exception, match="82235NED has no measure 'M999999'"):
        ADAPTERS["cbs_v4"](ind, JsonClient())
