"""Composing a deck in the app: add the current view, reorder, retitle, remove, and save it
as a link, a TOML file, or (only where editing is allowed) on the server.

The deck being composed lives in the visitor's session; nothing is written on the server
unless the deployment allows editing and the facilitator asks for it.
"""
from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlencode

import streamlit as st

from data_sources.settings import editing_allowed
from data_sources.snapshot import SnapshotError
from vocabulary import DEFAULT_REGION, PRESENTATION, TAB_KEYS
from workshop import decks
from workshop.bundle import export_bundle, import_bundle
from workshop.decks import Deck, DeckError, Slide

from .data import catalogue, display_frame, indicator_data, region_names, store
from .deck_problems import problem_text
from .language import carried, current, pick
from .presentation import shown_regions
from .safe import echo, plain
from .state import url_int
from .texts import slide_count, t

DRAFT = "om-deck"  # session key: the Deck being composed
WRITTEN = "om-deck-in-url"  # session key: the deck value this session last put in the URL
EDITOR_PATH = "presentatie-maken"
SHOW_PATH = "presentatie"


def draft() -> Deck:
    return st.session_state.setdefault(DRAFT, Deck(""))


def _set_draft(deck: Deck) -> None:
    st.session_state[DRAFT] = deck
    for key in [k for k in st.session_state if str(k).startswith("om-dia-")]:
        del st.session_state[key]  # slide inputs re-read their values from the new order


def show_link(deck_value: str, slide: int = 1, **extra: str) -> str:
    """Relative link to slide ``slide`` of a deck on the presenting page."""
    return f"{SHOW_PATH}?" + urlencode({"deck": deck_value, "dia": slide, **extra})


# --- on the opgave page ---------------------------------------------------------------------

def view_actions(opgave_id: str) -> None:
    """'Presenteren' and 'voeg deze weergave toe aan de presentatie' for the view in the URL."""
    left, right = st.columns([1, 3])
    left.button(t("pres_present"), key="om-present", on_click=_present, icon=":material/slideshow:")
    right.button(t("pres_add"), key="om-add-view", on_click=carried(_add_current_view), args=(opgave_id,), icon=":material/playlist_add:")
    count = len(draft().slides)
    if count:
        st.caption(f"{t('pres_in_deck', slides=slide_count(count))} · [{t('pres_edit_link')}]({EDITOR_PATH})")


def _present() -> None:
    st.query_params["modus"] = PRESENTATION


def _add_current_view(opgave_id: str) -> None:
    """The page has written its whole view to the URL; the slide is that view, titled in the
    page's language."""
    deck = draft()
    titled = replace(deck, titel=deck.titel or pick(catalogue().opgave(opgave_id), "title"))  # a deck needs a title to be shown
    st.session_state[DRAFT] = add_slide(titled, slide_from_params(opgave_id, dict(st.query_params)))


def slide_from_params(opgave_id: str, params: dict[str, str]) -> Slide:
    opgave = catalogue().opgave(opgave_id)
    indicator = params.get("indicator") or sorted(opgave.indicators, key=lambda i: i.kind != "resultaat")[0].id
    def year(name):
        # read already checked them
        return url_int(params.get(name))

    return Slide(
        opgave_id, indicator, slide_regions(indicator, (params.get("regio") or DEFAULT_REGION).split(",")),
        params.get("tab", "grafiek"), params.get("weergave", "absoluut"), year("van"), year("tot"),
        titel=pick(catalogue().indicator(indicator), "title"),
    )


def slide_regions(indicator_id: str, wanted: list[str]) -> tuple[str, ...]:
    """Of the page's regions, those the indicator has figures for (else the region its slide
    would show): the regions chosen on one page do not follow into a national slide."""
    data = indicator_data(catalogue().indicator(indicator_id))
    return tuple(shown_regions(display_frame(data), wanted)) if data.available else tuple(wanted)


def add_slide(deck: Deck, slide: Slide) -> Deck:
    return replace(deck, slides=deck.slides + (slide,))


def move(deck: Deck, index: int, offset: int) -> Deck:
    slides = list(deck.slides)
    target = index + offset
    if 0 <= target < len(slides):
        slides[index], slides[target] = slides[target], slides[index]
    return replace(deck, slides=tuple(slides))


def remove(deck: Deck, index: int) -> Deck:
    return replace(deck, slides=deck.slides[:index] + deck.slides[index + 1:])


# --- the editor page ------------------------------------------------------------------------

def render() -> None:
    st.title(t("decks_title"))
    st.markdown(t("decks_intro"))
    cat = catalogue()
    draft_from_url()
    st.subheader(t("decks_examples"))
    for name, deck in decks.example_decks(cat, current()).items():
        _deck_row(name, deck)
    names = decks.server_decks()
    if names:
        st.subheader(t("decks_server"))
        for name in names:
            try:
                _deck_row(name, decks.resolve(name, cat, current()))
            except DeckError as exc:
                st.warning("\n".join(f"- {problem_text(p)}" for p in exc.problems))
    if editing_allowed():
        bundle_upload()
    st.subheader(t("decks_draft"))
    upload()
    deck = draft()
    if not deck.slides:
        st.info(t("decks_empty"))
        return
    st.session_state.setdefault("om-dia-deck-title", deck.titel)
    st.text_input(t("decks_deck_title"), key="om-dia-deck-title", on_change=_edit_title)
    for n, slide in enumerate(deck.slides):
        _slide_row(n, slide, len(deck.slides))
    save(deck)


def draft_from_url() -> None:
    """A deck in the URL that this session did not put there (a reload, a shared composer
    link) becomes the deck being composed."""
    value = st.query_params.get("deck", "")
    if not value or value == st.session_state.get(WRITTEN):
        return
    st.session_state[WRITTEN] = value
    try:
        _set_draft(decks.resolve(value, catalogue(), current()))
    except KeyError:
        st.warning(t("show_unknown_deck", name=echo(value)))
    except DeckError as exc:
        st.warning(t("show_bad_deck") + "\n\n" + "\n".join(f"- {problem_text(p)}" for p in exc.problems))


def keep_in_url() -> None:
    """The deck being composed as the page's ``deck`` parameter, so a reload keeps it."""
    value = decks.to_link(draft()) if draft().slides else ""
    st.session_state[WRITTEN] = value
    if value and st.query_params.get("deck") != value:
        st.query_params["deck"] = value
    elif not value and "deck" in st.query_params:
        del st.query_params["deck"]


def _deck_row(name: str, deck: Deck) -> None:
    left, middle, right = st.columns([4, 1, 1])
    left.markdown(f"**{plain(deck.titel)}** · {t('slides_and_summary', slides=slide_count(len(deck.slides)))}")
    middle.markdown(f"[▶ {t('decks_start')}]({show_link(name)})")
    right.button(t("decks_edit"), key=f"om-edit-{name}", on_click=_set_draft, args=(deck,))


def _slide_row(n: int, slide: Slide, count: int) -> None:
    with st.container(border=True):
        head, up, down, cut = st.columns([5, 1.4, 1.4, 1.2])
        names, cat = region_names(), catalogue()
        regions = ", ".join(names.get(code, code) for code in slide.regio)
        head.markdown(f"**{n + 1}.** {plain(pick(cat.indicator(slide.indicator), 'title'))} · {plain(regions)} · "
                      f"{plain(pick(cat.opgave(slide.opgave), 'title'))} · {t(TAB_KEYS[slide.tab])}")
        up.button(t("decks_up_label"), key=f"om-up-{n}", help=t("decks_up", n=n + 1), disabled=n == 0, on_click=_change, args=(move, n, -1))
        down.button(t("decks_down_label"), key=f"om-down-{n}", help=t("decks_down", n=n + 1), disabled=n == count - 1, on_click=_change, args=(move, n, 1))
        cut.button(t("decks_remove_label"), key=f"om-remove-{n}", help=t("decks_remove", n=n + 1), on_click=_change, args=(remove, n))
        for field, label in (("titel", "decks_slide_title"), ("toelichting", "decks_slide_note")):
            key = f"om-dia-{field}-{n}"
            st.session_state.setdefault(key, getattr(slide, field))
            st.text_input(t(label, n=n + 1), key=key, max_chars=decks.MAX_TEXT, on_change=_edit_slide, args=(n, field))


def _change(operation, *args) -> None:
    _set_draft(operation(draft(), *args))


def _edit_title() -> None:
    st.session_state[DRAFT] = replace(draft(), titel=st.session_state["om-dia-deck-title"])


def _edit_slide(n: int, field: str) -> None:
    deck = draft()
    slides = list(deck.slides)
    slides[n] = replace(slides[n], **{field: st.session_state[f"om-dia-{field}-{n}"]})
    st.session_state[DRAFT] = replace(deck, slides=tuple(slides))


def save(deck: Deck) -> None:
    st.subheader(t("decks_save"))
    value = decks.to_link(deck)
    st.markdown(f"**[▶ {t('decks_present_link')}]({show_link(value)})**")
    st.caption(t("decks_link"))
    st.code(absolute_link(show_link(value)), language=None, wrap_lines=True)
    st.download_button(t("decks_download"), data=decks.to_toml(deck), file_name="presentatie.toml", mime="application/toml", key="om-download-deck")
    bundle_download(deck)
    if not editing_allowed():
        st.caption(t("decks_readonly"))
        return
    name = st.text_input(t("decks_server_name"), key="om-server-name")
    if st.button(t("decks_server_save"), key="om-server-save"):
        try:
            decks.save_on_server(deck, name.strip())
        except (ValueError, PermissionError, OSError) as exc:
            st.error(plain(str(exc)))
        else:
            st.success(t("decks_server_saved", name=plain(name.strip())))


def upload() -> None:
    """Open a TOML deck; a refused file leaves the deck being composed as it was."""
    file = st.file_uploader(t("decks_upload"), type=["toml"], key="om-upload-deck", max_upload_size=1)
    if file is None or st.session_state.get("om-uploaded") == file.file_id:
        return
    try:
        deck = decks.read_toml(file.getvalue(), file.name, catalogue())
    except DeckError as exc:
        st.error(t("decks_refused") + "\n\n" + "\n".join(f"- {problem_text(p)}" for p in exc.problems))
        return
    st.session_state["om-uploaded"] = file.file_id
    _set_draft(deck)
    st.success(t("decks_loaded", title=plain(deck.titel), slides=slide_count(len(deck.slides))))


def bundle_download(deck: Deck) -> None:
    """The deck with a snapshot of exactly its data, for a room without network (built on
    click). Like ``export --deck``, only when the store has data for every slide."""
    data_store = store()
    missing = [i for i in deck.indicators() if not data_store.has_data(i)]
    st.download_button(
        t("decks_bundle_download"), data=lambda: export_bundle(data_store, deck),  # built when clicked
        file_name="presentatie-offline.zip", mime="application/zip", key="om-download-bundle", disabled=bool(missing),
    )
    st.caption(t("decks_bundle_missing", ids=plain(", ".join(missing))) if missing else t("decks_bundle_note"))


def bundle_upload() -> None:
    """Import a deck bundle on the server (beheer mode only): the same import as the command
    line's, under the store's writer lock; a refused bundle changes nothing."""
    st.subheader(t("decks_bundle_import"))
    st.caption(t("decks_bundle_import_note"))
    file = st.file_uploader(t("decks_bundle_import"), type=["zip"], key="om-upload-bundle", label_visibility="collapsed")
    name = st.text_input(t("decks_bundle_name"), key="om-bundle-name")
    if file is None or not st.button(t("decks_bundle_import_button"), key="om-import-bundle"):
        return
    try:
        deck, kept = import_bundle(store(), file.getvalue(), catalogue(), name.strip())
    except (SnapshotError, DeckError, ValueError, OSError) as exc:
        st.error(t("import_refused", error=plain(str(exc))))
        return
    st.success(t("decks_bundle_imported", name=plain(kept.stem), slides=slide_count(len(deck.slides))))
    st.markdown(f"[▶ {t('decks_start')}]({show_link(kept.stem)})")


def absolute_link(relative: str) -> str:
    """The link as a visitor can paste it: the app's own address in front."""
    base = (st.context.url or "").split("?")[0].rsplit("/", 1)[0]
    return f"{base}/{relative}" if base else relative
