"""What a person sees, in Debian's chromium driven by Playwright, against the real app served
by Streamlit on a store filled from the emulator (hand-made fixtures).

The tests measure what is rendered: chart text size, contrast and overlap from the SVG,
page language and titles, heading levels, keyboard focus, and axe-core's WCAG 2.1 A/AA
findings. Screenshots at 1366x768 and 390x844 of every page land in test-output/screenshots/."""
from __future__ import annotations

import re
from itertools import pairwise
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser import EXCEPTION_BOX, NEEDS_CHROMIUM, SHOTS, assert_no_serious_axe_finding, assert_page_ok, close
from tests.server import streamlit_server

VIEWPORTS = {"phone": (390, 844), "laptop": (1366, 768), "beamer": (1920, 1080)}

pytestmark = [pytest.mark.slow, NEEDS_CHROMIUM]


def open_page(browser, url, width=1366, height=768):
    """A page with its heading drawn and our CSS in; fails at once on an exception box."""
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(url)
    page.wait_for_selector(f"h1, {EXCEPTION_BOX}", timeout=30_000)
    assert_page_ok(page)
    page.wait_for_function("() => getComputedStyle(document.body).fontSize === '17px'", timeout=30_000)  # our CSS is in
    page.wait_for_load_state("networkidle")
    return page


def wait_for_chart(page, timeout=30_000):
    page.wait_for_function(
        "() => [...document.querySelectorAll('.js-plotly-plot .legendtext')].some(e => e.getBoundingClientRect().width > 0)",
        timeout=timeout,
    )
    page.wait_for_timeout(500)


def svg_texts(page, selector: str) -> list[str]:
    return page.locator(selector).evaluate_all("els => els.map(e => e.textContent)")


def legend(page) -> list[str]:
    return svg_texts(page, ".js-plotly-plot .legendtext")


def test_direct_link_on_a_fresh_server_opens_its_page(app_env, browser):
    """Streamlit shows "Page not found" only on a server's first run, so this server serves
    the deep link before anything else."""
    with streamlit_server(app_env) as url:
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        page.goto(f"{url}/testwonen?regio=GM0363")
        wait_for_chart(page, timeout=90_000)  # a fresh server's first run imports everything
        page.wait_for_timeout(1000)
        assert_page_ok(page)  # no "Page not found", no exception
        assert page.locator("h1").first.inner_text() == "Testwonen"
        assert legend(page)[0] == "Amsterdam"
        close(page)


def test_overview_to_opgave_change_region_and_share_link(app_url, browser):
    page = open_page(browser, app_url)
    assert page.get_by_role("heading", name="Stand van de opgaven").is_visible()
    assert page.get_by_text("1.090 m³").first.is_visible()  # Dutch thousands separator

    page.get_by_role("link", name=re.compile("Naar de opgave: Testwonen")).click()
    page.wait_for_url(re.compile(r"/testwonen"))
    wait_for_chart(page)
    assert legend(page)[0] == "Nederland"

    region = page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect'] input")
    region.click()
    region.fill("Amsterdam")
    page.keyboard.press("Enter")
    page.wait_for_function("() => [...document.querySelectorAll('.legendtext')].some(e => e.textContent.startsWith('Amsterdam'))", timeout=30_000)
    names = legend(page)
    assert "Nederland" in names and "Amsterdam" in names
    page.wait_for_function("() => location.search.includes('regio=')", timeout=10_000)
    shared = page.url
    regions = parse_qs(urlsplit(shared).query)["regio"][0].split(",")
    assert sorted(regions) == ["GM0363", "NL01"], shared  # the order is the region picker's business

    fresh = open_page(browser, shared)
    fresh.wait_for_function("() => [...document.querySelectorAll('.legendtext')].some(e => e.textContent.startsWith('Amsterdam'))", timeout=30_000)
    assert set(legend(fresh)) == set(names)
    close(fresh)
    close(page)


def test_chart_uses_dutch_number_formatting(app_url, browser):
    page = open_page(browser, f"{app_url}/testwonen?indicator=testwonen.waarde")
    wait_for_chart(page)
    ticks = svg_texts(page, ".js-plotly-plot .ytick text")
    assert any(re.fullmatch(r"\d{1,3}(\.\d{3})+", t) for t in ticks), ticks  # 1.000, 1.050
    years = svg_texts(page, ".js-plotly-plot .xtick text")
    assert years and all(re.fullmatch(r"\d{4}", y) for y in years), years  # never 2,019.5
    close(page)


# --- chart text: measured in the rendered SVG -------------------------------------------------

MEASURE_CHART = """
plot => {
  const box = e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  const text = e => { const s = getComputedStyle(e);
    return {text: e.textContent, box: box(e), size: parseFloat(s.fontSize), fill: s.fill, opacity: parseFloat(s.fillOpacity) * parseFloat(s.opacity)}; };
  const all = sel => [...plot.querySelectorAll(sel)].map(text);
  let bg = plot.querySelector('.main-svg'), colour = 'rgba(0, 0, 0, 0)';
  for (let e = bg; e && /rgba\\(.*, 0\\)|transparent/.test(colour); e = e.parentElement) colour = getComputedStyle(e).backgroundColor;
  const legend = plot.querySelector('.legend .bg');
  return {
    chart: box(plot.querySelector('.main-svg')), viewport: [window.innerWidth, window.innerHeight], background: colour,
    legend: legend ? box(legend) : null, entries: [...plot.querySelectorAll('.legend .traces')].map(box),
    xticks: all('.xtick text'), yticks: all('.ytick text'), legendtext: all('.legend .legendtext'),
    titles: all('.g-xtitle text, .g-ytitle text'), annotations: all('.annotation-text'),
  };
}
"""

HOVER = """
plot => {
  const label = plot.querySelector('.hoverlayer .hovertext');
  if (!label) return null;
  const path = getComputedStyle(label.querySelector('path')), text = label.querySelector('text');
  const s = getComputedStyle(text);
  return {background: path.fill, fill: s.fill, size: parseFloat(s.fontSize), text: text.textContent};
}
"""


def rgb(colour: str) -> tuple[float, float, float, float]:
    parts = [float(p) for p in re.findall(r"[\d.]+", colour)]
    return (*parts[:3], parts[3] if len(parts) > 3 else 1.0)


def contrast(fill: str, background: str, opacity: float = 1.0) -> float:
    """WCAG 2.1 contrast ratio of text in ``fill`` (with its opacity) on ``background``."""
    back = rgb(background)[:3]
    *front, alpha = rgb(fill)
    alpha *= opacity
    mixed = [f * alpha + b * (1 - alpha) for f, b in zip(front, back, strict=True)]

    def luminance(channels):
        lin = [c / 255 / 12.92 if c / 255 <= 0.03928 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    high, low = sorted((luminance(mixed), luminance(back)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def overlaps(a, b) -> bool:
    return a[0] < b[2] - 0.5 and b[0] < a[2] - 0.5 and a[1] < b[3] - 0.5 and b[1] < a[3] - 0.5


def inside(inner, outer) -> bool:
    return inner[0] >= outer[0] - 0.5 and inner[1] >= outer[1] - 0.5 and inner[2] <= outer[2] + 0.5 and inner[3] <= outer[3] + 0.5


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_chart_text_is_readable_and_nothing_overlaps(app_url, browser, viewport):
    width, height = VIEWPORTS[viewport]
    page = open_page(browser, f"{app_url}/testwonen?regio=NL01,GM0363,PV27", width, height)
    wait_for_chart(page)
    plot = page.locator(".js-plotly-plot").first
    m = plot.evaluate(MEASURE_CHART)
    texts = m["xticks"] + m["yticks"] + m["legendtext"] + m["titles"] + m["annotations"]
    assert m["xticks"] and m["yticks"] and m["titles"] and m["legendtext"], m
    print(f"{viewport}: font {min(i['size'] for i in texts)} px, contrast {min(contrast(i['fill'], m['background'], i['opacity']) for i in texts):.2f}:1,"
          f" years {[i['text'] for i in m['xticks']]}")
    for item in texts:
        assert item["size"] >= 12, item
        assert contrast(item["fill"], m["background"], item["opacity"]) >= 4.5, (item, m["background"])
    assert m["chart"][2] <= m["viewport"][0], "chart wider than the screen"
    for tick in m["xticks"] + m["yticks"]:
        assert inside(tick["box"], m["chart"]), tick
        assert not overlaps(tick["box"], m["legend"]), (tick, m["legend"])
    for a, b in pairwise(m["xticks"]):
        assert not overlaps(a["box"], b["box"]), (a, b)  # each year readable in full
    assert len(m["entries"]) == len(m["legendtext"]) >= 4  # three regions and the target
    for entry in m["entries"]:
        assert inside(entry, m["chart"]) and inside(entry, m["legend"]), (entry, m["legend"], m["chart"])

    target = plot.locator(".scatterlayer .trace .points path").nth(3)
    target.scroll_into_view_if_needed()
    point = target.bounding_box()
    page.mouse.move(point["x"] + point["width"] / 2 + 1, point["y"] + point["height"] / 2)
    page.mouse.move(point["x"] + point["width"] / 2, point["y"] + point["height"] / 2)
    page.wait_for_selector(".hoverlayer .hovertext", timeout=5_000)
    hover = plot.evaluate(HOVER)
    assert hover["size"] >= 12 and contrast(hover["fill"], hover["background"]) >= 4.5, hover
    close(page)


def test_modebar_speaks_the_page_language(app_url, browser):
    page = open_page(browser, f"{app_url}/testwonen")
    wait_for_chart(page)
    page.locator(".js-plotly-plot").first.hover()
    titles = page.locator(".js-plotly-plot .modebar-btn").evaluate_all("els => els.map(e => e.getAttribute('data-title'))")
    assert titles and "Grafiek downloaden als PNG" in titles, titles
    english = [t for t in titles if re.search(r"\b(plot|Zoom in|Pan|Autoscale|Reset|Download)\b", t)]
    assert not english, titles
    close(page)


def test_streamlit_widget_texts_are_dutch(app_url, browser):
    page = open_page(browser, f"{app_url}/testwonen")
    region = page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect'] input")
    region.click()
    region.fill("zzzz")
    page.get_by_text("Geen resultaten").wait_for(timeout=5_000)
    assert page.get_by_text("No results").count() == 0
    sidebar = page.locator("[data-testid='stSidebar']")
    assert sidebar.locator("[aria-label='Alles wissen']").count() == 1
    assert sidebar.locator("[aria-label='Clear all']").count() == 0
    assert sidebar.locator("[aria-label='Uitleg bij Regio']").count() == 1
    assert page.get_by_text("Naar de inhoud").count() == 1  # Streamlit's skip link
    close(page)


def test_upload_in_edit_mode_speaks_dutch_and_passes_axe(app_env, browser, axe):
    with streamlit_server({**app_env, "OPGAVEMONITOR_MODE": "beheer"}) as url:
        page = open_page(browser, f"{url}/bronnen")
        drop = page.locator("[data-testid='stFileUploaderDropzone']")
        drop.wait_for(timeout=30_000)
        page.get_by_text("4MB per bestand").wait_for(timeout=10_000)
        assert drop.get_by_role("button", name="Uploaden", exact=True).count() == 1, drop.inner_html()
        assert drop.locator("input[type='file']").get_attribute("aria-label") == "bestand uploaden"
        assert not re.search(r"Drag and drop|per file|\bUpload\b", drop.inner_text()), drop.inner_text()
        assert_no_serious_axe_finding(page, "/bronnen (beheer)")
        close(page)


# --- language, titles, headings, focus, axe ---------------------------------------------------


def test_page_language_and_title_follow_the_page(app_url, browser):
    page = open_page(browser, app_url)
    page.wait_for_function("() => document.documentElement.lang === 'nl'", timeout=30_000)
    assert page.title() == "Stand van de opgaven · Opgavemonitor"
    page.get_by_role("link", name=re.compile("Naar de opgave: Testwonen")).click()
    page.wait_for_url(re.compile(r"/testwonen"))
    page.wait_for_function("() => document.title.startsWith('Testwonen')", timeout=10_000)
    assert page.evaluate("document.documentElement.lang") == "nl"
    close(page)

    english = open_page(browser, f"{app_url}/bronnen?taal=en")
    english.wait_for_function("() => document.documentElement.lang === 'en'", timeout=30_000)
    english.wait_for_function("() => document.title === 'Sources and freshness · Opgavemonitor'", timeout=10_000)
    assert english.get_by_text("Bron:").count() == 0  # no Dutch attribution in English
    close(english)


def heading_levels(page) -> list[int]:
    return page.locator("[data-testid='stMain'] :is(h1, h2, h3, h4, h5, h6)").evaluate_all("els => els.map(e => +e.tagName[1])")


@pytest.mark.parametrize("path, title", [("", "Stand van de opgaven"), ("/testwonen?tab=regios&regio=GM0363", "Testwonen"), ("/bronnen", "Bronnen en actualiteit")])
def test_headings_do_not_skip_levels(app_url, browser, path, title):
    page = open_page(browser, app_url + path)
    page.wait_for_timeout(1500)
    assert_page_ok(page)
    assert page.locator("h1").first.inner_text() == title
    levels = heading_levels(page)
    assert len(levels) >= 2 and levels[0] == 1 and levels.count(1) == 1, levels  # its sections too, not only the title
    assert all(b - a <= 1 for a, b in pairwise(levels)), levels
    close(page)


FOCUS = """
() => {
  let e = document.activeElement;
  const what = {tag: e.tagName, role: e.getAttribute('role') || (e.tagName === 'INPUT' ? e.type : ''), label: (e.getAttribute('aria-label') || e.textContent || '').slice(0, 40)};
  for (let n = 0; e && n < 6; e = e.parentElement, n++) {
    const s = getComputedStyle(e), r = e.getBoundingClientRect();
    const visible = r.width >= 8 && r.height >= 8;  // not a 1 px input hidden behind its widget
    if (visible && s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) return {...what, ring: s.outlineColor};
  }
  return {...what, ring: null};
}
"""


def test_every_control_shows_keyboard_focus(app_url, browser):
    page = open_page(browser, f"{app_url}/testwonen")
    wait_for_chart(page)
    seen = []
    for _ in range(45):
        page.keyboard.press("Tab")
        seen.append(page.evaluate(FOCUS))
    missing = [s for s in seen if s["ring"] is None and s["tag"] != "BODY"]
    assert not missing, missing
    kinds = {s["role"] or s["tag"] for s in seen}
    print(sorted(kinds), len(seen))
    assert {"combobox", "range", "radio", "A", "BUTTON"} <= kinds, kinds
    close(page)


def test_chart_has_a_text_summary(app_url, browser):
    page = open_page(browser, f"{app_url}/testwonen?regio=NL01,GM0363")
    wait_for_chart(page)
    summary = page.locator(".om-chart-summary").first.text_content()
    assert "Nederland: 1.090 m³ in 2024" in summary and "Amsterdam" in summary and "Doel" in summary, summary
    overview = open_page(browser, app_url)
    overview.wait_for_selector("svg.om-spark", timeout=30_000)
    cards = overview.locator(".om-chart-summary").all_text_contents()
    in_cards = overview.locator("svg.om-spark").count() - overview.locator("table.om-status svg.om-spark").count()
    assert len(cards) == in_cards > 0, cards
    assert "1.090 m³ in 2024" in cards[0], cards
    close(overview)
    close(page)


AXE_PAGES = ["", "/testwonen?regio=NL01,GM0363", "/testwonen?tab=regios&regio=GM0363", "/testenergie", "/bronnen", "/testwonen?taal=en"]


@pytest.mark.parametrize("path", AXE_PAGES)
def test_axe_finds_no_serious_problem_in_our_content(app_url, browser, axe, path):
    page = open_page(browser, app_url + path)
    page.wait_for_timeout(1500)
    assert_no_serious_axe_finding(page, path or "/")
    close(page)


PAGES = {
    "overzicht": ("", "Stand van de opgaven", 0),
    "testwonen": ("/testwonen?regio=GM0363,PV27", "Testwonen", 7),
    "testenergie": ("/testenergie", "Testenergie", 2),
    "bronnen": ("/bronnen", "Bronnen en actualiteit", 0),
}


@pytest.mark.parametrize("name", PAGES)
def test_screenshots(app_url, browser, name):
    """Every page at a laptop's and a phone's size: its heading, no error, the main chart
    with its traces (per region a final and a provisional line, the target's star and path, the
    policy moment's hover marker),
    saved for a person to look at."""
    path, title, traces = PAGES[name]
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width, height in (VIEWPORTS["laptop"], VIEWPORTS["phone"]):
        page = open_page(browser, app_url + path, width, height)
        page.wait_for_timeout(1500)
        assert page.locator("h1").first.inner_text() == title
        assert_page_ok(page)
        page.screenshot(path=str(SHOTS / f"{name}-{width}x{height}.png"), full_page=True)
        if traces:  # Streamlit scrolls inside the page, so the chart gets a picture of its own
            wait_for_chart(page)
            chart = page.locator(".js-plotly-plot").first
            assert chart.locator(".scatterlayer .trace").count() == traces
            chart.screenshot(path=str(SHOTS / f"{name}-{width}x{height}-chart.png"))
        close(page)
