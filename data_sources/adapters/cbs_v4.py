"""CBS OData v4 (``datasets.cbs.nl/odata/v1/CBS/<table>``): long-format ``Observations``.

A thin client of our own: ``cbsodata4`` downloads whole tables into memory and sets no
timeout, while an indicator needs one measure and a few dimension codes.
"""
from __future__ import annotations

import pandas as pd

from ..catalogue import Indicator
from ..codes import status_from_cbs, strip_code
from ..failures import SELECTION
from ..frame import build_frame
from ..http import JsonClient, SourceError
from ..provenance import Provenance
from ..settings import v4_base_url
from ..store import now_iso
from .code_titles import unknown_filter_codes, v4_code_titles, v4_entries
from .common import code_filter, level_filter, matches, pages, quote, where


def fetch(indicator: Indicator, client: JsonClient) -> tuple[pd.DataFrame, Provenance]:
    src = indicator.source
    base = f"{v4_base_url()}/CBS/{src.table}"
    properties = _properties(client, base, indicator)
    measure = _measure(client, base, indicator)
    _check_dimensions(client, base, indicator)

    rows = _observations(client, base, indicator)
    if not rows:
        raise SourceError(
            f"table {src.table} returned no observations for measure {src.measure!r} with filters "
            f"{src.filters or 'none'} ({where(indicator)})"
            + unknown_filter_codes(src.filters, lambda dim: v4_entries(client, base, dim)),
            kind=SELECTION,
        )
    regions = _codes(client, base, src.region_dimension, indicator) if src.region_dimension else {}
    periods = _codes(client, base, src.period_dimension, indicator) if src.period_dimension else {}
    filter_titles = v4_code_titles(client, base, src.filters)

    records = []
    for row in rows:
        period_code = strip_code(row.get(src.period_dimension)) if src.period_dimension else src.period
        region_code = strip_code(row.get(src.region_dimension)) if src.region_dimension else "NL01"
        present = row.get("ValueAttribute") in (None, "None")
        records.append(
            {
                "region_code": region_code,
                "region_name": regions.get(region_code, {}).get("Title") or ("Nederland" if region_code.startswith("NL") else region_code),
                "period": period_code,
                "value": row.get("Value") if present else None,
                "status": status_from_cbs(periods.get(period_code, {}).get("Status")),
            }
        )
    provenance = Provenance(
        indicator=indicator.id,
        source="cbs_v4",
        table_id=src.table,
        table_title=properties.get("Title") or "",
        catalogue="v4",
        modified=_modified(properties),
        retrieved_at=now_iso(),
        request_urls=list(client.urls),
        measure=src.measure,
        measure_title=(measure.get("Title") or "").strip(),
        filters=dict(src.filters),
        filter_titles=filter_titles,
        unit=(measure.get("Unit") or "").strip(),
        decimals=measure.get("Decimals"),
    )
    return build_frame(indicator.id, records), provenance


def table_modified(indicator: Indicator, client: JsonClient) -> str | None:
    """CBS's last-modified date of the indicator's table (Properties)."""
    return _modified(_properties(client, f"{v4_base_url()}/CBS/{indicator.source.table}", indicator))


def _modified(properties: dict) -> str | None:
    return properties.get("Modified") or properties.get("ModificationDate")


def _properties(client: JsonClient, base: str, indicator: Indicator) -> dict:
    try:
        return client.get_json(f"{base}/Properties", cacheable=True)
    except SourceError as exc:
        if exc.status == 404:
            raise exc.restated(
                f"table {indicator.source.table} does not exist in CBS's OData v4 API ({where(indicator)}); "
                "it may be discontinued or only in StatLine v3 (adapter 'cbs')"
            ) from exc
        raise


def _measure(client: JsonClient, base: str, indicator: Indicator) -> dict:
    src = indicator.source
    measures = {m.get("Identifier"): m for m in pages(client, f"{base}/MeasureCodes", {}, "@odata.nextLink")}
    if src.measure not in measures:
        raise SourceError(
            f"table {src.table} has no measure {src.measure!r} ({where(indicator)}); "
            f"its measures include {', '.join(list(measures)[:8])}",
            kind=SELECTION,
        )
    return measures[src.measure]


def _check_dimensions(client: JsonClient, base: str, indicator: Indicator) -> None:
    src = indicator.source
    dims = {d.get("Identifier") for d in pages(client, f"{base}/Dimensions", {}, "@odata.nextLink")}
    for dim in [*src.filters, src.region_dimension, src.period_dimension]:
        if dim and dim not in dims:
            raise SourceError(
                f"table {src.table} has no dimension {dim!r} ({where(indicator)}); it has {', '.join(sorted(dims))}",
                kind=SELECTION,
            )


def _observations(client: JsonClient, base: str, indicator: Indicator) -> list[dict]:
    src = indicator.source
    clauses = [f"Measure eq {quote(src.measure)}"]
    clauses += [code_filter(dim, code) for dim, code in src.filters.items()]
    if src.region_dimension:
        clauses.append(level_filter(src.region_dimension, indicator.region_levels))
    dims = [d for d in (src.region_dimension, src.period_dimension) if d]
    params = {
        "$filter": " and ".join(c for c in clauses if c),
        "$select": ",".join(["Measure", "ValueAttribute", "Value", *dims, *src.filters]),
    }
    rows = pages(client, f"{base}/Observations", params, "@odata.nextLink", cacheable=False)
    return [r for r in rows if matches(r, src.filters)]


def _codes(client: JsonClient, base: str, dimension: str, indicator: Indicator) -> dict[str, dict]:
    """Code -> entry of a dimension; a failure fails the refresh (names and statuses would be lost)."""
    clause = level_filter("Identifier", indicator.region_levels) if dimension == indicator.source.region_dimension else ""
    return v4_entries(client, base, dimension, clause)
