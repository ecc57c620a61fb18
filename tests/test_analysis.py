"""Each analysis function on hand-made series with known answers."""

import numpy as np
import pandas as pd
import pytest

from analysis.changes import latest_change
from analysis.regional import latest_period, rank_of, ranked, spread
from analysis.series import annual
from analysis.similar import comparable_regions, features_table
from analysis.targets import TargetStatus, reading_order, track_target
from analysis.trend import indicator_trend, trend
from data_sources.catalogue import Target
from data_sources.frame import build_frame


def s(values, start=2015):
    return pd.Series(values, index=range(start, start + len(values)), dtype="float64")


RISING = s([10, 12, 14, 16, 18, 20, 22, 24])
FALLING = s([24, 22, 20, 18, 16, 14, 12, 10])
FLAT = s([5, 5, 5, 5, 5, 5])
NOISY_FLAT = s([10, 11, 9, 10.5, 9.5, 10, 11, 9])


@pytest.mark.parametrize(
    "series, better, verdict",
    [
        (RISING, "hoger", "verbetert"),
        (RISING, "lager", "verslechtert"),
        (RISING, "neutraal", "stijgt"),
        (FALLING, "hoger", "verslechtert"),
        (FALLING, "lager", "verbetert"),
        (FALLING, "neutraal", "daalt"),
        (FLAT, "hoger", "stabiel"),
        (NOISY_FLAT, "hoger", "stabiel"),
        (NOISY_FLAT, "lager", "stabiel"),
        (s([1, 2, 3]), "hoger", "onvoldoende gegevens"),
    ],
)
def test_trend_verdicts(series, better, verdict):
    assert trend(series, better).verdict == verdict


def test_trend_slope_and_window():
    long = s([100, 0, 100, 0] + list(range(10, 18)), start=2005)  # noisy past, clean last 8 years
    result = trend(long, "hoger")
    assert result.slope == pytest.approx(1.0)
    assert result.points == 8 and result.first == 2009 and result.last == 2016


def test_trend_with_gaps_uses_real_years():
    gappy = pd.Series([10, 12, np.nan, 16, 18], index=[2016, 2017, 2018, 2019, 2020], dtype=float)
    result = trend(gappy, "hoger")
    assert result.points == 4 and result.slope == pytest.approx(2.0)


def _target(**kw):
    base = dict(kind="value", value=30.0, label_nl="", label_en="", source="", year=2030)
    base.update(kw)
    return Target(**base)


def test_target_on_course_and_paces():
    status = track_target(RISING, _target(value=30), "hoger")  # 24 in 2022, +2/year -> 40 in 2030
    assert status.verdict == "op koers"
    assert status.realised_pace == pytest.approx(2.0)
    assert status.needed_pace == pytest.approx(6 / 8)
    assert status.projected == pytest.approx(40.0)


def test_target_not_on_course():
    status = track_target(RISING, _target(value=50), "hoger")
    assert status.verdict == "niet op koers" and status.projected == pytest.approx(40.0)


def test_target_reached_early_and_target_year_passed():
    assert track_target(RISING, _target(value=20), "hoger").verdict == "gehaald"
    assert track_target(RISING, _target(value=30, year=2020), "hoger").verdict == "niet gehaald"
    assert track_target(RISING, _target(value=18, year=2020), "hoger").verdict == "gehaald"


def test_target_verdict_flips_with_direction():
    assert track_target(FALLING, _target(value=5), "lager").verdict == "op koers"
    assert track_target(FALLING, _target(value=5), "hoger").verdict == "gehaald"  # 10 is already above 5
    assert track_target(RISING, _target(value=30), "hoger").verdict == "op koers"
    assert track_target(RISING, _target(value=30), "lager").verdict == "gehaald"  # 24 is already below 30
    assert track_target(FALLING, _target(value=15), "lager").verdict == "gehaald"


def test_reduction_target_from_base_year():
    emissions = s([200, 190, 180, 170, 160, 150, 140, 130], start=2015)
    status = track_target(emissions, _target(kind="reduction", value=-50, value_to=-55, base_year=2015), "lager")
    assert status.goal == pytest.approx(100.0) and status.goal_to == pytest.approx(90.0)
    assert status.verdict == "op koers"  # -10/year from 130 in 2022 -> 50 in 2030
    missing_base = track_target(emissions, _target(kind="reduction", value=-50, base_year=1990), "lager")
    assert missing_base.verdict == "onvoldoende gegevens"


def test_cumulative_target():
    homes = s([70, 75, 80, 90, 100], start=2020)  # 2022..2024 = 80 + 90 + 100 = 270
    status = track_target(homes, _target(kind="cumulative", value=900, start_year=2022, year=2030), "hoger")
    assert status.current == 270
    assert status.needed_pace == pytest.approx((900 - 270) / 6)
    assert status.realised_pace == pytest.approx(90.0)
    assert status.projected == pytest.approx(270 + 90 * 6)
    assert status.verdict == "niet op koers"
    assert track_target(homes, _target(kind="cumulative", value=250, start_year=2022, year=2030), "hoger").verdict == "gehaald"


def test_annual_target():
    assert track_target(s([90, 110]), _target(kind="annual", value=100, year=None), "hoger").verdict == "gehaald"
    assert track_target(s([110, 90]), _target(kind="annual", value=100, year=None), "hoger").verdict == "niet op koers"


def _frame(records):
    return build_frame("t", records)


def test_annual_prefers_years_over_quarters():
    frame = _frame(
        [{"region_code": "NL01", "period": p, "value": v} for p, v in [("2023JJ00", 100), ("2023KW01", 30), ("2024JJ00", 90), ("2024KW01", 25)]]
    )
    assert annual(frame, "NL01").to_dict() == {2023: 100.0, 2024: 90.0}


def test_latest_change_quarter_against_year_earlier():
    frame = _frame([{"region_code": "NL01", "period": f"{y}KW0{q}", "value": 10 * y - 20000 + q} for y in (2023, 2024) for q in (1, 2, 3, 4)])
    change = latest_change(frame, "NL01")
    assert change.period == "2024KW04" and change.previous_period == "2024KW03" and change.year_ago_period == "2023KW04"
    assert change.change == pytest.approx(1.0)
    assert change.year_change_pct == pytest.approx((244 - 234) / 234 * 100)


def _regional():
    values = {"GM0001": 5, "GM0002": 1, "GM0003": 3, "GM0004": 4, "GM0005": 2, "PV01": 9}
    return _frame([{"region_code": c, "region_name": c, "period": "2023JJ00", "value": v} for c, v in values.items()]
                  + [{"region_code": "GM0001", "region_name": "GM0001", "period": "2022JJ00", "value": 7}])


def test_spread_and_rank():
    frame = _regional()
    assert latest_period(frame, "gemeente") == "2023JJ00"
    result = spread(frame, "gemeente", "2023JJ00")
    assert (result.count, result.minimum, result.median, result.maximum) == (5, 1, 3, 5)
    assert result.q1 == 2 and result.q3 == 4
    assert rank_of(frame, "gemeente", "2023JJ00", "hoger", "GM0001") == (1, 5)
    assert rank_of(frame, "gemeente", "2023JJ00", "lager", "GM0001") == (5, 5)
    assert list(ranked(frame, "gemeente", "2023JJ00", "lager")["region_code"]) == ["GM0002", "GM0005", "GM0003", "GM0004", "GM0001"]


def test_comparable_regions():
    def feature(values):
        return _frame([{"region_code": c, "region_name": f"Gemeente {c}", "period": "2020JJ00", "value": v} for c, v in values.items()])

    frames = {
        "inwoners": feature({"GM0001": 10_000, "GM0002": 11_000, "GM0003": 800_000, "GM0004": 9_000, "GM0005": 500_000}),
        "dichtheid": feature({"GM0001": 200, "GM0002": 250, "GM0003": 5000, "GM0004": 180, "GM0005": 4000}),
        "stedelijkheid": feature({"GM0001": 5, "GM0002": 5, "GM0003": 1, "GM0004": 4, "GM0005": 1}),
    }
    table = features_table(frames)
    similar = comparable_regions(table, "GM0003", n=2)
    # GM0005 is the other big city; of the small ones GM0004 is the least rural (urbanity 4, not 5)
    assert list(similar.index) == ["GM0005", "GM0004"]
    assert similar["distance"].is_monotonic_increasing
    assert "inwoners" in similar.columns and "distance" in similar.columns
    small = comparable_regions(table, "GM0001", n=2)
    assert set(small.index) == {"GM0002", "GM0004"}
    assert comparable_regions(table, "GM9999").empty


def test_a_municipality_merged_away_is_never_comparable():
    rows = [("GM0001", "2020JJ00", 10_000), ("GM0002", "2020JJ00", 11_000), ("GM0009", "2019JJ00", 10_500),
            ("GM0001", "2019JJ00", 9_900), ("GM0002", "2019JJ00", 10_900)]
    frame = _frame([{"region_code": c, "region_name": f"Gemeente {c}", "period": p, "value": v} for c, p, v in rows])
    table = features_table({"inwoners": frame, "dichtheid": frame})
    assert list(table.index) == ["GM0001", "GM0002"] and table.loc["GM0001", "inwoners"] == 10_000
    assert list(comparable_regions(table, "GM0001").index) == ["GM0002"]


def test_running_totals_get_no_trend_verdict():
    assert indicator_trend(RISING, "hoger", cumulative=True).verdict == "niet van toepassing"
    assert indicator_trend(RISING, "hoger", cumulative=False).verdict == "verbetert"


def test_targets_in_reading_order_show_every_target_nearest_open_first():
    def status(year, verdict):
        return TargetStatus(Target("value", 1, f"doel {year}", "", "test", year=year), verdict, 1, 0, 2024)

    statuses = [status(2023, "gehaald"), status(2035, "niet op koers"), status(2030, "niet op koers"), status(None, "op koers")]
    ordered = reading_order(statuses, this_year=2026)
    assert [s.target.year for s in ordered] == [2030, 2035, None, 2023]
