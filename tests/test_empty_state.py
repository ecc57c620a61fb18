"""A CBS figure that was never fetched (its table absent from the mirror, so the refresh fails
with 'does not exist', or never refreshed at all) says so plainly on the overview card and the
opgave page, names its table with a link to StatLine, and shows no number for it."""
import re
import shutil

import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest import APP, app_page, markdown_sources, texts
from tests.conftest import FIXTURE_CATALOGUE

ABSENT = "99909TST"  # testenergie.kapot's table; the hand-made mirror does not hold it
STATLINE = f"https://opendata.cbs.nl/statline/#/CBS/nl/dataset/{ABSENT}/table"


@pytest.fixture
def absent_headline(filled, tmp_path, monkeypatch):
    """The test catalogue with testenergie.kapot as a headline outcome, on a store whose refresh
    of it failed (404 from the emulator)."""
    edited = tmp_path / "catalogue"
    shutil.copytree(FIXTURE_CATALOGUE, edited)
    toml = edited / "testenergie.toml"
    text = toml.read_text(encoding="utf-8")
    broken = 'better = "hoger"\n[indicator.source]\nadapter = "cbs"\ntable = "99909TST"'
    assert broken in text
    toml.write_text(text.replace(broken, broken.replace('better = "hoger"', 'better = "hoger"\nheadline = true')), encoding="utf-8")
    monkeypatch.setenv("OPGAVEMONITOR_CATALOGUE_DIR", str(edited))
    assert filled.record("testenergie.kapot").error and not filled.record("testenergie.kapot").last_refresh
    return filled


def _notice(at: AppTest, kind: str) -> str:
    """The one warning or info box that speaks of the absent table."""
    boxes = [str(box.value) for box in getattr(at, kind) if ABSENT in str(box.value)]
    assert len(boxes) == 1, [str(b.value) for b in getattr(at, kind)]
    return boxes[0]


def test_overview_card_says_not_yet_fetched_with_table_and_statline_link(absent_headline):
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert "**Opgeheven tabel** · maatschappelijk resultaat" in markdown_sources(at)
    box = _notice(at, "warning")
    assert box.startswith("**Dit cijfer is nog niet opgehaald bij CBS**, dus hier staat geen waarde.")
    assert f"CBS-tabel [{ABSENT}]({STATLINE})" in box
    # the reason follows, as its kind: a public page shows no URLs or server paths
    assert box.endswith("mislukte: de bron kent deze tabel of dit bestand niet (meer)"), box
    # the three available headlines have a figure; the absent one has none (no 0 %, no dash)
    figures = re.findall(r"class='om-value om-big'>([^<]*)<", "\n".join(markdown_sources(at)))
    assert sorted(figures) == ["1.090 m³", "455 personen", "5.350 m³"]


def test_opgave_page_says_not_yet_fetched_in_both_languages(absent_headline):
    at = app_page("testenergie", indicator="testenergie.kapot")
    assert not at.exception
    assert f"CBS-tabel [{ABSENT}]({STATLINE})" in _notice(at, "warning")
    assert not at.metric and not at.get("plotly_chart")
    english = app_page("testenergie", indicator="testenergie.kapot", taal="en")
    assert not english.exception
    box = _notice(english, "warning")
    assert box.startswith("**This figure has not yet been fetched from CBS**, so no value is shown here.")
    assert f"CBS table [{ABSENT}]({STATLINE})" in box


def test_never_refreshed_cbs_figure_and_derived_one(cbs, store):
    """Nothing refreshed yet: the CBS indicator names its table and the command; a derived one
    (no table of its own) only gives the command."""
    sourced = app_page("testwonen", indicator="testwonen.waarde")
    box = str(sourced.info[0].value)
    assert box.startswith("**Dit cijfer is nog niet opgehaald bij CBS**")
    assert "[99901TST](https://opendata.cbs.nl/statline/#/CBS/nl/dataset/99901TST/table)" in box
    assert "python -m data_sources refresh --indicator testwonen.waarde" in texts(sourced)
    derived = app_page("testwonen", indicator="testwonen.per_persoon")
    assert "python -m data_sources refresh --indicator testwonen.per_persoon" in texts(derived)
    assert "opgehaald bij CBS" not in texts(derived)
