"""The outcome catalogue: one TOML file per opgave under ``data_sources/catalogue/``.

Loading validates every entry and reports each problem with file, entry and field, so an
analyst who mistypes a key sees exactly where. Whether a table or measure exists at CBS is
only known at refresh; the adapters report that with the same precision.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from .codes import REGION_LEVELS, parse_period
from .settings import V3_CATALOGUES, catalogue_dir

KINDS = ("resultaat", "context")
DIRECTIONS = ("hoger", "lager", "neutraal")
ADAPTERS = ("cbs", "cbs_v4", "tabular")
TABULAR_FORMATS = ("csv", "xlsx", "parquet")
PERIOD_FORMATS = ("cbs", "year", "quarter", "month")  # 2023JJ00 | 2023 | 2023-Q2, 2023 K2 | 2023-03, dates
OPERATIONS = ("per_capita", "ratio", "share", "change_since", "cumulative_since", "sum", "difference")
TARGET_KINDS = ("value", "annual", "cumulative", "reduction")
# Where a policy moment's source, or a row of a bundled file, may live: the government's own
# publication sites (laws, parliamentary papers, ministries' news and programme sites, the
# Council of State, CBS, and COA, the government agency for asylum reception).
OFFICIAL_DOMAINS = (
    "overheid.nl", "officielebekendmakingen.nl", "rijksoverheid.nl", "tweedekamer.nl", "eerstekamer.nl",
    "raadvanstate.nl", "cbs.nl", "eentegeneenzaamheid.nl", "coa.nl",
)
PLACEHOLDER = "TODO"  # marks what `python -m data_sources scaffold` leaves for a person to decide


@dataclass(frozen=True)
class Problem:
    file: str
    entry: str
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}"
        if self.entry:
            where += f" [{self.entry}]"
        if self.field:
            where += f" {self.field}"
        return f"{where}: {self.message}"


class CatalogueError(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class Margins:
    """Where a table publishes a survey figure's 95% interval: the codes of the interval's
    bounds in the dimension whose filter code selects the value (CBS: Marges, MOG0095 and
    MBG0095 beside MW00000). The catalogue says how the meaning was confirmed."""

    dimension: str
    lower: str
    upper: str
    lower_title: str = ""  # CBS's titles of the bound codes, and the code list they are from
    upper_title: str = ""
    titles_from: str = ""


@dataclass(frozen=True)
class Source:
    adapter: str
    table: str
    measure: str
    catalogue: str = "opendata"
    filters: dict[str, str] = field(default_factory=dict)
    region_dimension: str | None = None
    period_dimension: str = "Perioden"  # "" for tables about one period (then `period` says which)
    period: str = ""
    margins: Margins | None = None


@dataclass(frozen=True)
class TabularSource:
    """A CSV, Excel or Parquet file (URL, or path under OPGAVEMONITOR_FILES_DIR) whose columns
    map onto the indicator frame; see docs/sources.md, "Sources outside CBS"."""

    adapter: str  # "tabular"
    table: str  # the file's name: how status and pages name the source
    unit: str
    licence: str
    attribution: str  # who publishes it: "RIVM", "COA", ...
    value_column: str
    period_column: str
    period_format: str
    url: str = ""
    path: str = ""
    format: str = "csv"
    title: str = ""
    source_url: str = ""  # the publisher's page about the file
    licence_url: str = ""
    sheet: str = ""  # xlsx: the sheet's name (default: the first)
    header_row: int = 1  # csv/xlsx: the row number of the header line
    delimiter: str = ""  # csv: "" detects ; , or tab
    decimal: str = ","
    thousands: str = "."
    encoding: str = "utf-8"
    missing_values: tuple[str, ...] = ("", ".", "x")
    region_code_column: str = ""
    region_name_column: str = ""
    region_level: str = ""  # names are looked up among the store's regions of this level
    region: str = ""  # one region code for every row
    status_column: str = ""
    filters: dict[str, str] = field(default_factory=dict)  # keep rows where column == value
    bundled: bool = False  # path is under data_sources/files/ (shipped with the project)
    note_column: str = ""  # per row: the publication's wording (population, moment)
    source_url_column: str = ""  # per row: the page the figure was printed on


@dataclass(frozen=True)
class Derivation:
    operation: str
    inputs: tuple[str, ...]
    factor: float = 1.0
    base_year: int | None = None
    start_year: int | None = None


@dataclass(frozen=True)
class Target:
    kind: str
    value: float
    label_nl: str
    label_en: str
    source: str
    year: int | None = None
    value_to: float | None = None  # upper end of a band (e.g. -23 to -25%)
    start_year: int | None = None  # cumulative targets
    base_year: int | None = None  # reduction targets
    source_url: str = ""


@dataclass(frozen=True)
class Indicator:
    id: str
    opgave: str
    title_nl: str
    title_en: str
    explanation_nl: str
    explanation_en: str
    kind: str
    unit_nl: str
    unit_en: str
    better: str
    region_levels: tuple[str, ...]
    source: Source | TabularSource | None = None
    derive: Derivation | None = None
    factor: float = 1.0  # display value = CBS value * factor
    decimals: int = 0
    headline: bool = False
    caveats_nl: tuple[str, ...] = ()
    caveats_en: tuple[str, ...] = ()
    targets: tuple[Target, ...] = ()
    # The survey or definition the series comes from; where an opgave's indicators name more
    # than one, the page says they are not comparable (empty: not stated).
    survey_nl: str = ""
    survey_en: str = ""
    # Why this indicator's chart axis does not start at zero (empty: it does).
    axis_reason_nl: str = ""
    axis_reason_en: str = ""
    # Why a series the page's story promises a target for cannot carry it (no targets then).
    target_note_nl: str = ""
    target_note_en: str = ""
    # Figures from separate publications (a handful of moments, each with its own wording and
    # page): drawn as points, never joined into a line or given a trend verdict.
    points: bool = False
    # An absolute total (kW, people, homes, tonnes) that grows with a region's size: regions
    # are ranked largest to smallest, never better or worse; ``per_size`` names its version
    # per inhabitant (or per home, per hectare) that regions are compared on by default.
    total: bool = False
    per_size: str = ""
    # Values are classes (CBS's stedelijkheid 1–5), not amounts: no rank, no differences.
    categorical: bool = False
    file: str = ""


@dataclass(frozen=True)
class ContextFact:
    text_nl: str
    text_en: str
    source: str
    source_url: str = ""


@dataclass(frozen=True)
class Moment:
    """A policy moment: when a law, ruling or programme meant to change an outcome took effect
    or was presented, with the official page that says so."""

    date: date
    title_nl: str  # short: the label on a chart
    title_en: str
    aim_nl: str  # what it set out to change
    aim_en: str
    source: str
    source_url: str
    indicators: tuple[str, ...]
    evidence: str = ""  # the stored page that confirmed the date
    file: str = ""


@dataclass(frozen=True)
class Opgave:
    id: str
    title_nl: str
    title_en: str
    summary_nl: str
    summary_en: str
    order: int
    indicators: tuple[Indicator, ...]
    context: tuple[ContextFact, ...] = ()
    moments: tuple[Moment, ...] = ()
    file: str = ""

    def headline_indicators(self) -> list[Indicator]:
        """What the overview card shows: the headline indicators (else the first two), those
        carrying a policy target first, outcomes before context, at most four."""
        chosen = [i for i in self.indicators if i.headline] or list(self.indicators[:2])
        return sorted(chosen, key=lambda i: (not i.targets, i.kind != "resultaat"))[:4]


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


def load_catalogue(directory: Path | None = None) -> Catalogue:
    """Load and validate every ``*.toml`` in the directory; raises CatalogueError."""
    catalogue, problems = check_catalogue(directory)
    if problems:
        raise CatalogueError(problems)
    return catalogue


def check_catalogue(directory: Path | None = None) -> tuple[Catalogue, list[Problem]]:
    """Load what can be loaded and list every problem found."""
    directory = Path(directory or catalogue_dir())
    files = sorted(directory.glob("*.toml"))
    problems: list[Problem] = []
    if not files:
        problems.append(Problem(str(directory), "", "", "no catalogue files (*.toml) found"))
    opgaven = []
    for path in files:
        reader = _Reader(path.name, problems)
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            problems.append(Problem(path.name, "", "", f"not valid TOML: {exc}"))
            continue
        opgave = reader.opgave(data, path.stem)
        if opgave:
            opgaven.append(opgave)
    opgaven.sort(key=lambda o: (o.order, o.id))
    catalogue = Catalogue(tuple(opgaven))
    problems.extend(_cross_checks(catalogue))
    return catalogue, problems


class _Reader:
    """Turns one file's TOML into catalogue objects, noting each problem instead of raising."""

    def __init__(self, file: str, problems: list[Problem]):
        self.file = file
        self.problems = problems

    def problem(self, entry: str, field_name: str, message: str) -> None:
        self.problems.append(Problem(self.file, entry, field_name, message))

    def text(self, table: dict, key: str, entry: str, required: bool = True) -> str:
        value = table.get(key, "")
        if not isinstance(value, str):
            self.problem(entry, key, f"must be text, got {type(value).__name__}")
            return ""
        if required and not value.strip():
            self.problem(entry, key, "is required")
        return value.strip()

    def pair(self, table: dict, key: str, entry: str, what: str) -> tuple[str, str]:
        """An optional text in both languages (``<key>_nl`` and ``<key>_en``), or in neither."""
        nl = self.text(table, f"{key}_nl", entry, required=False)
        en = self.text(table, f"{key}_en", entry, required=False)
        if bool(nl) != bool(en):
            self.problem(entry, f"{key}_en" if nl else f"{key}_nl", f"give {what} in both languages ({key}_nl and {key}_en)")
        return nl, en

    def choice(self, table: dict, key: str, entry: str, options: tuple[str, ...], default: str | None = None) -> str:
        value = table.get(key, default)
        if value not in options:
            self.problem(entry, key, f"must be one of {', '.join(options)}; got {value!r}")
        return value or ""

    def number(self, table: dict, key: str, entry: str, default=None, integer: bool = False):
        value = table.get(key, default)
        if value is None:
            return None
        kind = int if integer else (int, float)
        if isinstance(value, bool) or not isinstance(value, kind):
            self.problem(entry, key, f"must be a {'whole ' if integer else ''}number; got {value!r}")
            return default
        return value

    def text_list(self, table: dict, key: str, entry: str) -> tuple[str, ...]:
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem(entry, key, "must be a list of texts")
            return ()
        return tuple(value)

    def unknown_keys(self, table: dict, allowed: set[str], entry: str) -> None:
        for key in sorted(set(table) - allowed):
            self.problem(entry, key, "unknown field (a typo?)")

    def opgave(self, data: dict, stem: str) -> Opgave | None:
        head = data.get("opgave")
        if not isinstance(head, dict):
            self.problem("", "opgave", "the file needs an [opgave] table")
            return None
        self.unknown_keys(data, {"opgave", "indicator", "context", "moment"}, "")
        self.unknown_keys(head, {"id", "title_nl", "title_en", "summary_nl", "summary_en", "order"}, "opgave")
        opgave_id = self.text(head, "id", "opgave")
        if opgave_id and opgave_id != stem:
            self.problem("opgave", "id", f"must equal the file name {stem!r}; got {opgave_id!r}")
        indicators = [self.indicator(t, opgave_id, n) for n, t in enumerate(data.get("indicator", []))]
        context = [self.context(t, n) for n, t in enumerate(data.get("context", []))]
        moments = [self.moment(t, n) for n, t in enumerate(data.get("moment", []))]
        if not indicators:
            self.problem("opgave", "indicator", "an opgave needs at least one [[indicator]]")
        return Opgave(
            id=opgave_id,
            title_nl=self.text(head, "title_nl", "opgave"),
            title_en=self.text(head, "title_en", "opgave"),
            summary_nl=self.text(head, "summary_nl", "opgave"),
            summary_en=self.text(head, "summary_en", "opgave"),
            order=self.number(head, "order", "opgave", default=99, integer=True),
            indicators=tuple(i for i in indicators if i),
            context=tuple(c for c in context if c),
            moments=tuple(m for m in moments if m),
            file=self.file,
        )

    def moment(self, table: dict, n: int) -> Moment | None:
        if not isinstance(table, dict):
            self.problem(f"moment #{n + 1}", "", "must be a table")
            return None
        entry = f"moment #{n + 1}"
        self.unknown_keys(table, set(Moment.__dataclass_fields__) - {"file"}, entry)
        when = table.get("date")
        if isinstance(when, str):
            try:
                when = date.fromisoformat(when)
            except ValueError:
                pass
        if not isinstance(when, date):
            self.problem(entry, "date", f"must be a date such as 2019-05-29; got {when!r}")
            when = None
        url = self.text(table, "source_url", entry)
        if url and not official_url(url):
            self.problem(entry, "source_url", f"must be an https page on an official site ({', '.join(OFFICIAL_DOMAINS)}); got {url!r}")
        indicators = self.text_list(table, "indicators", entry)
        if not indicators:
            self.problem(entry, "indicators", "name at least one indicator the moment concerns")
        moment = Moment(
            date=when or date.min,
            title_nl=self.text(table, "title_nl", entry),
            title_en=self.text(table, "title_en", entry),
            aim_nl=self.text(table, "aim_nl", entry),
            aim_en=self.text(table, "aim_en", entry),
            source=self.text(table, "source", entry),
            source_url=url,
            indicators=indicators,
            evidence=self.text(table, "evidence", entry),
            file=self.file,
        )
        return moment if when else None

    def context(self, table: dict, n: int) -> ContextFact | None:
        entry = f"context #{n + 1}"
        self.unknown_keys(table, {"text_nl", "text_en", "source", "source_url"}, entry)
        return ContextFact(
            text_nl=self.text(table, "text_nl", entry),
            text_en=self.text(table, "text_en", entry),
            source=self.text(table, "source", entry),
            source_url=self.text(table, "source_url", entry, required=False),
        )

    def indicator(self, table: dict, opgave_id: str, n: int) -> Indicator | None:
        if not isinstance(table, dict):
            self.problem(f"indicator #{n + 1}", "", "must be a table")
            return None
        entry = str(table.get("id") or f"indicator #{n + 1}")
        if _placeholders(table):
            entry = f"indicator #{n + 1}" if PLACEHOLDER in entry else entry
            for path in _placeholders(table):
                remedy = " (or delete the [[indicator.target]] block: no policy target)" if path.startswith("target") else ""
                self.problem(entry, path, f"still holds the scaffold's {PLACEHOLDER} placeholder: decide and fill it in{remedy}")
            return None
        self.unknown_keys(
            table,
            {
                "id", "title_nl", "title_en", "explanation_nl", "explanation_en", "kind", "unit_nl",
                "unit_en", "better", "region_levels", "source", "derive", "factor", "decimals",
                "headline", "caveats_nl", "caveats_en", "target", "survey_nl", "survey_en", "points",
                "axis_reason_nl", "axis_reason_en", "target_note_nl", "target_note_en",
                "total", "per_size", "categorical",
            },
            entry,
        )
        ind_id = self.text(table, "id", entry)
        if ind_id and opgave_id and not ind_id.startswith(opgave_id + "."):
            self.problem(entry, "id", f"must start with the opgave id: '{opgave_id}.'")
        levels = self.text_list(table, "region_levels", entry) or ("land",)
        for level in levels:
            if level not in REGION_LEVELS:
                self.problem(entry, "region_levels", f"unknown level {level!r}; use {', '.join(REGION_LEVELS)}")
        source = self.source(table["source"], entry) if "source" in table else None
        derive = self.derivation(table["derive"], entry) if "derive" in table else None
        if ("source" in table) == ("derive" in table):
            self.problem(entry, "source", "give exactly one of [source] or [derive]")
        if isinstance(source, TabularSource) and source.region_level in REGION_LEVELS and source.region_level not in levels:
            self.problem(entry, "region_levels", f"must include {source.region_level!r}, the level of the source's region names")
        headline, points = table.get("headline", False), table.get("points", False)
        total, categorical = table.get("total", False), table.get("categorical", False)
        for key, flag in (("headline", headline), ("points", points), ("total", total), ("categorical", categorical)):
            if not isinstance(flag, bool):
                self.problem(entry, key, "must be true or false")
        per_size = self.text(table, "per_size", entry, required=False)
        if per_size and total is not True:
            self.problem(entry, "per_size", "only a total (total = true) has a version per inhabitant")
        survey_nl, survey_en = self.pair(table, "survey", entry, "the survey")
        axis_nl, axis_en = self.pair(table, "axis_reason", entry, "the reason")
        note_nl, note_en = self.pair(table, "target_note", entry, "the note")
        if (note_nl or note_en) and table.get("target"):
            self.problem(entry, "target_note_nl", "only for an indicator without targets: it says why there is none")
        return Indicator(
            id=ind_id,
            opgave=opgave_id,
            title_nl=self.text(table, "title_nl", entry),
            title_en=self.text(table, "title_en", entry),
            explanation_nl=self.text(table, "explanation_nl", entry),
            explanation_en=self.text(table, "explanation_en", entry),
            kind=self.choice(table, "kind", entry, KINDS),
            unit_nl=self.text(table, "unit_nl", entry),
            unit_en=self.text(table, "unit_en", entry),
            better=self.choice(table, "better", entry, DIRECTIONS),
            region_levels=levels,
            source=source,
            derive=derive,
            factor=self.number(table, "factor", entry, default=1.0),
            decimals=self.number(table, "decimals", entry, default=0, integer=True),
            headline=bool(headline),
            caveats_nl=self.text_list(table, "caveats_nl", entry),
            caveats_en=self.text_list(table, "caveats_en", entry),
            targets=tuple(filter(None, (self.target(t, entry, n) for n, t in enumerate(table.get("target", []))))),
            survey_nl=survey_nl,
            survey_en=survey_en,
            axis_reason_nl=axis_nl,
            axis_reason_en=axis_en,
            target_note_nl=note_nl,
            target_note_en=note_en,
            points=points is True,
            total=total is True,
            per_size=per_size,
            categorical=categorical is True,
            file=self.file,
        )

    def source(self, table: dict, entry: str) -> Source | TabularSource | None:
        if not isinstance(table, dict):
            self.problem(entry, "source", "must be a table")
            return None
        if table.get("adapter") == "tabular":
            return self.tabular_source(table, f"{entry}.source")
        if table.get("adapter") not in ADAPTERS:  # a typo here makes every other field look wrong: say only this
            self.choice(table, "adapter", f"{entry}.source", ADAPTERS)
            return None
        self.unknown_keys(
            table,
            {"adapter", "table", "measure", "catalogue", "filters", "region_dimension", "period_dimension", "period", "margins"},
            f"{entry}.source",
        )
        adapter = self.choice(table, "adapter", f"{entry}.source", ADAPTERS)
        catalogue = table.get("catalogue", "opendata")
        if adapter == "cbs" and catalogue not in V3_CATALOGUES:
            self.problem(f"{entry}.source", "catalogue", f"unknown v3 catalogue {catalogue!r}; use {', '.join(V3_CATALOGUES)}")
        filters = table.get("filters", {})
        if not isinstance(filters, dict) or not all(isinstance(v, str) for v in filters.values()):
            self.problem(f"{entry}.source", "filters", "must be a table of dimension = 'code'")
            filters = {}
        region_dimension = table.get("region_dimension")
        period_dimension = table.get("period_dimension", "Perioden")
        period = table.get("period", "")
        if not period_dimension and not period:
            self.problem(f"{entry}.source", "period", "a table without period dimension needs period = 'YYYYJJ00'")
        elif period and (not isinstance(period, str) or parse_period(period).start is None):
            self.problem(f"{entry}.source", "period", f"must be a CBS period code such as 2022JJ00, 2023KW02 or 2024MM03; got {period!r}")
        return Source(
            adapter=adapter,
            table=self.text(table, "table", f"{entry}.source"),
            measure=self.text(table, "measure", f"{entry}.source"),
            catalogue=catalogue if adapter == "cbs" else "v4",
            filters={k: v.strip() for k, v in filters.items()},
            region_dimension=region_dimension if isinstance(region_dimension, str) else None,
            period_dimension=period_dimension,
            period=period,
            margins=self.margins(table["margins"], filters, f"{entry}.source") if "margins" in table else None,
        )

    def margins(self, table: dict, filters: dict, where: str) -> Margins | None:
        if not isinstance(table, dict):
            self.problem(where, "margins", "must be a table: { dimension = 'Marges', lower = 'MOG0095', upper = 'MBG0095' }")
            return None
        titles = ("lower_title", "upper_title", "titles_from")
        self.unknown_keys(table, {"dimension", "lower", "upper", *titles}, f"{where}.margins")
        margins = Margins(
            *(self.text(table, k, f"{where}.margins") for k in ("dimension", "lower", "upper")),
            *(self.text(table, k, f"{where}.margins", required=False) for k in titles),
        )
        if margins.dimension and margins.dimension not in filters:
            self.problem(f"{where}.margins", "dimension", f"must be one of the filters' dimensions (its filter code selects the value); got {margins.dimension!r}")
        return margins

    def tabular_source(self, table: dict, where: str) -> TabularSource:
        self.unknown_keys(table, set(TabularSource.__dataclass_fields__) - {"table"}, where)
        url = self.text(table, "url", where, required=False)
        path = self.text(table, "path", where, required=False)
        if bool(url) == bool(path):
            self.problem(where, "url", "give exactly one of url (http/https) or path (under OPGAVEMONITOR_FILES_DIR)")
        if url and not url.startswith(("http://", "https://")):
            self.problem(where, "url", f"must start with http:// or https://; got {url!r}")
        if path and (Path(path).is_absolute() or ".." in Path(path).parts):
            self.problem(where, "path", f"must be relative to OPGAVEMONITOR_FILES_DIR, without '..'; got {path!r}")
        bundled = table.get("bundled", False)
        if not isinstance(bundled, bool):
            self.problem(where, "bundled", "must be true or false")
        elif bundled and not path:
            self.problem(where, "bundled", "a bundled file needs a path (under data_sources/files/)")
        name = (url or path).rstrip("/").rsplit("/", 1)[-1].split("?")[0]
        suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        fmt = self.choice(table, "format", where, TABULAR_FORMATS, default=suffix if suffix in TABULAR_FORMATS else None)
        region_ways = [k for k in ("region_code_column", "region_name_column", "region") if table.get(k)]
        if len(region_ways) != 1:
            self.problem(where, "region_code_column", "give exactly one of region_code_column, region_name_column or region (one code for all rows)")
        if table.get("region_name_column") and table.get("region_level") not in REGION_LEVELS[:-1]:
            self.problem(where, "region_level", f"region names need the level to look them up in: one of {', '.join(REGION_LEVELS[:-1])}")
        decimal, thousands = table.get("decimal", ","), table.get("thousands", ".")
        if decimal not in (",", ".") or thousands not in (".", ",", " ", "") or decimal == thousands:
            self.problem(where, "decimal", f"decimal must be ',' or '.', thousands '.', ',', ' ' or '', and they must differ; got {decimal!r} and {thousands!r}")
        filters = table.get("filters", {})
        if not isinstance(filters, dict) or not all(isinstance(v, str) for v in filters.values()):
            self.problem(where, "filters", "must be a table of column = 'value'")
            filters = {}
        header_row = self.number(table, "header_row", where, default=1, integer=True)
        if header_row is not None and header_row < 1:
            self.problem(where, "header_row", "must be 1 or more (the row number of the header line)")
        return TabularSource(
            adapter="tabular",
            table=name,
            unit=self.text(table, "unit", where),
            licence=self.text(table, "licence", where),
            attribution=self.text(table, "attribution", where),
            value_column=self.text(table, "value_column", where),
            period_column=self.text(table, "period_column", where),
            period_format=self.choice(table, "period_format", where, PERIOD_FORMATS),
            url=url,
            path=path,
            format=fmt or "",
            title=self.text(table, "title", where, required=False),
            source_url=self.text(table, "source_url", where, required=False),
            licence_url=self.text(table, "licence_url", where, required=False),
            sheet=self.text(table, "sheet", where, required=False),
            header_row=header_row or 1,
            delimiter=table.get("delimiter", "") if isinstance(table.get("delimiter", ""), str) else "",  # a tab must survive
            decimal=decimal,
            thousands=thousands,
            encoding=self.text(table, "encoding", where, required=False) or "utf-8",
            missing_values=self.text_list(table, "missing_values", where) if "missing_values" in table else ("", ".", "x"),
            region_code_column=self.text(table, "region_code_column", where, required=False),
            region_name_column=self.text(table, "region_name_column", where, required=False),
            region_level=self.text(table, "region_level", where, required=False),
            region=self.text(table, "region", where, required=False),
            status_column=self.text(table, "status_column", where, required=False),
            filters={k: v.strip() for k, v in filters.items()},
            bundled=bundled is True,
            note_column=self.text(table, "note_column", where, required=False),
            source_url_column=self.text(table, "source_url_column", where, required=False),
        )

    def derivation(self, table: dict, entry: str) -> Derivation | None:
        if not isinstance(table, dict):
            self.problem(entry, "derive", "must be a table")
            return None
        where = f"{entry}.derive"
        self.unknown_keys(table, {"operation", "inputs", "factor", "base_year", "start_year"}, where)
        operation = self.choice(table, "operation", where, OPERATIONS)
        inputs = self.text_list(table, "inputs", where)
        needed = 1 if operation in ("change_since", "cumulative_since") else 2
        if len(inputs) != needed:
            self.problem(where, "inputs", f"operation {operation!r} takes {needed} input(s); got {len(inputs)}")
        if operation == "change_since" and table.get("base_year") is None:
            self.problem(where, "base_year", "change_since needs a base_year")
        if operation == "cumulative_since" and table.get("start_year") is None:
            self.problem(where, "start_year", "cumulative_since needs a start_year")
        return Derivation(
            operation=operation,
            inputs=inputs,
            factor=self.number(table, "factor", where, default=1.0),
            base_year=self.number(table, "base_year", where, integer=True),
            start_year=self.number(table, "start_year", where, integer=True),
        )

    def target(self, table: dict, entry: str, n: int) -> Target | None:
        where = f"{entry}.target #{n + 1}"
        if not isinstance(table, dict):
            self.problem(where, "", "must be a table")
            return None
        self.unknown_keys(
            table,
            {"kind", "value", "value_to", "year", "start_year", "base_year", "label_nl", "label_en", "source", "source_url"},
            where,
        )
        kind = self.choice(table, "kind", where, TARGET_KINDS)
        value = self.number(table, "value", where)
        if value is None:
            self.problem(where, "value", "is required")
        year = self.number(table, "year", where, integer=True)
        if kind in ("value", "cumulative", "reduction") and year is None:
            self.problem(where, "year", f"a {kind} target needs the year it must be reached")
        if kind == "cumulative" and table.get("start_year") is None:
            self.problem(where, "start_year", "a cumulative target needs a start_year")
        if kind == "reduction" and table.get("base_year") is None:
            self.problem(where, "base_year", "a reduction target needs a base_year")
        return Target(
            kind=kind,
            value=value if value is not None else float("nan"),
            value_to=self.number(table, "value_to", where),
            year=year,
            start_year=self.number(table, "start_year", where, integer=True),
            base_year=self.number(table, "base_year", where, integer=True),
            label_nl=self.text(table, "label_nl", where),
            label_en=self.text(table, "label_en", where),
            source=self.text(table, "source", where),
            source_url=self.text(table, "source_url", where, required=False),
        )


def _placeholders(value, path: str = "") -> list[str]:
    """Dotted paths of every text that starts with the scaffold's placeholder."""
    if isinstance(value, str):
        return [path] if value.lstrip().startswith(PLACEHOLDER) else []
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _placeholders(v, f"{path}.{k}" if path else k)]
    if isinstance(value, list):
        return [p for n, v in enumerate(value) for p in _placeholders(v, f"{path}[{n + 1}]")]
    return []


def official_url(url: str) -> bool:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    return parts.scheme == "https" and any(host == d or host.endswith("." + d) for d in OFFICIAL_DOMAINS)


def _cross_checks(catalogue: Catalogue) -> list[Problem]:
    problems = []
    seen: dict[str, str] = {}
    ids = {i.id for i in catalogue.indicators()}
    opgave_ids: dict[str, str] = {}
    for opgave in catalogue.opgaven:
        if opgave.id in opgave_ids:
            problems.append(Problem(opgave.file, "opgave", "id", f"{opgave.id!r} is also used in {opgave_ids[opgave.id]}"))
        opgave_ids[opgave.id] = opgave.file
        with_targets = [i for i in opgave.indicators if i.targets]
        if with_targets and not any(i.targets for i in opgave.headline_indicators()):
            problems.append(Problem(
                opgave.file, "opgave", "headline",
                "indicators carry targets but none of them is on the overview card: "
                f"mark one of {', '.join(i.id for i in with_targets)} with headline = true",
            ))
    for opgave in catalogue.opgaven:
        for moment in opgave.moments:
            for name in moment.indicators:
                if name not in ids:
                    problems.append(Problem(opgave.file, f"moment {moment.date} ({moment.title_nl})", "indicators", f"unknown indicator {name!r}"))
    for ind in catalogue.indicators():
        if ind.id in seen:
            problems.append(Problem(ind.file, ind.id, "id", f"also defined in {seen[ind.id]}"))
        seen[ind.id] = ind.file
        if ind.per_size and (ind.per_size not in ids or catalogue.indicator(ind.per_size).total):
            problems.append(Problem(ind.file, ind.id, "per_size", f"{ind.per_size!r} is no indicator of this catalogue that is not a total"))
        if ind.derive:
            for name in ind.derive.inputs:
                if name not in ids:
                    problems.append(Problem(ind.file, ind.id, "derive.inputs", f"unknown indicator {name!r}"))
                elif catalogue.indicator(name).derive is not None:
                    problems.append(
                        Problem(ind.file, ind.id, "derive.inputs", f"{name!r} is itself derived; derive from sourced indicators")
                    )
    return problems
