"""Pure map logic: which year's boundaries a period uses, joining values to shapes (nothing
dropped silently), and legend classes. Plus, on the real mirror, that data codes and boundary
codes match for the 2022 and 2024 municipalities."""
import json

import numpy as np
import pandas as pd
import pytest

from analysis.maps import choose_boundaries, classify, join_values, opening_view
from data_sources.frame import build_frame


def test_exact_year_is_used_and_said_to_be_exact():
    assert choose_boundaries([2022, 2024], 2024).__dict__ == {"year": 2024, "exact": True}


def test_missing_year_falls_back_to_the_nearest_and_says_so():
    choice = choose_boundaries([2016, 2022, 2024], 2018)
    assert (choice.year, choice.exact) == (2016, False)
    assert choose_boundaries([2022, 2024], 2030).year == 2024
    assert choose_boundaries([], 2024) is None


def test_a_tie_is_broken_by_the_year_whose_codes_match_the_data():
    codes = {2022: {"GM0001", "GM0002", "GM0004"}, 2024: {"GM0003", "GM0004"}}
    assert choose_boundaries([2022, 2024], 2023, {"GM0003", "GM0004"}, codes).year == 2024
    assert choose_boundaries([2022, 2024], 2023, {"GM0001", "GM0002", "GM0004"}, codes).year == 2022
    assert choose_boundaries([2022, 2024], 2023).year == 2024  # no codes to go by: the later year


def test_join_reports_codes_without_shape_and_shapes_without_data():
    values = pd.DataFrame({"region_code": ["GM0001", "GM0004", "GM0099"], "region_name": ["Oostdorp", "Zuidstad", "Elders"], "value": [1.0, 2.0, 3.0]})
    join = join_values(values, {"GM0003": "Samendorp", "GM0004": "Zuidstad", "GM0001": "Oostdorp"})
    assert list(join.table["region_code"]) == ["GM0003", "GM0004", "GM0001"]  # every shape once, in shape order
    assert join.table["value"].isna().tolist() == [True, False, False]
    assert join.table.loc[0, "region_name"] == "Samendorp"  # the shape's name where the data has none
    assert join.without_data == ["GM0003"]
    assert list(join.without_shape["region_code"]) == ["GM0099"]


def test_amounts_get_quantile_classes_with_equal_counts():
    values = pd.Series(np.arange(1, 101, dtype=float) ** 2)  # skewed
    classes = classify(values, 0)
    assert classes.method == "kwantielen" and classes.count == 5
    assert classes.shares(values) == [0.19, 0.2, 0.2, 0.2, 0.21]  # 400 = 20² opens the second class
    assert classes.edges[0] == 1 and classes.edges[-1] == 10_000
    assert classes.edges[1:-1] == [400, 1600, 3600, 6400]  # rounded as coarsely as keeps the classes fair


def test_percentages_get_quantile_classes_too_never_slivers():
    """Equal steps gave the eenzaamheid map classes 32,8–33,4 and 53,4–53,6 holding a few
    municipalities each; quantiles give every class a fair share."""
    values = pd.Series([32.8, 33.4] + [40.0 + n * 0.1 for n in range(96)] + [53.4, 53.6, np.nan])
    classes = classify(values, 1)
    shares = classes.shares(values)
    assert classes.count == 5 and min(shares) >= 0.1 and max(shares) <= 0.4
    assert classes.index(values).iloc[:2].tolist() == [0, 0] and np.isnan(classes.index(values).iloc[-1])


def test_degenerate_inputs():
    assert classify(pd.Series([np.nan]), 0) is None
    single = classify(pd.Series([5.0, 5.0]), 0)
    assert single.count == 1 and single.method == "één waarde" and single.index(pd.Series([5.0])).tolist() == [0]
    few = classify(pd.Series([1.0, 1.0, 1.0, 2.0]), 0)  # ties allow no fair split: still distinct edges
    assert few.edges == sorted(set(few.edges)) and few.index(pd.Series([1.0, 2.0])).tolist()[1] == few.count - 1


def _observations(mirror, table: str) -> list[dict]:
    return json.loads((mirror / "v4" / table / "Observations.json").read_text(encoding="utf-8"))["value"]


def _v3(mirror, table: str) -> list[dict]:
    rows = json.loads((mirror / "v3" / table / "TypedDataSet.json").read_text(encoding="utf-8"))
    return rows if isinstance(rows, list) else rows["value"]


def _assert_fair(values: pd.Series, decimals: int) -> None:
    classes = classify(values, decimals)
    shares = classes.shares(values)
    assert classes.count >= 4, classes.edges
    assert max(shares) <= 0.4, (classes.edges, shares)  # none holds more than 40% of the municipalities
    assert min(shares) >= 0.1, (classes.edges, shares)  # and no sliver classes


def test_real_zon_per_inwoner_classes_show_the_spread(shared_mirror):
    """The catalogue's zon_per_inwoner for 2025: 85005NED kW (all sectors, E007161) × 1000 per
    inhabitant (03759ned M000352). Equal steps put nearly every municipality in two classes."""
    kw = {r["RegioS"].strip(): r["OpgesteldVermogenVanZonnepanelen_2"] for r in _v3(shared_mirror, "85005NED")
          if r["Perioden"] == "2025JJ00" and r["RegioS"].startswith("GM") and r["SectorEnVermogensklasse"].strip() == "E007161"}
    people = {r["RegioS"]: r["Value"] for r in _observations(shared_mirror, "03759ned")
              if r["Perioden"] == "2025JJ00" and r["RegioS"].startswith("GM") and r["Measure"] == "M000352"
              and (r["Geslacht"], r["Leeftijd"], r["BurgerlijkeStaat"]) == ("T001038", "10000", "T001019")}
    values = pd.Series({code: kw[code] * 1000 / people[code] for code in kw if kw[code] and people.get(code)})
    assert len(values) >= 340
    _assert_fair(values, 0)


@pytest.mark.parametrize("period", ["2012JJ00", "2016JJ00", "2020JJ00"])
def test_real_eenzaamheid_classes_have_no_slivers(shared_mirror, period):
    values = pd.Series([r["Eenzaam_28"] for r in _v3(shared_mirror, "50090NED")
                        if r["Perioden"] == period and r["WijkenEnBuurten"].startswith("GM") and r["Leeftijd"].strip() == "20300"
                        and r["Marges"].strip() == "MW00000" and r["Eenzaam_28"] is not None], dtype=float)
    assert len(values) >= 340
    _assert_fair(values, 1)


def test_a_map_opens_where_most_regions_have_figures():
    """Prices per quarter exist for four cities only: the map opens at the provinces, at the
    headline's year when the provinces have it, else at their latest well-covered period."""
    cities = [("GM0363", p) for p in ("2025JJ00", "2026KW01")]
    provinces = [(f"PV{20 + n}", p) for n in range(12) for p in ("2024JJ00", "2025JJ00", "2026KW01")]
    municipalities = [(f"GM{n:04d}", "2024JJ00") for n in range(1, 30)]
    frame = build_frame("t", [{"region_code": c, "period": p, "value": 1.0} for c, p in cities + provinces + municipalities])
    assert opening_view(frame, ["gemeente", "provincie"]) == ("gemeente", "2024JJ00")  # 29 municipalities in 2024
    without_2024 = frame[frame["period"] != "2024JJ00"]
    assert opening_view(without_2024, ["gemeente", "provincie"]) == ("provincie", "2026KW01")
    assert opening_view(without_2024, ["gemeente", "provincie"], prefer="2025JJ00") == ("provincie", "2025JJ00")
    assert opening_view(without_2024, ["wijk"]) is None


@pytest.mark.parametrize("year", [2022, 2024])
def test_real_sale_price_codes_match_the_boundaries_of_their_year(shared_mirror, year):
    """83625NED's municipalities of a year against the mirror's boundaries of that year: the
    only mismatches are reported, and they are exactly the mergers in between."""
    shapes = json.loads((shared_mirror / "geo" / f"gemeenten_{year}.geojson").read_text(encoding="utf-8"))
    names = {f["properties"]["statcode"]: f["properties"]["statnaam"] for f in shapes["features"]}
    rows = json.loads((shared_mirror / "v4" / "83625NED" / "Observations.json").read_text(encoding="utf-8"))["value"]
    data = pd.DataFrame([{"region_code": r["RegioS"], "region_name": r["RegioS"], "value": r["Value"]}
                         for r in rows if r["Perioden"] == f"{year}JJ00" and r["RegioS"].startswith("GM") and r["Value"] is not None])
    join = join_values(data, names)
    assert join.without_shape.empty  # every municipality with a price has a shape
    assert join.table["value"].notna().sum() >= 340
    assert join.without_data == []  # and every shape has a price
