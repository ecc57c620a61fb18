"""Presenting a deck at ``/presentatie?deck=...&dia=N``: one slide per screen, big previous
and next buttons (arrow keys and PageUp/PageDown click them), progress, a QR code of the
slide's link, a follow-along room, and a final slide summarising the opgaven shown."""
from __future__ import annotations

import html
from urllib.parse import urlparse

import segno
import streamlit as st

from data_sources import decks
from data_sources.decks import Deck, DeckError, Slide
from data_sources.rooms import Rooms, valid_code
from ui import presentation
from ui.data import catalogue
from ui.deck_problems import problem_text
from ui.deck_editor import EDITOR_PATH, absolute_link, draft, show_link
from ui.safe import echo, plain
from ui.state import View
from ui.texts import t

POLL_SECONDS = 1.0
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "0.0.0.0"}

# Presenter clickers send PageUp/PageDown; the listener clicks the page's own buttons, so keys
# and mouse take the same path. It ignores keys typed into a field.
KEYS = """<script>
const host = window.parent;
function omDeckKey(event) {
  const target = event.target || {};
  if (["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName) || target.isContentEditable) return;
  const which = {ArrowRight: "next", PageDown: "next", ArrowLeft: "prev", PageUp: "prev"}[event.key];
  const button = which && host.document.querySelector(`.st-key-om-${which} button`);
  if (button && !button.disabled) { event.preventDefault(); event.stopPropagation(); button.click(); }
}
// A listener dies with the frame that made it; each new frame replaces the last one's.
if (host.omDeckKey) host.removeEventListener("keydown", host.omDeckKey, true);
host.omDeckKey = omDeckKey;
host.addEventListener("keydown", omDeckKey, true);
</script>"""


def render(view: View) -> None:
    lang = view.taal
    presentation.apply()
    params = st.query_params
    if not params.get("deck") and draft().slides:  # 'Presenteren' from the menu shows the deck being composed
        params["deck"] = decks.to_link(draft())
    deck_value = params.get("deck", "")
    cat = catalogue()
    try:
        deck = decks.resolve(deck_value, cat)
    except KeyError:
        st.error(t("show_unknown_deck", lang, name=echo(deck_value)))
        st.markdown(f"[{t('show_edit', lang)}]({EDITOR_PATH})")
        return
    except DeckError as exc:
        st.error(t("show_bad_deck", lang) + "\n\n" + "\n".join(f"- {problem_text(p, lang)}" for p in exc.problems))
        st.markdown(f"[{t('show_edit', lang)}]({EDITOR_PATH})")
        return
    total = len(deck.slides) + 1  # the last slide summarises
    raw = params.get("dia", "1")
    number = min(max(int(raw) if raw.isdigit() else 1, 1), total)
    room, follow = params.get("zaal", ""), params.get("volg", "")
    if follow:  # a phone in the room: the presenter's slide, none of the presenter's controls
        st.markdown(f"**{t('show_progress', lang, n=number, total=total)}** · {plain(deck.titel)}")
        follow_room(follow, deck_value, number, lang)
    else:
        if valid_code(room):  # a room opens on the presenter's click only: a visit writes nothing on the server
            Rooms().show(room, deck_value, number)
        controls(deck, number, total, lang)
        if st.session_state.get("om-qr", number == 1):
            qr_code(deck_value, number, room if valid_code(room) else "", lang)
    if number <= len(deck.slides):
        slide = deck.slides[number - 1]
        presentation.slide(cat.opgave(slide.opgave), cat.indicator(slide.indicator), slide_view(slide, lang, view.momenten), slide.titel, slide.toelichting)
    else:
        presentation.summary(deck, cat, lang)


def slide_view(slide: Slide, lang: str, momenten: bool = True) -> View:
    return View(taal=lang, regio=list(slide.regio), indicator=slide.indicator, tab=slide.tab, weergave=slide.weergave, van=slide.van, tot=slide.tot, momenten=momenten)


def controls(deck: Deck, number: int, total: int, lang: str) -> None:
    progress, prev, nxt, qr, room, leave = st.columns([2, 2, 2, 2, 3, 3], vertical_alignment="center")
    progress.markdown(f"**{t('show_progress', lang, n=number, total=total)}** · {plain(deck.titel)}")
    keys = t("show_keys", lang)
    prev.button(t("show_prev", lang), key="om-prev", on_click=_step, args=(-1, total), disabled=number <= 1, width="stretch", help=keys)
    nxt.button(t("show_next", lang), key="om-next", on_click=_step, args=(1, total), disabled=number >= total, type="primary", width="stretch", help=keys)
    shown = st.session_state.get("om-qr", number == 1)
    qr.button(t("show_qr_hide" if shown else "show_qr", lang), key="om-qr-toggle", on_click=st.session_state.__setitem__, args=("om-qr", not shown), width="stretch")
    if not valid_code(st.query_params.get("zaal", "")):
        room.button(t("show_room_open", lang), key="om-room-open", on_click=_open_room, args=(number,), width="stretch")
    leave.link_button(t("show_leave", lang), f"/{EDITOR_PATH}", key="om-leave", width="stretch")
    st.iframe(KEYS, height=1, tab_index=-1, alt=keys)


def _step(offset: int, total: int) -> None:
    """From the slide in the URL now, not the one the button was drawn for."""
    raw = st.query_params.get("dia", "1")
    current = int(raw) if raw.isdigit() else 1
    st.query_params["dia"] = str(min(max(current + offset, 1), total))


def _open_room(number: int) -> None:
    st.query_params["zaal"] = Rooms().open(st.query_params.get("deck", ""), number)
    st.session_state["om-qr"] = True


def qr_code(deck_value: str, number: int, room: str, lang: str) -> None:
    """A large QR code of this slide's link (joining the room when one is open)."""
    link = absolute_link(show_link(deck_value, number, **({"volg": room} if room else {})))
    image = segno.make(link, error="m").png_data_uri(scale=12, border=2)
    alt = html.escape(t("show_qr_alt", lang), quote=True)
    caption = html.escape(t("show_room", lang, code=room) if room else t("show_qr_no_room", lang))
    if urlparse(link).hostname in LOCAL_HOSTS:  # a phone cannot open the laptop's own 'localhost'
        caption += "<br><strong>" + html.escape(t("show_qr_local", lang)) + "</strong>"
    # In view beside the slide, whatever the slide's length (below it, it sat under the fold)
    st.markdown(
        f'<div class="om-qr" role="complementary" aria-label="{alt}"><img src="{image}" alt="{alt}" role="img">'
        f'<p>{caption}</p></div>',
        unsafe_allow_html=True,
    )


def follow_room(code: str, deck_value: str, number: int, lang: str) -> None:
    @st.fragment(run_every=POLL_SECONDS)
    def poll() -> None:
        current = Rooms().get(code)
        if current is None:
            st.caption(t("show_room_gone", lang, code=echo(code)))
            return
        st.caption(t("show_following", lang, code=code))
        if (current.deck, current.slide) != (deck_value, number):
            st.query_params["deck"] = current.deck
            st.query_params["dia"] = str(current.slide)
            st.rerun(scope="app")

    poll()
