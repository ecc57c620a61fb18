"""Derived indicators: an operation on other indicators' frames (pure pandas).

The result keeps the provenance of every input plus the operation applied. Values are matched
on region and period; a region or period missing in either input is left out, never guessed.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .catalogue import Derivation
from .frame import COLUMNS, STATUSES, normalise
from .provenance import ATTRIBUTION, LICENCE, Provenance
from .store import now_iso

_KEYS = ["region_code", "period"]


def derive(indicator_id: str, derivation: Derivation, frames: list[pd.DataFrame]) -> pd.DataFrame:
    op = derivation.operation
    if op in ("change_since", "cumulative_since"):
        result = _OVER_TIME[op](frames[0].copy(), derivation)
    else:
        result = _combine(frames[0], frames[1], op, derivation.factor)
    result["indicator"] = indicator_id
    return normalise(result[list(COLUMNS)])


def derived_provenance(indicator_id: str, derivation: Derivation, inputs: list[Provenance], unit: str) -> Provenance:
    modified = [p.modified for p in inputs if p.modified]
    return Provenance(
        indicator=indicator_id,
        source="derived",
        table_id=" + ".join(dict.fromkeys(p.table_id for p in inputs if p.table_id)),
        table_title=" / ".join(dict.fromkeys(p.table_title for p in inputs if p.table_title)),
        modified=max(modified) if modified else None,
        retrieved_at=now_iso(),
        operation=describe(derivation),
        inputs=[p.to_dict() for p in inputs],
        unit=unit,
        publisher=" + ".join(dict.fromkeys(p.publisher for p in inputs)) or "CBS",
        attribution="; ".join(dict.fromkeys(p.attribution for p in inputs)) or ATTRIBUTION,
        licence=", ".join(dict.fromkeys(p.licence for p in inputs)) or LICENCE,
        licence_url=inputs[0].licence_url if len({p.licence_url for p in inputs}) == 1 else "",
    )


def describe(derivation: Derivation) -> str:
    a, b = (list(derivation.inputs) + [""])[:2]
    factor = f" × {derivation.factor:g}" if derivation.factor != 1 else ""
    return {
        "per_capita": f"{a} / {b}{factor}",
        "ratio": f"{a} / {b}{factor}",
        "share": f"100 × {a} / {b}",
        "sum": f"{a} + {b}",
        "difference": f"{a} − {b}",
        "change_since": f"% verandering van {a} ten opzichte van {derivation.base_year}",
        "cumulative_since": f"{a} opgeteld vanaf {derivation.start_year}",
    }[derivation.operation]


def _combine(a: pd.DataFrame, b: pd.DataFrame, op: str, factor: float) -> pd.DataFrame:
    right = b[_KEYS + ["value", "status"]].rename(columns={"value": "value_b", "status": "status_b"})
    merged = a.merge(right, on=_KEYS, how="inner")
    va, vb = merged["value"], merged["value_b"].replace(0, np.nan)
    if op in ("per_capita", "ratio"):
        merged["value"] = va / vb * factor
    elif op == "share":
        merged["value"] = 100 * va / vb
    elif op == "sum":
        merged["value"] = va + merged["value_b"]
    else:  # difference
        merged["value"] = va - merged["value_b"]
    merged["status"] = [_least_final(x, y) for x, y in zip(merged["status"], merged["status_b"], strict=True)]
    return merged


def _change_since(frame: pd.DataFrame, derivation: Derivation) -> pd.DataFrame:
    base = frame[frame["period_start"].dt.year.eq(derivation.base_year) & frame["frequency"].eq("year")]
    base_values = base.set_index("region_code")["value"].replace(0, np.nan)
    frame["value"] = (frame["value"] / frame["region_code"].map(base_values) - 1) * 100
    return frame.dropna(subset=["value"])


def _cumulative_since(frame: pd.DataFrame, derivation: Derivation) -> pd.DataFrame:
    frame = frame[frame["frequency"].eq("year") & (frame["period_start"].dt.year >= derivation.start_year)]
    frame = frame.sort_values(["region_code", "period_start"])
    frame["value"] = frame.groupby("region_code")["value"].cumsum(skipna=False)
    return frame


_OVER_TIME = {"change_since": _change_since, "cumulative_since": _cumulative_since}


def _least_final(a, b):
    """The less final of two statuses (voorlopig beats definitief); unknown stays unknown."""
    order = {s: i for i, s in enumerate(STATUSES)}
    known = [s for s in (a, b) if isinstance(s, str)]
    return max(known, key=lambda s: order.get(s, -1)) if known else None
