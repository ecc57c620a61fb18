"""One region on one indicator, for the region profile: its latest value, its rank among the
regions of its level in that period, and how far it is from Nederland and from its comparable
municipalities in that same period (never comparing different periods)."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .regional import level_values, rank_of

LEVEL_OF_PREFIX = {"GM": "gemeente", "PV": "provincie"}
NATIONAL = "NL01"


@dataclass(frozen=True)
class Standing:
    period: str
    value: float
    rank: int | None
    count: int  # regions of the level with a value in that period
    national: float | None  # Nederland in the same period
    peers: float | None  # median of the comparable regions in the same period
    peer_count: int  # how many of them have a value then

    @property
    def versus_national(self) -> float | None:
        return None if self.national is None else self.value - self.national

    @property
    def versus_peers(self) -> float | None:
        return None if self.peers is None else self.value - self.peers


def level_of(code: str) -> str | None:
    return LEVEL_OF_PREFIX.get(code[:2])


def standing(frame: pd.DataFrame, region: str, better: str, peers: list[str] = ()) -> Standing | None:
    """None when the region has no value at all in ``frame``."""
    level = level_of(region)
    own = frame[(frame["region_code"] == region) & frame["value"].notna() & frame["period_start"].notna()]
    if level is None or own.empty:
        return None
    if (own["frequency"] == "year").any():
        own = own[own["frequency"] == "year"]
    latest = own.sort_values("period_start").iloc[-1]
    period = str(latest["period"])
    position = rank_of(frame, level, period, better, region)
    count = position[1] if position else len(level_values(frame, level, period))
    same_period = frame[(frame["period"] == period) & frame["value"].notna()]
    national = same_period.loc[same_period["region_code"] == NATIONAL, "value"]
    peer_values = same_period.loc[same_period["region_code"].isin(list(peers)), "value"]
    return Standing(
        period=period, value=float(latest["value"]), rank=position[0] if position else None, count=count,
        national=float(national.iloc[0]) if len(national) else None,
        peers=float(peer_values.median()) if len(peer_values) else None, peer_count=len(peer_values),
    )
