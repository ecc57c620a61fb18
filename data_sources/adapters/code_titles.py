"""CBS titles of codes and tables, from each API's own metadata endpoints.

Small functions both adapters (and any command that describes a table) use, so a code is never
recorded without its meaning. v3 lists a table's endpoints in its service document: a
dimension endpoint the document does not list means CBS has no titles for it (``None``); one
it lists that fails raises :class:`SourceError`, so a refresh never silently loses names.
In v4 every dimension has a ``<Dim>Codes`` endpoint; any failure there raises.
"""
from __future__ import annotations

from ..codes import strip_code
from ..http import JsonClient, SourceError
from .common import code_filter, pages, quote

V3_FORMAT = {"$format": "json"}


def v3_endpoints(client: JsonClient, api: str) -> set[str]:
    """Names in a v3 table's service document (``<base>/ODataApi/odata/<table>/``)."""
    body = client.get_json(f"{api}/", V3_FORMAT, cacheable=True)
    return {e.get("name") for e in body.get("value", []) if isinstance(e, dict)}


def v3_table_info(client: JsonClient, api: str, endpoints: set[str]) -> dict | None:
    """The table's TableInfos record (title, Modified), or None where CBS lists none."""
    if "TableInfos" not in endpoints:
        return None
    values = client.get_json(f"{api}/TableInfos", V3_FORMAT, cacheable=True).get("value") or []
    return values[0] if values else None


def v3_entries(client: JsonClient, api: str, endpoints: set[str], dimension: str, clause: str = "") -> dict[str, dict] | None:
    """Code (unpadded) -> entry (Key, Title, Status, ...) of a v3 dimension endpoint; None when
    the service document does not list the dimension."""
    if dimension not in endpoints:
        return None
    params = {**V3_FORMAT, **({"$filter": clause} if clause else {})}
    try:
        entries = list(pages(client, f"{api}/{dimension}", params, "odata.nextLink"))
    except SourceError as exc:
        raise _metadata_failed(f"{api}/{dimension}", exc) from exc
    return {strip_code(e.get("Key")): e for e in entries if isinstance(e, dict)}


def v3_code_titles(client: JsonClient, api: str, endpoints: set[str], filters: dict[str, str]) -> dict[str, str | None]:
    """Dimension -> CBS title of the filter code (None where CBS's metadata has none)."""
    titles: dict[str, str | None] = {}
    for dim, code in filters.items():
        entries = v3_entries(client, api, endpoints, dim, code_filter("Key", code)) or {}
        titles[dim] = _title(entries.get(code))
    return titles


def v4_entries(client: JsonClient, base: str, dimension: str, clause: str = "") -> dict[str, dict]:
    """Code -> entry (Identifier, Title, Status, ...) of a v4 ``<Dim>Codes`` endpoint."""
    params = {"$filter": clause} if clause else {}
    try:
        entries = list(pages(client, f"{base}/{dimension}Codes", params, "@odata.nextLink"))
    except SourceError as exc:
        raise _metadata_failed(f"{base}/{dimension}Codes", exc) from exc
    return {strip_code(e.get("Identifier")): e for e in entries if isinstance(e, dict)}


def v4_code_titles(client: JsonClient, base: str, filters: dict[str, str]) -> dict[str, str | None]:
    return {dim: _title(v4_entries(client, base, dim, f"Identifier eq {quote(code)}").get(code)) for dim, code in filters.items()}


def unknown_filter_codes(filters: dict[str, str], entries_of) -> str:
    """Why a selection returned nothing: '; filter Leeftijd has no code 'XYZ' (its codes: 10000
    Totaal, ...)' per filter code the dimension's code list lacks. ``entries_of(dim)`` gives
    code -> entry, or None where CBS lists no codes (then the values must tell)."""
    reasons = []
    for dim, code in filters.items():
        entries = entries_of(dim)
        if entries is None:
            reasons.append(f"CBS lists no codes for {dim}: check {code!r} against the values (python -m data_sources describe)")
        elif code not in entries:
            known = "; ".join(f"{key} {_title(entry) or ''}".strip() for key, entry in list(entries.items())[:8])
            reasons.append(f"filter {dim} has no code {code!r} (its codes include {known})")
    return "; " + "; ".join(reasons) if reasons else ""


def _metadata_failed(url: str, exc: SourceError) -> SourceError:
    return exc.restated(
        f"metadata endpoint {url.rsplit('/', 2)[-2]}/{url.rsplit('/', 1)[-1]} failed, so this refresh is not stored "
        f"(it would lose CBS's names or statuses; the last good data stays): {exc}"
    )


def _title(entry: dict | None) -> str | None:
    title = (entry or {}).get("Title")
    return title.strip() if isinstance(title, str) and title.strip() else None
