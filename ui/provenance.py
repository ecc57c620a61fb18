"""The Bron panel: where an indicator's numbers come from, and how we judge them."""
from __future__ import annotations

import streamlit as st

from data_sources.api import IndicatorData
from data_sources.catalogue import Derivation, Indicator, Opgave
from data_sources.provenance import ATTRIBUTION, Provenance

from . import format as fmt
from .data import catalogue
from .language import pick
from .safe import link, plain
from .texts import t

UNTITLED_MARK = "*"


def source_panel(data: IndicatorData) -> None:
    """Written for a policymaker: what was calculated, in words and with the indicators' titles;
    every source with its table, selection (by title), dates and licence. A code CBS gave no
    title for is marked, and explained once under the sources. Ids and raw codes with their
    'titel niet beschikbaar' stay with the analyst (README of the download, ``show``, ``status``)."""
    prov = data.record.provenance
    indicator = data.indicator
    sources = prov.sources()
    if prov.source == "derived" and indicator.derive:
        st.markdown(f"**{t('calculated')}:** {plain(derivation_words(indicator.derive))}")
    untitled = False
    for source in sources:
        heading = _input_title(source.indicator) if prov.source == "derived" else ""
        untitled |= _describe(source, heading)
    if untitled:
        st.caption(t("untitled_explained", mark=plain(UNTITLED_MARK)))
    if pick(indicator, "survey"):
        st.markdown(f"**{t('survey').capitalize()}:** {plain(pick(indicator, 'survey'))}")
    publisher = prov.publisher if prov.source == "tabular" else "CBS" if prov.attribution == ATTRIBUTION else ""
    attribution = f"{t('source_label')}: {plain(publisher)}" if publisher else plain(prov.attribution)
    st.markdown(f"**{t('licence')}:** {attribution}, {link(prov.licence, prov.licence_url)}")
    if margins_text(indicator):
        st.markdown(f"**{t('margins_source')}:** {plain(margins_text(indicator))}")
    if pick(indicator, "caveats"):
        st.markdown(f"**{t('caveats')}**")
        for caveat in pick(indicator, "caveats"):
            st.markdown(f"- {plain(caveat)}")
    st.markdown(f"**{t('method_title')}** {method(indicator)}")


def method(indicator: Indicator) -> str:
    """How this indicator is judged: separate publications get no trend test at all."""
    return t("method_points" if indicator.points else "method")


def margins_text(indicator: Indicator) -> str:
    """Which CBS codes the 95% interval's bounds are, with the titles the catalogue recorded
    from CBS's code list; empty when the source publishes no margins."""
    margins = getattr(indicator.source, "margins", None)  # a file or a derived figure has none
    if margins is None:
        return ""
    return t(
        "margins_codes", dimension=margins.dimension, lower=margins.lower, upper=margins.upper,
        lower_title=_quoted(margins.lower_title), upper_title=_quoted(margins.upper_title),
        titles_from=t("titles_from", source=margins.titles_from) if margins.titles_from else "")


def _quoted(title: str) -> str:
    return f" “{title}”" if title else ""


def derivation_words(derivation: Derivation) -> str:
    """'‘Woningbouw’, opgeteld over de jaren vanaf 2022': the operation with the inputs' titles."""
    a, b = ([f"‘{_input_title(i)}’" for i in derivation.inputs] + [""])[:2]
    factor = derivation.factor
    times = t("times", factor=fmt.number(factor, 0 if float(factor).is_integer() else 3)) if factor != 1 else ""
    return t(f"derived_{derivation.operation}", a=a, b=b, times=times,
             base=derivation.base_year or "", start=derivation.start_year or "")


def _input_title(indicator_id: str) -> str:
    try:
        return pick(catalogue().indicator(indicator_id), "title")
    except KeyError:  # an input the catalogue no longer has: its id is all there is
        return indicator_id


def _describe(prov: Provenance, heading: str) -> bool:
    """One source (under the title of the input it feeds, when derived); a file from another
    publisher is never called a CBS table. True when a code in it has no CBS title."""
    is_file = prov.source == "tabular"
    titles = {"": prov.measure_title, **(prov.filter_titles or {})} if prov.has_code_titles else None
    untitled = titles is not None and not (all(titles.get(dim) for dim in ["", *prov.filters]) and prov.table_title)

    def meaning(dim: str, code: str) -> str:
        """A file's words as they are; a CBS code by its title, or marked as untitled."""
        return code if titles is None else titles.get(dim) or f"{code} {UNTITLED_MARK}"

    filters = "; ".join(plain(f"{dim}: {meaning(dim, code)}") for dim, code in prov.filters.items()) or "–"
    table_title = prov.table_title or ("" if is_file else UNTITLED_MARK)
    where = f"{t('source_file')} ({plain(prov.publisher)})" if is_file else t("cbs_table")
    modified = "" if is_file else f"**{t('cbs_modified')}:** {fmt.date(prov.modified) if prov.modified else '–'} · "
    st.markdown(
        (f"**{plain(heading)}**  \n" if heading else "")
        + f"**{where}:** {link(prov.table_id, prov.link())} — {plain(table_title)}  \n"
        f"**{t('column' if is_file else 'measure')}:** {plain(_with_unit(meaning('', prov.measure), prov.unit))}  \n"
        f"**{t('filters')}:** {filters}  \n"
        f"{modified}**{t('retrieved')}:** {fmt.datetime_text(prov.retrieved_at)}"
    )
    return untitled


def _with_unit(label: str, unit: str) -> str:
    """'Aantal (m³)'; a label that already ends in its unit ('Aandeel (%)'), or a source that
    names no unit, gets no brackets."""
    return label if not unit or label.endswith(f"({unit})") else f"{label} ({unit})"


def comparability_note(opgave: Opgave, indicator: Indicator) -> None:
    """Under the headline: say so when this page's series come from different surveys or
    definitions, and which one the shown series is from (never compare them as one)."""
    surveys = list(dict.fromkeys(pick(i, "survey") for i in opgave.indicators if pick(i, "survey")))
    if len(surveys) < 2 or not pick(indicator, "survey"):
        return
    others = [s for s in surveys if s != pick(indicator, "survey")]
    st.info(t("mixed_sources", this=plain(pick(indicator, "survey")), others="; ".join(plain(s) for s in others)), icon="⚠️")


def source_line(data: IndicatorData) -> str:
    """'Bron: CBS, 82235NED' per publisher, every table or file linked (inputs too, when derived)."""
    return _source_sentence(data, lambda p: link(_name(p), p.link()), plain)


def source_text(data: IndicatorData) -> str:
    """The same line as plain text, for a file or an image (no markdown, nothing escaped)."""
    return _source_sentence(data, _name, str)


def _name(prov: Provenance) -> str:
    """A CBS table by its id (82235NED); a file by the publication it holds, where named."""
    return prov.table_title if prov.source == "tabular" and prov.table_title else prov.table_id


def _source_sentence(data: IndicatorData, table, text) -> str:
    prov = data.record.provenance
    if prov is None:
        return ""
    sources = prov.sources()
    tables: dict[str, dict[str, None]] = {}
    for p in sources:
        if p.table_id:
            tables.setdefault(text(p.publisher), {})[table(p)] = None
    named = "; ".join(f"{publisher}, {', '.join(found)}" for publisher, found in tables.items())
    licences = ", ".join(dict.fromkeys(text(p.licence) for p in sources))
    return f"{t('source_label')}: {named} — {licences}"
