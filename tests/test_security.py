"""A public deployment under attack: read-only means read-only, data and URL text stay text
(checked as tests/hostile.py describes), no link breaks a page, a page that raises shows no
traceback, and uploads are bounded."""
from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import pytest

from data_sources.__main__ import main as cli
from tests.apptest import app_page, texts
from tests.browser import CHROMIUM, ROOT, close
from tests.hostile import PAGES, unsafe_markup
from tests.server import streamlit_server


@pytest.fixture
def crafted(filled):
    """The store after a crafted snapshot or a hostile file source: names that are markup."""
    name = '[Log in](https://evil.example/login) <img src=x onerror=alert(1)> <iframe srcdoc="<script>alert(1)</script>">'
    for indicator in ("testwonen.waarde", "testwonen.aantal"):
        frame, record = filled.frame(indicator), filled.record(indicator)
        frame.loc[frame["region_code"] == "GM0363", "region_name"] = name
        filled.save(frame, record.provenance)
    return name


@pytest.mark.parametrize("url_path", PAGES)
def test_read_only_pages_offer_no_way_to_change_the_store(filled, url_path):
    at = app_page(url_path)
    assert not at.exception
    # The one upload a visitor may use opens a deck in their own session; nothing reaches the server.
    assert not [u for u in at.get("file_uploader") if u.key != "om-upload-deck"]
    labels = " ".join(b.label for b in at.button).lower()
    assert "import" not in labels and "verversen" not in labels
    assert "Alleen-lezen publicatie" in texts(at)


def test_edit_mode_does_offer_them(filled, monkeypatch):
    """The counterpart that shows the read-only test can see the controls when they are there."""
    monkeypatch.setenv("OPGAVEMONITOR_MODE", "beheer")
    at = app_page("bronnen")
    assert at.get("file_uploader")
    assert "Nu verversen bij CBS" in [b.label for b in at.button]
    assert "Beheermodus" in texts(at)


@pytest.mark.parametrize("mode", ["", "typo", "Beheer ", "1", "true"])
def test_anything_but_an_explicit_edit_mode_is_read_only(filled, monkeypatch, mode):
    monkeypatch.setenv("OPGAVEMONITOR_MODE", mode)
    from data_sources.settings import editing_allowed

    assert editing_allowed() is (mode.strip().lower() == "beheer")


def test_the_operator_still_imports_and_exports_on_the_command_line(filled, tmp_path):
    snapshot = tmp_path / "s.zip"
    assert cli(["export", str(snapshot)]) == 0
    assert cli(["import", str(snapshot)]) == 0


@pytest.mark.parametrize("url_path", ["", "testwonen"])
def test_crafted_region_names_render_as_text(crafted, url_path):
    at = app_page(url_path, regio="GM0363", indicator="testwonen.waarde")
    assert not at.exception
    assert crafted in texts(at)  # shown, literally
    assert not unsafe_markup(at)


def test_crafted_region_names_stay_text_on_the_profile(crafted):
    at = app_page("gemeente", regio="GM0363")
    assert not at.exception and not unsafe_markup(at)
    assert [h.value for h in at.header] == ["Amsterdam (GM0363)"]
    tables = [table.value for table in at.table]  # Testwonen and Testenergie: the crafted frames' rows are on the page
    assert len(tables) == 2 and "Waarde per woning" in tables[0].index, tables


def test_crafted_region_names_stay_text_in_the_samenhang_chart(crafted):
    at = app_page("samenhang", regio="GM0363", x="testwonen.waarde", y="testwonen.aantal")
    assert not at.exception and not unsafe_markup(at)
    (chart,) = at.get("plotly_chart")
    hovers = [h for trace in json.loads(chart.proto.spec)["data"] for h in trace.get("hovertext") or trace.get("text") or []]
    assert any(html.escape(crafted) in h for h in hovers), hovers  # Amsterdam's dot, its name escaped


def test_regions_tab_with_crafted_names(crafted):
    at = app_page("testwonen", regio="GM0363", indicator="testwonen.waarde", tab="regios")
    assert not at.exception and not unsafe_markup(at)


def test_a_markdown_link_in_the_url_is_shown_as_text(filled):
    at = app_page("testwonen", tab="[Log in opnieuw](https://evil.example/login)")
    assert not at.exception
    assert "Onbekende waarde in de link genegeerd: tab=[Log in opnieuw](https://evil.example/login)" in texts(at)
    assert not unsafe_markup(at)


def test_more_regions_than_allowed_give_a_notice_not_an_exception(filled, monkeypatch):
    """The fixture store knows five regions, so the cap is lowered to three to go past it."""
    monkeypatch.setattr("ui.state.MAX_REGIONS", 3)
    at = app_page("testwonen", regio="NL01,GM0363,PV27,PV30,GM0106")
    assert not at.exception
    assert at.multiselect(key="regio").value == ["NL01", "GM0363", "PV27"]
    assert "Er kunnen hoogstens 3 regio's tegelijk; genegeerd uit de link: PV30,GM0106" in texts(at)


def test_seven_valid_regions_in_a_link_are_capped_at_six(monkeypatch):
    from ui import state

    codes = ["NL01", "GM0363", "PV27", "GM0599", "GM0344", "GM0518", "GM0014"]
    monkeypatch.setattr(state.st, "query_params", {"regio": ",".join(codes)})
    view = state.read(set(codes))
    assert view.regio == codes[:6]
    assert view.notices == [("too_many_regions", "regio", "GM0014")]


def test_a_period_range_the_wrong_way_round_gives_a_notice(filled):
    at = app_page("testwonen", indicator="testwonen.waarde", van="2022", tot="2018")
    assert not at.exception
    assert "De periode in de link klopt niet (2022 > 2018); alle jaren worden getoond." in texts(at)
    assert "van" not in at.query_params and "tot" not in at.query_params


@pytest.mark.parametrize("value", ["https://evil.example/login", "www.evil.example", "mail@evil.example"])
def test_a_bare_url_in_the_link_is_not_made_clickable(filled, value):
    at = app_page("testwonen", tab=value)
    assert f"tab={value}" in texts(at)
    assert not unsafe_markup(at)


# A page that raises, served by Streamlit with the repository's config: the visitor reads a
# short message, the server's log has the details.
RAISING_APP = '''
import runpy
import views.gemeente

def broken(view):
    raise RuntimeError("kapot in /srv/geheim/opgavemonitor.py")

views.gemeente.render = broken
runpy.run_path({app!r}, run_name="__main__")
'''


@pytest.mark.slow
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")
def test_a_page_that_raises_shows_no_traceback_and_logs_it_on_the_server(app_env, browser, tmp_path):
    script = tmp_path / "raising_app.py"
    script.write_text(RAISING_APP.format(app=str(ROOT / "app.py")))
    log = tmp_path / "server.log"
    with log.open("wb") as output, streamlit_server({**app_env, "PYTHONPATH": str(ROOT)}, script, output) as url:
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        page.goto(f"{url}/gemeente")
        page.get_by_text("Er ging iets mis bij het tonen van deze pagina").wait_for(timeout=30_000)
        page.wait_for_selector('[data-testid="stException"]', timeout=30_000)
        shown = page.inner_text("body")
        page.close()
    for secret in ("Traceback", "RuntimeError", "/srv/geheim", "kapot in", str(ROOT), "File \""):
        assert secret not in shown, secret
    logged = log.read_text(errors="replace")
    assert "RuntimeError: kapot in /srv/geheim/opgavemonitor.py" in logged and "Traceback" in logged


def _upload(page, url: str, size: int, headers: dict[str, str]) -> int:
    form = {"file": {"name": "momentopname.zip", "mimeType": "application/zip", "buffer": b"\0" * size}}
    return page.request.put(url, multipart=form, headers=headers).status


@pytest.mark.slow
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")
def test_an_anonymous_session_cannot_upload_20_mb(app_url, browser):
    """A visitor of the read-only site opens a deck (the one uploader it has) and learns its
    session's upload address; a 20 MB file sent there is refused, a small one is taken."""
    page = browser.new_page()
    page.goto(f"{app_url}/presentatie-maken")
    picker = ".st-key-om-upload-deck input[type=file]"
    page.wait_for_selector(picker, state="attached", timeout=30_000)
    with page.expect_request(lambda r: r.method == "PUT" and "/_stcore/upload_file/" in r.url, timeout=30_000) as sent:
        page.set_input_files(picker, files=[{"name": "deck.toml", "mimeType": "text/plain", "buffer": b'titel = "Test"\n'}])
    address = sent.value.url.rsplit("/", 1)[0] + "/not-from-any-uploader"
    headers = {k: v for k, v in sent.value.headers.items() if k.lower() == "x-xsrftoken"}
    assert _upload(page, address, 20 * 1024 * 1024, headers) == 413
    assert _upload(page, address, 64 * 1024, headers) in (200, 204)  # the same session, a deck's size: taken
    close(page)  # no exception box either


# Every text field a page shows, from the catalogue and from the store, holding a markdown
# link and an external image: no page may turn them into an <a> or <img> pointing at them.
EVIL = "[Log in](https://evil.example/login) ![px](https://evil.example/px.png)"
CATALOGUE_TEXT = re.compile(r'^((?:title|unit|label|survey|text|aim)_(?:nl|en)|source|title|attribution) = "[^"]*"', re.M)
EVERY_PAGE = [(path, mode) for path in PAGES for mode in ("", "presentatie")]


def _hostile_provenance(data: dict) -> dict:
    data = dict(data, table_title=EVIL, measure_title=EVIL, unit=EVIL, publisher=EVIL, attribution=EVIL, licence=EVIL, operation=EVIL)
    data["filter_titles"] = {code: EVIL for code in data.get("filters", {})}
    data["inputs"] = [_hostile_provenance(p) for p in data.get("inputs", [])]
    return data


def make_hostile(store, catalogue_folder: Path):
    """The fixture catalogue copied to ``catalogue_folder`` with every title, unit, label,
    survey and source text replaced, and the store's region names and provenance titles
    made the same markup. Returns the hostile catalogue."""
    from data_sources.catalogue import load_catalogue
    from data_sources.provenance import Provenance
    from tests.conftest import FIXTURE_CATALOGUE

    shutil.copytree(FIXTURE_CATALOGUE, catalogue_folder)
    for path in catalogue_folder.glob("*.toml"):
        path.write_text(CATALOGUE_TEXT.sub(lambda m: f'{m.group(1)} = "{EVIL}"', path.read_text()))
    catalogue = load_catalogue(catalogue_folder)
    assert catalogue.indicator("testwonen.waarde").title_nl == EVIL  # the rewrite took
    for indicator in catalogue.indicators():
        if store.has_data(indicator.id):
            frame, record = store.frame(indicator.id), store.record(indicator.id)
            frame["region_name"] = EVIL
            store.save(frame, Provenance.from_dict(_hostile_provenance(record.provenance.to_dict())))
    return catalogue


@pytest.fixture
def everything_hostile(filled, tmp_path, monkeypatch):
    monkeypatch.setenv("OPGAVEMONITOR_CATALOGUE_DIR", str(tmp_path / "catalogue"))
    monkeypatch.setenv("OPGAVEMONITOR_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("OPGAVEMONITOR_DECKS_DIR", str(tmp_path / "decks"))
    return make_hostile(filled, tmp_path / "catalogue")


def one_slide_deck() -> str:
    from workshop import decks

    return decks.to_link(decks.Deck("Test", (decks.Slide("testwonen", "testwonen.waarde", ("GM0363",)),)))


def evil_markup(at) -> list[str]:
    return [p for p in unsafe_markup(at) if "evil.example" in p]


@pytest.mark.parametrize("url_path,mode", EVERY_PAGE)
def test_no_store_or_catalogue_text_becomes_a_link_or_image(everything_hostile, url_path, mode):
    params = {"regio": "GM0363", "modus": mode} if mode else {"regio": "GM0363"}
    if url_path == "presentatie":
        params["deck"] = one_slide_deck()
    for tab in ("grafiek", "regios", "bron") if url_path.startswith("test") and not mode else ("grafiek",):
        at = app_page(url_path, tab=tab, indicator="testwonen.waarde", x="testwonen.waarde", y="testwonen.aantal", **params)
        assert not at.exception, at.exception[0].message
        assert not evil_markup(at), (url_path, mode, tab, evil_markup(at)[:3])


@pytest.fixture(scope="module")
def hostile_url(app_env, tmp_path_factory):
    """The app served on a copy of the browser tests' store made hostile (see make_hostile)."""
    from data_sources.store import Store

    folder = tmp_path_factory.mktemp("hostile")
    shutil.copytree(app_env["OPGAVEMONITOR_DATA_DIR"], folder / "data")
    make_hostile(Store(folder / "data"), folder / "catalogue")
    env = {**app_env, "OPGAVEMONITOR_DATA_DIR": str(folder / "data"), "OPGAVEMONITOR_CATALOGUE_DIR": str(folder / "catalogue"),
           "OPGAVEMONITOR_STATE_DIR": str(folder / "state"), "OPGAVEMONITOR_DECKS_DIR": str(folder / "decks")}
    with streamlit_server(env) as url:
        yield url


BROWSER_PAGES = ["", "testwonen", "testwonen?tab=bron", "testwonen?modus=presentatie", "gemeente", "samenhang", "bronnen", "presentatie-maken"]


@pytest.mark.slow
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")
@pytest.mark.parametrize("path", BROWSER_PAGES + ["presentatie"])
def test_in_the_browser_no_link_or_image_points_at_the_hostile_text(hostile_url, browser, path):
    """What markdown renders, as Chromium builds it: the hostile text is on the page as
    characters (no backslash shown), and no <a> or <img> points at it."""
    query = f"deck={one_slide_deck()}" if path == "presentatie" else ""
    url = f"{hostile_url}/{path}{'&' if '?' in path else '?'}regio=GM0363{'&' + query if query else ''}"
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    page.goto(url)
    page.wait_for_selector("h1", timeout=30_000)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(1_000)
    evil = page.eval_on_selector_all('a[href*="evil.example"], img[src*="evil.example"]',
                                     "nodes => nodes.map(n => n.outerHTML + ' in ' + n.closest('[data-testid]')?.dataset.testid"
                                     " + ' < ' + n.closest('[data-testid]')?.parentElement?.closest('[data-testid]')?.dataset.testid)")
    shown = page.inner_text("body")
    close(page)  # no exception box either
    assert not evil, evil[:3]
    assert "[Log in](https://evil.example/login)" in shown.replace("\u200b", "")
    assert "\\[Log" not in shown and "\\(" not in shown
