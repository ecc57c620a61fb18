"""The overview's status table (AppTest on the hand-made store, and its pieces): one row per
opgave in catalogue order, bad news first, every verdict with an icon and words."""
import re
from collections import Counter

from streamlit.testing.v1 import AppTest

from tests.apptest import APP, markdown_sources
from ui.language import speaking
from views.overview import TARGET_ORDER, TREND_ORDER, _counts


def status_table(at: AppTest) -> str:
    tables = [m for m in markdown_sources(at) if "class='om-status'" in m]
    assert len(tables) == 1, tables
    return tables[0]


def test_status_table_has_every_opgave_in_catalogue_order_with_figures_and_sparklines(filled, catalogue):
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    table = status_table(at)
    names = re.findall(r"<th scope='row'[^>]*><a href='([^']*)' target='_self'>([^<]*)</a>", table)
    assert names == [(o.id, o.title_nl) for o in catalogue.opgaven]
    assert table.count("<svg class='om-spark'") == len(catalogue.opgaven)
    assert "1.090 m³" in table and "✓ verbetert" in table
    assert not at.get("plotly_chart")  # sparklines are inline SVG: no plotly figure on the overview


def test_links_keep_language_and_regions(filled):
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["taal"] = "en"
    at.query_params["regio"] = "GM0363"
    at.run()
    assert "href='testwonen?taal=en&amp;regio=GM0363'" in status_table(at)


def test_bad_news_comes_first_and_never_by_colour_alone():
    goals = _counts(Counter({"gehaald": 2, "op koers": 1, "niet op koers": 1}), TARGET_ORDER)
    assert goals.index("niet op koers") < goals.index("✓ op koers") < goals.index("gehaald")
    assert "<span class='om-v om-bad'>✗ niet op koers 1</span>" in goals and "<span class='om-v om-good'>✓ gehaald 2</span>" in goals
    with speaking("en"):
        trends = _counts(Counter({"verbetert": 3, "verslechtert": 1, "stabiel": 2}), TREND_ORDER)
    assert re.findall(r">([^<]*)</span>", trends) == ["✗ worsening 1", "= stable 2", "✓ improving 3"]
