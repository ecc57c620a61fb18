"""Hostile text for the security and fuzz tests, and the check that what a page renders as
markdown holds no link to another site and no HTML element.

Markdown is checked the way a browser would see it: every piece of text Streamlit renders as
markdown is rendered here by an independent CommonMark renderer with GitHub's autolinks
(markdown-it-py, "gfm-like" + linkify), and may contain no link other than the app's own
(StatLine, the licence) and no HTML element at all."""
from __future__ import annotations

import json
import re

from markdown_it import MarkdownIt

from data_sources.catalogue import OFFICIAL_DOMAINS
from tests.apptest import markdown_sources

RENDERER = MarkdownIt("gfm-like")
OWN_LINKS = re.compile(r'^(https://(opendata\.cbs\.nl|dataderden\.cbs\.nl|creativecommons\.org)/|http://127\.0\.0\.1:\d+/files/|[a-z-]+(\?[\w=&;,.%-]+)?$)')  # last: the app's own pages
# A policy moment's source: a page on an official site the catalogue validates (never from data).
OFFICIAL = "|".join(re.escape(d) for d in OFFICIAL_DOMAINS)
OWN_LINKS = re.compile(rf"^https://([\w-]+\.)*({OFFICIAL})/|" + OWN_LINKS.pattern[1:])
PAGES = ["", "testwonen", "testenergie", "bronnen", "gemeente", "samenhang", "presentatie", "presentatie-maken"]
HOSTILE = [
    "[Log in opnieuw](https://evil.example/login)",
    "<img src=x onerror=alert(1)>",
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "https://evil.example/phish www.evil.example",
    "mail@evil.example",
    "javascript:alert(1)",
    "![x](https://evil.example/x.png)",
    "$$\\href{https://evil.example}{x}$$",
    ":red[rood] **vet** `code` # kop",
    "GM0363," * 10,
    "../../etc/passwd",
    "%00%ff%fe",
    "2019,2020",
    "9" * 400,
    "NL01,NL01,NL01,GM0363,PV27,GM0599,GM0344,LD01,CR17,GM9999",
]
PARAMS = ["taal", "regio", "indicator", "tab", "weergave", "van", "tot", "periode", "niveau", "x", "y", "modus", "deck", "dia"]


def unsafe_markup(at) -> list[str]:
    """Links to other sites and HTML elements in what the page renders as markdown, and raw
    tags in chart texts (plotly renders <a>, <b>, <br> and friends in names and hovers)."""
    problems = []
    for chart in at.get("plotly_chart"):
        spec = json.dumps(json.loads(chart.proto.spec), ensure_ascii=False)  # plotly writes "<" as \u003c
        problems += [f"<{tag}> in a chart" for tag in re.findall(r"<(a|img|iframe|script|svg)\b", spec, re.I)]
    for source in markdown_sources(at) + widget_and_table_texts(at):
        html = RENDERER.render(source)
        # Streamlit autolinks bare URLs and addresses even when their punctuation is escaped:
        # look for the triggers in the text outside the app's own link targets.
        text = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", re.sub(r"\]\([^)]*\)", "]", source))  # unescaped, zero-width spaces kept
        problems += [f"autolink {hit!r} in {source[:80]!r}" for hit in re.findall(r"https?://\S*|www\.\S*|\w@\w\S*", text, re.I)]
        problems += [f"link {href} in {source[:80]!r}" for href in re.findall(r'<a href="([^"]*)"', html) if not OWN_LINKS.match(href)]
        html = re.sub(r'<img src="data:image/png;base64,[A-Za-z0-9+/=]+"', "", html)  # the app's own QR code
        html = re.sub(r"<svg class='om-spark' role='img' aria-label='[^'<>]*'[^<>]*>(<(path|circle) [^<>]*/>)+</svg>", "", html)  # the app's own sparklines
        problems += [f"<{tag}> in {source[:80]!r}" for tag in re.findall(r"<(img|iframe|script|object|embed|svg|form|input|base|meta|link)\b", html, re.I)]
    return problems


WIDGETS = ("selectbox", "multiselect", "radio", "select_slider", "checkbox", "toggle", "expander", "tab", "download_button", "link_button", "text_input", "file_uploader")


def widget_and_table_texts(at) -> list[str]:
    """Other text Streamlit renders as markdown: widget, expander and tab labels, radio
    options, and st.table's cells."""
    texts = [e.proto.label for kind in WIDGETS for e in at.get(kind) if getattr(e.proto, "label", "")]
    texts += [option for radio in at.get("radio") for option in radio.proto.options]
    for table in at.get("table"):
        frame = table.value
        texts += [str(cell) for cell in [*frame.index, *frame.to_numpy().ravel()]]
    return texts
