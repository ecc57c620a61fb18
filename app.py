"""Opgavemonitor: the router. Navigation is built from the catalogue, so a new opgave file
adds a page without code; one generic page renders every opgave."""
from __future__ import annotations

import streamlit as st

from ui import deck_editor, language, presentation, state
from ui.data import catalogue, region_names
from ui.language import pick
from ui.layout import CSS, footer, page_script, sidebar
from ui.safe import plain
from ui.texts import t
from views import gemeente, overview, presentatie, samenhang, sources
from views import opgave as opgave_page

st.set_page_config(page_icon="📊", layout="wide")
st.markdown(CSS, unsafe_allow_html=True)

cat = catalogue()
view = state.read(set(region_names()) | {state.DEFAULT_REGION}, {i.id for i in cat.indicators()})
language.use(view.taal)  # the sidebar's language choice may change it
presenting = view.modus == state.PRESENTATION
if presenting:
    presentation.apply()
    presentation.leave_button()
else:
    sidebar(view)
page_script()


def _opgave_runner(item):
    def run():
        if presenting:
            presentation.opgave_slide(item, view)
            state.write(view, ("indicator", "tab", "weergave", "van", "tot"))
        else:
            opgave_page.render(item, view)

    run.__name__ = f"opgave_{item.id}"
    return run


def _overview():
    overview.render(view, opgave_pages)
    state.write(view)


def _sources():
    sources.render(view)
    state.write(view)


def _profile():
    gemeente.render(view)
    state.write(view)


def _samenhang():
    samenhang.render(view)
    state.write(view, ("x", "y", "periode", "niveau"))


def _show_deck():
    presentatie.render(view)


def _compose_deck():
    deck_editor.render()
    state.write(view)
    deck_editor.keep_in_url()


# The navigation renders page titles as markdown; the browser tab's title is text.
opgave_pages = {o.id: st.Page(_opgave_runner(o), title=plain(pick(o, "title")), url_path=o.id) for o in cat.opgaven}
home = st.Page(_overview, title=t("overview"), url_path="overzicht", default=True)
bronnen = st.Page(_sources, title=t("sources"), url_path="bronnen")
profile = st.Page(_profile, title=t("profile"), url_path="gemeente")
relations = st.Page(_samenhang, title=t("samenhang"), url_path="samenhang")
show = st.Page(_show_deck, title=t("nav_present"), url_path=deck_editor.SHOW_PATH)
compose = st.Page(_compose_deck, title=t("decks_title"), url_path=deck_editor.EDITOR_PATH)
page = st.navigation(
    {"": [home, profile, relations], t("outcomes"): list(opgave_pages.values()), " ": [bronnen, compose, show]},
    position="hidden" if presenting else "sidebar",
)
st.set_page_config(  # each page its own title (WCAG 2.4.2)
    page_title=f"{pick(cat.opgave(page.url_path), 'title') if page.url_path in opgave_pages else page.title} · {t('app_title')}",
    menu_items={"About": f"{t('app_title')} — CBS open data, {t('source_label')}: CBS (CC BY 4.0)"},
)
try:
    page.run()
except Exception:
    st.error(t("unexpected_error"))  # in the page's language; Streamlit logs the details and shows only a generic box
    raise
footer()
