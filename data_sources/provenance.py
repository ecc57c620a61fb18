"""Provenance that travels with every indicator frame (where a number came from)."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

from .schema import (
    INTEGER,
    OBJECT_LIST,
    OPTIONAL_INTEGER,
    OPTIONAL_TEXT,
    OPTIONAL_TITLE_MAP,
    TEXT,
    TEXT_LIST,
    TEXT_MAP,
    type_problems,
)

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
    operation: str = ""  # for derived indicators: what was done to the inputs
    inputs: list[dict] = field(default_factory=list)  # provenance of every input
    bytes_transferred: int = 0
    requests: int = 0

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "Provenance":
        """Raises ValueError naming every field of the wrong type (the data is untrusted)."""
        problems = provenance_problems(data)
        if problems:
            raise ValueError("; ".join(problems))
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)

    def statline_url(self) -> str:
        """Link to the table on StatLine (the table page a person can open)."""
        if not self.table_id:
            return ""
        if self.catalogue == "dataderden":
            return f"https://dataderden.cbs.nl/#/RIVM/nl/dataset/{self.table_id}/table"
        return f"https://opendata.cbs.nl/statline/#/CBS/nl/dataset/{self.table_id}/table"


SCHEMA = {
    "indicator": TEXT, "source": TEXT, "table_id": TEXT, "table_title": TEXT, "catalogue": TEXT,
    "modified": OPTIONAL_TEXT, "retrieved_at": OPTIONAL_TEXT, "request_urls": TEXT_LIST,
    "measure": TEXT, "measure_title": TEXT, "filters": TEXT_MAP, "unit": TEXT,
    "decimals": OPTIONAL_INTEGER, "licence": TEXT, "attribution": TEXT, "operation": TEXT,
    "inputs": OBJECT_LIST, "bytes_transferred": INTEGER, "requests": INTEGER,
    # fields main's provenance gains with code titles and file sources (checked when present)
    "filter_titles": OPTIONAL_TITLE_MAP, "definition": TEXT, "publisher": TEXT, "licence_url": TEXT, "source_url": TEXT,
}


def provenance_problems(data, where: str = "provenance", depth: int = 0) -> list[str]:
    """Type problems of a provenance dict and of the provenance of each of its inputs."""
    problems = type_problems(data, SCHEMA, where)
    if problems:
        return problems
    problems = [f"{where}.{name}: missing" for name in ("indicator", "source") if name not in data]
    if depth > 5 and data.get("inputs"):
        return problems + [f"{where}.inputs: nested more than 5 levels deep"]
    for i, item in enumerate(data.get("inputs", [])):
        problems += provenance_problems(item, f"{where}.inputs[{i}]", depth + 1)
    return problems
