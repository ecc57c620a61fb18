"""Presenting a deck at ``/presentatie?deck=...&dia=N``: one slide per screen, big previous
and next buttons (arrow keys and PageUp/PageDown click them), progress, a QR code of the
slide's link, a follow-along room, and a final slide summarising the opgaven shown."""
from __future__ import annotations

import html
from urllib.parse import urlencode, urlparse

import segno
import streamlit as st

from ui import presentation
from ui.data import catalogue
from ui.deck_editor import EDITOR_PATH, SHOW_PATH, absolute_link, draft, show_link
from ui.deck_problems import problem_text
from ui.language import carried, current
from ui.safe import echo, plain
from ui.state import View, url_int
from ui.texts import t
from workshop import decks, rooms
from workshop.decks import Deck, DeckError, Slide
from workshop.rooms import RoomRefused, Rooms, client_key, valid_code

POLL_SECONDS = 1.0
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "0.0.0.0"}
ROOM_KEYS, ROOM_REFUSED = "om-room-keys", "om-room-refused"  # session keys
QR_MAX_CHARS = 600  # a longer link makes a code too dense to scan from a seat (and over 2,331 characters none exists)

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
    presentation.apply()
    params = st.query_params
    if not params.get("deck") and draft().slides:  # 'Presenteren' from the menu shows the deck being composed
        params["deck"] = decks.to_link(draft())
    follow = params.get("volg", "")
    followed = Rooms().get(follow) if follow else None  # a phone in a room shows the room's deck and slide
    deck_value = followed.deck if followed else params.get("deck", "")
    cat = catalogue()
    try:
        deck = decks.resolve(deck_value, cat, current())
    except KeyError:
        st.error(t("show_unknown_deck", name=echo(deck_value)))
        st.markdown(f"[{t('show_edit')}]({EDITOR_PATH})")
        return
    except DeckError as exc:
        st.error(t("show_bad_deck") + "\n\n" + "\n".join(f"- {problem_text(p)}" for p in exc.problems))
        st.markdown(f"[{t('show_edit')}]({EDITOR_PATH})")
        return
    total = len(deck.slides) + 1  # the last slide summarises
    number = min(max((followed.slide if followed else url_int(params.get("dia"))) or 1, 1), total)
    if follow:  # a phone in the room: the presenter's slide, none of the presenter's controls
        st.markdown(f"**{t('show_progress', n=number, total=total)}** · {plain(deck.titel)}")
        if followed and (params.get("deck"), params.get("dia")) != (followed.deck, str(followed.slide)):
            params["deck"], params["dia"] = followed.deck, str(followed.slide)  # stays on this slide if the room ends
        follow_room(follow, followed)
    else:
        room = owned_room()
        if room:  # only the session that opened the room moves it; a visit writes nothing on the server
            Rooms().show(room, room_keys()[room], deck_value, number)
        controls(deck, deck_value, number, total)
        if st.session_state.get("om-qr", number == 1):
            qr_code(qr_link(deck_value, deck, number, room), room)
    with st.container(key="om-pres-slide"):  # beside the QR code's column, never under it
        if number <= len(deck.slides):
            slide = deck.slides[number - 1]
            presentation.slide(cat.opgave(slide.opgave), cat.indicator(slide.indicator), slide_view(slide, view.momenten), slide.titel, slide.toelichting)
        else:
            presentation.summary(deck, cat)


def room_keys() -> dict[str, str]:
    """The presenter's keys of the rooms this browser session opened (never in a URL)."""
    return st.session_state.setdefault(ROOM_KEYS, {})


def owned_room() -> str:
    """The room in the URL when this session opened it, else ''."""
    code = st.query_params.get("zaal", "")
    return code if valid_code(code) and code in room_keys() else ""


def client_address() -> str:
    """Who opens a room, for the per-client bounds. Behind the project's nginx the direct peer
    is the proxy, and the last X-Forwarded-For entry is the address nginx saw (earlier entries
    are whatever the visitor sent)."""
    peer, forwarded = st.context.ip_address, st.context.headers.get("X-Forwarded-For")
    peer = peer if isinstance(peer, str) else ""  # None (and no string at all under AppTest) without a connection
    forwarded = forwarded.split(",")[-1].strip() if isinstance(forwarded, str) else ""
    return client_key(forwarded if forwarded and peer in LOCAL_HOSTS else peer or "onbekend")


def slide_view(slide: Slide, momenten: bool = True) -> View:
    return View(taal=current(), regio=list(slide.regio), indicator=slide.indicator, tab=slide.tab, weergave=slide.weergave, van=slide.van, tot=slide.tot, momenten=momenten)


def controls(deck: Deck, deck_value: str, number: int, total: int) -> None:
    progress, prev, nxt, qr, room, leave = st.columns([2, 2, 2, 2, 3, 3], vertical_alignment="center")
    progress.markdown(f"**{t('show_progress', n=number, total=total)}** · {plain(deck.titel)}")
    keys = t("show_keys")
    prev.button(t("show_prev"), key="om-prev", on_click=_step, args=(-1, total), disabled=number <= 1, width="stretch", help=keys)
    nxt.button(t("show_next"), key="om-next", on_click=_step, args=(1, total), disabled=number >= total, type="primary", width="stretch", help=keys)
    shown = st.session_state.get("om-qr", number == 1)
    qr.button(t("show_qr_hide" if shown else "show_qr"), key="om-qr-toggle", on_click=st.session_state.__setitem__, args=("om-qr", not shown), width="stretch")
    if not owned_room():
        room.button(t("show_room_open"), key="om-room-open", on_click=_open_room, args=(deck_value, number), width="stretch")
    leave.link_button(t("show_leave"), f"/{EDITOR_PATH}", key="om-deck-leave", width="stretch")  # not om-leave: modus=presentatie adds that one
    st.iframe(KEYS, height=1, tab_index=-1, alt=keys)
    if refused := st.session_state.pop(ROOM_REFUSED, None):
        limits = {"client": rooms.MAX_OPEN_PER_CLIENT, "rate": rooms.MAX_OPENS_PER_HOUR}
        st.warning(t(f"show_room_refused_{refused}", n=limits.get(refused, 0), hours=rooms.TTL_SECONDS // 3600))
    elif valid_code(st.query_params.get("zaal", "")) and not owned_room():
        st.info(t("show_room_not_yours", code=st.query_params["zaal"]))


def _step(offset: int, total: int) -> None:
    """From the slide in the URL now, not the one the button was drawn for."""
    shown = url_int(st.query_params.get("dia")) or 1
    st.query_params["dia"] = str(min(max(shown + offset, 1), total))


def _open_room(deck_value: str, number: int) -> None:
    try:
        code, key = Rooms().open(deck_value, number, client_address())
    except RoomRefused as exc:
        st.session_state[ROOM_REFUSED] = exc.reason
        return
    for old, old_key in room_keys().items():  # one room per presenter session: the previous one goes
        Rooms().close(old, old_key)
    st.session_state[ROOM_KEYS] = {code: key}
    st.query_params["zaal"] = code
    st.session_state["om-qr"] = True


def qr_link(deck_value: str, deck: Deck, number: int, room: str) -> str:
    """What the QR code opens: the room (a short link whatever the deck), else this slide of
    the deck, else, for a deck link too long to scan, this slide's own view in the app."""
    if room:
        return absolute_link(f"{SHOW_PATH}?" + urlencode({"volg": room}))
    link = absolute_link(show_link(deck_value, number))
    if len(link) <= QR_MAX_CHARS:
        return link
    if number > len(deck.slides):  # the summary has no view of its own: the overview of all opgaven
        return absolute_link("")
    slide = deck.slides[number - 1]
    return absolute_link(f"{slide.opgave}?" + urlencode(slide.params()))


def qr_code(link: str, room: str) -> None:
    """A large QR code of ``link``, with a line on what scanning it does."""
    image = segno.make(link, error="m").png_data_uri(scale=12, border=2)
    alt = html.escape(t("show_qr_alt"), quote=True)
    if room:
        caption = t("show_room", code=room)
    else:
        caption = t("show_qr_no_room" if f"{SHOW_PATH}?" in link else "show_qr_view")
    caption = html.escape(caption)
    if urlparse(link).hostname in LOCAL_HOSTS:  # a phone cannot open the laptop's own 'localhost'
        caption += "<small><strong>" + html.escape(t("show_qr_local")) + "</strong></small>"  # for the presenter, not the back row
    # In its own area beside the slide (the page keeps that area free: see presentation.CSS)
    st.markdown(
        f'<div class="om-qr" role="complementary" aria-label="{alt}"><img src="{image}" alt="{alt}" role="img">'
        f'<p>{caption}</p></div>',
        unsafe_allow_html=True,
    )


def follow_room(code: str, shown) -> None:
    """Poll the room; when the presenter moves, draw the page again (it reads the room)."""
    if shown is None:
        st.caption(t("show_room_gone", code=echo(code)))
        return

    @st.fragment(run_every=POLL_SECONDS)
    @carried  # a timed rerun runs outside the page's run
    def poll() -> None:
        room = Rooms().get(code)
        if room is None or (room.deck, room.slide) != (shown.deck, shown.slide):
            st.rerun(scope="app")
        st.caption(t("show_following", code=code))

    poll()
