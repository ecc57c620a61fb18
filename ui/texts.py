"""UI texts, Dutch first, English available."""
from __future__ import annotations

LANGUAGES = {"nl": "Nederlands", "en": "English"}

TEXTS: dict[str, dict[str, str]] = {
    "app_title": {"nl": "Opgavemonitor", "en": "Opgavemonitor"},
    "tagline": {
        "nl": "Hoe staat Nederland ervoor op de grote maatschappelijke opgaven? Maatschappelijk resultaat uit open CBS-data.",
        "en": "How is the Netherlands doing on its big societal challenges? Societal results from open CBS data.",
    },
    "overview": {"nl": "Stand van de opgaven", "en": "State of the challenges"},
    "sources": {"nl": "Bronnen en actualiteit", "en": "Sources and freshness"},
    "language": {"nl": "Taal / language", "en": "Taal / language"},
    "region": {"nl": "Regio", "en": "Region"},
    "regions_compare": {"nl": "Regio's vergelijken", "en": "Compare regions"},
    "freshness": {"nl": "Actualiteit van de gegevens", "en": "Data freshness"},
    "last_refresh": {"nl": "Laatst ververst", "en": "Last refreshed"},
    "days_old": {"nl": "{n} dagen geleden", "en": "{n} days ago"},
    "never": {"nl": "nog nooit", "en": "never"},
    "failed_count": {
        "nl": "Bij {n} indicator(en) mislukte de laatste verversing; zie Bronnen en actualiteit.",
        "en": "The last refresh failed for {n} indicator(s); see Sources and freshness.",
    },
    "open_opgave": {"nl": "Naar de opgave", "en": "Open challenge"},
    "latest": {"nl": "Laatste waarde", "en": "Latest value"},
    "trend": {"nl": "Trend", "en": "Trend"},
    "target": {"nl": "Doel", "en": "Target"},
    "targets": {"nl": "Doelen", "en": "Targets"},
    "versus": {"nl": "t.o.v.", "en": "vs"},
    "no_target": {"nl": "geen getalsmatig doel", "en": "no numeric target"},
    "status_voorlopig": {"nl": "voorlopig", "en": "provisional"},
    "status_nader voorlopig": {"nl": "nader voorlopig", "en": "revised provisional"},
    "status_definitief": {"nl": "definitief", "en": "final"},
    "verbetert": {"nl": "verbetert", "en": "improving"},
    "verslechtert": {"nl": "verslechtert", "en": "worsening"},
    "stabiel": {"nl": "stabiel", "en": "stable"},
    "stijgt": {"nl": "stijgt", "en": "rising"},
    "daalt": {"nl": "daalt", "en": "falling"},
    "onvoldoende gegevens": {"nl": "onvoldoende gegevens", "en": "not enough data"},
    "niet van toepassing": {"nl": "n.v.t.: een optelling stijgt altijd; zie het doel", "en": "n/a: a running total always rises; see the target"},
    "gehaald": {"nl": "gehaald", "en": "reached"},
    "op koers": {"nl": "op koers", "en": "on track"},
    "niet op koers": {"nl": "niet op koers", "en": "off track"},
    "niet gehaald": {"nl": "niet gehaald", "en": "missed"},
    "tab_chart": {"nl": "Grafiek", "en": "Chart"},
    "tab_table": {"nl": "Tabel", "en": "Table"},
    "tab_regions": {"nl": "Regio's", "en": "Regions"},
    "tab_source": {"nl": "Bron", "en": "Source"},
    "tab_download": {"nl": "Download", "en": "Download"},
    "indicator": {"nl": "Indicator", "en": "Indicator"},
    "mode": {"nl": "Weergave", "en": "Display"},
    "mode_absoluut": {"nl": "Absoluut", "en": "Absolute"},
    "mode_index": {"nl": "Index (basisjaar = 100)", "en": "Index (base year = 100)"},
    "mode_verandering": {"nl": "Verandering t.o.v. jaar ervoor (%)", "en": "Change on previous period (%)"},
    "index_base": {"nl": "Index: de eerste waarde vanaf {year} van elke regio = 100.", "en": "Index: each region's first value from {year} = 100."},
    "period_range": {"nl": "Periode", "en": "Period"},
    "why": {"nl": "Waarom deze opgave ertoe doet", "en": "Why this challenge matters"},
    "outcomes": {"nl": "Uitkomsten", "en": "Outcomes"},
    "context": {"nl": "Context", "en": "Context"},
    "kind_resultaat": {"nl": "maatschappelijk resultaat", "en": "societal outcome"},
    "kind_context": {"nl": "context", "en": "context"},
    "no_data_never": {
        "nl": "Nog geen gegevens: deze indicator is nog nooit ververst. Ververs met `python -m data_sources refresh --indicator {id}`.",
        "en": "No data yet: this indicator has never been refreshed. Refresh with `python -m data_sources refresh --indicator {id}`.",
    },
    "no_data_failed": {
        "nl": "Geen gegevens: de laatste verversing ({at}) mislukte: {error}",
        "en": "No data: the last refresh ({at}) failed: {error}",
    },
    "stale_failed": {
        "nl": "Let op: de laatste verversing ({at}) mislukte; dit zijn de gegevens van {good}. Reden: {error}",
        "en": "Note: the last refresh ({at}) failed; this is the data of {good}. Reason: {error}",
    },
    "unreadable": {"nl": "Gegevens onleesbaar: {problem}", "en": "Data unreadable: {problem}"},
    "first_run_title": {"nl": "Welkom bij Opgavemonitor", "en": "Welcome to Opgavemonitor"},
    "first_run": {
        "nl": "Er staan nog geen gegevens in de opslag. Haal ze op bij CBS met `python -m data_sources refresh`, of importeer een momentopname met `python -m data_sources import momentopname.zip` (of via de pagina Bronnen).",
        "en": "The store holds no data yet. Fetch it from CBS with `python -m data_sources refresh`, or import a snapshot with `python -m data_sources import snapshot.zip` (or on the Sources page).",
    },
    "catalogue": {"nl": "Catalogus", "en": "Catalogue"},
    "bad_param": {"nl": "Onbekende waarde in de link genegeerd: {name}={value}", "en": "Unknown value in the link ignored: {name}={value}"},
    "method_title": {"nl": "Hoe oordelen we?", "en": "How do we judge?"},
    "method": {
        "nl": "Trend: over de laatste 8 jaar (of alle jaren, minstens 4 waarnemingen) een rechte lijn door de jaarcijfers (kleinste kwadraten). De helling is de gemiddelde verandering per jaar. Is die niet significant verschillend van nul (t-toets, p ≥ 0,05), dan heet de trend stabiel; anders verbetert of verslechtert de indicator, afhankelijk van welke richting beter is (bij neutrale indicatoren: stijgt of daalt). Doel: vanaf de laatste waarde het benodigde tempo per jaar tot het doeljaar, vergeleken met het gerealiseerde tempo (de trendhelling); de projectie voor het doeljaar bepaalt of de indicator op koers ligt. Bij cumulatieve doelen tellen we de jaarcijfers op vanaf het startjaar. Zelfde methode voor alle indicatoren, zoals de Monitor Brede Welvaart van CBS.",
        "en": "Trend: over the last 8 years (or all years, at least 4 observations) a straight line through the yearly figures (least squares). Its slope is the average change per year. If it is not significantly different from zero (t-test, p ≥ 0.05) the trend is stable; otherwise the indicator is improving or worsening, depending on which direction is better (neutral indicators: rising or falling). Target: from the latest value, the pace per year needed to the target year, compared with the realised pace (the trend slope); the projection for the target year decides whether the indicator is on track. Cumulative targets sum the yearly figures from the start year. One method for all indicators, as in CBS's Monitor of Well-being.",
    },
    "source_label": {"nl": "Bron", "en": "Source"},
    "cbs_table": {"nl": "CBS-tabel", "en": "CBS table"},
    "cbs_modified": {"nl": "Gewijzigd door CBS", "en": "Modified by CBS"},
    "retrieved": {"nl": "Opgehaald", "en": "Retrieved"},
    "measure": {"nl": "Onderwerp (meetwaarde)", "en": "Measure"},
    "filters": {"nl": "Selectie", "en": "Selection"},
    "licence": {"nl": "Licentie", "en": "Licence"},
    "caveats": {"nl": "Kanttekeningen", "en": "Caveats"},
    "derived_from": {"nl": "Afgeleid", "en": "Derived"},
    "download_csv": {"nl": "Download gegevens (CSV + toelichting, zip)", "en": "Download data (CSV + readme, zip)"},
    "download_png": {"nl": "De grafiek als PNG: gebruik het cameraknopje rechtsboven in de grafiek.", "en": "The chart as PNG: use the camera button at the top right of the chart."},
    "spread": {"nl": "Spreiding over {level} ({period})", "en": "Spread across {level} ({period})"},
    "best": {"nl": "Beste 10", "en": "Best 10"},
    "worst": {"nl": "Slechtste 10", "en": "Worst 10"},
    "highest": {"nl": "Hoogste 10", "en": "Highest 10"},
    "lowest": {"nl": "Laagste 10", "en": "Lowest 10"},
    "rank": {"nl": "{region}: plaats {rank} van {n}", "en": "{region}: rank {rank} of {n}"},
    "similar": {"nl": "Vergelijkbare gemeenten", "en": "Comparable municipalities"},
    "similar_help": {"nl": "Gemeenten die het meest lijken op {region} naar inwonertal, dichtheid en stedelijkheid.", "en": "Municipalities most like {region} by population, density and urbanity."},
    "export": {"nl": "Momentopname exporteren", "en": "Export snapshot"},
    "import": {"nl": "Momentopname importeren", "en": "Import snapshot"},
    "import_ok": {"nl": "{n} bestanden geïmporteerd.", "en": "{n} files imported."},
    "import_refused": {"nl": "Import geweigerd, de opslag is niet veranderd: {error}", "en": "Import refused, the store is unchanged: {error}"},
    "refresh_button": {"nl": "Nu verversen bij CBS", "en": "Refresh from CBS now"},
    "refresh_off": {"nl": "Deze publicatie is alleen-lezen: verversen en importeren gebeuren door de beheerder, niet hier.", "en": "This deployment is read-only: refreshing and importing are done by the operator, not here."},
    "no_regional": {"nl": "Voor deze indicator heeft CBS geen regionale cijfers; getoond: Nederland.", "en": "CBS has no regional figures for this indicator; showing the Netherlands."},
    "provisional_legend": {"nl": "open rondje en stippellijn = voorlopig cijfer", "en": "open circle and dotted line = provisional figure"},
    "target_line": {"nl": "Doel", "en": "Target"},
    "path_to_target": {"nl": "benodigd pad naar het doel", "en": "path needed to reach the target"},
    "per_year": {"nl": "per jaar", "en": "a year"},
    "points": {"nl": "procentpunt", "en": "percentage points"},
    "needed_pace": {"nl": "nodig per jaar", "en": "needed per year"},
    "realised_pace": {"nl": "gerealiseerd per jaar", "en": "realised per year"},
    "projected": {"nl": "verwacht in {year}", "en": "projected for {year}"},
    "so_far": {"nl": "tot nu toe", "en": "so far"},
}

ICONS = {
    "verbetert": "✓ ",
    "verslechtert": "✗ ",
    "stabiel": "= ",
    "stijgt": "↗ ",
    "daalt": "↘ ",
    "onvoldoende gegevens": "… ",
    "niet van toepassing": "– ",
    "gehaald": "✓ ",
    "op koers": "✓ ",
    "niet op koers": "✗ ",
    "niet gehaald": "✗ ",
}


def t(key: str, lang: str, **values) -> str:
    entry = TEXTS.get(key, {})
    text = entry.get(lang) or entry.get("nl") or key
    return text.format(**values) if values else text


def verdict(word: str, lang: str) -> str:
    """A verdict with an icon, so meaning never depends on colour."""
    return f"{ICONS.get(word, '')}{t(word, lang)}"


# Maps, the region profile and samenhang (issue #9).
TEXTS.update({
    "tab_map": {"nl": "Kaart", "en": "Map"},
    "level_gemeente": {"nl": "gemeente", "en": "municipality"},
    "level_provincie": {"nl": "provincie", "en": "province"},
    "level_gemeente_plural": {"nl": "gemeenten", "en": "municipalities"},
    "level_provincie_plural": {"nl": "provincies", "en": "provinces"},
    "map_level": {"nl": "Niveau", "en": "Level"},
    "map_period": {"nl": "Periode", "en": "Period"},
    "map_class": {"nl": "klasse", "en": "class"},
    "no_data": {"nl": "geen gegevens", "en": "no data"},
    "map_dark_better": {"nl": "donker = beter", "en": "dark = better"},
    "map_dark_higher": {"nl": "donker = hoger", "en": "dark = higher"},
    "map_alt": {"nl": "Kaart: {title}, {period}", "en": "Map: {title}, {period}"},
    "map_no_boundaries": {
        "nl": "Er zijn nog geen grenzen in de gegevensopslag. Haal ze op met: python -m data_sources boundaries",
        "en": "The store holds no boundaries yet. Fetch them with: python -m data_sources boundaries",
    },
    "map_nearest_year": {
        "nl": "Voor {wanted} zijn geen grenzen beschikbaar; de kaart tekent de {level} met de grenzen van {year}.",
        "en": "No boundaries for {wanted}; the map draws the {level} with the boundaries of {year}.",
    },
    "map_classes_quantiles": {
        "nl": "Klassen: kwantielen, {n} klassen met elk ongeveer evenveel {level}.",
        "en": "Classes: quantiles, {n} classes with about as many {level} each.",
    },
    "map_classes_fixed": {
        "nl": "Klassen: vaste grenzen op ronde getallen, {n} gelijke stappen.",
        "en": "Classes: fixed breaks at round numbers, {n} equal steps.",
    },
    "map_without_data": {"nl": "Grijs: geen gegevens ({n} {level}).", "en": "Grey: no data ({n} {level})."},
    "map_without_shape": {
        "nl": "{n} regio's met cijfers hebben geen vorm in de grenzen van {year} en staan niet op de kaart: {names}.",
        "en": "{n} regions with figures have no shape in the boundaries of {year} and are not on the map: {names}.",
    },
    "map_merged_after": {"nl": "opgegaan in een herindeling na {year}", "en": "merged after {year}"},
    "map_boundaries_source": {"nl": "Grenzen {year}", "en": "Boundaries {year}"},
    "map_selected_help": {
        "nl": "Klik op een regio om die te kiezen voor alle tabbladen.",
        "en": "Click a region to choose it for every tab.",
    },
    "map_level_fallback": {"nl": "Niveau '{level}' heeft hier geen cijfers; getoond: het eerste niveau met cijfers.", "en": "Level '{level}' has no figures here; showing the first level that has."},
})
