"""Provenance that travels with every indicator frame (where a number came from)."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

LICENCE = "CC BY 4.0"
ATTRIBUTION = "Bron: CBS"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/deed.nl"


@dataclass
class Provenance:
    indicator: str
    source: str  # adapter name: cbs, cbs_v4, derived
    table_id: str = ""
    table_title: str = ""
    catalogue: str = ""  # opendata, dataderden, ... (v3) or "v4"
    modified: str | None = None  # CBS's last-modified date of the table
    retrieved_at: str | None = None  # ISO timestamp, UTC
    request_urls: list[str] = field(default_factory=list)
    measure: str = ""
    measure_title: str = ""
    filters: dict[str, str] = field(default_factory=dict)
    unit: str = ""
    decimals: int | None = None
    licence: str = LICENCE
    attribution: str = ATTRIBUTION
    publisher: str = "CBS"  # who publishes the source (tabular: the catalogue's attribution)
    licence_url: str = LICENCE_URL
    source_url: str = ""  # tabular: the file's page (or the file itself)
    operation: str = ""  # for derived indicators: what was done to the inputs
    inputs: list[dict] = field(default_factory=list)  # provenance of every input
    bytes_transferred: int = 0
    requests: int = 0

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "Provenance":
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)

    def link(self) -> str:
        """Where a person can look the source up: StatLine for CBS, the file's page otherwise."""
        return self.source_url if self.source == "tabular" else self.statline_url()

    def statline_url(self) -> str:
        """Link to the table on StatLine (the table page a person can open)."""
        if not self.table_id:
            return ""
        if self.catalogue == "dataderden":
            return f"https://dataderden.cbs.nl/#/RIVM/nl/dataset/{self.table_id}/table"
        return f"https://opendata.cbs.nl/statline/#/CBS/nl/dataset/{self.table_id}/table"
