"""An English page is English: the main pages, run in English on the test catalogue, show no
Dutch words outside the data's own text (CBS titles and publishers' names are Dutch by nature)."""
from __future__ import annotations

import json
import re

import pytest

from tests.apptest import app_page, texts
from tests.fixtures.geo import store_boundaries
from vocabulary import TABS

# Words that are Dutch and not English (none of them is an English word).
DUTCH = re.compile(
    r"\b(van|het|een|de|gemeenten|gemeente|Bron|zoals|gewijzigd|mln|voor|niet|geen|dia|naar|met|uit|bij|wordt|zijn|heeft|"
    r"deze|jaar|dan|ook|nog|alle|kaart|meer|minder|tot|inwoners|woningen|waarde|cijfers|gegevens|ligt|staat)\b", re.I)
NOT_TEXT = re.compile(r"\]\([^)]*\)|https?://\S+|\b\w+\?[\w=&.,-]+|\b[a-z]+\.[a-z_]+\b")  # links (?deck=…&dia=1), indicator ids
DATA_TEXT = (  # the test catalogue's and mirror's own Dutch: a court, CBS's titles of codes
    "Raad van State",
    "Totaal woningen",
    "Waarde (m3)",
)
PAGES = [
    ("", {}), ("gemeente", {"regio": "GM0363"}), ("samenhang", {}), ("bronnen", {}),
    ("presentatie", {}), ("presentatie", {"dia": "2"}), ("presentatie", {"dia": "9"}), ("presentatie-maken", {}),
    *[("testwonen", {"tab": tab}) for tab in TABS],
    ("testwonen", {"regio": "GM0363,NL01", "weergave": "index"}), ("testenergie", {}),
]


def shown_words(at) -> list[str]:
    """The page's text, its widgets' labels, help and options, its tables and its charts'
    titles, labels and hover texts."""
    lines = texts(at).splitlines()
    for kind in ("selectbox", "radio", "multiselect", "toggle", "text_input", "select_slider", "checkbox", "button", "expander"):
        for widget in getattr(at, kind):
            lines += [str(getattr(widget, attr, "") or "") for attr in ("label", "help", "placeholder")]
            lines += [str(o) for o in getattr(widget, "options", None) or ()]
    for table in [*at.dataframe, *at.table]:
        lines += [str(c) for c in table.value.columns] + table.value.astype(str).to_csv().splitlines()
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        lines.append(json.dumps(spec.get("layout", {}), ensure_ascii=False))
        lines += [json.dumps({k: trace.get(k) for k in ("name", "hovertemplate", "hovertext", "text")}, ensure_ascii=False) for trace in spec.get("data", [])]
    return lines


def dutch_in(line: str) -> list[str]:
    for text in DATA_TEXT:
        line = line.replace(text, "")
    return DUTCH.findall(NOT_TEXT.sub("", line))


@pytest.fixture
def mapped(filled):
    store_boundaries(filled.root)
    return filled


def test_english_pages_show_no_dutch(mapped):
    found = []
    for path, params in PAGES:
        at = app_page(path, taal="en", **params)
        assert not at.exception, (path, at.exception)
        found += [f"/{path}?{params}: {words} in {line[:200]!r}" for line in shown_words(at) if (words := dutch_in(line))]
    assert not found, "\n".join(found)


def test_the_check_finds_dutch(mapped):
    """The same check on the Dutch pages finds plenty (else it would find nothing anywhere)."""
    at = app_page("testwonen", tab="bron")
    assert len([line for line in shown_words(at) if dutch_in(line)]) > 5
