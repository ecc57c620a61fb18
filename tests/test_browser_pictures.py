"""Pictures sized for the screen that shows them, in Debian's chromium (Playwright) on the real
catalogue and mirror (skipped without ../shared), measured on the DOM's and plotly's rendered
boxes: the overview's status view (every opgave with its verdicts above the fold of a 1366x768
laptop, in catalogue order; on a 390x844 phone each sparkline beside its own figure), a slide's
chart title never over its legend (1920x1080 and 390 px), and on a phone no legend scroll box,
nothing of a chart clipped, change chips whole. Screenshots in test-output/screenshots/."""
from __future__ import annotations

import math
import os

import pytest

from data_sources.catalogue import load_catalogue
from tests.browser import CHROMIUM, ROOT, SHOTS, close
from tests.test_browser_maps import _app

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed")]
CATALOGUE = ROOT / "data_sources" / "catalogue"

ROWS = """() => [...document.querySelectorAll('table.om-status tbody tr')].map(tr => {
  const box = e => { const r = e.getBoundingClientRect(); return {top: r.top, bottom: r.bottom, left: r.left, right: r.right}; };
  const cells = [...tr.children];
  const spark = tr.querySelector('svg.om-spark'), figure = tr.querySelector('.om-headline > span');
  return {name: cells[0].innerText.trim(), row: box(tr), outcomes: cells[1].innerText, targets: cells[2].innerText,
          verdicts: [...tr.querySelectorAll('.om-v')].map(v => ({text: v.innerText, colour: getComputedStyle(v).color})),
          spark: spark && box(spark), figure: figure && box(figure), height: window.innerHeight};
})"""


@pytest.fixture(scope="module")
def real_overview(tmp_path_factory, shared_mirror):
    env = {"OPGAVEMONITOR_DATA_DIR": str(tmp_path_factory.mktemp("pictures-real")), "OPGAVEMONITOR_CATALOGUE_DIR": str(CATALOGUE)}
    yield from _app(shared_mirror, env, [(["refresh"], ())])  # nothing may fail


def measure(browser, url, width, height, shot, ready, script, settle_ms=500, full_page=False):
    """Open ``url`` at a screen size, wait for ``ready``, save a screenshot, then return what
    ``script`` measures in the page; fails on an exception box."""
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(url)
    page.wait_for_selector(ready, timeout=60_000)
    page.wait_for_timeout(settle_ms)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / shot), full_page=full_page)
    found = page.evaluate(script)
    close(page)
    return found


def rows(browser, url, width, height, shot):
    return measure(browser, url, width, height, shot, "table.om-status svg.om-spark", ROWS)


def test_every_opgave_with_its_verdicts_fits_a_laptop_screen_in_catalogue_order(real_overview, browser):
    found = rows(browser, real_overview, 1366, 768, "overview-status-1366x768.png")
    titles = [o.title_nl for o in load_catalogue(CATALOGUE).opgaven]
    assert [r["name"] for r in found] == titles  # DOM order = catalogue order
    for row in found:
        assert row["row"]["bottom"] <= row["height"], (row["name"], row["row"])  # above the fold
        assert row["spark"] and row["spark"]["bottom"] <= row["height"], row["name"]
        assert row["outcomes"].strip() and row["targets"].strip(), row
    marked = [v for row in found for v in row["verdicts"]]
    assert marked, found
    for v in marked:  # colour never alone: an icon and a word in every coloured verdict
        assert v["text"][0] in "✓✗=↗↘" and any(c.isalpha() for c in v["text"]), v
    bad = [row["targets"] for row in found if "niet op koers" in row["targets"] and "op koers" in row["targets"].replace("niet op koers", "")]
    assert all(t.index("niet op koers") < t.replace("niet op koers", "#" * 13).index("op koers") for t in bad), bad  # bad news first


def test_on_a_phone_each_sparkline_sits_beside_its_own_figure(real_overview, browser):
    found = rows(browser, real_overview, 390, 844, "overview-status-390x844.png")
    assert [r["name"] for r in found] == [o.title_nl for o in load_catalogue(CATALOGUE).opgaven]
    for row in found:
        spark, figure = row["spark"], row["figure"]
        if spark is None:
            continue
        assert spark["left"] >= figure["right"] - 1, row  # beside, not under
        assert spark["top"] < figure["bottom"] and spark["bottom"] > figure["top"], row  # on the same line band
        assert row["row"]["top"] <= spark["top"] and spark["bottom"] <= row["row"]["bottom"], row  # inside its own opgave
        assert spark["right"] <= 390, row


CHART = """() => {
  const box = e => { if (!e) return null; const r = e.getBoundingClientRect(); return {top: r.top, bottom: r.bottom, left: r.left, right: r.right, height: r.height}; };
  const plot = [...document.querySelectorAll('.js-plotly-plot')].find(p => p.getBoundingClientRect().width > 0);
  const bar = plot.querySelector('.legend .scrollbar');
  const title = document.querySelector('p.om-pres-chart-title');
  return {chart: box(plot), plot: box(plot.querySelector('.cartesianlayer .bg') || plot.querySelector('.nsewdrag')),
          legend: box(plot.querySelector('.legend .bg')), scrollbar: bar ? box(bar).height : 0,
          title: box(title), titleClipped: title ? title.scrollWidth > title.clientWidth + 1 : null,
          inside: [...plot.querySelectorAll('.ytitle, .xtick text, .ytick text, .annotation, .legendtext')].map(e => ({text: e.textContent, ...box(e)})),
          width: window.innerWidth};
}"""


def chart_boxes(browser, url, width, height, shot):
    return measure(browser, url, width, height, shot, ".js-plotly-plot .legendtext >> visible=true", CHART, settle_ms=1000, full_page=True)


@pytest.mark.parametrize("width, height", [(1920, 1080), (390, 844)])
def test_slide_chart_title_never_overlaps_its_legend(real_overview, browser, width, height):
    """Stikstof's default slide: four target entries in the legend, a long title."""
    found = chart_boxes(browser, f"{real_overview}/stikstof?modus=presentatie", width, height, f"pictures-slide-{width}.png")
    assert found["title"]["bottom"] <= found["legend"]["top"], found  # the title sits above the legend
    assert not found["titleClipped"] and found["title"]["right"] <= width, found
    assert found["legend"]["bottom"] <= found["plot"]["top"] + 1, found  # the legend is above the plot, not over it


@pytest.mark.parametrize("path", ["/stikstof", "/stikstof?modus=presentatie"])
def test_phone_chart_has_no_legend_scroll_box_and_nothing_clipped(real_overview, browser, path):
    found = chart_boxes(browser, real_overview + path, 390, 844, f"pictures-phone{path.replace('/', '-').replace('?', '-')}.png")
    assert found["scrollbar"] == 0, found  # the whole legend shows: no scroll box
    assert found["legend"]["height"] <= found["plot"]["height"], found
    chart = found["chart"]
    for item in found["inside"]:  # axis titles, ticks, target labels and legend entries inside the chart
        assert chart["left"] - 1 <= item["left"] and item["right"] <= min(chart["right"], 390) + 1, item
        assert chart["top"] - 1 <= item["top"] and item["bottom"] <= chart["bottom"] + 1, item


@pytest.mark.parametrize("width, height", [(1366, 768), (390, 844)])
def test_change_chip_shows_its_whole_text(real_overview, browser, width, height):
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(f"{real_overview}/energietransitie?indicator=energietransitie.zon_per_inwoner")
    page.wait_for_selector("[data-testid=stMetricDelta]", timeout=60_000)
    page.wait_for_timeout(500)
    cut = page.evaluate("""() => [...document.querySelectorAll('[data-testid=stMetricDelta], [data-testid=stMetricDelta] *')]
        .filter(e => e.scrollWidth > e.clientWidth + 1 || getComputedStyle(e).textOverflow === 'ellipsis').map(e => e.outerHTML.slice(0, 120))""")
    text = page.locator("[data-testid=stMetricDelta]").first.inner_text()
    close(page)
    assert not cut, cut
    assert "t.o.v." in text and text.rstrip()[-4:].isdigit(), text  # "+27 watt per inwoner t.o.v. 2024", whole


LINE = """(() => {
  const plot = document.querySelector('.js-plotly-plot'), n = plot._fullData.findIndex(d => d.name === 'Nederland');
  const d = plot._fullData[n];  // the line itself, not the band of its margins drawn before it
  return {path: [...plot.querySelectorAll('.scatterlayer .trace')[n].querySelectorAll('path.js-line')].map(e => e.getAttribute('d')).join(' '),
          points: d.x.map((x, i) => [String(x).slice(0, 4), d.y[i]])};
})()"""


def test_loneliness_axis_starts_at_zero_and_its_line_breaks_at_2020(real_overview, browser):
    """Eenzaamheid's default chart (8,7 to 11%): plotly's rendered y range starts at zero, and
    the line is drawn in two pieces, around the missing 2020."""
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    page.goto(f"{real_overview}/eenzaamheid?indicator=eenzaamheid.sterk_eenzaam")
    page.wait_for_selector(".js-plotly-plot .scatterlayer .trace path.js-line", state="attached", timeout=60_000)  # the first trace may be the (line-less) margin band
    page.wait_for_timeout(500)
    low = page.evaluate("() => document.querySelector('.js-plotly-plot')._fullLayout.yaxis.range[0]")
    line = page.evaluate(LINE + ".path")
    points = page.evaluate(LINE + ".points")
    close(page)
    assert low == 0
    values = dict(points)
    assert values["2019"] and values["2021"] and (values["2020"] is None or math.isnan(values["2020"])), points  # an empty 2020 between its neighbours
    assert line.count("M") >= 2, line
