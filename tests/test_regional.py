"""Regional comparisons that cannot mislead: CBS's "niet in te delen" codes are no region
(never ranked, counted or spread), totals rank by size, and a rank over a few regions of a
level (four cities) is no rank. Plus, on the real mirror, that GM0000 and PV99 stay out."""
import pandas as pd
import pytest

from analysis.profile import absence, standing
from analysis.regional import is_pseudo, latest_period, pseudo_values, rank_of, rank_order, ranked, region_counts, spread, well_covered
from data_sources.frame import build_frame
from data_sources.mergers import Merger


def _frame(values: dict[str, float], period: str = "2024JJ00", names: dict[str, str] | None = None) -> pd.DataFrame:
    names = names or {}
    return build_frame("t", [{"region_code": c, "region_name": names.get(c, f"Regio {c}"), "period": period, "value": v} for c, v in values.items()])


PROVINCES = {f"PV{20 + n}": float(n + 1) for n in range(12)}


def test_niet_in_te_delen_is_never_ranked_counted_or_spread():
    frame = _frame(PROVINCES | {"PV99": 0.5}, names={"PV99": "Niet in te delen (PV)"})
    assert spread(frame, "provincie", "2024JJ00").count == 12
    assert spread(frame, "provincie", "2024JJ00").minimum == 1.0  # not PV99's 0.5
    assert rank_of(frame, "provincie", "2024JJ00", "hoger", "PV20") == (12, 12)
    assert "PV99" not in set(ranked(frame, "provincie", "2024JJ00", "hoger")["region_code"])
    apart = pseudo_values(frame, "provincie", "2024JJ00")
    assert list(apart["region_code"]) == ["PV99"] and apart["value"].iloc[0] == 0.5


def test_gm0000_is_no_municipality_and_gets_a_readable_name():
    frame = _frame({"GM0363": 5.0, "GM0599": 4.0, "GM0000": 9.0}, names={"GM0000": "GM0000"})
    assert rank_of(frame, "gemeente", "2024JJ00", "hoger", "GM0363") == (1, 2)  # "plaats 1 van 2", not of 3
    assert rank_of(frame, "gemeente", "2024JJ00", "hoger", "GM0000") is None
    from ui.maps import pseudo_name

    assert pseudo_name("GM0000", "GM0000") == "Niet in te delen (GM)"
    assert pseudo_name("PV99", "Niet in te delen (PV)") == "Niet in te delen (PV)"
    # A period holding only the pseudo-region is no period of the level.
    only = _frame({"GM0000": 1.0}, period="2025JJ00", names={"GM0000": "GM0000"})
    assert latest_period(pd.concat([frame, only]), "gemeente") == "2024JJ00"


def test_is_pseudo_goes_by_title_or_confirmed_code_never_by_look():
    codes = pd.Series(["PV99", "AM99", "GM0000", "GM0999", "PV20"])
    names = pd.Series(["Niet in te delen (PV)", "Niet in te delen (AM)", "GM0000", "Testdorp", "Groningen (PV)"])
    assert is_pseudo(codes, names).tolist() == [True, True, True, False, False]


def test_a_total_ranks_largest_first_whatever_its_direction():
    frame = _frame({"PV20": 10.0, "PV21": 30.0, "PV22": 20.0})
    order = rank_order("lager", total=True)  # ammoniak uit mest in kg: lower is better, but a large province simply has more
    assert list(ranked(frame, "provincie", "2024JJ00", order)["region_code"]) == ["PV21", "PV22", "PV20"]
    assert rank_order("lager", total=False) == "lager"


def test_a_rank_over_four_cities_is_no_rank_among_municipalities():
    cities = _frame({"GM0363": 9.0, "GM0599": 8.0, "GM0518": 7.0, "GM0344": 6.0})
    assert list(region_counts(cities, "gemeente")) == [4]
    assert well_covered(cities, "gemeente", "2024JJ00")  # among themselves all four are there
    assert not well_covered(cities, "gemeente", "2024JJ00", size=342)
    assert standing(cities, "GM0344", "hoger", level_size=342).rank is None
    assert standing(cities, "GM0344", "hoger", level_size=6).rank == 4
    assert standing(cities, "GM0344", "hoger", ranks=False, level_size=4).rank is None  # classes: never a rank


def test_why_a_profile_has_no_figures_for_an_opgave():
    national = _frame({"NL01": 1.0})
    assert absence("GM0363", [(("land",), national), (("land", "provincie"), None)], []).__dict__ == {
        "reason": "level", "levels": ("land", "provincie"), "period": None, "since": None}
    assert absence("GM0363", [(("land", "gemeente"), None)], []).reason == "store"
    municipal = _frame({"GM0363": 40.0, "GM0010": 42.0}, period="2020JJ00")
    formed = Merger("GM1979", "Eemsdelta", {"GM0010": "Delfzijl"}, 2020, "test", successor_new=True)
    new = absence("GM1979", [(("gemeente",), municipal)], [formed])
    assert (new.reason, new.since, new.period) == ("new", 2021, "2020JJ00")
    assert absence("GM0014", [(("gemeente",), municipal)], [formed]).reason == "region"


@pytest.mark.parametrize("table,level", [("85005NED", "gemeente"), ("85005NED", "provincie")])
def test_real_pseudo_codes_stay_out(shared_mirror, table, level):
    """85005NED (zonnepanelen) publishes GM0000 and PV99 with the values of 'Niet in te delen'."""
    import json

    rows = json.loads((shared_mirror / "v3" / table / "TypedDataSet.json").read_text())
    rows = rows if isinstance(rows, list) else rows["value"]
    titles = {r["Key"].strip(): r["Title"] for r in json.loads((shared_mirror / "v3" / table / "RegioS.json").read_text())}
    prefix = "GM" if level == "gemeente" else "PV"
    records = [{"region_code": r["RegioS"].strip(), "region_name": titles.get(r["RegioS"].strip(), r["RegioS"].strip()),
                "period": r["Perioden"], "value": r["OpgesteldVermogenVanZonnepanelen_2"]}
               for r in rows if r["RegioS"].startswith(prefix) and r["SectorEnVermogensklasse"].strip() == "T001081"]
    frame = build_frame("t", records)
    period = latest_period(frame, level)
    codes = set(ranked(frame, level, period, "hoger")["region_code"])
    assert "GM0000" not in codes and "PV99" not in codes
    assert len(pseudo_values(frame, level, period)) == 1
    if level == "provincie":
        assert len(codes) == 12


def test_the_catalogue_says_which_indicators_are_totals_and_checks_it(tmp_path):
    from data_sources.catalogue import check_catalogue, load_catalogue
    from tests.test_catalogue import GOOD_INDICATOR, HEAD

    real = load_catalogue()
    assert real.indicator("energietransitie.zonnevermogen").per_size == "energietransitie.zon_per_inwoner"
    assert real.indicator("stikstof.ammoniak_mest").per_size == "stikstof.ammoniak_per_hectare"
    assert real.indicator("woningtekort.stedelijkheid").categorical
    assert not real.indicator("energietransitie.zon_per_inwoner").total
    problems = []
    for change in (('better = "hoger"', 'better = "hoger"\ntotal = "ja"'), ('better = "hoger"', 'better = "hoger"\nper_size = "demo.a"'),
                   ('better = "hoger"', 'better = "hoger"\ntotal = true\nper_size = "demo.b"')):
        (tmp_path / "demo.toml").write_text(HEAD + GOOD_INDICATOR.replace(*change), encoding="utf-8")
        problems.append([str(p) for p in check_catalogue(tmp_path)[1]])
    assert problems[0] == ["demo.toml [demo.a] total: must be true or false"]
    assert problems[1] == ["demo.toml [demo.a] per_size: only a total (total = true) has a version per inhabitant"]
    assert problems[2] == ["demo.toml [demo.a] per_size: 'demo.b' is no indicator of this catalogue that is not a total"]
