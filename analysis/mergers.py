"""Municipal mergers (herindelingen): which codes ended in which successor, so a series of a
code that no longer exists ends visibly, a successor lists its predecessors, and a map says
when data and boundaries come from different municipal divisions."""
from __future__ import annotations

import pandas as pd

from data_sources.mergers import Merger


def successor_of(code: str, mergers: list[Merger]) -> Merger | None:
    """The merger a code ended in, or None when it did not end in one."""
    return next((m for m in mergers if code in m.predecessors), None)


def predecessors_of(code: str, mergers: list[Merger]) -> list[tuple[str, str, int]]:
    """(code, name, last year) of every municipality that merged into ``code``."""
    return [(c, name, m.last_year) for m in mergers if m.successor == code for c, name in m.predecessors.items()]


def lineage(frame: pd.DataFrame, code: str, mergers: list[Merger]) -> pd.DataFrame:
    """The rows of ``code`` and of its predecessors, each series as CBS published it: the
    predecessors' rows end where their figures end (nothing is filled with zeros or summed)."""
    codes = [code] + [c for c, _, _ in predecessors_of(code, mergers)]
    rows = frame[frame["region_code"].isin(codes) & frame["value"].notna()]
    return rows.sort_values(["region_code", "period_start"]).reset_index(drop=True)


def ended_codes(codes: list[str], mergers: list[Merger]) -> dict[str, Merger]:
    """Of ``codes``, those that ended in a merger, with that merger."""
    found = {c: successor_of(c, mergers) for c in codes}
    return {c: m for c, m in found.items() if m is not None}
