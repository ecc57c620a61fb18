"""``python -m data_sources scaffold TABLE --measure KEY [--filter DIM=CODE ...]``: a complete
``[[indicator]]`` entry with everything CBS knows filled in (titles as comments beside every
code, unit, decimals, region dimension and levels) and every decision a person must make
marked ``TODO``; ``validate`` refuses an entry while any ``TODO`` is left."""
from __future__ import annotations

import difflib
import json
import re

from .catalogue import PLACEHOLDER
from .describe import API_NAMES
from .metadata import Dimension, TableMetadata


class ScaffoldError(ValueError):
    """The request does not fit the table (unknown measure, dimension or code)."""


def scaffold(meta: TableMetadata, measure_key: str, filters: dict[str, str], opgave: str = "", command: str = "") -> str:
    measure = _measure(meta, measure_key)
    region, period = meta.region_dimension, meta.period_dimension
    chosen = _filters(meta, filters)
    todo = PLACEHOLDER
    lines = [
        f"# From CBS table {meta.table} \"{_one_line(meta.title) or 'no title: CBS metadata missing'}\" "
        f"({API_NAMES.get(meta.catalogue, meta.catalogue)}, modified {meta.modified or 'unknown'}).",
    ]
    if command:
        lines.append(f"# Made by: {command}")
    lines += [
        f"# Replace every \"{todo} ...\" (validate refuses the entry while one is left), then run",
        "#   python -m data_sources validate && python -m data_sources refresh --indicator <id>",
    ]
    if meta.missing:
        lines.append("# CBS metadata missing: " + ", ".join(meta.missing) + " (confirm those meanings from the values)")
    title = measure.title if measure and measure.title else ""
    detail = [dim_code_title(meta.dimension(d), c) for d, c in chosen.items()]
    detail = [t for t in detail if t and not t.lower().startswith("totaal")]
    full_title = f"{title} ({', '.join(detail)})" if title and detail else title
    name = _slug(full_title) or _slug(measure_key)
    unit = measure.unit if measure else ""
    levels = region.region_levels() if region else ("land",)
    lines += [
        "[[indicator]]",
        f"id = {_q(f'{opgave}.{name}' if opgave else f'{todo}: <opgave>.{name}')}",
        f"title_nl = {_q(full_title or f'{todo}: a short title (CBS gives none)')}",
        f"title_en = {_q(f'{todo}: translate ' + (repr(full_title) if full_title else 'a short English title'))}",
        f"explanation_nl = {_q(f'{todo}: what this shows and what better means, for a policymaker (Dutch)')}",
        f"explanation_en = {_q(f'{todo}: the same in English')}",
        f"kind = {_q(f'{todo}: resultaat (an outcome for people and places) or context')}",
        f"better = {_q(f'{todo}: hoger, lager or neutraal')}",
        f"unit_nl = {_q(unit or f'{todo}: unit (CBS gives none)')}",
        f"unit_en = {_q(f'{todo}: translate ' + (repr(unit) if unit else 'the unit'))}",
    ]
    if measure and measure.decimals is not None:
        lines.append(f"decimals = {int(measure.decimals)}")
    else:
        lines.append("# decimals: CBS gives none; add decimals = N when values are not whole numbers")
    if levels:
        lines.append(f"region_levels = {_list(levels)}  # levels among the codes of {region.key if region else 'the table'}")
    else:
        lines.append(f"region_levels = [{_q(f'{todo}: levels of the region codes (CBS gives no code list)')}]")
    lines.append("headline = false")
    untitled = ([] if title else [measure_key]) + [f"{d}={c}" for d, c in chosen.items() if not dim_code_title(meta.dimension(d), c)]
    if untitled:  # a code without a CBS title needs its meaning, and how it was confirmed, on screen
        codes = ", ".join(untitled)
        lines += [
            f"caveats_nl = [{_q(f'{todo}: what {codes} mean(s) and how that was confirmed (CBS gives no title)')}]",
            f"caveats_en = [{_q(f'{todo}: the same in English')}]",
        ]
    else:
        lines += ["# caveats_nl = [\"...\"]  # where definitions differ or break", "# caveats_en = [\"...\"]"]
    lines += [
        "[indicator.source]",
        f"adapter = {_q(meta.adapter)}",
    ]
    if meta.api == "v3" and meta.catalogue != "opendata":
        lines.append(f"catalogue = {_q(meta.catalogue)}")
    lines.append(f"table = {_q(meta.table)}  # {_one_line(meta.title) or 'no CBS title'}")
    unit_text = f"{measure.unit or 'unit –'}, {measure.decimals if measure.decimals is not None else '–'} decimals" if measure else ""
    lines.append(f"measure = {_q(measure_key)}  # {_one_line(title) or 'no CBS title'}" + (f" ({unit_text})" if unit_text else ""))
    if region:
        lines.append(f"region_dimension = {_q(region.key)}  # {_one_line(region.title)}")
    if period is None:
        lines.append('period_dimension = ""  # the table has no period dimension')
        lines.append(f"period = {_q(f'{todo}: the period the figures are about, e.g. 2020JJ00')}")
    elif period.key != "Perioden":
        lines.append(f"period_dimension = {_q(period.key)}  # {_one_line(period.title)}")
    if chosen:
        lines.append("[indicator.source.filters]")
        for dim_key, code in chosen.items():
            title = dim_code_title(meta.dimension(dim_key), code)
            comment = f"{_one_line(meta.dimension(dim_key).title)}: {_one_line(title)}" if title else "no CBS title for this code: confirm from the values"
            lines.append(f"{dim_key} = {_q(code)}  # {comment}")
    lines += [
        "# A policy target, with its source; delete this block when there is none.",
        "[[indicator.target]]",
        f"kind = {_q(f'{todo}: value, annual, cumulative or reduction')}",
        f"value = {_q(f'{todo}: the target value')}",
        f"year = {_q(f'{todo}: the year it must be reached')}",
        f"label_nl = {_q(f'{todo}: e.g. Doel 100.000 per jaar')}",
        f"label_en = {_q(f'{todo}: e.g. Target 100,000 a year')}",
        f"source = {_q(f'{todo}: who set the target (agreement, law)')}",
    ]
    return "\n".join(lines) + "\n"


def dim_code_title(dim: Dimension | None, code: str) -> str:
    return dim.title_of(code) if dim else ""


def _measure(meta: TableMetadata, key: str):
    if not meta.measures:
        return None  # CBS lists no measures and the data gave none: cannot check
    measure = meta.measure(key)
    if measure is None:
        near = difflib.get_close_matches(key, [m.key for m in meta.measures], n=3, cutoff=0.6)
        close = [meta.measure(k) for k in near] or [m for m in meta.measures if key.lower() in (m.key + " " + m.title).lower()] or list(meta.measures)
        raise ScaffoldError(
            f"table {meta.table} has no measure {key!r}; for example: "
            + "; ".join(f"{m.key} ({m.title or 'no title'})" for m in close[:10])
        )
    return measure


def _filters(meta: TableMetadata, given: dict[str, str]) -> dict[str, str]:
    """One code for every dimension besides region and period (the only ones left free)."""
    chosen = {}
    for dim_key, code in given.items():
        dim = meta.dimension(dim_key)
        if dim is None:
            raise ScaffoldError(f"table {meta.table} has no dimension {dim_key!r}; it has {', '.join(d.key for d in meta.dimensions)}")
        if dim.is_region or dim.is_period:
            raise ScaffoldError(
                f"{dim_key} is the table's {'region' if dim.is_region else 'period'} dimension; the page chooses "
                "regions and periods, so do not filter it (region_levels limits the levels)"
            )
        if dim.codes and dim.code(code) is None:
            raise ScaffoldError(f"dimension {dim_key} has no code {code!r}; its codes: {_codes(dim)}")
        chosen[dim_key] = code.strip()
    for dim in meta.dimensions:
        if dim.is_region or dim.is_period or dim.key in chosen:
            continue
        if len(dim.codes) == 1:
            chosen[dim.key] = dim.codes[0].key
            continue
        raise ScaffoldError(
            f"dimension {dim.key} ({dim.title}) needs one code: add --filter {dim.key}=CODE; its codes: {_codes(dim)}"
        )
    return chosen


def _codes(dim: Dimension, limit: int = 12) -> str:
    text = "; ".join(f"{c.key} ({c.title or 'no title'})" for c in dim.codes[:limit])
    more = len(dim.codes) - limit
    return text + (f"; and {more} more (python -m data_sources describe)" if more > 0 else "") if text else "CBS lists none (confirm one from the values)"


def _slug(text: str, limit: int = 40) -> str:
    """'uitgesproken_faillissementen_bedrijven' from a title: at most ``limit`` characters, cut between words."""
    slug = re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")
    return slug if len(slug) <= limit else slug[: limit + 1].rsplit("_", 1)[0]


def _q(text: str) -> str:
    """A TOML basic string (JSON's escapes are valid TOML)."""
    return json.dumps(_one_line(text), ensure_ascii=False)


def _list(items) -> str:
    return "[" + ", ".join(_q(i) for i in items) + "]"


def _one_line(text: str) -> str:
    return " ".join((text or "").split())
