"""CBS table metadata (OData v3 and v4) as one structure: what a table measures, its
dimensions with every code's CBS title and code group, its periods, and which metadata
endpoints CBS (or a mirror) does not publish.

Read through the same :class:`~data_sources.http.JsonClient` and base-URL settings as a
refresh, so it works against the emulator. ``describe`` and ``scaffold`` print it; adapters
can use :meth:`Dimension.title` for code titles.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass, field, replace

from .adapters.code_titles import V3_FORMAT, v3_endpoints
from .adapters.common import pages
from .codes import REGION_LEVELS, parse_period, region_level, strip_code
from .http import JsonClient, SourceError
from .settings import V3_CATALOGUES, v3_base_url, v4_base_url

# v3 endpoints that are not dimensions
V3_NON_DIMENSIONS = {"TableInfos", "DataProperties", "CategoryGroups", "TypedDataSet", "UntypedDataSet", "Bronnen"}
V3_DIMENSION_TYPES = {"Dimension", "GeoDimension", "GeoDetail", "TimeDimension"}
GEO_KINDS = {"GeoDimension", "GeoDetail"}
V3_MEASURE_KEY = re.compile(r"_\d+$")
TIME_KINDS = {"TimeDimension"}


@dataclass(frozen=True)
class Code:
    key: str  # without CBS's padding
    title: str
    description: str = ""
    group: str = ""  # id of its code group ("" when none)
    status: str = ""  # periods: Definitief, Voorlopig, ...


@dataclass(frozen=True)
class CodeGroup:
    id: str
    title: str
    parent: str = ""


@dataclass(frozen=True)
class Dimension:
    key: str
    title: str
    kind: str  # Dimension, GeoDimension, GeoDetail, TimeDimension ("" when CBS does not say)
    codes: tuple[Code, ...] = ()
    groups: tuple[CodeGroup, ...] = ()
    kind_inferred: bool = False  # CBS lists no dimensions: kind read from the code forms
    codes_from_data: bool = False  # CBS lists no codes: the codes the data holds, without titles

    @property
    def is_region(self) -> bool:
        return self.kind in GEO_KINDS

    @property
    def is_period(self) -> bool:
        return self.kind in TIME_KINDS

    def code(self, key: str) -> Code | None:
        key = strip_code(key)
        return next((c for c in self.codes if c.key == key), None)

    def title_of(self, key: str) -> str:
        """The CBS title of a code ("" when CBS gives none)."""
        code = self.code(key)
        return code.title if code else ""

    def group_path(self, group_id: str) -> str:
        """'Gemeenten > Indeling 2023' for a group id, following parents."""
        return _title_path(group_id, {g.id: (g.title, g.parent) for g in self.groups})

    def region_levels(self) -> tuple[str, ...]:
        """Region levels of the codes, in REGION_LEVELS order (without 'other')."""
        present = {region_level(c.key) for c in self.codes}
        return tuple(level for level in REGION_LEVELS if level in present and level != "other")


@dataclass(frozen=True)
class Measure:
    key: str
    title: str
    unit: str = ""
    decimals: int | None = None
    description: str = ""
    group: str = ""  # title path of its topic/measure group


@dataclass(frozen=True)
class TableMetadata:
    table: str
    api: str  # "v3" or "v4"
    catalogue: str  # opendata, dataderden (v3) or v4
    url: str  # the table's service root
    title: str = ""
    summary: str = ""
    modified: str = ""
    dimensions: tuple[Dimension, ...] = ()
    measures: tuple[Measure, ...] = ()
    missing: dict[str, str] = field(default_factory=dict)  # endpoint -> why it is absent
    measures_from_data: bool = False  # keys read from the data: CBS gave no measure list

    @property
    def adapter(self) -> str:
        return "cbs_v4" if self.api == "v4" else "cbs"

    def dimension(self, key: str) -> Dimension | None:
        return next((d for d in self.dimensions if d.key == key), None)

    def measure(self, key: str) -> Measure | None:
        return next((m for m in self.measures if m.key == key), None)

    def code_titles(self, dimension: str) -> dict[str, str]:
        """Code -> CBS title of one dimension (empty when CBS lists no codes for it)."""
        dim = self.dimension(dimension)
        return {c.key: c.title for c in dim.codes} if dim else {}

    @property
    def region_dimension(self) -> Dimension | None:
        return next((d for d in self.dimensions if d.is_region), None)

    @property
    def period_dimension(self) -> Dimension | None:
        return next((d for d in self.dimensions if d.is_period), None)

    def period_range(self) -> tuple[str, str] | None:
        dim = self.period_dimension
        if not dim or not dim.codes:
            return None
        ordered = sorted(dim.codes, key=lambda c: (parse_period(c.key).start is None, parse_period(c.key).start or 0, c.key))
        dated = [c.key for c in ordered if parse_period(c.key).start is not None] or [c.key for c in ordered]
        return dated[0], dated[-1]

    def frequencies(self) -> dict[str, int]:
        dim = self.period_dimension
        return dict(Counter(parse_period(c.key).frequency for c in dim.codes)) if dim else {}

    def to_dict(self) -> dict:
        data = asdict(self)
        data.update(adapter=self.adapter, period_range=self.period_range(), frequencies=self.frequencies())
        return data


class TableNotFound(SourceError):
    """The table is not in the catalogue or API asked (HTTP 404 on its service root)."""


def read_metadata(
    table: str, client: JsonClient, catalogue: str | None = None, v4: bool = False, codes_for: set[str] | None = None
) -> TableMetadata:
    """Metadata of ``table``: from v4 when ``v4``, from the named v3 catalogue, or (neither
    given) from the first that has it: v3 opendata, v4, v3 dataderden. ``codes_for`` limits
    which dimensions' code lists are fetched (None: all; an adapter needs only a few)."""
    if v4:
        return read_v4(table, client, codes_for)
    if catalogue:
        return read_v3(table, client, catalogue, codes_for)
    tried = []
    readers = (
        (lambda: read_v3(table, client, "opendata", codes_for), "v3 opendata"),
        (lambda: read_v4(table, client, codes_for), "v4"),
        (lambda: read_v3(table, client, "dataderden", codes_for), "v3 dataderden"),
    )
    for reader, where in readers:
        try:
            return reader()
        except TableNotFound:
            tried.append(where)
    raise TableNotFound(f"table {table} not found in {', '.join(tried)}", status=404)


# -- v3 ---------------------------------------------------------------------------------------


def read_v3(table: str, client: JsonClient, catalogue: str = "opendata", codes_for: set[str] | None = None) -> TableMetadata:
    if catalogue not in V3_CATALOGUES:
        raise ValueError(f"unknown v3 catalogue {catalogue!r}; use {', '.join(V3_CATALOGUES)}")
    api = f"{v3_base_url(catalogue)}/ODataApi/odata/{table}"
    try:
        endpoints = v3_endpoints(client, api)
    except SourceError as exc:
        if exc.status == 404:
            raise TableNotFound(f"table {table} is not in the v3 {catalogue} catalogue ({api})", status=404) from exc
        raise
    missing: dict[str, str] = {}

    def endpoint(name: str) -> list[dict]:
        if name not in endpoints:
            missing[name] = "not in the table's service document"
            return []
        try:
            return [r for r in pages(client, f"{api}/{name}", V3_FORMAT, "odata.nextLink") if isinstance(r, dict)]
        except SourceError as exc:
            if exc.status == 404:
                missing[name] = "listed, but HTTP 404"
                return []
            raise

    info = (endpoint("TableInfos") or [{}])[0]
    properties = endpoint("DataProperties")
    groups = endpoint("CategoryGroups")
    if properties:
        dims = [(p["Key"], p.get("Title") or p["Key"], p.get("Type", "")) for p in properties if p.get("Type") in V3_DIMENSION_TYPES]
    else:
        dims = [(name, name, "") for name in sorted(endpoints - V3_NON_DIMENSIONS)]
    dimensions = []
    for key, title, kind in dims:
        codes = tuple(_code(r, "Key", "CategoryGroupID") for r in endpoint(key)) if codes_for is None or key in codes_for else ()
        dim_groups = tuple(
            CodeGroup(_text(g.get("ID")), (g.get("Title") or "").strip(), _text(g.get("ParentID")))
            for g in groups
            if g.get("DimensionKey") == key
        )
        dimensions.append(_dimension(key, title, kind, codes, dim_groups))
    measures = _v3_measures(properties)
    from_data = False
    if not properties:
        keys, unlisted = _columns_from_v3_data(client, api, endpoints, {d.key for d in dimensions})
        measures, from_data = tuple(Measure(key=k, title="") for k in keys), True
        for key in unlisted:
            missing[key] = "a dimension in the data without a code list: confirm its codes from the values"
            dimensions.append(Dimension(key, key, "Dimension", kind_inferred=True))
    codeless = [d.key for d in dimensions if not d.codes and (codes_for is None or d.key in codes_for)]
    if codeless:
        found = _codes_from_v3_data(client, api, endpoints, codeless)
        dimensions = [_with_data_codes(d, found[d.key]) if found.get(d.key) else d for d in dimensions]
    return TableMetadata(
        table=table,
        api="v3",
        catalogue=catalogue,
        url=api,
        title=(info.get("Title") or "").strip(),
        summary=(info.get("Summary") or info.get("ShortDescription") or "").strip(),
        modified=info.get("Modified") or "",
        dimensions=tuple(dimensions),
        measures=measures,
        missing=missing,
        measures_from_data=from_data,
    )


def _v3_measures(properties: list[dict]) -> tuple[Measure, ...]:
    topic_groups = {_text(p.get("ID")): ((p.get("Title") or "").strip(), _text(p.get("ParentID"))) for p in properties}
    return tuple(
        _measure(p, "Key", _title_path(_text(p.get("ParentID")), topic_groups)) for p in properties if p.get("Type") == "Topic" and p.get("Key")
    )


def _columns_from_v3_data(client: JsonClient, api: str, endpoints: set[str], dimensions: set[str]) -> tuple[list[str], list[str]]:
    """Without DataProperties, measures and unlisted dimensions are only visible as the data's
    columns: v3 measure keys end in ``_<position>`` (``Installaties_1``), dimension keys never do."""
    for name in ("TypedDataSet", "UntypedDataSet"):
        if name not in endpoints:
            continue
        try:
            rows = client.get_json(f"{api}/{name}", {**V3_FORMAT, "$top": "1"}).get("value") or []
        except SourceError as exc:
            if exc.status == 404:
                continue
            raise
        if rows:
            columns = [k for k in rows[0] if k != "ID" and k not in dimensions]
            return [k for k in columns if V3_MEASURE_KEY.search(k)], [k for k in columns if not V3_MEASURE_KEY.search(k)]
    return [], []


def _codes_from_v3_data(client: JsonClient, api: str, endpoints: set[str], dimensions: list[str]) -> dict[str, set[str]]:
    """The codes the data holds for dimensions CBS lists no codes for (read through ODataFeed,
    which pages instead of refusing large answers): an analyst can then pick one that exists."""
    feed = api.replace("/ODataApi/", "/ODataFeed/")
    for name in ("TypedDataSet", "UntypedDataSet"):
        if name not in endpoints:
            continue
        found: dict[str, set[str]] = {d: set() for d in dimensions}
        try:
            for row in pages(client, f"{feed}/{name}", {**V3_FORMAT, "$select": ",".join(dimensions)}, "odata.nextLink"):
                for dim in dimensions:
                    if isinstance(row, dict) and row.get(dim) is not None:
                        found[dim].add(strip_code(row[dim]))
        except SourceError as exc:
            if exc.status == 404:
                continue
            raise
        return found
    return {}


def _with_data_codes(dim: Dimension, keys: set[str]) -> Dimension:
    codes = tuple(Code(key=k, title="") for k in sorted(keys))
    return replace(dim, codes=codes, kind=_kind_from_codes(codes) if dim.kind_inferred else dim.kind, codes_from_data=True)


# -- v4 ---------------------------------------------------------------------------------------


def read_v4(table: str, client: JsonClient, codes_for: set[str] | None = None) -> TableMetadata:
    base = f"{v4_base_url()}/CBS/{table}"
    try:
        service = client.get_json(base, cacheable=True)
    except SourceError as exc:
        if exc.status == 404:
            raise TableNotFound(f"table {table} is not in CBS's OData v4 API ({base})", status=404) from exc
        raise
    endpoints = {e.get("name") or e.get("url") for e in service.get("value", []) if isinstance(e, dict)}
    missing: dict[str, str] = {}

    def endpoint(name: str, single: bool = False):
        if name not in endpoints:
            missing[name] = "not in the table's service document"
            return {} if single else []
        try:
            if single:
                return client.get_json(f"{base}/{name}", cacheable=True)
            return [r for r in pages(client, f"{base}/{name}", {}, "@odata.nextLink") if isinstance(r, dict)]
        except SourceError as exc:
            if exc.status == 404:
                missing[name] = "listed, but HTTP 404"
                return {} if single else []
            raise

    props = endpoint("Properties", single=True)
    dim_records = endpoint("Dimensions")
    if dim_records:
        dims = [(d["Identifier"], d.get("Title") or d["Identifier"], d.get("Kind", "")) for d in dim_records if d.get("Identifier")]
    else:
        names = sorted(n[: -len("Codes")] for n in endpoints if n.endswith("Codes") and n != "MeasureCodes")
        dims = [(name, name, "") for name in names]
    dimensions = []
    for key, title, kind in dims:
        if codes_for is not None and key not in codes_for:
            dimensions.append(Dimension(key, title, kind))
            continue
        codes = tuple(_code(r, "Identifier", "DimensionGroupId") for r in endpoint(f"{key}Codes"))
        groups = tuple(
            CodeGroup(_text(g.get("Id")), (g.get("Title") or "").strip(), _text(g.get("ParentId"))) for g in endpoint(f"{key}Groups")
        )
        dimensions.append(_dimension(key, title, kind, codes, groups))
    measure_groups = {_text(g.get("Id")): ((g.get("Title") or "").strip(), _text(g.get("ParentId"))) for g in endpoint("MeasureGroups")}
    measures = tuple(
        _measure(m, "Identifier", _title_path(_text(m.get("MeasureGroupId")), measure_groups))
        for m in endpoint("MeasureCodes")
        if m.get("Identifier")
    )
    return TableMetadata(
        table=table,
        api="v4",
        catalogue="v4",
        url=base,
        title=(props.get("Title") or "").strip(),
        summary=(props.get("Description") or "").strip(),
        modified=props.get("Modified") or props.get("ModificationDate") or "",
        dimensions=tuple(dimensions),
        measures=measures,
        missing=missing,
    )


# -- shared -----------------------------------------------------------------------------------


def _code(record: dict, key_field: str, group_field: str) -> Code:
    """A code from a v3 dimension record (Key, CategoryGroupID) or a v4 one (Identifier, DimensionGroupId)."""
    return Code(
        key=strip_code(record.get(key_field)),
        title=(record.get("Title") or "").strip(),
        description=(record.get("Description") or "").strip(),
        group=_text(record.get(group_field)),
        status=(record.get("Status") or "").strip(),
    )


def _measure(record: dict, key_field: str, group: str) -> Measure:
    """A measure from a v3 DataProperties topic (Key) or a v4 MeasureCodes record (Identifier)."""
    return Measure(
        key=record[key_field],
        title=(record.get("Title") or "").strip(),
        unit=(record.get("Unit") or "").strip(),
        decimals=record.get("Decimals"),
        description=(record.get("Description") or "").strip(),
        group=group,
    )


def _dimension(key: str, title: str, kind: str, codes: tuple[Code, ...], groups: tuple[CodeGroup, ...]) -> Dimension:
    """A dimension; without CBS's kind, the kind follows from its codes."""
    return Dimension(key, title, kind or _kind_from_codes(codes), codes, groups, kind_inferred=not kind)


def _title_path(node: str, title_parent: dict[str, tuple[str, str]]) -> str:
    """'Bevolking > Leeftijd' from a node id, following parent ids (cycles stop)."""
    titles, seen = [], set()
    while node and node in title_parent and node not in seen:
        seen.add(node)
        title, node = title_parent[node]
        titles.append(title)
    return " > ".join(reversed(titles))


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _kind_from_codes(codes: tuple[Code, ...]) -> str:
    """Without CBS's dimension list, the kind follows from the code forms: (nearly) every
    code a period code (``2023JJ00``, ``2024X000``) or a region code; else a plain dimension."""
    if not codes:
        return "Dimension"
    if _share(codes, lambda key: bool(_PERIOD_FORM.match(key))) >= 0.9:
        return "TimeDimension"
    if _share(codes, lambda key: region_level(key) != "other") >= 0.9:
        return "GeoDimension"
    return "Dimension"


_PERIOD_FORM = re.compile(r"^\d{4}[A-Z]{1,2}\d{2,3}$")


def _share(codes: tuple[Code, ...], test) -> float:
    return sum(bool(test(c.key)) for c in codes) / len(codes)
