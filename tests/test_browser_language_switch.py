"""Switching the sidebar's language keeps every choice on the page, in Debian's chromium
(Playwright) against the real app: the browser keeps a choice as the text it shows, so a
choice whose text changes with the language must survive the next click after the switch."""
from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser import EXCEPTION_BOX, NEEDS_CHROMIUM, assert_page_ok, close

pytestmark = [pytest.mark.slow, NEEDS_CHROMIUM]


def _open(browser, url):
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    page.goto(url)
    page.wait_for_selector(f"h1, {EXCEPTION_BOX}", timeout=30_000)
    page.wait_for_load_state("networkidle")
    assert_page_ok(page)
    return page


def _settled(page) -> None:
    """The rerun a click started has finished (Streamlit shows its status widget meanwhile)."""
    page.wait_for_timeout(300)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30_000)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)
    assert_page_ok(page)


def _choose_language(page, name: str) -> None:
    page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").first.click()
    page.get_by_role("option", name=name).click()
    _settled(page)


def _params(page) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(page.url).query).items()}


def _shown_indicator(page) -> str:
    box = page.locator("[data-testid='stMain'] [data-testid='stSelectbox']").first
    return box.locator("input").first.input_value() or box.inner_text().removeprefix("Indicator").strip()


def _pick_indicator(page, title: str) -> None:
    page.locator("[data-testid='stMain'] [data-testid='stSelectbox']").first.click()
    page.get_by_role("option", name=re.compile("^" + re.escape(title))).click()
    _settled(page)


def _tab(page, text: str) -> None:
    page.locator("[data-testid='stMain'] [data-testid='stRadioGroup']").first.get_by_text(text, exact=True).click()
    _settled(page)


def test_opgave_page_keeps_indicator_tab_and_mode_across_a_language_switch(app_url, browser):
    page = _open(browser, f"{app_url}/testwonen?indicator=testwonen.aantal&weergave=index")
    _choose_language(page, "English")
    _tab(page, "Table")  # the first rerun after the switch that the language did not start
    assert _params(page) == {"taal": "en", "indicator": "testwonen.aantal", "tab": "tabel", "weergave": "index"}
    _choose_language(page, "Nederlands")
    _tab(page, "Grafiek")
    assert _params(page) == {"indicator": "testwonen.aantal", "weergave": "index"}
    assert _shown_indicator(page).startswith("Aantal (v4)")
    _choose_language(page, "English")
    _pick_indicator(page, "Value per dwelling")
    assert _params(page) == {"taal": "en", "indicator": "testwonen.waarde", "weergave": "index"}
    _tab(page, "Source")
    _choose_language(page, "Nederlands")
    _pick_indicator(page, "Aantal (v4)")
    assert _params(page) == {"indicator": "testwonen.aantal", "tab": "bron", "weergave": "index"}
    close(page)


def test_samenhang_keeps_its_axes_and_level_across_a_language_switch(app_url, browser):
    page = _open(browser, f"{app_url}/samenhang?x=testwonen.per_persoon&y=testwonen.waarde&niveau=provincie")
    before = _params(page)
    _choose_language(page, "English")
    page.locator("[data-testid='stMain'] [data-testid='stSelectbox']").nth(1).click()
    page.get_by_role("option", name=re.compile("^Count \\(v4\\)")).click()
    _settled(page)
    assert _params(page) == {**before, "taal": "en", "y": "testwonen.aantal"}
    close(page)


def test_regions_tab_keeps_comparing_on_the_total_across_a_language_switch(app_url, browser):
    page = _open(browser, f"{app_url}/testwonen?indicator=testwonen.aantal&tab=regios")
    compare = page.locator("[data-testid='stMain'] [data-testid='stRadioGroup']").nth(1)
    compare.locator("label").nth(1).click()  # the total itself, not its version per inhabitant
    _settled(page)
    _choose_language(page, "English")
    region = page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect'] input")
    region.click()
    region.fill("Amsterdam")
    page.keyboard.press("Enter")
    _settled(page)
    assert _params(page)["regio"] == "GM0363,NL01"
    checked = compare.locator("label:has(input:checked)")
    assert checked.count() == 1 and "total" in checked.inner_text(), compare.inner_text()
    close(page)
