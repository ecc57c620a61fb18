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
TITLE_UNAVAILABLE = "title not available"  # the command line's word; the app passes its own


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
    # CBS title of every filter code, as CBS's metadata gave it at refresh; a code maps to None
    # when CBS's metadata had no title for it. None for the whole field: a record written before
    # titles were recorded (unknown).
    filter_titles: dict[str, str | None] | None = None
    definition: str = ""  # the catalogue selection the data was fetched with (refresh compares it)
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
    def from_dict(cls, data: dict) -> Provenance:
        """Raises ValueError naming every field of the wrong type (the data is untrusted)."""
        problems = provenance_problems(data)
        if problems:
            raise ValueError("; ".join(problems))
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)

    def filter_labels(self, unavailable: str = TITLE_UNAVAILABLE) -> list[str]:
        """'NederlandseEconomie = T001081 — A-U Alle economische activiteiten' per filter; a code
        is never shown without its meaning or a plain ``unavailable`` ('title not available')."""
        if not self.has_code_titles:
            return [f"{column} = {value}" for column, value in self.filters.items()]
        titles = self.filter_titles or {}
        return [f"{dim} = {code} — {titles.get(dim) or unavailable}" for dim, code in self.filters.items()]

    @property
    def has_code_titles(self) -> bool:
        """CBS sources name every code in their metadata; a file's columns and values are
        already words, so they get no 'title not available'."""
        return self.source != "tabular"

    def measure_label(self, unavailable: str = TITLE_UNAVAILABLE) -> str:
        if not self.has_code_titles:
            return self.measure
        return f"{self.measure} — {self.measure_title or unavailable}"

    def summary(self, unavailable: str = TITLE_UNAVAILABLE) -> dict:
        """Where the numbers come from, every code with its CBS title or ``unavailable`` (for
        show, README, describe)."""
        return {
            "table": self.table_id,
            "table_title": self.table_title or unavailable,
            "catalogue": self.catalogue,
            "measure": self.measure_label(unavailable),
            "filters": self.filter_labels(unavailable),
            "unit": self.unit,
            "modified": self.modified,
            "retrieved_at": self.retrieved_at,
            **({"statline": self.statline_url()} if self.has_code_titles else self._file_source()),
        }

    def _file_source(self) -> dict:
        """Who publishes a file and under which licence; a file never gets a StatLine link."""
        return {"attribution": self.attribution, "licence": self.licence, "licence_url": self.licence_url, "source_url": self.source_url}

    def sources(self) -> list[Provenance]:
        """The sourced provenances behind this one: its inputs when derived, else itself."""
        if self.source == "derived":
            return [Provenance.from_dict(p) for p in self.inputs]
        return [self]

    def missing_titles(self) -> list[str]:
        """'table: key' for the measure and every filter code whose CBS title is not known."""
        missing = []
        for prov in filter(lambda p: p.has_code_titles, self.sources()):
            titles = prov.filter_titles or {}
            keys = ([prov.measure] if not prov.measure_title else []) + [
                f"{dim}={code}" for dim, code in prov.filters.items() if not titles.get(dim)
            ]
            missing += [f"{prov.table_id}: {key}" for key in keys]
        return list(dict.fromkeys(missing))

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
