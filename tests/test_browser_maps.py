"""The maps, profile and samenhang pages in Debian's chromium (Playwright) against the real app:
one drawn shape per municipality with no network beyond 127.0.0.1, a hover with a Dutch
number, a click on a region that selects it and puts it in the URL; screenshots at 1366x768
and 390x844 in test-output/screenshots/."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.browser import EXCEPTION_BOX, NEEDS_CHROMIUM, SHOTS, assert_no_serious_axe_finding, assert_page_ok, close
from tests.fixtures.geo import store_boundaries
from tests.server import ROOT, cli, streamlit_server

pytestmark = [pytest.mark.slow, NEEDS_CHROMIUM]
SHAPES = "path.choroplethlocation"


def _app(mirror, env, commands, prepare=None):
    """Run the CLI ``commands`` (each with the indicators it must report as failed) against an
    emulator of ``mirror``, then ``prepare(data)``, then serve the app; yields its URL."""
    from data_sources.emulator import start_emulator

    emulator = start_emulator(mirror)
    env = {**os.environ, **emulator.env(), **env}
    for args, failed in commands:
        cli(env, *args, failed=failed)
    if prepare:
        prepare(Path(env["OPGAVEMONITOR_DATA_DIR"]))
    with streamlit_server(env) as url:
        yield url
    emulator.stop()


@pytest.fixture(scope="module")
def fixture_app(tmp_path_factory, mirror_dir):
    """Hand-made store (Amsterdam, Assen) with hand-made 2024 boundaries (plus Groningen)."""
    from tests.conftest import FIXTURE_CATALOGUE, FIXTURE_FILES

    env = {"OPGAVEMONITOR_DATA_DIR": str(tmp_path_factory.mktemp("browser-maps-store")),
           "OPGAVEMONITOR_CATALOGUE_DIR": str(FIXTURE_CATALOGUE), "OPGAVEMONITOR_FILES_DIR": str(FIXTURE_FILES)}
    yield from _app(mirror_dir, env, [(["refresh"], ("testenergie.kapot",))], store_boundaries)


@pytest.fixture(scope="module")
def real_app(tmp_path_factory, shared_mirror):
    """The real catalogue's sale prices (83625NED) and population, and the mirror's boundaries."""
    env = {"OPGAVEMONITOR_DATA_DIR": str(tmp_path_factory.mktemp("browser-maps-real")),
           "OPGAVEMONITOR_CATALOGUE_DIR": str(ROOT / "data_sources" / "catalogue")}
    commands = [(["refresh", "--indicator", "woningtekort.verkoopprijs", "--indicator", "woningtekort.bevolking"], ()),
                (["boundaries", "--year", "2024"], ())]
    yield from _app(shared_mirror, env, commands)


def open_map(browser, url, width=1366, height=768):
    page = browser.new_page(viewport={"width": width, "height": height})
    outside = []
    page.on("request", lambda r: None if r.url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:")) else outside.append(r.url))
    page.goto(url)
    page.wait_for_selector(f"{SHAPES}, {EXCEPTION_BOX}", state="attached", timeout=60_000)
    assert_page_ok(page)
    page.wait_for_timeout(500)
    return page, outside


def hover_text(page, shape) -> str:
    shape.scroll_into_view_if_needed()
    box = shape.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_selector(".hoverlayer .hovertext", timeout=10_000)
    return page.locator(".hoverlayer .hovertext").first.text_content()


def test_map_draws_every_municipality_offline_and_a_click_selects_it(fixture_app, browser, axe):
    page, outside = open_map(browser, f"{fixture_app}/testwonen?indicator=testwonen.waarde&tab=kaart")
    shapes = page.locator(SHAPES)
    assert shapes.count() == 3  # Amsterdam and Assen with values, Groningen grey
    assert outside == []  # no tiles, no world map from a CDN: it works offline
    assert "Assen" in hover_text(page, shapes.nth(1)) and "100 m³" in hover_text(page, shapes.nth(1))
    assert "geen gegevens" in hover_text(page, shapes.nth(2))
    assert_no_serious_axe_finding(page, "Kaart tab (legend with 'geen gegevens')")
    for attempt in range(3):  # the page may still shift (fonts, late elements) between measuring and clicking
        box = shapes.nth(1).bounding_box()
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        try:
            page.wait_for_function("() => location.search.includes('regio=GM0106')", timeout=15_000)
            break
        except Exception:
            if attempt == 2:
                raise
    assert page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").get_by_text(re.compile("Assen")).count() == 1
    close(page)


def test_real_map_one_shape_per_municipality_dutch_hover_and_screenshots(real_app, browser):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page, outside = open_map(browser, f"{real_app}/woningtekort?indicator=woningtekort.verkoopprijs&tab=kaart&periode=2024JJ00&regio=GM0363")
    assert page.locator(SHAPES).count() == 342 and outside == []
    text = hover_text(page, page.locator(SHAPES).nth(0))
    assert re.search(r"\d{1,3}(\.\d{3})+ euro", text), text  # 412.345 euro: Dutch thousands separator
    items = page.locator(".om-legend-item").evaluate_all("els => els.map(e => e.textContent)")
    classes = [c for c in items if not c.startswith("◆")]
    assert len(classes) == 5 and all(re.fullmatch(r"[\d.]+ – [\d.]+", c) for c in classes), items
    assert len(items) == 6 and sum(i.startswith("◆ Nederland") for i in items) == 1  # Nederland's value marked among them
    page.locator(".js-plotly-plot").first.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "kaart-1366x768.png"))
    close(page)
    phone, _ = open_map(browser, f"{real_app}/woningtekort?indicator=woningtekort.verkoopprijs&tab=kaart&regio=GM0363", 390, 844)
    map_box = phone.locator(".js-plotly-plot").first.bounding_box()
    assert map_box["width"] <= 390 and map_box["width"] > 300  # the map fits the phone's width
    phone.locator(".js-plotly-plot").first.scroll_into_view_if_needed()
    phone.screenshot(path=str(SHOTS / "kaart-390x844.png"))
    close(phone)


SHOWS = {  # page: (its title, what must be drawn, at least how many)
    "gemeente": ("Mijn gemeente: alle opgaven op één plek", "[data-testid='stTable'] tbody tr", 2),  # sale price, population
    "samenhang": ("Samenhang: waar opgaven samenkomen", ".js-plotly-plot .scatterlayer .points path", 300),  # a dot per municipality
}


@pytest.mark.parametrize("name", SHOWS)
def test_profile_and_samenhang_show_real_data_with_screenshots(real_app, browser, name):
    title, drawn, at_least = SHOWS[name]
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width, height in ((1366, 768), (390, 844)):
        page = browser.new_page(viewport={"width": width, "height": height})
        page.goto(f"{real_app}/{name}?regio=GM0363")
        page.wait_for_selector(f"{drawn}, {EXCEPTION_BOX}", state="attached", timeout=60_000)
        page.wait_for_timeout(1000)
        assert_page_ok(page)
        assert page.locator("h1").first.inner_text() == title
        assert page.locator(drawn).count() >= at_least, page.locator(drawn).count()
        if name == "gemeente":
            assert page.get_by_role("heading", name="Amsterdam (GM0363)").is_visible()
        page.screenshot(path=str(SHOTS / f"{name}-{width}x{height}.png"), full_page=True)
        close(page)


def test_profile_fits_a_phone_as_cards_and_prints_as_a_table(fixture_app, browser, axe):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(f"{fixture_app}/gemeente?regio=GM0363")
    page.wait_for_selector("[data-testid='stTable'] table", timeout=60_000)
    page.wait_for_timeout(1000)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    fits = page.locator("[data-testid='stTable']").evaluate_all(
        "els => els.map(e => [e.scrollWidth <= e.clientWidth, e.querySelector('table').getBoundingClientRect().width <= e.clientWidth])")
    assert len(fits) == 2 and all(all(f) for f in fits), fits  # Testwonen and Testenergie: no sideways scrolling
    rank = page.locator("[data-testid='stTable'] tbody tr").first.locator("td").nth(2)
    assert page.evaluate("td => getComputedStyle(td, '::before').content", rank.element_handle()) == '"Plaats"'  # each line labelled
    assert "van" in rank.text_content()
    page.locator("[data-testid='stTable']").first.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "gemeente-kaartjes-390x844.png"))
    assert_no_serious_axe_finding(page, "/gemeente (390 px, cards)")
    page.emulate_media(media="print")  # printing keeps the table
    shown = page.evaluate("['table', 'thead', 'td'].map(t => getComputedStyle(document.querySelector(`[data-testid='stTable'] ${t}`)).display)")
    assert shown == ["inline-table", "table-header-group", "table-cell"], shown
    close(page)
