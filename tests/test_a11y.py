"""Chart pieces for accessibility on hand-made frames: the text summary for screen readers
(escaped: region names are CBS data) and legend labels that fit a phone."""
import pandas as pd

from analysis.targets import TargetStatus
from analysis.trend import Trend
from data_sources.catalogue import load_catalogue
from data_sources.frame import build_frame
from tests.conftest import FIXTURE_CATALOGUE
from ui import charts
from ui.language import speaking

INDICATOR = load_catalogue(FIXTURE_CATALOGUE).indicator("testwonen.waarde")
NAMES = {"NL01": "Nederland", "GM0363": "<b>Amsterdam</b> & co"}


def frame() -> pd.DataFrame:
    rows = [
        {"region_code": code, "period": f"{year}JJ00", "value": base + step, "status": "voorlopig" if year == 2024 else "definitief"}
        for code, base in (("NL01", 1000), ("GM0363", 100)) for year, step in ((2023, 0), (2024, 90))
    ]
    result = build_frame(INDICATOR.id, rows)
    result["region_name"] = result["region_code"].map(NAMES)
    return result


def test_summary_gives_latest_values_trend_and_every_target_escaped():
    status = TargetStatus(INDICATOR.targets[0], "niet op koers", 1200, 1090, 2024)
    text = charts.chart_summary(frame(), INDICATOR, ["NL01", "GM0363"], Trend("verbetert", 10, 0.01, 10, 2015, 2024), [status])
    assert "Nederland: 1.090 m³ in 2024 (voorlopig)" in text
    assert "&lt;b&gt;Amsterdam&lt;/b&gt; &amp; co: 190 m³ in 2024" in text and "<b>" not in text
    assert "Trend: ✓ verbetert." in text
    assert "Doel: Doel 1.200 in 2030: ✗ niet op koers." in text


def test_summary_without_target_says_so_in_english():
    with speaking("en"):
        text = charts.chart_summary(frame(), INDICATOR, ["NL01"])
    assert "Nederland: 1,090 m³ in 2024 (provisional)" in text
    assert "Target: no numeric target." in text and "Trend" not in text


def test_legend_labels_wrap_to_fit_a_phone():
    figure = charts.time_series(frame().assign(region_name="Gemeente met een heel erg lange naam aan zee"), INDICATOR, ["NL01"], "absoluut")
    lines = figure.data[0].name.split("<br>")
    assert len(lines) > 1 and all(len(line) <= charts.LEGEND_WIDTH for line in lines)
    assert figure.layout.legend.y > 1  # above the plot, clear of the year labels
