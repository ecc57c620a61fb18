"""Policy moments: catalogue validation, the drawing on charts and the before/after description."""
from pathlib import Path

import pytest

from data_sources.catalogue import check_catalogue, load_catalogue
from tests.test_catalogue import GOOD_INDICATOR, HEAD

GOOD_MOMENT = """
[[moment]]
date = 2019-05-29
title_nl = "PAS-uitspraak"
title_en = "PAS ruling"
aim_nl = "Doel."
aim_en = "Aim."
source = "Raad van State"
source_url = "https://www.raadvanstate.nl/programma-aanpak/"
indicators = ["demo.a"]
evidence = "stored page raadvanstate.nl/programma-aanpak/"
"""


def _problems(tmp_path: Path, text: str) -> list[str]:
    (tmp_path / "demo.toml").write_text(text, encoding="utf-8")
    return [str(p) for p in check_catalogue(tmp_path)[1]]


def test_a_good_moment_loads_and_belongs_to_its_indicator(tmp_path):
    (tmp_path / "demo.toml").write_text(HEAD + GOOD_INDICATOR + GOOD_MOMENT, encoding="utf-8")
    catalogue = load_catalogue(tmp_path)
    [moment] = catalogue.moments("demo.a")
    assert (moment.date.isoformat(), moment.title("en"), moment.source_url) == ("2019-05-29", "PAS ruling", "https://www.raadvanstate.nl/programma-aanpak/")
    assert catalogue.moments("demo.b") == []


@pytest.mark.parametrize(
    "change, expected",
    [
        (('source_url = "https://www.raadvanstate.nl/programma-aanpak/"\n', ""), "demo.toml [moment #1] source_url: is required"),
        (('source_url = "https://www.raadvanstate.nl/programma-aanpak/"', 'source_url = "https://www.nu.nl/stikstof"'), "demo.toml [moment #1] source_url: must be an https page on an official site"),
        (('source_url = "https://www.raadvanstate.nl/programma-aanpak/"', 'source_url = "http://www.raadvanstate.nl/x"'), "demo.toml [moment #1] source_url: must be an https page on an official site"),
        (('source_url = "https://www.raadvanstate.nl/programma-aanpak/"', 'source_url = "https://raadvanstate.nl.evil.com/x"'), "demo.toml [moment #1] source_url: must be an https page on an official site"),
        (('date = 2019-05-29', 'date = "29 mei 2019"'), "demo.toml [moment #1] date: must be a date such as 2019-05-29"),
        (('date = 2019-05-29', 'date = "2019-02-30"'), "demo.toml [moment #1] date: must be a date such as 2019-05-29"),
        (('indicators = ["demo.a"]', 'indicators = ["demo.onbekend"]'), "demo.toml [moment 2019-05-29 (PAS-uitspraak)] indicators: unknown indicator 'demo.onbekend'"),
        (('indicators = ["demo.a"]', 'indicators = []'), "demo.toml [moment #1] indicators: name at least one indicator"),
        (('evidence = ', 'bewijs = '), "demo.toml [moment #1] bewijs: unknown field (a typo?)"),
    ],
)
def test_a_bad_moment_is_a_catalogue_error_naming_file_entry_and_problem(tmp_path, change, expected):
    problems = _problems(tmp_path, HEAD + GOOD_INDICATOR + GOOD_MOMENT.replace(*change))
    assert any(p.startswith(expected) for p in problems), problems


def test_every_opgave_has_three_sourced_moments_and_its_default_chart_shows_one():
    catalogue, problems = check_catalogue()
    assert problems == []
    for opgave in catalogue.opgaven:
        assert len(opgave.moments) >= 3, opgave.id
        assert all(m.source_url.startswith("https://") and m.evidence for m in opgave.moments)
        default = sorted(opgave.indicators, key=lambda i: i.kind != "resultaat")[0]  # what views/opgave.py opens with
        assert catalogue.moments(default.id), f"{opgave.id}: default chart {default.id} marks no moment"
