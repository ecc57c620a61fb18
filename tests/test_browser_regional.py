"""What a person sees of the regional pictures, in Debian's chromium on the real mirror: the
samenhang scatter's ticks in the project's dark text (not Streamlit's #808495), full names in
the stapeling table, one indeling note per page; the Regio's tab's ranking with Nederland named
inside the chart on a 390 px phone."""
from __future__ import annotations

import os

import pytest

from tests.browser import CHROMIUM, ROOT, SHOTS, close
from tests.test_browser_maps import _app

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed")]


@pytest.fixture(scope="module")
def regional_app(tmp_path_factory, shared_mirror):
    """The whole real catalogue refreshed from the mirror, with the 2024 boundaries."""
    env = {"OPGAVEMONITOR_DATA_DIR": str(tmp_path_factory.mktemp("browser-regional")),
           "OPGAVEMONITOR_CATALOGUE_DIR": str(ROOT / "data_sources" / "catalogue")}
    yield from _app(shared_mirror, env, [(["refresh"], ()), (["boundaries", "--year", "2024"], ())])  # nothing may fail


def _open(browser, url: str, width: int, height: int, ready: str):
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(url)
    page.wait_for_selector(ready, timeout=90_000)
    page.wait_for_timeout(1500)
    return page


def test_samenhang_ticks_full_names_and_one_note(regional_app, browser):
    page = _open(browser, f"{regional_app}/samenhang?regio=GM0363", 1366, 768, ".js-plotly-plot .xtick text")
    fills = page.locator(".js-plotly-plot .xtick text, .js-plotly-plot .ytick text").evaluate_all(
        "els => [...new Set(els.map(e => getComputedStyle(e).fill))]")
    assert fills == ["rgb(26, 26, 26)"], fills  # 17:1 on white; Streamlit's theme drew #808495 (3.7:1)
    page.wait_for_selector("[data-testid='stTable'] table", timeout=60_000)
    cell = page.locator("[data-testid='stTable'] tbody th", has_text="Capelle aan den IJssel")
    assert cell.count() == 1 and cell.text_content().strip() == "Capelle aan den IJssel"
    assert cell.evaluate("e => e.scrollWidth <= e.clientWidth")  # the whole name is visible, not cut
    notes = page.locator("[data-testid='stCaptionContainer']", has_text="Indeling van")
    assert notes.count() == 1, notes.all_text_contents()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "samenhang-1366x768.png"))
    close(page)


def test_ranking_on_a_phone_names_nederland_inside_the_chart(regional_app, browser):
    url = f"{regional_app}/energietransitie?indicator=energietransitie.zonnevermogen&tab=regios&regio=GM0363"
    page = _open(browser, url, 390, 844, ".js-plotly-plot .legendtext")
    charts = page.locator(".js-plotly-plot")
    assert charts.count() == 2  # gemeenten and provincies
    for n in range(2):
        chart = charts.nth(n)
        box = chart.bounding_box()
        legend = chart.locator(".legendtext").first
        assert legend.text_content().startswith("Nederland 1.586")
        text = legend.bounding_box()
        assert box["x"] <= text["x"] and text["x"] + text["width"] <= box["x"] + box["width"] <= 390, (text, box)
    label = charts.nth(0).locator(".textpoint text", has_text="Amsterdam")
    assert label.count() == 1
    inner = label.bounding_box()
    outer = charts.nth(0).bounding_box()
    assert outer["x"] <= inner["x"] and inner["x"] + inner["width"] <= outer["x"] + outer["width"]
    charts.nth(0).scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "regios-390x844.png"))
    close(page)
