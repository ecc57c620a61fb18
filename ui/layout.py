"""Shared page pieces: the sidebar, notices, empty states and the verdict lines."""
from __future__ import annotations

import json

import streamlit as st

from analysis.targets import TargetStatus
from analysis.trend import Trend
from data_sources.api import REFRESH_FAILED, UNREADABLE_FILE, IndicatorData
from data_sources.catalogue import Indicator, Source, TabularSource
from data_sources.provenance import LICENCE, Provenance
from data_sources.settings import editing_allowed

from . import format as fmt
from . import state
from .data import catalogue, region_names, status_table, store
from .language import current, pick, use
from .reasons import failure_reason
from .safe import echo, link, plain
from .texts import LANGUAGES, t, verdict
from .worded_choices import keep_after_switch

CSS = """
<style>
  /* Larger base text for projectors and phones. */
  html, body, [class*="css"] { font-size: 17px; }
  /* Visible keyboard focus on every control (WCAG 2.4.7): links, buttons, tabs, expanders, tags,
     and the visible box around inputs that Streamlit hides or frames (comboboxes, radios,
     checkboxes, slider thumbs, file drops). */
  a:focus-visible, button:focus-visible, summary:focus-visible, [role="tab"]:focus-visible,
  [role="button"]:focus-visible, [data-tag]:focus-visible, textarea:focus-visible,
  input[type="text"]:not([role="combobox"]):focus-visible, input[type="number"]:focus-visible,
  .react-aria-ComboBox > [role="group"]:focus-within,
  label:has(input[type="radio"]:focus-visible), label:has(input[type="checkbox"]:focus-visible),
  div:has(> div > input[type="range"]:focus-visible),
  [data-testid="stFileUploaderDropzone"]:focus-within {
    outline: 3px solid #01689B !important; outline-offset: 2px !important;
  }
  [data-testid="stMain"]:focus-visible { outline: 3px solid #01689B; outline-offset: -3px; }  /* skip-link target */
  /* AA contrast: Streamlit draws captions at 60% opacity (4.43:1 on the sidebar) and links in
     captions pale (2.96:1). */
  [data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p { color: #4A5560 !important; opacity: 1 !important; }
  [data-testid="stMarkdownContainer"] a, [data-testid="stCaptionContainer"] a { color: #01689B !important; text-decoration: underline; }
  .block-container { padding-top: 2.2rem; }
  /* Figures and their units are never cut off: a headline value, label or change chip wraps
     instead of ending in "…" ("339.749 wo…", "+8 watt per inwoner t.o.v. 2…"), and region
     chips show the full name. */
  [data-testid="stMetricValue"], [data-testid="stMetricValue"] *, [data-testid="stMetricLabel"], [data-testid="stMetricLabel"] *,
  [data-testid="stMetricDelta"], [data-testid="stMetricDelta"] * {
    white-space: normal !important; overflow: visible !important; text-overflow: clip !important; overflow-wrap: anywhere;
    height: auto !important;
  }
  [data-testid="stMultiSelectTagsContainer"] [data-tag], [data-testid="stMultiSelectTagsContainer"] [data-tag] span {
    max-width: none !important; overflow: visible !important; text-overflow: clip !important; white-space: normal !important;
  }
  [data-testid="stMain"] h2 { font-size: 1.55rem; }  /* real h2 sections, at the former h3 size */
  .om-verdict { font-weight: 600; }
  /* The overview's status table: one row per opgave, verdicts in colour, icon and words. */
  table.om-status { width: 100%; border-collapse: collapse; margin: 0 0 1rem 0; font-size: 0.95rem; }
  table.om-status th, table.om-status td { text-align: left; vertical-align: top; padding: 0.3rem 0.5rem; border-bottom: 1px solid #D5DBE1; }
  table.om-status thead th { font-size: 0.85rem; color: #4A5560; font-weight: 600; }
  table.om-status caption { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
  table.om-status tbody th { font-size: 1.05rem; }
  @media (min-width: 641px) {
    table.om-status th:nth-child(1) { width: 17%; } table.om-status th:nth-child(2), table.om-status th:nth-child(3) { width: 21%; }
  }
  .om-v { display: inline-block; font-weight: 600; margin-right: 0.6rem; white-space: nowrap; }
  .om-good { color: #17662E; } .om-bad { color: #B3261E; } .om-neutral { color: #3D4752; }
  .om-headline { display: flex; align-items: center; justify-content: space-between; gap: 0.75rem; }
  .om-headline > span { min-width: 0; overflow-wrap: anywhere; }
  .om-headline svg.om-spark { flex: none; }
  .om-value { font-weight: 700; } .om-big { font-size: 1.6rem; line-height: 1.25; }
  .om-where { color: #4A5560; font-size: 0.88rem; }
  /* On a phone every opgave becomes a block, in the same order; the sparkline stays beside its figure. */
  @media (max-width: 640px) {
    table.om-status, table.om-status tbody, table.om-status tr, table.om-status th, table.om-status td { display: block; width: 100%; }
    table.om-status thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
    table.om-status tr { border-bottom: 2px solid #9AA5B1; padding: 0.4rem 0; }
    table.om-status th, table.om-status td { border: 0; padding: 0.15rem 0; }
    table.om-status td[data-label]::before { content: attr(data-label) ": "; color: #4A5560; font-weight: 600; }
  }
  .om-muted { color: #4A5560; font-size: 0.92rem; }
  /* Read by screen readers, not shown; its container takes no room. */
  .om-sr-only { position: absolute !important; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden;
                clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
  [data-testid="stElementContainer"]:has(.om-sr-only), [data-testid="stElementContainer"]:has(.om-page-script) {
    position: absolute !important; width: 1px; height: 1px; overflow: hidden; margin: 0;
  }
</style>
"""

# Streamlit serves every page as <html lang="en"> and writes some of its widgets' texts in
# English only. This script, run in the page itself on every script run (so also after
# navigation and a language change), sets the page language (WCAG 3.1.1) and, in Dutch,
# translates the framework texts it knows; docs/accessibility.md lists what stays English.
PAGE_SCRIPT = """
<span class="om-page-script"></span>
<script>
document.documentElement.lang = %(lang)s;
if (!window.omTranslator) {
  const exact = %(exact)s;
  const patterns = %(patterns)s.map(([from, to]) => [new RegExp(from), to]);
  const dutch = text => {
    const key = text.trim();
    if (exact[key]) return text.replace(key, exact[key]);
    for (const [from, to] of patterns) if (from.test(key)) return text.replace(key, key.replace(from, to));
    return null;
  };
  const translate = root => {
    if (document.documentElement.lang !== "nl") return;
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.currentNode; node; node = walker.nextNode()) {
      const text = node.nodeType === Node.TEXT_NODE && dutch(node.nodeValue);
      if (text) node.nodeValue = text;
    }
    const elements = root.querySelectorAll ? [root, ...root.querySelectorAll("[aria-label], [title], [placeholder]")] : [];
    for (const el of elements) for (const name of ["aria-label", "title", "placeholder"]) {
      const value = el.getAttribute && el.getAttribute(name), text = value && dutch(value);
      if (text) el.setAttribute(name, text);
    }
  };
  window.omTranslator = new MutationObserver(records => {
    for (const r of records) translate(r.type === "characterData" ? r.target.parentNode || r.target : r.target);
  });
  window.omTranslator.observe(document.body, {subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ["aria-label", "title", "placeholder"]});
  translate(document.body);
}
</script>
"""
STREAMLIT_NL = {
    "No results": "Geen resultaten",
    "Select all": "Alles selecteren",
    "Clear all": "Alles wissen",
    "Choose options": "Kies opties",
    "Choose an option": "Kies een optie",
    "Drag and drop a file here": "Sleep een bestand hierheen",
    "Drag and drop files here": "Sleep bestanden hierheen",
    "Upload": "Uploaden",
    "Add files": "Bestanden toevoegen",
    "file upload": "bestand uploaden",
    "Fullscreen": "Volledig scherm",
    "Close fullscreen": "Volledig scherm sluiten",
    "Open": "Openen",
    "Selected values": "Gekozen waarden",
    "Selectbox options": "Opties",
    "Skip to main content": "Naar de inhoud",
}
STREAMLIT_NL_PATTERNS = [
    (r"^Select (\d+) matches$", "Selecteer $1 treffers"),
    (r"^(\d+(?:[.,]\d+)?\s?[KMG]B) per file$", "$1 per bestand"),
    (r"^Help for (.+)$", "Uitleg bij $1"),
    (r"^Remove (.+)$", "$1 weghalen"),
    (r"^You can only select up to (\d+) options?\. Remove an option first\.$", "Je kunt er hoogstens $1 kiezen. Haal er eerst een weg."),
]


def page_script() -> None:
    """The page's language and Dutch texts for Streamlit's own widgets (see PAGE_SCRIPT)."""
    values = {"lang": json.dumps(current()), "exact": json.dumps(STREAMLIT_NL), "patterns": json.dumps(STREAMLIT_NL_PATTERNS)}
    st.html(PAGE_SCRIPT % values, unsafe_allow_javascript=True)


def sidebar(view: state.View) -> None:
    """Language, region(s) and freshness; the chosen values go into ``view`` and the URL."""
    names = region_names()
    names.setdefault(state.DEFAULT_REGION, "Nederland")
    for key, value in (("taal", view.taal), ("regio", view.regio)):
        st.session_state.setdefault(key, value)
    with st.sidebar:
        spoken = view.taal
        view.taal = st.selectbox(t("language"), list(LANGUAGES), format_func=LANGUAGES.get, key="taal")
        use(view.taal)
        if view.taal != spoken:
            keep_after_switch()
        options = sorted(names, key=lambda c: (level_order(c), names[c]))
        st.session_state["regio"] = [c for c in st.session_state["regio"] if c in names] or [state.DEFAULT_REGION]
        st.session_state["regio-before"] = list(st.session_state["regio"])
        chosen = st.multiselect(
            t("region"), options, format_func=lambda c: f"{names[c]} ({c})", key="regio",
            help=t("regions_compare", max=state.MAX_REGIONS), max_selections=state.MAX_REGIONS,
            on_change=_newest_region_first, select_all=False, filter_mode="contains", wrap=True,
            placeholder=t("region_placeholder"),
        )
        view.regio = chosen or [state.DEFAULT_REGION]
        freshness()


def _newest_region_first() -> None:
    """A region the visitor just picked becomes the main one (first); the rest keep their order."""
    before = st.session_state.get("regio-before", [])
    now = st.session_state["regio"]
    st.session_state["regio"] = [c for c in now if c not in before] + [c for c in now if c in before]


def footer() -> None:
    """Which mode this deployment runs in, on every page: a visitor can tell whether anyone
    using the site could have changed what it shows."""
    st.divider()
    snapshot_banner()
    st.caption(t("mode_edit" if editing_allowed() else "mode_readonly") + " " + t("sources_footer", sources=plain(publishers())))


def snapshot_banner() -> None:
    """While figures come from an imported snapshot (the bundled one on a first start without
    internet), every page says of when and how to replace them."""
    origin = store().origin()
    if origin is not None:
        st.caption(t("snapshot_banner", date=fmt.date(origin.get("created") or origin.get("imported_at"))))


def publishers() -> str:
    """'CBS (CC BY 4.0), Woonbond (CC BY 4.0)': CBS and every other publisher in the catalogue."""
    named = {"CBS": LICENCE}
    for indicator in catalogue().indicators():
        if isinstance(indicator.source, TabularSource):
            named.setdefault(indicator.source.attribution, indicator.source.licence)
    return ", ".join(f"{who} ({licence})" for who, licence in named.items())


def level_order(code: str) -> int:
    """Nederland first, then landsdelen, provincies, COROP regions, gemeenten."""
    return {"NL": 0, "LD": 1, "PV": 2, "CR": 3, "GM": 4}.get(code[:2], 5)


def freshness() -> None:
    rows = status_table()
    refreshed = [r["last_refresh"] for r in rows if r["last_refresh"]]
    failed = [r for r in rows if r["error"]]
    st.markdown(f"**{t('freshness')}**")
    if not refreshed:
        st.caption(f"{t('last_refresh')}: {t('never')}")
        return
    oldest, newest = min(refreshed), max(refreshed)
    days = fmt.age_days(oldest)
    st.caption(
        f"{t('last_refresh')}: {fmt.datetime_text(newest)}"
        + (f" · {t('days_old', n=days)}" if days else "")
    )
    if failed:
        st.caption("⚠ " + t("failed_count", n=len(failed)))


def notices(view: state.View) -> None:
    """What the link asked for that could not be shown; the visitor's text stays plain text."""
    for key, name, value in view.notices:
        st.caption(f"ℹ {t(key, name=name, value=echo(value), max=state.MAX_REGIONS)}")


def empty_state(data: IndicatorData) -> None:
    """Why an indicator has no data, and how to fix it. A CBS figure that was never fetched says
    so first, in plain words, with its table linked to StatLine; no number is shown for it."""
    problem = data.problem
    if problem.kind == UNREADABLE_FILE:
        st.warning(t("unreadable", problem=plain(problem.text)))
    elif problem.kind == REFRESH_FAILED:
        error_at = fmt.datetime_text(data.record.error_at)
        st.warning(not_fetched(data.indicator) + t("no_data_failed", at=error_at, error=failure_reason(data.record.error_kind, data.record.error)))
    else:
        st.info(not_fetched(data.indicator) + t("no_data_never", id=data.indicator.id))


def not_fetched(indicator: Indicator) -> str:
    """'This figure has not yet been fetched from CBS … table X (StatLine).' and a line break, for
    an indicator read from a CBS table; nothing for derived indicators and files."""
    source = indicator.source
    if not isinstance(source, Source):
        return ""
    url = Provenance(indicator.id, source.adapter, table_id=source.table, catalogue=source.catalogue).statline_url()
    return t("not_fetched_cbs", table=link(source.table, url)) + "  \n"


def no_figures_notice(wanted: list[str], shown_name: str) -> None:
    """Said where the figure is: the regions asked for have no figures, another one is shown."""
    names = region_names()
    asked = ", ".join(plain(names.get(code, code)) for code in wanted)
    st.info(t("no_figures_for", region=asked, shown=plain(shown_name)), icon="ℹ️")


def stale_warning(data: IndicatorData) -> None:
    if data.available and data.record.error:
        st.caption(
            "⚠ " + t("stale_failed", at=fmt.datetime_text(data.record.error_at),
                      good=fmt.datetime_text(data.record.last_refresh), error=failure_reason(data.record.error_kind, data.record.error))
        )


def trend_line(trend: Trend, unit: str, decimals: int) -> str:
    text = verdict(trend.verdict)
    if trend.verdict in ("onvoldoende gegevens", "niet van toepassing", "losse publicaties"):
        return text
    if trend.within_margin:
        return f"{text} ({t('within_margin')})"
    return f"{text} ({pace(trend.slope, unit, decimals)} {t('per_year')})"


def target_block(status: TargetStatus, unit: str, decimals: int) -> None:
    """One target: verdict, label, the numbers behind it (each with its unit), and its source."""
    target = status.target
    parts = [f"**{verdict(status.verdict)}** — {plain(pick(target, 'label'))}"]
    if target.kind == "cumulative" and status.current is not None:
        parts.append(f"{amount(status.current, unit, 0)} {t('so_far')}")
    if status.needed_pace is not None and target.kind != "annual":
        parts.append(f"{t('needed_pace')}: {pace(status.needed_pace, unit, decimals)}")
    if status.realised_pace is not None and target.kind == "annual":
        parts.append(f"{t('realised_in', year=int(status.current_year))}: {amount(status.realised_pace, unit, decimals)}")
    elif status.realised_pace is not None:
        parts.append(f"{t('realised_pace')}: {pace(status.realised_pace, unit, decimals)}")
    if status.projected is not None and target.year:
        parts.append(f"{t('projected', year=target.year)}: {amount(status.projected, unit, decimals)}")
    st.markdown(" · ".join(parts))
    st.caption(f"{t('source_label')}: {plain(target.source)}")


def amount(value: float, unit: str, decimals: int) -> str:
    """A level with its unit: 16,0% / 82.000 woningen (markdown-safe)."""
    return plain(fmt.value_with_unit(value, unit, decimals))


def pace(value: float, unit: str, decimals: int) -> str:
    """A change with its unit; a change of a percentage is in percentage points."""
    places = decimals if abs(value) >= 10 else max(decimals, 1)
    change_unit = t("points") if unit.startswith("%") else unit
    return plain(f"{fmt.number(value, places, signed=True)} {change_unit}")
