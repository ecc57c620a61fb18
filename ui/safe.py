"""Untrusted text (CBS titles, snapshot contents, file sources, URL parameters) on the page.

Streamlit renders markdown in ``st.markdown``, ``st.caption``, widget labels and metric labels:
links, images, emphasis, LaTeX, emoji shortcodes and bare URLs (autolinks). ``plain`` escapes
every ASCII punctuation character (CommonMark allows a backslash before each), so the text
shows exactly as written and none of it becomes markup. Raw HTML is never rendered anyway:
the app passes ``unsafe_allow_html`` only for its own fixed style sheet.
"""
from __future__ import annotations

import re

_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
MAX_ECHO = 80  # characters of a URL parameter repeated back to a visitor


def plain(text: object) -> str:
    """Markdown source that renders as the literal text (line breaks become spaces)."""
    return _PUNCTUATION.sub(r"\\\1", " ".join(str(text).split()))


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
