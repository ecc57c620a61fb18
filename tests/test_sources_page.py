"""The Bronnen page: freshness first (last refresh and its age, then per opgave when each
indicator's figures were fetched and when CBS last changed its table), grouped by opgave in
catalogue order, in tables that fit the screen; the maintainers' grid folded away."""
import re
from datetime import UTC

import pytest

from tests.apptest import app_page, rendered, texts
from tests.browser import SHOTS, assert_page_ok
from ui.language import speaking


def test_freshness_comes_first_grouped_by_opgave(filled):
    at = app_page("bronnen")
    assert not at.exception
    first = rendered(str(at.markdown[1].value))  # after the page's own style sheet
    assert first.startswith("**Laatst ververst: ") and "(vandaag).**" in first
    assert "6 van de 7 indicatoren hebben cijfers" in first and "⚠ Bij 1 indicator(en) mislukte" in first
    assert [h.value for h in at.header][:2] == ["Testwonen", "Testenergie"]  # catalogue order, before the export
    body = texts(at)
    assert "| Indicator | Cijfers over | Opgehaald | Gewijzigd door CBS |" in body
    assert re.search(r"\| Aantal \(v4\) \(99903TST\) \| 2015 – 2024 \| vandaag \| 20 maart 2026 \(\d+ \w+ geleden\) \|", body)
    assert "⚠ **Opgeheven tabel**: verversen mislukte op " in body and "de bron kent deze tabel of dit bestand niet (meer)" in body
    assert body.index("| Aantal (v4) (99903TST)") < body.index("| Opgeteld sinds 2020")  # Testwonen's table, then Testenergie's


def test_ages_read_in_words():
    from datetime import datetime, timedelta

    from ui.format import age_words

    now = datetime(2026, 12, 2, 12, tzinfo=UTC)
    def ago(days):
        return (now - timedelta(days=days)).isoformat()

    assert [age_words(ago(d), now) for d in (0, 1, 5, 14, 60, 61, 400, 730)] == [
        "vandaag", "gisteren", "5 dagen geleden", "2 weken geleden", "8 weken geleden", "2 maanden geleden",
        "13 maanden geleden", "2 jaar geleden"]
    with speaking("en"):
        assert [age_words(ago(d), now) for d in (1, 7, 31 * 12)] == ["yesterday", "7 days ago", "12 months ago"]
    assert age_words(None) == "–"


@pytest.mark.slow
@pytest.mark.parametrize("width,height", [(1366, 768), (390, 844), (1920, 1080)])
def test_every_freshness_column_is_on_screen(app_url, browser, width, height):
    """At 1366x768 every column of every opgave's table is inside the window, and no page is
    wider than the screen (on a phone a table scrolls in its own box)."""
    page = browser.new_page(viewport={"width": width, "height": height})
    try:
        page.goto(f"{app_url}/bronnen")
        page.wait_for_selector(".st-key-freshness table", timeout=60_000)
        page.wait_for_timeout(500)
        assert_page_ok(page)
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"bronnen-{width}x{height}.png"))
        main = page.evaluate("(() => { const m = document.querySelector('[data-testid=stMain]'); return [m.scrollWidth, m.clientWidth]; })()")
        assert main[0] <= main[1], main
        hint = page.locator(".om-scroll-hint")
        assert hint.is_visible() == (width < 640)  # a phone is told that the tables scroll sideways
        if width < 640:
            assert "Schuif een tabel opzij" in hint.inner_text()
        headers = page.locator(".st-key-freshness table").first.locator("th")
        assert headers.all_inner_texts() == ["Indicator", "Cijfers over", "Opgehaald", "Gewijzigd door CBS"]
        if width >= 1366:
            for box in (h.bounding_box() for h in headers.all()):
                assert box["x"] >= 0 and box["x"] + box["width"] <= width, box
    finally:
        page.close()

