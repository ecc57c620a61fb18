"""Pieces both CBS adapters share: filter building, paging and error wording."""
from __future__ import annotations

from collections.abc import Iterator

from ..catalogue import Indicator
from ..codes import LEVEL_PREFIXES, strip_code
from ..failures import UNREADABLE
from ..http import JsonClient, SourceError


def quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def level_filter(dimension: str, levels: tuple[str, ...]) -> str:
    """``(startswith(RegioS,'GM') or ...)`` for the region levels an indicator shows."""
    prefixes = [p for level in levels for p in LEVEL_PREFIXES.get(level, ())]
    if not prefixes:
        return ""
    return "(" + " or ".join(f"startswith({dimension},{quote(p)})" for p in prefixes) + ")"


def code_filter(dimension: str, code: str) -> str:
    """Select a code whatever its padding: v3 keys are padded, so ``eq`` would need the
    padded form; ``startswith`` on the trimmed code works on both APIs, and rows are matched
    exactly afterwards (:func:`matches`)."""
    return f"startswith({dimension},{quote(code)})"


def matches(row: dict, filters: dict[str, str]) -> bool:
    return all(strip_code(row.get(dim)) == code for dim, code in filters.items())


def pages(client: JsonClient, url: str, params: dict, next_key: str, cacheable: bool = True) -> Iterator[dict]:
    """Every record of a paged OData collection, following its next link."""
    while url:
        body = client.get_json(url, params, cacheable)
        if not isinstance(body, dict) or not isinstance(body.get("value"), list):
            raise SourceError(f"unexpected answer from {url}: no 'value' list", kind=UNREADABLE)
        yield from body["value"]
        url, params = body.get(next_key), None


def where(indicator: Indicator) -> str:
    """How error messages name the catalogue entry."""
    return f"catalogue entry {indicator.id} in {indicator.file or 'the catalogue'}"
