"""Untrusted text (CBS titles, snapshot contents, file sources, URL parameters) on the page.

Streamlit renders markdown in ``st.markdown``, ``st.caption``, widget labels and metric labels:
links, images, emphasis, LaTeX, emoji shortcodes and bare URLs (autolinks). ``plain`` escapes
every ASCII punctuation character (CommonMark allows a backslash before each), so the text
shows exactly as written and none of it becomes markup, and breaks the autolink triggers with
an invisible zero-width space. Where the app itself writes HTML (its style sheets, the chart
summaries, the map legend) every value in it is ``html.escape``d.
"""
from __future__ import annotations

import re

_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
MAX_ECHO = 80  # characters of a URL parameter repeated back to a visitor
ZWSP = "\u200b"
_AUTOLINK = re.compile(r"://|www\.|@(?=\w)", re.I)  # GFM's autolink triggers; a ZWSP goes before the last character


def plain(text: object) -> str:
    """Markdown source that renders as the literal text (line breaks become spaces)."""
    return _PUNCTUATION.sub(r"\\\1", _no_autolinks(" ".join(str(text).split())))


def _no_autolinks(text: str) -> str:
    """Streamlit's renderer turns bare ``https://…``, ``www.…`` and ``name@host`` into links
    even when their punctuation is escaped; an invisible zero-width space inside each trigger
    keeps them text (the reader sees the same characters)."""
    return _AUTOLINK.sub(lambda m: m.group(0)[:-1] + ZWSP + m.group(0)[-1], text)


def echo(text: object) -> str:
    """A visitor's own input repeated back: literal, shortened."""
    text = " ".join(str(text).split())
    return plain(text if len(text) <= MAX_ECHO else text[: MAX_ECHO - 1] + "…")


_SAFE_URL = re.compile(r"^https?://[^\s()<>\[\]\\]+$")


def link(text: object, url: str | None) -> str:
    """A markdown link whose text stays text; only a plain http(s) URL becomes a link target,
    so a URL from a snapshot or file can neither run script nor break out of the link."""
    if url and _SAFE_URL.match(url):
        return f"[{plain(text)}]({url})"
    return plain(text)
