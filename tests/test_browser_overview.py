"""The overview as a status view in Debian's chromium (Playwright) on the real catalogue and
mirror (skipped without ../shared): every opgave with its verdicts above the fold of a
1366x768 laptop, in catalogue order in the DOM, and on a 390x844 phone each sparkline beside
its own figure. Screenshots in test-output/screenshots/."""
from __future__ import annotations

import os

import pytest

from data_sources.catalogue import load_catalogue
from tests.browser import CHROMIUM, ROOT, SHOTS
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
    yield from _app(shared_mirror, tmp_path_factory.mktemp("overview-real"), CATALOGUE, [["refresh"]])


def rows(browser, url, width, height, shot):
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(url)
    page.wait_for_selector("table.om-status svg.om-spark", timeout=60_000)
    page.wait_for_timeout(500)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / shot))
    found = page.evaluate(ROWS)
    page.close()
    return found


def test_every_opgave_with_its_verdicts_fits_a_laptop_screen_in_catalogue_order(real_overview, browser):
    found = rows(browser, real_overview, 1366, 768, "overview-status-1366x768.png")
    titles = [o.title("nl") for o in load_catalogue(CATALOGUE).opgaven]
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
    assert [r["name"] for r in found] == [o.title("nl") for o in load_catalogue(CATALOGUE).opgaven]
    for row in found:
        spark, figure = row["spark"], row["figure"]
        if spark is None:
            continue
        assert spark["left"] >= figure["right"] - 1, row  # beside, not under
        assert spark["top"] < figure["bottom"] and spark["bottom"] > figure["top"], row  # on the same line band
        assert row["row"]["top"] <= spark["top"] and spark["bottom"] <= row["row"]["bottom"], row  # inside its own opgave
        assert spark["right"] <= 390, row
