"""Dutch first: 8.149.000, 17,4%, 1 januari 2024; English on request."""
import math

import pytest

from ui import format as fmt
from ui.language import speaking


@pytest.mark.parametrize(
    "value, decimals, lang, expected",
    [
        (8149000, 0, "nl", "8.149.000"),
        (17.43, 1, "nl", "17,4"),
        (1234.5, 1, "nl", "1.234,5"),
        (-2.5, 1, "nl", "−2,5"),
        (8149000, 0, "en", "8,149,000"),
        (17.43, 1, "en", "17.4"),
        (None, 0, "nl", "–"),
        (math.nan, 1, "nl", "–"),
    ],
)
def test_number(value, decimals, lang, expected):
    with speaking(lang):
        assert fmt.number(value, decimals) == expected


def test_signed_and_percent():
    assert fmt.number(3, 1, signed=True) == "+3,0"
    assert fmt.value_with_unit(17.43, "%", 1) == "17,4%"
    assert fmt.value_with_unit(8149000, "woningen", 0) == "8.149.000 woningen"
    assert fmt.value_with_unit(28.34, "% van de woningen", 1) == "28,3% van de woningen"


@pytest.mark.parametrize(
    "value, lang, expected",
    [
        ("2024-01-01", "nl", "1 januari 2024"),
        ("2025-06-30T02:00:00", "nl", "30 juni 2025"),
        ("2026-03-20T00:00:00+01:00", "nl", "20 maart 2026"),
        ("2024-01-01", "en", "1 January 2024"),
        (None, "nl", "–"),
    ],
)
def test_date(value, lang, expected):
    with speaking(lang):
        assert fmt.date(value) == expected


def test_datetime_in_dutch_time():
    assert fmt.datetime_text("2026-11-28T23:52:00+00:00") == "29 november 2026 00:52"


@pytest.mark.parametrize(
    "code, lang, expected",
    [
        ("2023JJ00", "nl", "2023"),
        ("2023KW02", "nl", "2e kwartaal 2023"),
        ("2023KW02", "en", "Q2 2023"),
        ("2023MM11", "nl", "november 2023"),
        ("2023X000", "nl", "2023X000"),
    ],
)
def test_period(code, lang, expected):
    with speaking(lang):
        assert fmt.period(code) == expected


def test_tiny_negative_numbers_never_show_minus_zero():
    assert fmt.number(-0.04, 1) == "0,0"
    assert fmt.number(-0.04, 1, signed=True) == "+0,0"
    assert fmt.number(-0.06, 1) == "−0,1"
