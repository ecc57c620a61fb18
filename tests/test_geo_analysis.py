"""Pure map logic: which year's boundaries a period uses, joining values to shapes (nothing
dropped silently), and legend classes. Plus, on the real mirror, that data codes and boundary
codes match for the 2022 and 2024 municipalities."""
import json

import numpy as np
import pandas as pd
import pytest

from analysis.maps import choose_boundaries, classify, diverging, join_values


def test_diverging_classes_step_evenly_away_from_nederland():
    classes = diverging(pd.Series([35.2, 40.0, 47.0, 52.0, 56.8, np.nan]), 47.0, 1)
    assert classes.method == "rond Nederland" and classes.centre == 47.0
    assert classes.edges == [35.2, 37.0, 42.0, 47.0, 52.0, 56.8]  # steps of 5 from 47, outer classes end at the extremes
    assert (classes.below_centre, classes.count) == (3, 5)
    assert classes.index(pd.Series([35.2, 46.99, 47.0, 56.8])).tolist() == [0.0, 2.0, 3.0, 4.0]  # Nederland's own value: just above
    assert diverging(pd.Series([1.0, 2.0]), 2.0, 1) is None and diverging(pd.Series([1.0, 2.0]), 5.0, 1) is None  # not inside
    assert diverging(pd.Series([np.nan]), 1.0, 1) is None
    tiny = diverging(pd.Series([10.0, 10.2]), 10.1, 0)  # a step never smaller than the shown decimals
    assert tiny.edges == [10.0, 10.1, 10.2] and tiny.below_centre == 1


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
    classes = classify(values, "euro", 0)
    assert classes.method == "kwantielen" and classes.count == 5
    counts = classes.index(values).value_counts().sort_index().tolist()
    assert counts == [20, 20, 20, 20, 20]
    assert classes.edges[0] == 1 and classes.edges[-1] == 10_000


def test_percentages_get_fixed_breaks_at_round_numbers():
    values = pd.Series([12.3, 17.9, 21.4, 33.0, np.nan])
    classes = classify(values, "%", 1)
    assert classes.method == "vaste grenzen"
    assert classes.edges == [10.0, 15.0, 20.0, 25.0, 30.0, 35.0]
    index = classes.index(values)
    assert index.iloc[:4].tolist() == [0, 1, 2, 4] and np.isnan(index.iloc[4])


def test_degenerate_inputs():
    assert classify(pd.Series([np.nan]), "euro", 0) is None
    single = classify(pd.Series([5.0, 5.0]), "euro", 0)
    assert single.count == 1 and single.method == "één waarde" and single.index(pd.Series([5.0])).tolist() == [0]
    few = classify(pd.Series([1.0, 1.0, 1.0, 2.0]), "euro", 0)  # repeated quantiles collapse
    assert few.edges == sorted(set(few.edges)) and few.index(pd.Series([1.0, 2.0])).tolist()[1] == few.count - 1


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
