"""Why a refresh failed, as a visitor may read it.

The stored reason names URLs, server paths and catalogue internals: useful to whoever runs the
site (edit mode, the command line's ``status``), noise or a leak on a public page. A read-only
deployment shows the kind of failure in the page's language instead.
"""
from __future__ import annotations

from data_sources.settings import editing_allowed

from .safe import plain
from .texts import t

# (words in the stored reason, kind of failure): the first match wins
KINDS = (
    (("does not exist", "not found", "HTTP 404", "HTTP 410"), "missing"),
    (("timeout", "connection", "unreachable", "not reachable", "niet bereikbaar"), "unreachable"),
    (("HTTP 5", "HTTP 429"), "server"),
    (("malformed", "row ", "column", "unreadable", "cannot read", "not a "), "unreadable"),
)


def failure_reason(error: str, lang: str, markdown: bool = True) -> str:
    """The stored reason (edit mode; escaped for markdown unless ``markdown`` is False, as in a
    table cell) or its kind in plain words (read-only)."""
    if editing_allowed():
        return plain(error) if markdown else error
    kind = next((kind for words, kind in KINDS if any(word in error for word in words)), "other")
    return t(f"failure_{kind}")
