"""Every page with AppTest, through the router (app.py) itself, on a store filled from the
emulator serving hand-made fixtures."""

from streamlit.testing.v1 import AppTest

from data_sources.__main__ import main as cli
from tests.apptest import APP, app_page, rendered, texts


def test_overview_shows_every_opgave_with_verdicts(filled):
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    body = texts(at)
    assert "Stand van de opgaven" in body and "Testwonen" in body and "Testenergie" in body
    assert "1.090 m³" in body  # NL01 2024: 1000 + 10 * 9, Dutch thousands separator
    assert "✓ verbetert" in body  # rising, higher is better
    assert "✓ verbetert (−5,0 personen per jaar)" in body  # falling, lower is better
    assert "op koers" in body


def test_overview_in_english_and_garbage_params(filled):
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["taal"] = "en"
    at.query_params["regio"] = "XX99,GM0363"
    at.query_params["tab"] = "%%%"
    at.run()
    assert not at.exception
    body = texts(at)
    assert "State of the challenges" in body and "improving" in body
    assert "regio=XX99" in body  # quiet notice, no exception
    assert at.multiselect(key="regio").value == ["GM0363"]


def test_first_run_page_on_empty_store(cbs, store):
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    body = texts(at)
    assert "Welkom bij Opgavemonitor" in body and "python -m data_sources refresh" in body
    assert "Waarde per woning" in body  # the catalogue is listed


def test_opgave_page_renders_and_url_reproduces_view(filled):
    at = app_page("testwonen", indicator="testwonen.aantal", regio="GM0363,PV27", tab="tabel")
    assert not at.exception
    assert at.selectbox(key="testwonen-indicator").value == "testwonen.aantal"
    table = at.dataframe[0].value
    assert set(table["code"]) == {"GM0363", "PV27"}
    assert list(table["code"][:2]) == ["GM0363", "PV27"]  # newest period first, regions in the order chosen
    assert table["periode"].iloc[0] == "2024" and table["periode"].iloc[-1] == "2015"
    assert at.query_params["indicator"] == "testwonen.aantal" and at.query_params["tab"] == "tabel"


def test_opgave_page_main_controls(filled):
    at = app_page("testwonen")
    assert not at.exception
    assert at.get("plotly_chart")  # the chart tab is the default
    at.selectbox(key="testwonen-indicator").set_value("testwonen.aantal").run()
    assert at.selectbox(key="testwonen-indicator").value == "testwonen.aantal"
    assert "Een dalende testreeks uit de v4-API" in texts(at)  # the page follows the chosen indicator
    at.multiselect(key="regio").set_value(["NL01", "GM0363"]).run()
    assert not at.exception, at.exception
    assert dict(at.query_params).get("regio") == "GM0363,NL01", dict(at.query_params)  # the newly chosen region leads
    at.selectbox(key="testwonen-mode").set_value("index").run()
    assert at.query_params["weergave"] == "index"
    for tab in ("tabel", "regios", "bron", "download"):
        at.radio(key="testwonen-tab").set_value(tab).run()
        assert not at.exception, tab
        assert at.query_params["tab"] == tab
    at.selectbox(key="taal").set_value("en").run()
    assert not at.exception and at.query_params["taal"] == "en"


def test_regions_tab_spread_rank_and_best(filled):
    at = app_page("testwonen", indicator="testwonen.waarde", regio="GM0363", tab="regios")
    assert not at.exception
    body = texts(at)
    assert "Spreiding over gemeenten (2024)" in body
    assert "Amsterdam: plaats 1 van 2" in body


def test_source_tab_shows_provenance_and_method(filled):
    at = app_page("testwonen", indicator="testwonen.waarde", tab="bron")
    body = texts(at)
    assert "99901TST" in body and "Testtabel v3" in body and "CC BY 4.0" in body
    assert "30 juni 2025" in body  # CBS's modified date in Dutch
    assert "t-toets" in body  # the method paragraph
    derived = texts(app_page("testwonen", indicator="testwonen.per_persoon", tab="bron"))
    assert "‘Waarde per woning’ gedeeld door ‘Aantal (v4)’, maal 1.000" in derived and "99903TST" in derived


def test_download_tab_offers_zip(filled):
    at = app_page("testwonen", indicator="testwonen.waarde", tab="download")
    assert not at.exception
    assert at.get("download_button")


def test_failed_indicator_says_why_and_rest_works(filled):
    at = app_page("testenergie", indicator="testenergie.kapot")
    assert not at.exception
    body = texts(at)
    assert "mislukte: de bron kent deze tabel of dit bestand niet (meer)" in body
    assert "does not exist" not in body and "opendata catalogue" not in body  # no internals on a public page
    at.selectbox(key="testenergie-indicator").set_value("testenergie.cumulatief").run()
    assert not at.exception and at.get("plotly_chart")


def test_in_edit_mode_a_failure_shows_the_stored_reason(filled, monkeypatch):
    monkeypatch.setenv("OPGAVEMONITOR_MODE", "beheer")
    body = texts(app_page("testenergie", indicator="testenergie.kapot"))
    assert "mislukte: table 99909TST does not exist in the opendata catalogue" in body


def test_never_refreshed_indicator(cbs, store):
    at = app_page("testwonen", indicator="testwonen.waarde")
    assert "python -m data_sources refresh --indicator testwonen.waarde" in texts(at)


def test_sources_page(filled):
    at = app_page("bronnen")
    assert not at.exception
    table = at.dataframe[0].value
    assert "testenergie.kapot" in set(table["id"])
    errors = dict(zip(table["id"], table["fout"], strict=True))
    assert errors["testenergie.kapot"].endswith(": de bron kent deze tabel of dit bestand niet (meer)")  # no internals in public
    assert at.get("download_button")
    assert "alleen-lezen" in texts(at)  # refresh is off by default


def test_sources_page_refresh_button_when_allowed(filled, monkeypatch):
    monkeypatch.setenv("OPGAVEMONITOR_MODE", "beheer")
    at = app_page("bronnen")
    table = at.dataframe[0].value
    assert "99909TST does not exist" in dict(zip(table["id"], table["fout"], strict=True))["testenergie.kapot"]
    at.button[-1].click().run()
    assert not at.exception
    assert any("6 ok" in s.value for s in at.success)


def test_failed_refresh_keeps_showing_last_good_data_and_says_so(filled, cbs):
    from data_sources.emulator import Fault

    cbs.faults.append(Fault("99901TST", "status", 503))
    assert cli(["refresh", "--indicator", "testwonen.waarde"]) == 1
    at = app_page("testwonen", indicator="testwonen.waarde")
    assert not at.exception
    assert at.get("plotly_chart")  # the last good data is still shown
    body = texts(at)
    assert "Let op: de laatste verversing" in body and "Reden: de bron gaf een serverfout" in body


def test_corrupt_store_file_makes_only_that_indicator_unavailable(filled):
    filled.frame_path("testwonen.waarde").write_bytes(b"garbage")
    at = app_page("testwonen", indicator="testwonen.waarde")
    assert not at.exception
    assert "Gegevens onleesbaar" in texts(at) and filled.frame_path("testwonen.waarde").name in texts(at)
    at.selectbox(key="testwonen-indicator").set_value("testwonen.aantal").run()
    assert not at.exception and at.get("plotly_chart")
    overview = AppTest.from_file(APP, default_timeout=60).run()
    assert not overview.exception and "Gegevens onleesbaar" in texts(overview)


def test_catalogue_edit_is_picked_up_without_a_refresh(filled, tmp_path, monkeypatch):
    import shutil

    from tests.conftest import FIXTURE_CATALOGUE

    edited = tmp_path / "catalogue"
    shutil.copytree(FIXTURE_CATALOGUE, edited)
    monkeypatch.setenv("OPGAVEMONITOR_CATALOGUE_DIR", str(edited))
    at = app_page("testwonen", indicator="testwonen.waarde")
    assert "1.090 m³" in [rendered(m.value) for m in at.metric]
    text = (edited / "testwonen.toml").read_text(encoding="utf-8")
    (edited / "testwonen.toml").write_text(text.replace('better = "hoger"\nheadline = true', 'better = "hoger"\nheadline = true\nfactor = 2', 1), encoding="utf-8")
    at = app_page("testwonen", indicator="testwonen.waarde")
    assert "2.180 m³" in [rendered(m.value) for m in at.metric]  # the same store, the new factor



def test_a_slide_cut_to_one_year_does_not_change_the_verdict_other_visitors_see(filled):
    """The verdicts are cached per process: a visitor's own years (van/tot on a slide) must never
    become the trend that the next visitor of the ordinary page reads."""
    cut = app_page("testwonen", indicator="testwonen.waarde", modus="presentatie", van="2024", tot="2024")
    assert not cut.exception
    assert "✓ verbetert" not in texts(cut)  # one year carries no trend
    page = app_page("testwonen", indicator="testwonen.waarde")
    assert not page.exception
    assert "✓ verbetert" in texts(page)
