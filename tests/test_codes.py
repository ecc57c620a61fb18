import math

import pandas as pd
import pytest

from data_sources.codes import parse_period, region_level, status_from_cbs, strip_code
from data_sources.frame import build_frame, validate_frame


@pytest.mark.parametrize(
    "code, start, frequency",
    [
        ("2023JJ00", pd.Timestamp(2023, 1, 1), "year"),
        ("2023KW02", pd.Timestamp(2023, 4, 1), "quarter"),
        ("2023KW04", pd.Timestamp(2023, 10, 1), "quarter"),
        ("2023MM11", pd.Timestamp(2023, 11, 1), "month"),
        ("  2023MM01 ", pd.Timestamp(2023, 1, 1), "month"),
    ],
)
def test_known_period_forms(code, start, frequency):
    period = parse_period(code)
    assert period.start == start
    assert period.frequency == frequency
    assert period.code == code.strip()


@pytest.mark.parametrize("code", ["2023X000", "2023KW05", "2023MM13", "2023JJ01", "2012G300", "", None, "abc"])
def test_unknown_period_forms_never_crash(code):
    period = parse_period(code)
    assert period.start is None
    assert period.frequency == "other"


@pytest.mark.parametrize(
    "code, level",
    [
        ("NL01  ", "land"),
        ("LD01", "landsdeel"),
        ("PV27  ", "provincie"),
        ("CR17", "corop"),
        ("GM0363    ", "gemeente"),
        ("WK036300", "wijk"),
        ("BU03630000", "buurt"),
        ("ES01", "other"),
        ("", "other"),
    ],
)
def test_region_level_from_prefix(code, level):
    assert region_level(code) == level


def test_strip_code_removes_padding():
    assert strip_code("GM0363    ") == "GM0363"
    assert strip_code(None) == ""


@pytest.mark.parametrize(
    "status, title, expected",
    [
        ("Voorlopig", None, "voorlopig"),
        ("Nader voorlopig", None, "nader voorlopig"),
        ("Definitief", "2020", "definitief"),
        (None, "2024*", "voorlopig"),
        (None, "2024**", "nader voorlopig"),
        (None, "2020", None),
    ],
)
def test_status(status, title, expected):
    assert status_from_cbs(status, title) == expected


def test_build_frame_strips_codes_marks_missing_and_types_columns():
    frame = build_frame(
        "x.y",
        [
            {"region_code": "GM0363    ", "region_name": "Amsterdam", "period": "2023JJ00", "value": 5, "status": "voorlopig"},
            {"region_code": "GM0363    ", "region_name": "Amsterdam", "period": "2022JJ00", "value": ".", "status": None},
            {"region_code": "PV27  ", "region_name": "Noord-Holland", "period": "2023X000", "value": None},
            {"region_code": "PV27  ", "region_name": "Noord-Holland", "period": "2022JJ00", "value": 1.5},
        ],
    )
    assert validate_frame(frame) == []
    assert set(frame["region_code"]) == {"GM0363", "PV27"}
    ams = frame[frame["region_code"] == "GM0363"].set_index("period")
    assert math.isnan(ams.loc["2022JJ00", "value"])
    assert ams.loc["2023JJ00", "value"] == 5.0
    assert ams.loc["2023JJ00", "status"] == "voorlopig"
    odd = frame[frame["period"] == "2023X000"].iloc[0]
    assert pd.isna(odd["period_start"]) and odd["frequency"] == "other"
    assert frame["value"].dtype == "float64"


def test_build_frame_drops_regions_without_any_value():
    frame = build_frame(
        "x.y",
        [
            {"region_code": "GM0001", "period": "2023JJ00", "value": None},
            {"region_code": "GM0363", "period": "2023JJ00", "value": 1},
        ],
    )
    assert list(frame["region_code"]) == ["GM0363"]
