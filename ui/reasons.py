"""Why a refresh failed, as a visitor may read it.

The stored reason names URLs, server paths and catalogue internals: useful to whoever runs the
site (edit mode, the command line's ``status``), noise or a leak on a public page. A read-only
deployment shows the failure's kind (stored with it, ``data_sources.failures``) in the page's
language (``ui.language``) instead; the reason's text is never read for that.
"""
from __future__ import annotations

from data_sources.failures import known_kind
from data_sources.settings import editing_allowed

from .safe import plain
from .texts import t


def failure_reason(kind: str | None, reason: str, markdown: bool = True) -> str:
    """The stored reason (edit mode; escaped for markdown unless ``markdown`` is False, as in a
    table cell) or its kind in plain words (read-only; a record without a kind: "other")."""
    if editing_allowed():
        return plain(reason) if markdown else reason
    kind = known_kind(kind)
    return t(f"failure_{kind}")
