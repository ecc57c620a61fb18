"""The Bron tab written for a policymaker: what was calculated in words, with titles instead
of ids; every source's table, selection by title, dates and licence; a code without a CBS title
marked, and 'titel niet beschikbaar' explained once; no analyst notes from the catalogue."""
import re

from data_sources.catalogue import load_catalogue
from tests.apptest import app_page, rendered, texts


def source_tab(indicator: str, lang: str = "nl") -> str:
    at = app_page("testwonen", indicator=indicator, tab="bron", taal=lang)
    assert not at.exception
    return texts(at)


def test_a_derived_indicator_says_what_was_calculated_in_words(filled):
    body = source_tab("testwonen.per_persoon")
    assert "**Berekend:** ‘Waarde per woning’ gedeeld door ‘Aantal (v4)’, maal 1.000" in body
    assert "**Waarde per woning**" in body and "**Aantal (v4)**" in body  # each input's sources under its title
    assert "99901TST" in body and "99903TST" in body and "Testtabel v3" in body
    assert "Woningtype: Totaal woningen" in body and "Geslacht: Totaal" in body  # filters by their CBS titles
    assert "Onderwerp (meetwaarde):** Waarde" in body and "Testmaat" in body
    assert not re.search(r"testwonen\.\w+", body)  # no internal ids
    english = source_tab("testwonen.per_persoon", "en")
    assert "**Calculated:** ‘Value per dwelling’ divided by ‘Count (v4)’, times 1,000" in english


def test_a_code_without_title_is_marked_and_explained_once(filled):
    body = source_tab("testwonen.derden")
    assert "Woningtype: ZW25806 *" in body
    assert body.count("titel niet beschikbaar") == 1
    assert "Hiervoor gaf CBS geen titel" in body
    titled = source_tab("testwonen.waarde")
    assert "titel niet beschikbaar" not in titled and "Hiervoor gaf CBS" not in titled


def test_source_tab_keeps_the_facts_a_policymaker_needs(filled):
    body = source_tab("testwonen.waarde")
    for fact in ("CBS-tabel:** [99901TST](https://opendata.cbs.nl/statline/#/CBS/nl/dataset/99901TST/table) — Testtabel v3",
                 "Gewijzigd door CBS:** 30 juni 2025", "Opgehaald:**", "CC BY 4.0", "Woningtype: Totaal woningen",
                 "gat in 2019", "t-toets"):
        assert fact in body, fact


def test_the_real_catalogue_shows_visitors_no_analyst_notes():
    """Notes about the offline mirror are for the analyst (catalogue comments, ``status``),
    never in a caveat a visitor reads."""
    analyst = re.compile(r"offline|mirror|spiegel|verversing|refresh", re.I)
    for indicator in load_catalogue().indicators():
        for lang in ("nl", "en"):
            notes = [c for c in getattr(indicator, f"caveats_{lang}") if analyst.search(c)]
            assert not notes, (indicator.id, notes)


def panel(prov_fields: dict) -> str:
    """The Bron panel alone, for a hand-made provenance (no store needed)."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_panel_script, args=(prov_fields,), default_timeout=60).run()
    assert not at.exception, at.exception
    return rendered("\n".join(str(e.value) for e in [*at.markdown, *at.caption]))


def _panel_script(prov_fields):
    from data_sources.api import IndicatorData
    from data_sources.catalogue import load_catalogue
    from data_sources.provenance import Provenance
    from data_sources.records import Record
    from tests.conftest import FIXTURE_CATALOGUE
    from ui.provenance import source_panel

    indicator = load_catalogue(FIXTURE_CATALOGUE).indicator("testwonen.derden")
    record = Record(indicator.id, provenance=Provenance(indicator=indicator.id, source="cbs", **prov_fields))
    source_panel(IndicatorData(indicator, record, None))


def test_many_untitled_codes_give_one_explanation():
    body = panel({"table_id": "99902TST", "measure": "M_1", "filters": {"A": "X1", "B": "Y2", "C": "Z3"},
                  "filter_titles": {"A": None, "B": "Bekend", "C": None}})
    assert "M_1 *" in body and "A: X1 *; B: Bekend; C: Z3 *" in body
    assert "99902TST](https://opendata.cbs.nl/statline/#/CBS/nl/dataset/99902TST/table) — *" in body  # no table title
    assert body.count("titel niet beschikbaar") == 1
    titled = panel({"table_id": "99902TST", "table_title": "Tabel", "measure": "M_1", "measure_title": "Maat",
                    "filters": {"B": "Y2"}, "filter_titles": {"B": "Bekend"}})
    assert "titel niet beschikbaar" not in titled and "Maat" in titled
