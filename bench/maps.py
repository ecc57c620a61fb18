"""Map speed and size, in one run (needs ../shared/cbs-mirror):

1. Payload: bytes of the map figure the browser receives (the plotly JSON) with the boundaries
   as stored (simplified once at refresh) against the same figure with the unsimplified
   GeoJSON (the mirror's 2022 PDOK 'gegeneraliseerd' file), as a ratio.
2. Time to first map in Chromium: the Kaart tab (2022 sale prices on 2022 boundaries) against
   the line chart on the same page (Grafiek tab), and against a plain plotly choropleth page
   of the unsimplified GeoJSON (median of N, warm server).
3. Server time of a warm period change on the map (AppTest, median).

    python3 bench/maps.py [--runs 5]

Aims (docs/testing.md, benchmarks): payload <= 25% of the unsimplified one; first map within 1.5x of the first
line chart on the same page.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.pages import CHROMIUM_ARGS, median_rerun_ms
from data_sources.emulator import start_emulator
from tests.server import start_streamlit

PLAIN_MAP = """
import json, os
import plotly.graph_objects as go
import streamlit as st
from ui.maps import CHART_CONFIG
shapes = json.load(open(os.environ["BENCH_RAW_GEOJSON"]))
codes = [f["properties"]["statcode"] for f in shapes["features"]]
fig = go.Figure(go.Choropleth(geojson=shapes, featureidkey="properties.statcode", locations=codes, z=list(range(len(codes)))))
fig.update_geos(fitbounds="locations", visible=False)
st.plotly_chart(fig, config=CHART_CONFIG)
"""
PERIOD_SCRIPT = """
import sys
sys.path.insert(0, {root!r})
from views import opgave
from ui import state
from ui.data import catalogue, region_names
from ui.layout import sidebar
cat = catalogue()
view = state.read(set(region_names()) | {{"NL01"}}, {{i.id for i in cat.indicators()}})
sidebar(view)
opgave.render(cat.opgave("woningtekort"), view)
"""
INDICATOR = "woningtekort.verkoopprijs"


def payload_bytes(store: Path, raw_path: Path) -> tuple[int, int]:
    """Figure JSON with the stored boundaries vs with the unsimplified file (same values)."""
    from analysis.maps import classify, join_values
    from analysis.regional import level_values
    from data_sources.boundaries import BoundaryStore
    from data_sources.catalogue import load_catalogue
    from data_sources.store import Store
    from ui.maps import map_figure, shape_names

    indicator = load_catalogue().indicator(INDICATOR)
    values = level_values(Store(store).frame(INDICATOR), "gemeente", "2022JJ00")
    sizes = []
    for geojson in (BoundaryStore(store).shapes("gemeente", 2022), _with_ids(json.loads(raw_path.read_text(encoding="utf-8")))):
        table = join_values(values, shape_names(geojson)).table
        figure = map_figure(table, geojson, classify(table["value"], 0), indicator)
        sizes.append(len(figure.to_json().encode("utf-8")))
    return sizes[0], sizes[1]


def _with_ids(collection: dict) -> dict:
    for feature in collection["features"]:
        feature["id"] = feature["properties"]["statcode"]
    return collection


def first_paint_seconds(browser, url: str, selector: str) -> float:
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    start = time.perf_counter()
    page.goto(url)
    page.wait_for_selector(selector, state="attached", timeout=120_000)
    elapsed = time.perf_counter() - start
    page.close()
    return elapsed


def period_change_ms(runs: int) -> float:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_string(PERIOD_SCRIPT.format(root=str(ROOT)), default_timeout=120)
    at.query_params["indicator"] = INDICATOR
    at.query_params["tab"] = "kaart"
    at.run()
    return median_rerun_ms(at, runs, lambda n: at.select_slider(key=f"{INDICATOR}-map-period").set_value("2022JJ00" if n % 2 else "2024JJ00"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--mirror", default=str(ROOT.parent / "shared" / "cbs-mirror"))
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    mirror = Path(args.mirror)
    raw = mirror / "geo" / "gemeenten_2022.geojson"
    emulator = start_emulator(mirror)
    store = Path(tempfile.mkdtemp(prefix="bench-maps-"))
    env = {**os.environ, **emulator.env(), "OPGAVEMONITOR_DATA_DIR": str(store), "BENCH_RAW_GEOJSON": str(raw), "PYTHONPATH": str(ROOT)}
    for command in (["refresh", "--indicator", INDICATOR, "--indicator", "woningtekort.bevolking"], ["boundaries", "--year", "2022", "--year", "2024"]):
        subprocess.run([sys.executable, "-m", "data_sources", *command], cwd=ROOT, env=env, capture_output=True, check=True)
    os.environ["OPGAVEMONITOR_DATA_DIR"] = str(store)
    simplified, unsimplified = payload_bytes(store, raw)

    plain_script = store / "plain_map.py"
    plain_script.write_text(PLAIN_MAP, encoding="utf-8")
    app, app_url = start_streamlit("app.py", env)
    plain, plain_url = start_streamlit(str(plain_script), env)
    page = f"{app_url}/woningtekort?indicator={INDICATOR}&regio=GM0363"
    targets = {
        "line chart (Grafiek tab)": (page, ".js-plotly-plot .scatterlayer .trace"),
        "map (Kaart tab)": (page + "&tab=kaart&periode=2022JJ00", "path.choroplethlocation"),
        "plain choropleth, unsimplified": (plain_url, "path.choroplethlocation"),
    }
    results = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            for url, selector in targets.values():
                first_paint_seconds(browser, url, selector)  # warm the server's caches and the browser
            for name, (url, selector) in targets.items():
                results[name] = statistics.median(first_paint_seconds(browser, url, selector) for _ in range(args.runs))
            browser.close()
    finally:
        app.terminate()
        plain.terminate()
    change = period_change_ms(args.runs)
    emulator.stop()

    print("map payload (plotly figure JSON, 2022 municipalities):")
    print(f"  simplified at refresh  {simplified:>10,} bytes")
    print(f"  unsimplified           {unsimplified:>10,} bytes   simplified = {simplified / unsimplified:.0%} of it (aim <= 25%)")
    line = results["line chart (Grafiek tab)"]
    print(f"time to first paint in Chromium (median of {args.runs}, warm server):")
    for name, seconds in results.items():
        print(f"  {name:<32} {seconds * 1000:7.0f} ms   {seconds / line:4.2f}x the line chart")
    print(f"server time of a warm period change on the map (AppTest, median): {change:.0f} ms")
    print("aims: map within 1.5x of the line chart on the same page")


if __name__ == "__main__":
    main()
