"""The catalogue's rules between fields and between entries.

A field's own type is checked by pydantic against catalogue_model.py. The rules here read an
entry's table as written (a value of the wrong type counts as absent: its type problem is
already reported), so they are said even when a field beside them is wrong.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from .catalogue_model import OFFICIAL_DOMAINS, PLACEHOLDER, Catalogue
from .codes import REGION_LEVELS, parse_period
from .settings import V3_CATALOGUES
from .validation import Problem, define

define({
    "no_files": "no catalogue files (*.toml) found",
    "needs_opgave_table": "the file needs an [opgave] table",
    "id_not_file_name": "must equal the file name {stem!r}; got {got!r}",
    "needs_indicator": "an opgave needs at least one [[indicator]]",
    "placeholder": "still holds the scaffold's {placeholder} placeholder: decide and fill it in{remedy}",
    "id_outside_opgave": "must start with the opgave id: '{opgave}.'",
    "unknown_level": "unknown level {level!r}; use {levels}",
    "source_or_derive": "give exactly one of [source] or [derive]",
    "names_level_missing": "must include {level!r}, the level of the source's region names",
    "per_size_needs_total": "only a total (total = true) has a version per inhabitant",
    "both_languages": "give {what} in both languages ({key}_nl and {key}_en)",
    "note_without_targets": "only for an indicator without targets: it says why there is none",
    "unknown_v3_catalogue": "unknown v3 catalogue {catalogue!r}; use {catalogues}",
    "period_needed": "a table without period dimension needs period = 'YYYYJJ00'",
    "not_a_period": "must be a CBS period code such as 2022JJ00, 2023KW02 or 2024MM03; got {got}",
    "margins_dimension": "must be one of the filters' dimensions (its filter code selects the value); got {dimension!r}",
    "url_or_path": "give exactly one of url (http/https) or path (under OPGAVEMONITOR_FILES_DIR)",
    "url_scheme": "must start with http:// or https://; got {url!r}",
    "path_outside": "must be relative to OPGAVEMONITOR_FILES_DIR, without '..'; got {path!r}",
    "bundled_needs_path": "a bundled file needs a path (under data_sources/files/)",
    "one_region_way": "give exactly one of region_code_column, region_name_column or region (one code for all rows)",
    "names_need_level": "region names need the level to look them up in: one of {levels}",
    "number_format": "decimal must be ',' or '.', thousands '.', ',', ' ' or '', and they must differ; got {decimal!r} and {thousands!r}",
    "header_row_positive": "must be 1 or more (the row number of the header line)",
    "inputs_count": "operation {operation!r} takes {needed} input(s); got {got}",
    "needs_base_year": "change_since needs a base_year",
    "needs_start_year": "cumulative_since needs a start_year",
    "target_needs_year": "a {kind} target needs the year it must be reached",
    "target_needs_start_year": "a cumulative target needs a start_year",
    "target_needs_base_year": "a reduction target needs a base_year",
    "not_official": "must be an https page on an official site ({domains}); got {url!r}",
    "moment_needs_indicator": "name at least one indicator the moment concerns",
    "opgave_id_reused": "{id!r} is also used in {other}",
    "targets_off_card": "indicators carry targets but none of them is on the overview card: mark one of {ids} with headline = true",
    "unknown_indicator": "unknown indicator {name!r}",
    "id_reused": "also defined in {other}",
    "per_size_not_found": "{name!r} is no indicator of this catalogue that is not a total",
    "derived_input": "{name!r} is itself derived; derive from sourced indicators",
    "role_reused": "role {role!r} is also given to {other}",
})


def _text(table: dict, key: str) -> str:
    value = table.get(key, "")
    return value.strip() if isinstance(value, str) else ""


def _texts(table: dict, key: str) -> list[str]:
    value = table.get(key, [])
    return value if isinstance(value, list) and all(isinstance(v, str) for v in value) else []


def _tables(table: dict, key: str) -> list[dict]:
    value = table.get(key, [])
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


class Rules:
    """Collects one file's rule problems."""

    def __init__(self, file: str):
        self.file = file
        self.found: list[Problem] = []

    def add(self, entry: str, field: str, code: str, **params) -> None:
        self.found.append(Problem(self.file, entry, field, code, params))

    def head(self, head: dict, stem: str, indicators: list) -> None:
        opgave_id = _text(head, "id")
        if opgave_id and opgave_id != stem:
            self.add("opgave", "id", "id_not_file_name", stem=stem, got=opgave_id)
        if not indicators:
            self.add("opgave", "indicator", "needs_indicator")

    def placeholders(self, table: dict, entry: str) -> bool:
        """Whether the table still holds scaffold placeholders (each one a problem)."""
        for path in _placeholders(table):
            remedy = " (or delete the [[indicator.target]] block: no policy target)" if path.startswith("target") else ""
            self.add(entry, path, "placeholder", placeholder=PLACEHOLDER, remedy=remedy)
        return bool(_placeholders(table))

    def indicator(self, table: dict, entry: str, opgave_id: str) -> None:
        ind_id = _text(table, "id")
        if ind_id and opgave_id and not ind_id.startswith(opgave_id + "."):
            self.add(entry, "id", "id_outside_opgave", opgave=opgave_id)
        levels = _texts(table, "region_levels") or ["land"]
        for level in levels:
            if level not in REGION_LEVELS:
                self.add(entry, "region_levels", "unknown_level", level=level, levels=", ".join(REGION_LEVELS))
        if ("source" in table) == ("derive" in table):
            self.add(entry, "source", "source_or_derive")
        source = table.get("source")
        if isinstance(source, dict) and source.get("adapter") in ("cbs", "cbs_v4"):
            self.cbs_source(source, f"{entry}.source")
        elif isinstance(source, dict) and source.get("adapter") == "tabular":
            self.tabular_source(source, f"{entry}.source")
            level = _text(source, "region_level")
            if level in REGION_LEVELS and level not in levels:
                self.add(entry, "region_levels", "names_level_missing", level=level)
        if isinstance(table.get("derive"), dict):
            self.derivation(table["derive"], f"{entry}.derive")
        if _text(table, "per_size") and table.get("total", False) is not True:
            self.add(entry, "per_size", "per_size_needs_total")
        for key, what in (("survey", "the survey"), ("axis_reason", "the reason"), ("target_note", "the note")):
            nl, en = _text(table, f"{key}_nl"), _text(table, f"{key}_en")
            if bool(nl) != bool(en):
                self.add(entry, f"{key}_en" if nl else f"{key}_nl", "both_languages", what=what, key=key)
        if (_text(table, "target_note_nl") or _text(table, "target_note_en")) and table.get("target"):
            self.add(entry, "target_note_nl", "note_without_targets")
        for n, target in enumerate(_tables(table, "target")):
            self.target(target, f"{entry}.target #{n + 1}")

    def cbs_source(self, table: dict, where: str) -> None:
        catalogue = table.get("catalogue", "opendata")
        if table["adapter"] == "cbs" and catalogue not in V3_CATALOGUES:
            self.add(where, "catalogue", "unknown_v3_catalogue", catalogue=catalogue, catalogues=", ".join(V3_CATALOGUES))
        period = table.get("period", "")
        if not table.get("period_dimension", "Perioden") and not period:
            self.add(where, "period", "period_needed")
        elif period and (not isinstance(period, str) or parse_period(period).start is None):
            self.add(where, "period", "not_a_period", got=repr(period))
        margins, filters = table.get("margins"), table.get("filters", {})
        dimension = _text(margins, "dimension") if isinstance(margins, dict) else ""
        if dimension and dimension not in (filters if isinstance(filters, dict) else {}):
            self.add(f"{where}.margins", "dimension", "margins_dimension", dimension=dimension)

    def tabular_source(self, table: dict, where: str) -> None:
        url, path = _text(table, "url"), _text(table, "path")
        if bool(url) == bool(path):
            self.add(where, "url", "url_or_path")
        if url and not url.startswith(("http://", "https://")):
            self.add(where, "url", "url_scheme", url=url)
        if path and (Path(path).is_absolute() or ".." in Path(path).parts):
            self.add(where, "path", "path_outside", path=path)
        if table.get("bundled") is True and not path:
            self.add(where, "bundled", "bundled_needs_path")
        if len([k for k in ("region_code_column", "region_name_column", "region") if table.get(k)]) != 1:
            self.add(where, "region_code_column", "one_region_way")
        if table.get("region_name_column") and table.get("region_level") not in REGION_LEVELS[:-1]:
            self.add(where, "region_level", "names_need_level", levels=", ".join(REGION_LEVELS[:-1]))
        decimal, thousands = table.get("decimal", ","), table.get("thousands", ".")
        if decimal not in (",", ".") or thousands not in (".", ",", " ", "") or decimal == thousands:
            self.add(where, "decimal", "number_format", decimal=decimal, thousands=thousands)
        header_row = table.get("header_row", 1)
        if isinstance(header_row, int) and not isinstance(header_row, bool) and header_row < 1:
            self.add(where, "header_row", "header_row_positive")

    def derivation(self, table: dict, where: str) -> None:
        operation = table.get("operation", "")  # a missing operation is named '' in the inputs message
        needed = 1 if operation in ("change_since", "cumulative_since") else 2
        if len(_texts(table, "inputs")) != needed:
            self.add(where, "inputs", "inputs_count", operation=operation, needed=needed, got=len(_texts(table, "inputs")))
        if operation == "change_since" and table.get("base_year") is None:
            self.add(where, "base_year", "needs_base_year")
        if operation == "cumulative_since" and table.get("start_year") is None:
            self.add(where, "start_year", "needs_start_year")

    def target(self, table: dict, where: str) -> None:
        kind = table.get("kind")
        if kind in ("value", "cumulative", "reduction") and table.get("year") is None:
            self.add(where, "year", "target_needs_year", kind=kind)
        if kind == "cumulative" and table.get("start_year") is None:
            self.add(where, "start_year", "target_needs_start_year")
        if kind == "reduction" and table.get("base_year") is None:
            self.add(where, "base_year", "target_needs_base_year")

    def moment(self, table: dict, entry: str) -> None:
        url = _text(table, "source_url")
        if url and not official_url(url):
            self.add(entry, "source_url", "not_official", domains=", ".join(OFFICIAL_DOMAINS), url=url)
        if table.get("indicators") == []:
            self.add(entry, "indicators", "moment_needs_indicator")


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


def cross_checks(catalogue: Catalogue, declared: set[str]) -> list[Problem]:
    """Rules between entries. ``declared``: every indicator id written, also of entries left out
    for a problem of their own (so a reference to one is not called unknown as well)."""
    problems = []
    ids = {i.id for i in catalogue.indicators()}
    opgave_ids: dict[str, str] = {}
    for opgave in catalogue.opgaven:
        if opgave.id in opgave_ids:
            problems.append(Problem(opgave.file, "opgave", "id", "opgave_id_reused", {"id": opgave.id, "other": opgave_ids[opgave.id]}))
        opgave_ids[opgave.id] = opgave.file
        with_targets = [i for i in opgave.indicators if i.targets]
        if with_targets and not any(i.targets for i in opgave.headline_indicators()):
            problems.append(Problem(opgave.file, "opgave", "headline", "targets_off_card", {"ids": ", ".join(i.id for i in with_targets)}))
    for opgave in catalogue.opgaven:
        for moment in opgave.moments:
            for name in moment.indicators:
                if name not in declared:
                    problems.append(Problem(opgave.file, f"moment {moment.date} ({moment.title_nl})", "indicators", "unknown_indicator", {"name": name}))
    seen: dict[str, str] = {}
    holders: dict[str, str] = {}
    for ind in catalogue.indicators():
        if ind.id in seen:
            problems.append(Problem(ind.file, ind.id, "id", "id_reused", {"other": seen[ind.id]}))
        seen[ind.id] = ind.file
        if ind.per_size and ((ind.per_size not in declared) or (ind.per_size in ids and catalogue.indicator(ind.per_size).total)):
            problems.append(Problem(ind.file, ind.id, "per_size", "per_size_not_found", {"name": ind.per_size}))
        for name in ind.derive.inputs if ind.derive else ():
            if name not in declared:
                problems.append(Problem(ind.file, ind.id, "derive.inputs", "unknown_indicator", {"name": name}))
            elif name in ids and catalogue.indicator(name).derive is not None:
                problems.append(Problem(ind.file, ind.id, "derive.inputs", "derived_input", {"name": name}))
        for role in ind.roles:
            if role in holders:
                problems.append(Problem(ind.file, ind.id, "roles", "role_reused", {"role": role, "other": holders[role]}))
            holders[role] = ind.id
    return problems

