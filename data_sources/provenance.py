"""Provenance that travels with every indicator frame (where a number came from)."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

from .store_schema import Text, Whole, validated

LICENCE = "CC BY 4.0"
ATTRIBUTION = "Bron: CBS"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/deed.nl"
TITLE_UNAVAILABLE = "title not available"  # the command line's word; the app passes its own


@dataclass
class Provenance:
    indicator: Text
    source: Text  # adapter name: cbs, cbs_v4, derived
    table_id: Text = ""
    table_title: Text = ""
    catalogue: Text = ""  # opendata, dataderden, ... (v3) or "v4"
    modified: Text | None = None  # CBS's last-modified date of the table
    retrieved_at: Text | None = None  # ISO timestamp, UTC
    request_urls: list[Text] = field(default_factory=list)
    measure: Text = ""
    measure_title: Text = ""
    filters: dict[str, Text] = field(default_factory=dict)
    # CBS title of every filter code, as CBS's metadata gave it at refresh; a code maps to None
    # when CBS's metadata had no title for it. None for the whole field: a record written before
    # titles were recorded (unknown).
    filter_titles: dict[str, Text | None] | None = None
    definition: Text = ""  # the catalogue selection the data was fetched with (refresh compares it)
    unit: Text = ""
    decimals: Whole | None = None
    licence: Text = LICENCE
    attribution: Text = ATTRIBUTION
    publisher: Text = "CBS"  # who publishes the source (tabular: the catalogue's attribution)
    licence_url: Text = LICENCE_URL
    source_url: Text = ""  # tabular: the file's page (or the file itself)
    operation: Text = ""  # for derived indicators: what was done to the inputs
    inputs: list[dict] = field(default_factory=list)  # provenance of every input (checked by input_problems)
    bytes_transferred: Whole = 0
    requests: Whole = 0

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Provenance:
        """Raises ValueError naming every field of the wrong type (the data is untrusted)."""
        provenance, problems = parsed_provenance(data)
        if problems:
            raise ValueError("; ".join(problems))
        return provenance

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


MAX_DEPTH = 5  # a derived indicator's inputs nest at most this deep


def parsed_provenance(data, where: str = "provenance", depth: int = 0) -> tuple[Provenance | None, list[str]]:
    """The provenance in ``data``, or None and every problem of it and of its inputs."""
    provenance, problems = validated(Provenance, data, where)
    if provenance is None:
        return None, problems
    problems = input_problems(provenance, where, depth)
    return (None if problems else provenance), problems


def input_problems(provenance: Provenance, where: str = "provenance", depth: int = 0) -> list[str]:
    """Every problem of the provenance of each input (a plain dict until it is read)."""
    if depth > MAX_DEPTH and provenance.inputs:
        return [f"{where}.inputs: nested more than {MAX_DEPTH} levels deep"]
    return [problem for i, item in enumerate(provenance.inputs)
            for problem in parsed_provenance(item, f"{where}.inputs[{i}]", depth + 1)[1]]

