"""``python -m data_sources describe TABLE``: a CBS table's metadata as text or JSON, so an
analyst sees every code's meaning before writing a catalogue entry."""
from __future__ import annotations

from dataclasses import replace

from .metadata import Code, Dimension, TableMetadata

PERIODS_SHOWN = 6  # the first and last periods listed of a long period dimension
API_NAMES = {"opendata": "StatLine OData v3 (opendata)", "dataderden": "StatLine OData v3 (dataderden)", "v4": "CBS OData v4"}


def search(meta: TableMetadata, word: str) -> TableMetadata:
    """Only the codes and measures whose key or title contains ``word`` (case-insensitive)."""
    needle = word.lower()

    def hit(*texts: str) -> bool:
        return any(needle in (t or "").lower() for t in texts)

    dimensions = tuple(replace(d, codes=tuple(c for c in d.codes if hit(c.key, c.title))) for d in meta.dimensions)
    measures = tuple(m for m in meta.measures if hit(m.key, m.title, m.group))
    return replace(meta, dimensions=dimensions, measures=measures)


def render(meta: TableMetadata, searched: str = "") -> str:
    lines = [f"{meta.table} — {meta.title or '(no title: CBS metadata missing)'}"]
    lines.append(f"  API:       {API_NAMES.get(meta.catalogue, meta.catalogue)}, adapter = \"{meta.adapter}\"  {meta.url}")
    lines.append(f"  Modified:  {meta.modified or '–'}")
    if meta.summary:
        lines.append("  Summary:   " + " ".join(meta.summary.split())[:400])
    span = meta.period_range()
    if span:
        counts = ", ".join(f"{n} {freq}" for freq, n in sorted(meta.frequencies().items()))
        lines.append(f"  Periods:   {span[0]} … {span[1]} ({counts})")
    if meta.missing:
        lines.append("  CBS metadata missing (titles, units or groups below may be absent):")
        lines += [f"    - {endpoint}: {why}" for endpoint, why in meta.missing.items()]
    if searched:
        lines.append(f"  Search:    codes and measures whose key or title contains {searched!r}")
    lines.append("")
    lines.append("Dimensions")
    for dim in meta.dimensions:
        lines += _dimension(dim, "matching codes" if searched else "codes")
    lines.append("")
    note = " (keys read from the data; CBS gave no measure list: no titles or units)" if meta.measures_from_data else ""
    lines.append(f"Measures ({len(meta.measures)}){note}")
    width = max((len(m.key) for m in meta.measures), default=0)
    for m in meta.measures:
        unit = f"unit {m.unit or '–'}, {m.decimals if m.decimals is not None else '–'} decimals"
        group = f"  [{m.group}]" if m.group else ""
        lines.append(f"  {m.key:<{width}}  {m.title or '–'}  ({unit}){group}")
    return "\n".join(lines)


def _dimension(dim: Dimension, counted: str) -> list[str]:
    levels = dim.region_levels() if dim.is_region else ()
    extra = f"; levels {', '.join(levels)}" if levels else ""
    kind = f"{dim.kind}, inferred from its codes" if dim.kind_inferred else dim.kind
    source = " read from the data: CBS lists no codes or titles, confirm their meaning from the values" if dim.codes_from_data else ""
    lines = [f"  {dim.key} — {dim.title} ({kind}, {len(dim.codes)} {counted}{source}{extra})"]
    width = max((len(c.key) for c in dim.codes), default=0)
    group_of = {}
    for code in dim.codes:
        group_of.setdefault(code.group, []).append(code)
    if dim.is_period and len(dim.codes) > 2 * PERIODS_SHOWN:  # 771 months say little one per line
        ordered = sorted(dim.codes, key=lambda c: c.key)
        hidden = len(ordered) - 2 * PERIODS_SHOWN
        group_of = {"": [*ordered[:PERIODS_SHOWN], Code("…", f"{hidden} more (all of them: --json)"), *ordered[-PERIODS_SHOWN:]]}
    for group, codes in group_of.items():
        indent = "    "
        if group and dim.groups:
            lines.append(f"    [{dim.group_path(group) or group}]")
            indent = "      "
        for c in codes:
            status = f" ({c.status})" if c.status and c.status.lower() != "definitief" else ""
            lines.append(f"{indent}{c.key:<{width}}  {c.title or '(no CBS title)'}{status}")
    return lines
