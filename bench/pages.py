"""Page speed, in one run:

1. Time to first chart in Chromium for every page that draws one (the overview's first
   sparkline, an opgave page, samenhang, a slide), against a minimal Streamlit page with one
   plotly chart (the framework's floor), as a ratio (median of N, pages measured in turn).
2. Server time of a warm region change (AppTest) against the same change with the caches
   cleared before every run (caching disabled).

The store is refreshed from the emulator serving the real mirror (../shared/cbs-mirror).

    python3 bench/pages.py [--runs 5]
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from data_sources.emulator import start_emulator
from tests.server import start_streamlit

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"]
CHANGE_SCRIPT = """
import sys
sys.path.insert(0, {root!r})
import streamlit as st
if {cold!r}:
    st.cache_data.clear()
    st.cache_resource.clear()
from views import opgave
from ui import state
from ui.data import catalogue, region_names
from ui.layout import sidebar
cat = catalogue()
view = state.read(set(region_names()) | {{"NL01"}}, {{i.id for i in cat.indicators()}})
sidebar(view)
opgave.render(cat.opgave("energietransitie"), view)
"""


def first_chart_seconds(browser, url: str) -> float:
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    start = time.perf_counter()
    page.goto(url)
    page.wait_for_selector(".js-plotly-plot .scatterlayer .trace, svg.om-spark", timeout=60_000)  # the overview draws SVG sparklines
    elapsed = time.perf_counter() - start
    page.close()
    return elapsed


def region_change_ms(cold: bool, runs: int) -> float:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_string(CHANGE_SCRIPT.format(root=str(ROOT), cold=cold), default_timeout=120)
    at.query_params["indicator"] = "energietransitie.zon_per_inwoner"
    at.run()
    return median_rerun_ms(at, runs, lambda n: at.multiselect(key="regio").set_value(["GM0363", "GM0599"] if n % 2 else ["GM0344"]))


def median_rerun_ms(at, runs: int, change) -> float:
    """Median time of ``runs`` reruns after ``change(n)`` sets a widget (the first, warm-up, is dropped)."""
    timings = []
    for n in range(runs + 1):
        start = time.perf_counter()
        change(n).run()
        timings.append((time.perf_counter() - start) * 1000)
        assert not at.exception, at.exception
    return statistics.median(timings[1:])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--mirror", default=str(ROOT.parent / "shared" / "cbs-mirror"))
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    emulator = start_emulator(Path(args.mirror))
    store = tempfile.mkdtemp(prefix="bench-store-")
    env = {**os.environ, **emulator.env(), "OPGAVEMONITOR_DATA_DIR": store}
    subprocess.run([sys.executable, "-m", "data_sources", "refresh"], cwd=ROOT, env=env, capture_output=True, check=False)
    os.environ["OPGAVEMONITOR_DATA_DIR"] = store

    app, app_url = start_streamlit("app.py", env)
    floor, floor_url = start_streamlit("bench/minimal_app.py", env)
    targets = {
        "minimal page (floor)": floor_url,
        "overview": app_url + "/",
        "opgave page": app_url + "/energietransitie?indicator=energietransitie.hernieuwbaar_aandeel",
        "samenhang": app_url + "/samenhang",
        "slide (presenting)": app_url + "/stikstof?modus=presentatie",
    }
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            for url in targets.values():
                first_chart_seconds(browser, url)  # warm the server's caches and the browser
            # Round robin, so a machine that gets busier or quieter during the run weighs on
            # every page alike and the ratios to the floor stay fair.
            timings = {name: [] for name in targets}
            for _ in range(args.runs):
                for name, url in targets.items():
                    timings[name].append(first_chart_seconds(browser, url))
            results = {name: statistics.median(seconds) for name, seconds in timings.items()}
            browser.close()
    finally:
        app.terminate()
        floor.terminate()
    warm = region_change_ms(False, args.runs)
    cold = region_change_ms(True, args.runs)
    emulator.stop()

    floor_s = results["minimal page (floor)"]
    print(f"time to first chart in Chromium (median of {args.runs}, warm server):")
    for name, seconds in results.items():
        print(f"  {name:<22} {seconds * 1000:7.0f} ms   {seconds / floor_s:4.2f}x the floor")
    print("server time of a region change (AppTest, median):")
    print(f"  warm (cached)          {warm:7.0f} ms")
    print(f"  caching disabled       {cold:7.0f} ms   {cold / warm:4.1f}x slower")
    print("aims: within 1.25x of the floor; warm change under 150 ms")


if __name__ == "__main__":
    main()
