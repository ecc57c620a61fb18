"""StatLine OData v3 (``opendata.cbs.nl`` and the third-party catalogue ``dataderden.cbs.nl``).

Metadata comes from ``ODataApi``; the rows from ``ODataFeed``, which pages with
``odata.nextLink`` instead of refusing requests over 10,000 cells as ``ODataApi`` does. Only
the columns (``$select``) and rows (``$filter``) an indicator needs are asked for. Codes are
kept (not replaced by titles, as ``cbsodata.get_data`` does); titles come from the dimension
endpoints.

Why not ``cbsodata`` itself for the requests: it opens a new session per page, retries nothing
and counts no bytes. Its query conventions (``$format=json``, the next link followed
verbatim) are the ones used here, and the benchmark compares against it.
"""
from __future__ import annotations

import re

import pandas as pd

from ..catalogue import Indicator
from ..codes import status_from_cbs, strip_code
from ..failures import REFUSED, SELECTION
from ..frame import build_frame
from ..http import JsonClient, SourceError
from ..provenance import Provenance
from ..settings import v3_base_url
from ..store import now_iso
from .code_titles import V3_FORMAT as FORMAT
from .code_titles import unknown_filter_codes, v3_code_titles, v3_endpoints, v3_entries, v3_table_info
from .common import code_filter, level_filter, matches, pages, where


def fetch(indicator: Indicator, client: JsonClient) -> tuple[pd.DataFrame, Provenance]:
    src = indicator.source
    base = v3_base_url(src.catalogue)
    api = f"{base}/ODataApi/odata/{src.table}"
    feed = f"{base}/ODataFeed/odata/{src.table}"

    endpoints = _service_document(client, api, indicator)
    info = v3_table_info(client, api, endpoints)
    prop = _data_property(client, api, endpoints, indicator)

    rows = _rows(client, feed, indicator)
    if not rows:
        raise SourceError(
            f"table {src.table} returned no rows for measure {src.measure!r} with filters "
            f"{src.filters or 'none'} ({where(indicator)})"
            + unknown_filter_codes(src.filters, lambda dim: v3_entries(client, api, endpoints, dim)),
            kind=SELECTION,
        )
    bounds = _margins(client, feed, indicator)
    regions = _titles(client, api, endpoints, src.region_dimension, indicator) if src.region_dimension else {}
    periods = _titles(client, api, endpoints, src.period_dimension, indicator) if src.period_dimension else {}
    filter_titles = v3_code_titles(client, api, endpoints, src.filters)

    records = []
    for row in rows:
        period_code = strip_code(row.get(src.period_dimension)) if src.period_dimension else src.period
        period_meta = periods.get(period_code, {})
        region_code = strip_code(row.get(src.region_dimension)) if src.region_dimension else "NL01"
        records.append(
            {
                "region_code": region_code,
                "region_name": regions.get(region_code, {}).get("Title") or ("Nederland" if region_code.startswith("NL") else region_code),
                "period": period_code,
                "value": row.get(src.measure),
                "status": status_from_cbs(period_meta.get("Status"), period_meta.get("Title")),
                **{side: values.get((region_code, period_code)) for side, values in bounds.items()},
            }
        )
    provenance = Provenance(
        indicator=indicator.id,
        source="cbs",
        table_id=src.table,
        table_title=(info or {}).get("Title") or "",
        catalogue=src.catalogue,
        modified=(info or {}).get("Modified"),
        retrieved_at=now_iso(),
        request_urls=list(client.urls),
        measure=src.measure,
        measure_title=(prop or {}).get("Title") or "",
        filters=dict(src.filters),
        filter_titles=filter_titles,
        unit=((prop or {}).get("Unit") or "").strip(),
        decimals=(prop or {}).get("Decimals"),
    )
    return build_frame(indicator.id, records), provenance


def table_modified(indicator: Indicator, client: JsonClient) -> str | None:
    """CBS's last-modified date of the indicator's table (TableInfos), None where CBS lists none."""
    api = f"{v3_base_url(indicator.source.catalogue)}/ODataApi/odata/{indicator.source.table}"
    info = v3_table_info(client, api, _service_document(client, api, indicator))
    return (info or {}).get("Modified")


def _service_document(client: JsonClient, api: str, indicator: Indicator) -> set[str]:
    try:
        return v3_endpoints(client, api)
    except SourceError as exc:
        if exc.status == 404:
            raise exc.restated(
                f"table {indicator.source.table} does not exist in the {indicator.source.catalogue} "
                f"catalogue ({where(indicator)}); it may be discontinued or in another catalogue"
            ) from exc
        raise


def _data_property(client: JsonClient, api: str, endpoints: set[str], indicator: Indicator) -> dict | None:
    """The measure's DataProperties entry; where CBS lists them, an unknown key fails here."""
    if "DataProperties" not in endpoints:
        return None
    props = client.get_json(f"{api}/DataProperties", FORMAT, cacheable=True).get("value") or []
    keys = {p.get("Key"): p for p in props if isinstance(p, dict)}
    src = indicator.source
    if src.measure not in keys:
        topics = [k for k, p in keys.items() if p.get("Type") == "Topic"]
        raise SourceError(
            f"table {src.table} has no measure {src.measure!r} ({where(indicator)}); "
            f"its measures include {', '.join(topics[:8])}",
            kind=SELECTION,
        )
    for dim in [*src.filters, src.region_dimension, src.period_dimension]:
        if dim and dim not in keys:
            raise SourceError(f"table {src.table} has no dimension {dim!r} ({where(indicator)})", kind=SELECTION)
    return keys[src.measure]


def _margins(client: JsonClient, feed: str, indicator: Indicator) -> dict[str, dict[tuple[str, str], object]]:
    """The 95% interval's bounds per (region, period), where the catalogue names them: the
    same rows asked for with the bounds' codes in place of the value's."""
    src = indicator.source
    if src.margins is None:
        return {}
    bounds = {}
    for side, code in (("lower", src.margins.lower), ("upper", src.margins.upper)):
        rows = _rows(client, feed, indicator, {**src.filters, src.margins.dimension: code})
        bounds[side] = {
            (strip_code(r.get(src.region_dimension)) if src.region_dimension else "NL01",
             strip_code(r.get(src.period_dimension)) if src.period_dimension else src.period): r.get(src.measure)
            for r in rows
        }
    return bounds


def _rows(client: JsonClient, feed: str, indicator: Indicator, filters: dict[str, str] | None = None) -> list[dict]:
    src = indicator.source
    filters = src.filters if filters is None else filters
    dims = [d for d in (src.region_dimension, src.period_dimension) if d]
    select = ",".join([*dims, *filters, src.measure])
    clauses = [code_filter(dim, code) for dim, code in filters.items()]
    if src.region_dimension:
        clauses.append(level_filter(src.region_dimension, indicator.region_levels))
    params = {**FORMAT, "$select": select}
    if any(clauses):
        params["$filter"] = " and ".join(c for c in clauses if c)
    try:
        rows = list(pages(client, f"{feed}/TypedDataSet", params, "odata.nextLink", cacheable=False))
    except SourceError as exc:
        if exc.status is not None and 400 <= exc.status < 500 and exc.status != 429:  # 429: busy, not a refusal
            answer = re.sub(r"^(HTTP \d+) for \S+: ", r"\1: ", str(exc))  # CBS's message, without the long URL
            raise SourceError(
                f"table {src.table} refused measure {src.measure!r} or filters {filters or '{}'} ({where(indicator)}): {answer}",
                exc.status,
                REFUSED,
            ) from exc
        raise
    return [r for r in rows if matches(r, filters)]


def _titles(client: JsonClient, api: str, endpoints: set[str], dimension: str, indicator: Indicator) -> dict[str, dict]:
    """Code -> {Title, Status} of a dimension, asking only for the region levels needed."""
    clause = level_filter("Key", indicator.region_levels) if dimension == indicator.source.region_dimension else ""
    return v3_entries(client, api, endpoints, dimension, clause) or {}
