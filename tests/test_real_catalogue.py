"""The real catalogue against the emulator serving the real CBS mirror in ../shared (skipped
when absent): every indicator refreshes, values match the mirror's files, verdicts match what
a person works out by hand, and every opgave page renders every indicator."""
import json
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from analysis.series import annual
from analysis.targets import track_target
from analysis.trend import trend
from data_sources.refresh import refresh
from tests.apptest import app_page, rendered
from ui.texts import t


def _v3(mirror: Path, table: str) -> list[dict]:
    return json.loads((mirror / "v3" / table / "TypedDataSet.json").read_text(encoding="utf-8"))


def _pick(rows, period, measure, **codes):
    hits = [r for r in rows if r.get("Perioden") == period and all((r.get(k) or "").strip() == v for k, v in codes.items())]
    assert len(hits) == 1, (period, codes, len(hits))
    return hits[0][measure]


def test_every_indicator_refreshes(real_store):
    catalogue, store, outcomes = real_store
    failed = {o.indicator: o.error for o in outcomes if not o.ok}
    assert failed == {}
    assert len(outcomes) == len(catalogue.indicators()) >= 20
    for opgave in catalogue.opgaven:
        assert len(opgave.indicators) >= 4, opgave.id


def test_values_match_the_mirror(real_store, shared_mirror):
    _, store, _ = real_store
    renewable = store.frame("energietransitie.hernieuwbaar_aandeel").set_index("period")["value"]
    rows = _v3(shared_mirror, "84917NED")
    assert renewable["2023JJ00"] == _pick(rows, "2023JJ00", "BrutoEindverbruikRelatief_2", BronTechniek="T001028", Energietoepassingen="E007022")

    ghg = store.frame("energietransitie.broeikasgassen").set_index("period")["value"]
    rows = _v3(shared_mirror, "84979NED")
    assert ghg["2024JJ00"] == _pick(rows, "2024JJ00", "EmissieBroeikasgassen_1", Klimaatsector="T001616", Emissies="T001372")
    assert ghg["2025KW03"] == _pick(rows, "2025KW03", "EmissieBroeikasgassen_1", Klimaatsector="T001616", Emissies="T001372")

    lonely = store.frame("eenzaamheid.eenzaam").set_index("period")["value"]
    rows = _v3(shared_mirror, "85766NED")
    by_hand = sum(
        _pick(rows, "2024JJ00", "Eenzaamheid_1", Kenmerken="T009002", Marges="MW00000", MateVanEenzaamheid=code)
        for code in ("A052502", "A052503")
    )
    assert lonely["2024JJ00"] == pytest.approx(by_hand)

    solar = store.frame("energietransitie.zon_per_inwoner").query("region_code == 'GM0363' and period == '2024JJ00'")["value"].iloc[0]
    capacity = [r for r in _v3(shared_mirror, "85005NED") if r["RegioS"].strip() == "GM0363" and r["Perioden"] == "2024JJ00" and r["SectorEnVermogensklasse"].strip() == "E007161"][0]
    population = [
        o for o in json.loads((shared_mirror / "v4" / "03759ned" / "Observations.json").read_text(encoding="utf-8"))["value"]
        if o["RegioS"] == "GM0363" and o["Perioden"] == "2024JJ00" and o["Measure"] == "M000352"
    ][0]
    assert solar == pytest.approx(capacity["OpgesteldVermogenVanZonnepanelen_2"] / population["Value"] * 1000)


def test_83300NED_is_businesses_plus_households(real_store, shared_mirror):
    """T001081 (all businesses) + 1050010 (private households), read from the raw JSON here."""
    _, store, _ = real_store
    rows = _v3(shared_mirror, "83300NED")
    for indicator, measure in (
        ("energietransitie.broeikasgassen_economie", "BroeikasgasEquivalent_6"),
        ("stikstof.ammoniak_totaal", "NH3_9"),
        ("stikstof.nox_totaal", "NOx_7"),
    ):
        got = store.frame(indicator).set_index("period")["value"]
        assert len(got) == 35, indicator  # 1990-2024
        for period in ("1990JJ00", "2020JJ00", "2024JJ00"):
            by_hand = sum(_pick(rows, period, measure, NederlandseEconomie=code) for code in ("T001081", "1050010"))
            assert got[period] == pytest.approx(by_hand), (indicator, period)
    ghg = store.frame("energietransitie.broeikasgassen_economie").set_index("period")["value"]
    assert ghg["2020JJ00"] == 167247 + 31529  # kton: CBS's ~199 Mton for businesses and households
    parts = store.record("energietransitie.broeikasgassen_economie").provenance.sources()
    assert [p.filters for p in parts] == [{"NederlandseEconomie": "T001081"}, {"NederlandseEconomie": "1050010"}]


def test_titles_recorded_at_refresh(real_store):
    _, store, _ = real_store
    asylum = store.record("asiel.eerste_asielverzoeken").provenance
    assert asylum.filter_labels(t("title_unavailable")) == ["Nationaliteit = T001059 — Totaal"]
    population = store.record("woningtekort.bevolking").provenance
    assert population.filter_labels(t("title_unavailable")) == [
        "Geslacht = T001038 — Totaal mannen en vrouwen", "Leeftijd = 10000 — Totaal", "BurgerlijkeStaat = T001019 — Totaal burgerlijke staat",
    ]
    assert population.measure_label(t("title_unavailable")) == "M000352 — Bevolking op 1 januari"
    ghg = store.record("energietransitie.broeikasgassen_bedrijven").provenance  # the mirror lacks 83300NED's metadata
    assert ghg.filter_labels(t("title_unavailable")) == ["NederlandseEconomie = T001081 — titel niet beschikbaar"]
    assert ghg.missing_titles() == ["83300NED: BroeikasgasEquivalent_6", "83300NED: NederlandseEconomie=T001081"]


def test_verdicts_by_hand(real_store):
    catalogue, store, _ = real_store
    ind = catalogue.indicator("energietransitie.hernieuwbaar_aandeel")
    series = annual(store.frame(ind.id), "NL01")
    recent = series[series.index > series.index.max() - 8]
    slope_by_hand = np.polyfit(recent.index.to_numpy(float), recent.to_numpy(), 1)[0]
    result = trend(series, ind.better)
    assert result.slope == pytest.approx(slope_by_hand)
    assert result.verdict == "verbetert"  # the share rose every year from 2017 to 2024
    reached, ahead = (track_target(series, t, ind.better) for t in ind.targets)
    assert reached.verdict == "gehaald"  # 17.59% in 2023 against 16%
    assert ahead.target.value == 39 and ahead.needed_pace > result.slope  # 39% needs more than the recent pace
    assert ahead.verdict == "niet op koers"

    homes = catalogue.indicator("woningtekort.woningbouw_sinds_2022")
    cumulative = annual(store.frame(homes.id), "NL01")
    yearly = annual(store.frame("woningtekort.woningbouw"), "NL01")
    assert cumulative[cumulative.index.max()] == pytest.approx(yearly[yearly.index >= 2022].sum())


def test_every_opgave_page_renders_every_indicator(real_store):
    catalogue, store, _ = real_store
    for opg in catalogue.opgaven:
        for indicator in opg.indicators:
            if not store.has_data(indicator.id):
                continue
            regional = set(indicator.region_levels) - {"land"}
            for tab in ("grafiek", "regios") if regional else ("grafiek",):  # the regions tab of a national series says so in one line
                at = app_page(opg.id, indicator=indicator.id, tab=tab)
                assert not at.exception, (indicator.id, tab, at.exception)
                if tab == "grafiek":
                    assert at.get("plotly_chart"), indicator.id


def test_comparable_municipalities_on_real_data(real_store):
    at = app_page("energietransitie", indicator="energietransitie.zon_per_inwoner", regio="GM0363", tab="regios")
    assert not at.exception
    assert "Vergelijkbare gemeenten" in [h.value for h in at.header]
    similar = at.dataframe[-1].value
    assert similar.iloc[0, 0] == "Amsterdam"  # the municipality itself first, then its peers
    assert "Rotterdam" in set(similar.iloc[1:, 0])  # the other very large, very urban city


def test_second_refresh_fetches_only_tables_without_a_modified_date(real_store, real_emulator):
    """Tables whose CBS Modified date is known and unchanged cost metadata requests only."""
    catalogue, store, _ = real_store
    sourced = [i for i in catalogue.indicators() if i.source]
    dated = {i.source.table for i in sourced if store.record(i.id).provenance.modified}
    assert {"81528NED", "85005NED", "82235NED", "03759ned"} <= dated
    real_emulator.log.clear()
    outcomes = {o.indicator: o for o in refresh(catalogue, store, sourced)}
    assert all(o.ok for o in outcomes.values())
    assert {i.id for i in sourced if outcomes[i.id].unchanged} == {i.id for i in sourced if i.source.table in dated}
    data = [u for u in real_emulator.log if "/TypedDataSet" in u or "/Observations" in u]
    assert data and not [u for u in data for table in dated if f"/{table}/" in u]


def _opgave_page(opgave: str, **params) -> AppTest:
    at = app_page(opgave, **params)
    assert not at.exception
    return at


def test_page_says_when_series_come_from_different_surveys(real_store):
    at = _opgave_page("eenzaamheid", indicator="eenzaamheid.eenzaam_gemeente")
    notes = [_shown([i]) for i in at.info if "niet onderling vergelijkbaar" in _shown([i])]
    assert len(notes) == 1
    this, others = notes[0].split("Deze reeks: ")[1].split("Andere reeksen op deze pagina: ")
    assert "Gezondheidsmonitor" in this and "50090NED" in this
    assert "85766NED" in others and "85576NED" in others and "50090NED" not in others
    english = [_shown([i]) for i in _opgave_page("eenzaamheid", indicator="eenzaamheid.eenzaam", taal="en").info]
    assert any("not comparable" in n and "85766NED" in n.split("This series: ")[1].split("Other")[0] for n in english)
    same_source = _opgave_page("woningtekort", indicator="woningtekort.woningbouw")
    assert not [i.value for i in same_source.info if "vergelijkbaar" in i.value]


def _shown(elements) -> str:
    """Markdown source as a reader sees it."""
    return rendered(" ".join(str(e.value) for e in elements))


def test_source_tab_shows_every_code_with_its_title(real_store):
    body = _shown(_opgave_page("asiel", indicator="asiel.totaal", tab="bron").markdown)
    assert "Nationaliteit: Totaal" in body
    page = _opgave_page("stikstof", indicator="stikstof.nox_totaal", tab="bron")
    body = _shown([*page.markdown, *page.caption])
    assert "NederlandseEconomie: T001081 *" in body and "NederlandseEconomie: 1050010 *" in body and "NOx_7 *" in body
    assert body.count("titel niet beschikbaar") == 1  # marked per code, explained once per tab
    assert "Berekend:** ‘" in body and "stikstof." not in body  # the calculation in words, no ids
    assert "Bron of definitie:** milieurekeningen" in body  # the survey on the Bron tab too
