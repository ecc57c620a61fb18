"""What a catalogue file may hold: each field declared once, with its type and default.

The dataclasses are the objects pages and the refresh use; pydantic validates a file against
them (data_sources/catalogue.py), so a field's type is also its check and its line in the
published JSON Schema (docs/catalogue.schema.json). Rules between fields are in
catalogue_rules.py. How to write an entry: docs/sources.md.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Literal

from pydantic import BeforeValidator, ConfigDict, Field
from pydantic.json_schema import SkipJsonSchema

from .validation import (
    Date,
    Flag,
    Number,
    OptionalNumber,
    OptionalText,
    OptionalWholeNumber,
    RawText,
    Text,
    TextList,
    WholeNumber,
    check_text_list,
    define,
    one_of,
    refuse,
    text_table,
)

KINDS = ("resultaat", "context")
DIRECTIONS = ("hoger", "lager", "neutraal")
ADAPTERS = ("cbs", "cbs_v4", "tabular")
TABULAR_FORMATS = ("csv", "xlsx", "parquet")
PERIOD_FORMATS = ("cbs", "year", "quarter", "month")  # 2023JJ00 | 2023 | 2023-Q2, 2023 K2 | 2023-03, dates
OPERATIONS = ("per_capita", "ratio", "share", "change_since", "cumulative_since", "sum", "difference")
TARGET_KINDS = ("value", "annual", "cumulative", "reduction")
# What a page may ask the catalogue for instead of naming an indicator (docs/sources.md, "Roles").
ROLES = {
    "inwoners": "inhabitants per region: bubble sizes on the samenhang page, comparable municipalities",
    "dichtheid": "inhabitants per km²: comparable municipalities",
    "stedelijkheid": "urbanity class: comparable municipalities",
    "samenhang-x": "the samenhang page's first indicator when the URL names none",
    "samenhang-y": "the samenhang page's second indicator when the URL names none",
}
# Where a policy moment's source, or a row of a bundled file, may live: the government's own
# publication sites (laws, parliamentary papers, ministries' news and programme sites, the
# Council of State, CBS, and COA, the government agency for asylum reception).
OFFICIAL_DOMAINS = (
    "overheid.nl", "officielebekendmakingen.nl", "rijksoverheid.nl", "tweedekamer.nl", "eerstekamer.nl",
    "raadvanstate.nl", "cbs.nl", "eentegeneenzaamheid.nl", "coa.nl",
)
PLACEHOLDER = "TODO"  # marks what `python -m data_sources scaffold` leaves for a person to decide
FILE = ConfigDict(extra="forbid")  # every table of a catalogue file: an unknown key is a typo
define({
    "margins_table": "must be a table: {{ dimension = 'Marges', lower = 'MOG0095', upper = 'MBG0095' }}",
    "unknown_role": "unknown role {role!r}; use {roles}",
})


def _roles(value) -> tuple[str, ...]:
    for role in check_text_list(value):
        if role not in ROLES:
            raise refuse("unknown_role", role=role, roles=", ".join(ROLES))
    return tuple(value)


RegionLevels = Annotated[tuple[str, ...], BeforeValidator(lambda v: check_text_list(v) or ("land",))]
Roles = Annotated[tuple[str, ...], BeforeValidator(_roles), Field(json_schema_extra={"items": {"enum": list(ROLES)}})]
Derived = SkipJsonSchema  # set by the loader from the file (name, opgave), never written in it


@dataclass(frozen=True)
class Margins:
    """Where a table publishes a survey figure's 95% interval: the codes of the interval's
    bounds in the dimension whose filter code selects the value (CBS: Marges, MOG0095 and
    MBG0095 beside MW00000). The catalogue says how the meaning was confirmed."""

    __pydantic_config__ = FILE
    dimension: Text
    lower: Text
    upper: Text
    lower_title: OptionalText = ""  # CBS's titles of the bound codes, and the code list they are from
    upper_title: OptionalText = ""
    titles_from: OptionalText = ""


def _margins_table(value):
    if value is not None and not isinstance(value, dict):
        raise refuse("margins_table")
    return value


@dataclass(frozen=True)
class Source:
    __pydantic_config__ = FILE
    adapter: Literal["cbs", "cbs_v4"]  # checked with the source (_source_input)
    table: Text
    measure: Text
    catalogue: OptionalText = "opendata"  # "v4" for cbs_v4 (set by the loader)
    filters: text_table("dimension = 'code'") = field(default_factory=dict)
    region_dimension: OptionalText | None = None
    period_dimension: OptionalText = "Perioden"  # "" for tables about one period (then `period` says which)
    period: OptionalText = ""
    margins: Annotated[Margins | None, BeforeValidator(_margins_table)] = None


@dataclass(frozen=True)
class TabularSource:
    """A CSV, Excel or Parquet file (URL, or path under OPGAVEMONITOR_FILES_DIR) whose columns
    map onto the indicator frame; see docs/sources.md, "Sources outside CBS"."""

    __pydantic_config__ = FILE
    adapter: Literal["tabular"]
    table: Derived[str]  # the file's name: how status and pages name the source
    unit: Text
    licence: Text
    attribution: Text  # who publishes it: "RIVM", "COA", ...
    value_column: Text
    period_column: Text
    period_format: one_of(PERIOD_FORMATS)
    url: OptionalText = ""
    path: OptionalText = ""
    format: one_of(TABULAR_FORMATS) = "csv"  # default: the file name's suffix
    title: OptionalText = ""
    source_url: OptionalText = ""  # the publisher's page about the file
    licence_url: OptionalText = ""
    sheet: OptionalText = ""  # xlsx: the sheet's name (default: the first)
    header_row: WholeNumber = 1  # csv/xlsx: the row number of the header line
    delimiter: RawText = ""  # csv: "" detects ; , or tab
    decimal: RawText = ","
    thousands: RawText = "."
    encoding: Annotated[OptionalText, BeforeValidator(lambda v: "utf-8" if v == "" else v)] = "utf-8"
    missing_values: TextList = ("", ".", "x")
    region_code_column: OptionalText = ""
    region_name_column: OptionalText = ""
    region_level: OptionalText = ""  # names are looked up among the store's regions of this level
    region: OptionalText = ""  # one region code for every row
    status_column: OptionalText = ""
    filters: text_table("column = 'value'") = field(default_factory=dict)  # keep rows where column == value
    bundled: Flag = False  # path is under data_sources/files/ (shipped with the project)
    note_column: OptionalText = ""  # per row: the publication's wording (population, moment)
    source_url_column: OptionalText = ""  # per row: the page the figure was printed on


def _source_input(value):
    """A source table as its adapter's dataclass reads it: a mistyped adapter makes every other
    field look wrong, so it is the only problem said; the file's name and format come from its
    url or path."""
    if not isinstance(value, dict):
        return value
    if value.get("adapter") not in ADAPTERS:
        raise refuse("must_be_one_of", at="adapter", options=", ".join(ADAPTERS), got=repr(value.get("adapter")))
    if value["adapter"] == "cbs_v4":
        return {**value, "catalogue": "v4"}
    if value["adapter"] != "tabular":
        return value
    if "table" in value:
        raise refuse("unknown_field", at="table")
    location = next((v for v in (value.get("url"), value.get("path")) if isinstance(v, str) and v.strip()), "")
    name = location.strip().rstrip("/").rsplit("/", 1)[-1].split("?")[0]
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else None
    return {"format": suffix, **value, "table": name}


CatalogueSource = Annotated[Source | TabularSource, Field(discriminator="adapter"), BeforeValidator(_source_input)]


@dataclass(frozen=True)
class Derivation:
    __pydantic_config__ = FILE
    operation: one_of(OPERATIONS)
    inputs: TextList
    factor: Number = 1.0
    base_year: OptionalWholeNumber = None
    start_year: OptionalWholeNumber = None


@dataclass(frozen=True)
class Target:
    __pydantic_config__ = FILE
    kind: one_of(TARGET_KINDS)
    value: Number
    label_nl: Text
    label_en: Text
    source: Text
    year: OptionalWholeNumber = None
    value_to: OptionalNumber = None  # upper end of a band (e.g. -23 to -25%)
    start_year: OptionalWholeNumber = None  # cumulative targets
    base_year: OptionalWholeNumber = None  # reduction targets
    source_url: OptionalText = ""


@dataclass(frozen=True)
class Indicator:
    __pydantic_config__ = FILE
    id: Text
    opgave: Derived[str]
    title_nl: Text
    title_en: Text
    explanation_nl: Text
    explanation_en: Text
    kind: one_of(KINDS)
    unit_nl: Text
    unit_en: Text
    better: one_of(DIRECTIONS)
    region_levels: RegionLevels = ("land",)
    source: CatalogueSource | None = None
    derive: Derivation | None = None
    factor: Number = 1.0  # display value = CBS value * factor
    decimals: WholeNumber = 0
    headline: Flag = False
    caveats_nl: TextList = ()
    caveats_en: TextList = ()
    targets: Annotated[tuple[Target, ...], Field(alias="target")] = ()
    # The survey or definition the series comes from; where an opgave's indicators name more
    # than one, the page says they are not comparable (empty: not stated).
    survey_nl: OptionalText = ""
    survey_en: OptionalText = ""
    # Why this indicator's chart axis does not start at zero (empty: it does).
    axis_reason_nl: OptionalText = ""
    axis_reason_en: OptionalText = ""
    # Why a series the page's story promises a target for cannot carry it (no targets then).
    target_note_nl: OptionalText = ""
    target_note_en: OptionalText = ""
    # Figures from separate publications (a handful of moments, each with its own wording and
    # page): drawn as points, never joined into a line or given a trend verdict.
    points: Flag = False
    # An absolute total (kW, people, homes, tonnes) that grows with a region's size: regions
    # are ranked largest to smallest, never better or worse; ``per_size`` names its version
    # per inhabitant (or per home, per hectare) that regions are compared on by default.
    total: Flag = False
    per_size: OptionalText = ""
    # Values are classes (CBS's stedelijkheid 1–5), not amounts: no rank, no differences.
    categorical: Flag = False
    roles: Roles = ()  # what pages may ask this indicator for (ROLES)
    file: Derived[str] = ""


@dataclass(frozen=True)
class ContextFact:
    __pydantic_config__ = FILE
    text_nl: Text
    text_en: Text
    source: Text
    source_url: OptionalText = ""


@dataclass(frozen=True)
class Moment:
    """A policy moment: when a law, ruling or programme meant to change an outcome took effect
    or was presented, with the official page that says so."""

    __pydantic_config__ = FILE
    date: Date
    title_nl: Text  # short: the label on a chart
    title_en: Text
    aim_nl: Text  # what it set out to change
    aim_en: Text
    source: Text
    source_url: Text
    indicators: TextList
    evidence: Annotated[Text, Field(validate_default=True)] = ""  # the stored page that confirmed the date (required in a file)
    file: Derived[str] = ""


@dataclass(frozen=True)
class OpgaveHead:
    """The ``[opgave]`` table of a file."""

    __pydantic_config__ = FILE
    id: Text
    title_nl: Text
    title_en: Text
    summary_nl: Text
    summary_en: Text
    order: WholeNumber = 99


@dataclass(frozen=True)
class Opgave(OpgaveHead):
    indicators: tuple[Indicator, ...] = ()
    context: tuple[ContextFact, ...] = ()
    moments: tuple[Moment, ...] = ()
    file: str = ""

    def headline_indicators(self) -> list[Indicator]:
        """What the overview card shows: the headline indicators (else the first two), those
        carrying a policy target first, outcomes before context, at most four."""
        chosen = [i for i in self.indicators if i.headline] or list(self.indicators[:2])
        return sorted(chosen, key=lambda i: (not i.targets, i.kind != "resultaat"))[:4]


@dataclass(frozen=True)
class CatalogueFile:
    """One ``<opgave>.toml`` as a whole: the shape the published JSON Schema describes."""

    __pydantic_config__ = ConfigDict(extra="forbid", title="Opgavemonitor catalogue file")
    opgave: OpgaveHead
    indicator: tuple[Indicator, ...] = ()
    context: tuple[ContextFact, ...] = ()
    moment: tuple[Moment, ...] = ()


@dataclass(frozen=True)
class Catalogue:
    opgaven: tuple[Opgave, ...]

    def indicators(self) -> list[Indicator]:
        return [ind for opg in self.opgaven for ind in opg.indicators]

    def indicator(self, indicator_id: str) -> Indicator:
        for ind in self.indicators():
            if ind.id == indicator_id:
                return ind
        raise KeyError(indicator_id)

    def with_role(self, role: str) -> Indicator | None:
        """The indicator the catalogue gives ``role`` (ROLES), or None: the page leaves the
        feature out."""
        assert role in ROLES, role
        return next((ind for ind in self.indicators() if role in ind.roles), None)

    def opgave(self, opgave_id: str) -> Opgave:
        for opg in self.opgaven:
            if opg.id == opgave_id:
                return opg
        raise KeyError(opgave_id)

    def moments(self, indicator_id: str) -> list[Moment]:
        """The policy moments that concern an indicator, oldest first."""
        found = [m for opg in self.opgaven for m in opg.moments if indicator_id in m.indicators]
        return sorted(found, key=lambda m: m.date)

    def select(self, opgaven: list[str] | None = None, indicators: list[str] | None = None) -> list[Indicator]:
        """Indicators chosen by opgave and/or id (all when both are empty)."""
        chosen = self.indicators()
        if opgaven:
            chosen = [i for i in chosen if i.opgave in opgaven]
        if indicators:
            chosen = [i for i in chosen if i.id in indicators]
        return chosen
