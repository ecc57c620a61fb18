"""What a person sees, in Debian's chromium driven by Playwright, against the real app served
by Streamlit on a store filled from the emulator (hand-made fixtures).

Screenshots at 1366x768 and 390x844 of every page land in test-output/screenshots/."""
from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
SHOTS = ROOT / "test-output" / "screenshots"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (apt-get install chromium)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def app_url(tmp_path_factory, mirror_dir):
    from data_sources.emulator import start_emulator
    from tests.conftest import FIXTURE_CATALOGUE, FIXTURE_FILES

    emulator = start_emulator(mirror_dir)
    data = tmp_path_factory.mktemp("browser-store")
    env = {**os.environ, **emulator.env(), "OPGAVEMONITOR_DATA_DIR": str(data), "OPGAVEMONITOR_CATALOGUE_DIR": str(FIXTURE_CATALOGUE), "OPGAVEMONITOR_FILES_DIR": str(FIXTURE_FILES)}
    subprocess.run([sys.executable, "-m", "data_sources", "refresh"], cwd=ROOT, env=env, capture_output=True, timeout=120)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port), "--server.headless", "true",
         "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if requests.get(f"{url}/_stcore/health", timeout=1).ok:
                break
        except requests.RequestException:
            time.sleep(0.3)
    yield url
    server.terminate()
    server.wait(timeout=20)
    emulator.stop()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def open_page(browser, url, width=1366, height=768):
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(url)
    page.wait_for_selector("h1", timeout=30_000)
    page.wait_for_load_state("networkidle")
    return page


def wait_for_chart(page):
    page.wait_for_selector(".js-plotly-plot .legendtext", timeout=30_000)
    page.wait_for_timeout(500)


def svg_texts(page, selector: str) -> list[str]:
    return page.locator(selector).evaluate_all("els => els.map(e => e.textContent)")


def legend(page) -> list[str]:
    return svg_texts(page, ".js-plotly-plot .legendtext")


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
    assert "regio=NL01%2CGM0363" in shared or "regio=NL01,GM0363" in shared

    fresh = open_page(browser, shared)
    wait_for_chart(fresh)
    assert fresh.get_by_text("Page not found").count() == 0  # a direct link opens its page
    fresh.wait_for_function("() => [...document.querySelectorAll('.legendtext')].some(e => e.textContent.startsWith('Amsterdam'))", timeout=30_000)
    assert set(legend(fresh)) == set(names)
    fresh.close()
    page.close()


def test_chart_uses_dutch_number_formatting(app_url, browser):
    page = open_page(browser, f"{app_url}/testwonen?indicator=testwonen.waarde")
    wait_for_chart(page)
    ticks = svg_texts(page, ".js-plotly-plot .ytick text")
    assert any(re.fullmatch(r"\d{1,3}(\.\d{3})+", t) for t in ticks), ticks  # 1.000, 1.050
    years = svg_texts(page, ".js-plotly-plot .xtick text")
    assert years and all(re.fullmatch(r"\d{4}", y) for y in years), years  # never 2,019.5
    page.close()


PAGES = {"overzicht": "", "testwonen": "/testwonen?regio=GM0363,PV27", "testenergie": "/testenergie", "bronnen": "/bronnen"}


@pytest.mark.parametrize("name", PAGES)
def test_screenshots(app_url, browser, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width, height in ((1366, 768), (390, 844)):
        page = open_page(browser, app_url + PAGES[name], width, height)
        page.wait_for_timeout(1500)
        path = SHOTS / f"{name}-{width}x{height}.png"
        page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 10_000
        page.close()
