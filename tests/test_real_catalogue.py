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
from data_sources.catalogue import load_catalogue
from data_sources.emulator import start_emulator
from data_sources.refresh import refresh
from data_sources.settings import PROJECT_ROOT
from data_sources.store import Store

CATALOGUE_DIR = PROJECT_ROOT / "data_sources" / "catalogue"


@pytest.fixture(scope="module")
def real_store(shared_mirror, tmp_path_factory):
    em = start_emulator(shared_mirror)
    mp = pytest.MonkeyPatch()
    for key, value in em.env().items():
        mp.setenv(key, value)
    mp.setenv("OPGAVEMONITOR_CATALOGUE_DIR", str(CATALOGUE_DIR))
    root = tmp_path_factory.mktemp("real-store")
    mp.setenv("OPGAVEMONITOR_DATA_DIR", str(root))
    catalogue = load_catalogue(CATALOGUE_DIR)
    store = Store(root)
    outcomes = refresh(catalogue, store, catalogue.indicators())
    yield catalogue, store, outcomes
    mp.undo()
    em.stop()


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
    script = (
        "import sys\nsys.path.insert(0, {root!r})\n"
        "from views import opgave\nfrom ui import state\nfrom ui.data import catalogue\n"
        "cat = catalogue()\nview = state.read(set(), {{i.id for i in cat.indicators()}})\n"
        "opgave.render(cat.opgave({opgave!r}), view)\n"
    )
    for opg in catalogue.opgaven:
        for indicator in opg.indicators:
            if not store.has_data(indicator.id):
                continue
            for tab in ("grafiek", "regios"):
                at = AppTest.from_string(script.format(root=str(PROJECT_ROOT), opgave=opg.id), default_timeout=60)
                at.query_params["indicator"] = indicator.id
                at.query_params["tab"] = tab
                at.run()
                assert not at.exception, (indicator.id, tab, at.exception)
                if tab == "grafiek":
                    assert at.get("plotly_chart"), indicator.id


def test_comparable_municipalities_on_real_data(real_store):
    script = (
        "import sys\nsys.path.insert(0, {root!r})\n"
        "from views import opgave\nfrom ui import state\nfrom ui.data import catalogue, region_names\n"
        "cat = catalogue()\nview = state.read(set(region_names()), {{i.id for i in cat.indicators()}})\n"
        "opgave.render(cat.opgave('energietransitie'), view)\n"
    ).format(root=str(PROJECT_ROOT))
    at = AppTest.from_string(script, default_timeout=60)
    at.query_params.update({"indicator": "energietransitie.zon_per_inwoner", "regio": "GM0363", "tab": "regios"})
    at.run()
    assert not at.exception
    assert "Vergelijkbare gemeenten" in [s.value for s in at.subheader]
    similar = at.dataframe[-1].value
    assert similar.iloc[0, 0] == "Amsterdam"  # the municipality itself first, then its peers
    assert "Rotterdam" in set(similar.iloc[1:, 0])  # the other very large, very urban city
