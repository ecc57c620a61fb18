"""Workshop mode in Debian's chromium: type sizes measured on a 1920x1080 projector, keys and
clicker keys through a deck (a screenshot per slide in test-output/screenshots/), and a phone
that follows the presenter (two browser contexts)."""
from __future__ import annotations

import json
import re
import time

import pytest

from tests.browser import EXCEPTION_BOX, NEEDS_CHROMIUM, SHOTS, assert_page_ok, close

pytestmark = [pytest.mark.slow, NEEDS_CHROMIUM]

PROJECTOR = {"width": 1920, "height": 1080}
PHONE = {"width": 390, "height": 844}
DECK = "voorbeeld-testwonen"
SLIDES = 6  # five indicators and the summary

MEASURE = """() => {
  const px = (el) => el ? parseFloat(getComputedStyle(el).fontSize) : null;
  const q = (s) => document.querySelector(s);
  const lines = [...document.querySelectorAll('.js-plotly-plot .scatterlayer path.js-line')]
    .filter(p => p.getBoundingClientRect().width > 0)  // the chart shown; the phone's size is hidden on a projector
    .map(p => parseFloat(getComputedStyle(p).strokeWidth));
  return {
    body: px(document.body),
    paragraph: px(q('.st-key-om-pres-kicker p')),
    source: px(q('.st-key-om-pres-source p')),
    headline: px(q('.st-key-om-pres-value p')),
    chart_title: px(q('p.om-pres-chart-title')),
    tick: px(q('.js-plotly-plot .xtick text')),
    ytick: px(q('.js-plotly-plot .ytick text')),
    legend: px(q('.js-plotly-plot .legendtext')),
    thinnest_line: lines.length ? Math.min(...lines) : null,
  };
}"""


def open_slide(context, url, **params):
    page = context.new_page()
    query = "&".join(f"{k}={v}" for k, v in params.items())
    page.goto(f"{url}/presentatie?{query}")
    page.wait_for_selector(f".js-plotly-plot .legendtext:visible, {EXCEPTION_BOX}", timeout=60_000)  # the chart sized for this screen
    assert_page_ok(page)
    return page


def progress(page, n: int, timeout: float = 30_000, presenter: bool = True) -> None:
    """Slide ``n`` is shown, the script run that drew it has finished and the deck's key
    listener is in place (on a freshly loaded page its frame loads a moment after the run:
    a key pressed before that is lost, which is what made a first press look dropped)."""
    page.get_by_text(re.compile(rf"Dia {n} / {SLIDES}")).first.wait_for(timeout=timeout)
    page.wait_for_selector('[data-test-script-state="notRunning"]', timeout=timeout)
    assert_page_ok(page)
    if presenter:  # a follower gets no controls and no key listener
        page.wait_for_function("typeof window.omDeckKey === 'function'", timeout=timeout)
    page.wait_for_timeout(1000)  # a presenter reads the slide before the next key


def test_projector_type_sizes(app_url, browser):
    context = browser.new_context(viewport=PROJECTOR)
    page = open_slide(context, app_url, deck=DECK, dia=1)
    sizes = page.evaluate(MEASURE)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "workshop-projector-1920.png"))
    (SHOTS.parent / "workshop-sizes.json").write_text(json.dumps(sizes, indent=1))
    assert sizes["body"] >= 24 and sizes["paragraph"] >= 24 and sizes["source"] >= 24
    assert sizes["chart_title"] >= 28
    assert sizes["tick"] >= 20 and sizes["ytick"] >= 20 and sizes["legend"] >= 20
    assert sizes["thinnest_line"] >= 3
    assert page.locator('[data-testid="stSidebar"]').is_hidden() and page.locator('[data-testid="stHeader"]').is_hidden()
    source = page.locator(".st-key-om-pres-source")
    assert source.is_visible() and "Bron: CBS, 99901TST" in source.inner_text()
    box, text = source.bounding_box(), source.locator("p").first.bounding_box()
    assert box["y"] + box["height"] <= PROJECTOR["height"] + 1  # in view without scrolling
    assert box["y"] <= text["y"] and text["y"] + text["height"] <= PROJECTOR["height"], (box, text)  # its text too
    chart = page.locator(".st-key-om-pres-chart-projector")  # the chart a projector shows
    legend = chart.locator(".legend").first.bounding_box()
    years = [chart.locator(".xtick text").nth(i).bounding_box() for i in range(chart.locator(".xtick text").count())]
    assert years and all(legend["y"] + legend["height"] <= year["y"] for year in years)  # the legend never covers the years
    assert page.get_by_role("img", name=re.compile("QR")).is_visible()
    assert "telefoons kunnen hem niet openen" in page.locator(".om-qr").inner_text()  # served at 127.0.0.1: said so
    close(context)


def test_keys_move_through_the_deck_with_a_screenshot_per_slide(app_url, browser):
    context = browser.new_context(viewport=PROJECTOR)
    page = open_slide(context, app_url, deck=DECK, dia=1)
    progress(page, 1)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "workshop-slide-1.png"))
    for n in range(2, SLIDES + 1):
        page.keyboard.press("PageDown" if n % 2 else "ArrowRight")
        progress(page, n)
        page.screenshot(path=str(SHOTS / f"workshop-slide-{n}.png"))
        assert f"dia={n}" in page.url
    page.keyboard.press("ArrowLeft")
    progress(page, SLIDES - 1)
    page.keyboard.press("PageDown")  # the first press after going back
    progress(page, SLIDES)
    for key, start in (("ArrowLeft", 4), ("PageUp", 3)):  # backwards, each from a freshly opened slide
        page.goto(f"{app_url}/presentatie?deck={DECK}&dia={start}")
        progress(page, start)
        page.keyboard.press(key)
        progress(page, start - 1)
    # keyboard alone, right after the move backwards: Tab reaches the next button, which shows
    # a visible focus ring
    page.keyboard.press("Tab")
    focused = "() => [document.activeElement.tagName, document.activeElement.innerText || '']"
    for _ in range(12):
        if page.evaluate(focused)[0] == "BUTTON" and "Volgende" in page.evaluate(focused)[1]:
            break
        page.keyboard.press("Tab")
    assert page.evaluate(focused)[0] == "BUTTON" and "Volgende" in page.evaluate(focused)[1]
    assert page.evaluate("getComputedStyle(document.activeElement).outlineWidth") != "0px"
    page.keyboard.press("Enter")
    progress(page, 3)  # from slide 2, where PageUp left it
    close(context)


def test_phone_follows_the_presenter(app_url, browser):
    presenter_context = browser.new_context(viewport=PROJECTOR)
    presenter = open_slide(presenter_context, app_url, deck=DECK, dia=1)
    presenter.get_by_role("button", name="Laat de zaal meevolgen").click()
    presenter.wait_for_url(re.compile(r"zaal=[A-Z2-9]{5}"), timeout=30_000)
    room = re.search(r"zaal=([A-Z2-9]{5})", presenter.url).group(1)
    qr = presenter.locator(".om-qr")
    qr.get_by_text(f"Zaalcode {room}").wait_for(timeout=30_000)
    box = qr.bounding_box()  # in view on the projector, not under the fold
    assert box["y"] >= 0 and box["y"] + box["height"] <= PROJECTOR["height"], box
    phone_context = browser.new_context(viewport=PHONE)
    phone = open_slide(phone_context, app_url, deck=DECK, dia=1, volg=room)
    phone.get_by_text(f"Je volgt zaal {room}").wait_for(timeout=30_000)
    presenter.get_by_role("button", name="Volgende ▶").click()
    progress(presenter, 2)
    started = time.monotonic()
    progress(phone, 2, timeout=15_000, presenter=False)
    assert phone.get_by_role("button", name="Volgende ▶").count() == 0  # nothing that would snap back
    moved_after = time.monotonic() - started
    SHOTS.mkdir(parents=True, exist_ok=True)  # test-output/ too, where the timing goes
    (SHOTS.parent / "workshop-follow.json").write_text(json.dumps({"seconds": moved_after}))
    phone.screenshot(path=str(SHOTS / "workshop-follower-390.png"), full_page=True)
    assert moved_after < 5
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1  # no sideways scrolling
    close(presenter_context)  # the presenter's tab closes: the phone keeps its slide
    time.sleep(2.5)
    assert "dia=2" in phone.url and phone.get_by_text(f"Je volgt zaal {room}").is_visible()
    close(phone_context)


def test_an_english_phone_follows_a_dutch_presenter_in_english(app_url, browser):
    """Two sessions at once in two languages on the real server; the phone's timed reruns (a
    fragment, run outside the page's own run) keep the phone's language."""
    presenter_context, phone_context = browser.new_context(viewport=PROJECTOR), browser.new_context(viewport=PHONE)
    presenter = open_slide(presenter_context, app_url, deck=DECK, dia=1)
    presenter.get_by_role("button", name="Laat de zaal meevolgen").click()
    presenter.wait_for_url(re.compile(r"zaal=[A-Z2-9]{5}"), timeout=30_000)
    room = re.search(r"zaal=([A-Z2-9]{5})", presenter.url).group(1)
    phone = open_slide(phone_context, app_url, deck=DECK, dia=1, volg=room, taal="en")
    phone.get_by_text(f"You follow room {room}").wait_for(timeout=30_000)
    phone.wait_for_timeout(3000)  # three timed reruns of the follower's poll
    assert phone.get_by_text(f"You follow room {room}").is_visible() and phone.get_by_text("Je volgt").count() == 0
    presenter.get_by_role("button", name="Volgende ▶").click()
    progress(presenter, 2)
    phone.get_by_text(re.compile(rf"Slide 2 / {SLIDES}")).first.wait_for(timeout=15_000)
    assert phone.get_by_text(re.compile(r"Dia \d")).count() == 0 and phone.get_by_text(f"You follow room {room}").is_visible()
    assert presenter.get_by_text(re.compile(rf"Dia 2 / {SLIDES}")).first.is_visible()
    close(presenter_context, phone_context)


COVERED = """() => {
  const qr = document.querySelector('.om-qr').getBoundingClientRect();
  const overlap = (b) => b.width > 1 && b.height > 1 && b.left < qr.right && qr.left < b.right && b.top < qr.bottom && qr.top < b.bottom;
  const content = [...document.querySelectorAll('[data-testid="stElementContainer"], .js-plotly-plot .point, .js-plotly-plot .gtitle, .js-plotly-plot .annotation')]
    .filter(el => !el.querySelector('.om-qr') && !el.closest('.om-qr'));
  return content.filter(el => overlap(el.getBoundingClientRect()))
    .map(el => (el.innerText || el.getAttribute('class') || el.tagName).slice(0, 60));
}"""


@pytest.mark.slow
@pytest.mark.parametrize("taal", ["nl", "en"])
def test_the_qr_code_covers_no_slide_content(app_url, browser, taal):
    """On a projector the QR box has its own column: no element of the slide (title, big number,
    trend and target lines, chart, its points and labels, talking point, source) lies under it."""
    for viewport in (PROJECTOR, {"width": 1366, "height": 768}):
        context = browser.new_context(viewport=viewport)
        page = open_slide(context, app_url, deck=DECK, dia=1, taal=taal)
        page.wait_for_selector(".om-qr img", timeout=30_000)
        page.wait_for_timeout(1500)  # plotly's resize to the narrower column
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"workshop-qr-{taal}-{viewport['width']}.png"))
        assert page.evaluate(COVERED) == []
        qr = page.locator(".om-qr").bounding_box()
        assert qr["x"] + qr["width"] <= viewport["width"] and qr["y"] + qr["height"] <= viewport["height"], qr
        close(context)
