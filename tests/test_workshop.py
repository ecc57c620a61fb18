"""Workshop mode through the router (app.py): presentation mode on every page kind, composing
a deck, presenting it, and bad decks refused."""
import re

import pytest

from tests.apptest import app_page, page_hash, rendered, texts
from ui.presentation import SCREENS
from workshop import decks, rooms
from workshop.rooms import Rooms

SOURCE = "Bron: CBS, 99901TST, 2024, voorlopig · gegevens opgehaald op"


@pytest.fixture
def filled(filled, tmp_path, monkeypatch):
    """The refreshed store (conftest's ``filled``), with rooms and server decks of its own."""
    monkeypatch.setenv("OPGAVEMONITOR_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("OPGAVEMONITOR_DECKS_DIR", str(tmp_path / "decks"))
    return filled


def presentation_css(at) -> bool:
    return any('[data-testid="stSidebar"]' in str(m.value) and "display: none" in str(m.value) for m in at.markdown)


@pytest.mark.parametrize("url_path", ["", "testwonen", "bronnen", "presentatie-maken"])
def test_presentation_mode_renders_every_page_kind(filled, url_path):
    at = app_page(url_path, modus="presentatie")
    assert not at.exception
    assert presentation_css(at)
    assert not at.sidebar.selectbox and not at.sidebar.multiselect  # no sidebar controls
    assert at.button(key="om-leave")
    assert at.query_params.get("modus") == "presentatie" or url_path == "presentatie-maken"


def test_opgave_slide_has_big_number_verdict_chart_and_source(filled):
    at = app_page("testwonen", modus="presentatie", indicator="testwonen.aantal", regio="GM0363")
    body = texts(at)
    assert "Aantal (v4)" in body and "Amsterdam, 2024" in body
    assert "Trend: ✓ verbetert" in body
    assert "Bron: CBS, 99903TST, 2024" in body and "gegevens opgehaald op" in body
    assert len(at.get("plotly_chart")) == len(SCREENS)  # one chart, in a projector's and a phone's size
    at.button(key="om-leave").click().run()
    assert "modus" not in at.query_params
    assert at.sidebar.multiselect  # the normal page again


def test_present_button_switches_the_opgave_page(filled):
    at = app_page("testwonen")
    assert not presentation_css(at)
    at.button(key="om-present").click().run()
    assert at.query_params["modus"] == "presentatie"
    assert presentation_css(at) and SOURCE in texts(at)


def test_compose_reorder_remove_and_share_a_deck(filled):
    at = app_page("testwonen", indicator="testwonen.waarde", regio="GM0106")
    at.button(key="om-add-view").click().run()
    at.selectbox(key="testwonen-indicator").select("testwonen.aantal").run()
    at.button(key="om-add-view").click().run()
    at.button(key="om-add-view").click().run()
    assert "3 dia's in je presentatie" in texts(at)
    at._page_hash = page_hash("presentatie-maken")
    at.run()
    assert not at.exception
    assert "Waarde per woning · Assen · Testwonen · Grafiek" in texts(at)  # titles and names, not ids
    assert [at.button(key=f"om-{k}-0").label for k in ("up", "down", "remove")] == ["↑ Omhoog", "↓ Omlaag", "✕ Weg"]
    assert [at.text_input(key=f"om-dia-titel-{n}").value for n in range(3)] == ["Waarde per woning", "Aantal (v4)", "Aantal (v4)"]
    at.text_input(key="om-dia-toelichting-0").input("Wat valt op?").run()
    at.button(key="om-remove-1").click().run()
    at.button(key="om-down-0").click().run()
    assert [at.text_input(key=f"om-dia-titel-{n}").value for n in range(2)] == ["Aantal (v4)", "Waarde per woning"]
    assert at.text_input(key="om-dia-toelichting-1").value == "Wat valt op?"
    at.text_input(key="om-dia-deck-title").input("Raadsbijeenkomst").run()
    link = at.code[0].value.split("deck=")[1].split("&")[0]
    deck = decks.from_link(link, decks_catalogue())
    assert deck.titel == "Raadsbijeenkomst"
    assert [(s.indicator, s.regio, s.toelichting) for s in deck.slides] == [
        ("testwonen.aantal", ("NL01",), ""), ("testwonen.waarde", ("GM0106",), "Wat valt op?")]  # Aantal has no Assen
    assert "Deze website is alleen-lezen" in texts(at) and not [b for b in at.button if b.key == "om-server-save"]
    shown = app_page("presentatie", deck=link, dia="2")
    assert not shown.exception and "Dia 2 / 3" in texts(shown) and "Wat valt op?" in texts(shown)
    at._page_hash = page_hash("presentatie")  # the menu's 'Presenteren', no deck in the URL: the deck composed
    at.query_params.pop("deck", None)
    at.run()
    assert not at.exception and "Raadsbijeenkomst" in texts(at) and "Dia 1 / 3" in texts(at)


def decks_catalogue():
    from data_sources.catalogue import load_catalogue
    return load_catalogue()


def test_nothing_is_written_on_the_server_in_read_only_mode(filled, tmp_path):
    at = app_page("testwonen")
    at.button(key="om-add-view").click().run()
    at._page_hash = page_hash("presentatie-maken")
    at.run()
    at = app_page("presentatie", deck="voorbeeld-testwonen")
    at.button(key="om-next").click().run()
    assert not (tmp_path / "decks").exists() and not (tmp_path / "state").exists()


def test_server_deck_saved_where_editing_is_allowed(filled, tmp_path, monkeypatch):
    monkeypatch.setenv("OPGAVEMONITOR_MODE", "beheer")
    at = app_page("presentatie-maken")
    at.button(key="om-edit-voorbeeld-testenergie").click().run()
    at.text_input(key="om-server-name").input("../weg").run()
    at.button(key="om-server-save").click().run()
    assert at.error and not (tmp_path / "decks").exists()
    at.text_input(key="om-server-name").input("energie-raad").run()
    at.button(key="om-server-save").click().run()
    assert (tmp_path / "decks" / "energie-raad.toml").is_file()
    (tmp_path / "decks" / "kapot.toml").write_text('titel = "x"\n[[dia]]\nopgave = "weg"\nindicator = "weg.x"\n')
    at = app_page("presentatie-maken")
    body = texts(at)
    assert "kapot.toml [dia 1] opgave: onbekende opgave 'weg'" in body and at.button(key="om-edit-energie-raad")
    assert "Dia 1 / 3" in texts(app_page("presentatie", deck="energie-raad"))


def test_the_first_qr_says_whether_phones_follow_and_a_room_makes_them(filled, monkeypatch):
    import segno

    encoded = []
    real = segno.make
    monkeypatch.setattr(segno, "make", lambda content, **kw: encoded.append(content) or real(content, **kw))
    at = app_page("presentatie", deck="voorbeeld-testwonen")
    assert not at.exception and "zaal" not in at.query_params  # a visit opens no room (writes nothing)
    overlay = "".join(str(m.value) for m in at.markdown if "om-qr" in str(m.value))
    assert "pas mee met de presentatie na ‘Laat de zaal meevolgen’" in overlay
    assert encoded[-1].endswith("presentatie?deck=voorbeeld-testwonen&dia=1"), encoded
    assert [b.proto.url for b in at.get("link_button")] == ["/presentatie-maken"]  # a way out of the presentation
    at.button(key="om-room-open").click().run()
    room = at.query_params["zaal"]
    assert Rooms().get(room).slide == 1
    assert encoded[-1].endswith(f"presentatie?volg={room}"), encoded  # short whatever the deck: the room knows it
    assert f"Zaalcode {room}: telefoons die deze QR-code scannen" in "".join(str(m.value) for m in at.markdown)
    phone = app_page("presentatie", deck="voorbeeld-testwonen", volg=room)
    assert not phone.exception and "zaal" not in phone.query_params  # a follower opens no room of its own
    assert not phone.button and "Je volgt zaal" in texts(phone)  # and gets none of the presenter's controls


HIJACK = decks.Deck("Gehackt", tuple(decks.Slide("testwonen", "testwonen.waarde", titel="De regering liegt over woningbouw") for _ in range(4)))


def test_only_the_presenters_session_moves_the_room(filled):
    presenter = app_page("presentatie", deck="voorbeeld-testwonen")
    presenter.button(key="om-room-open").click().run()
    room = presenter.query_params["zaal"]
    hijack = decks.to_link(HIJACK)
    for params in ({"deck": hijack, "dia": "3", "zaal": room}, {"deck": "voorbeeld-testwonen", "dia": "5", "zaal": room},
                   {"volg": room, "zaal": room, "deck": hijack, "dia": "3"}, {"volg": room}):
        other = app_page("presentatie", **params)  # a second session holding the code and any follower's link
        assert not other.exception
        for key in ("om-next", "om-prev"):
            if [b for b in other.button if b.key == key and not b.disabled]:
                other.button(key=key).click().run()
        assert (Rooms().get(room).deck, Rooms().get(room).slide) == ("voorbeeld-testwonen", 1), params
    assert "Zaal " + room + " is in een ander venster geopend" in texts(app_page("presentatie", deck=hijack, zaal=room))
    phone = app_page("presentatie", volg=room, deck=hijack, dia="3")  # the room, not the phone's URL, decides
    assert "Dia 1 / 6" in texts(phone) and "Gehackt" not in texts(phone) and "De regering liegt" not in texts(phone)
    presenter.button(key="om-next").click().run()
    presenter.button(key="om-next").click().run()
    assert Rooms().get(room).slide == 3
    phone = app_page("presentatie", volg=room)
    assert "Dia 3 / 6" in texts(phone) and phone.query_params["dia"] == "3"


def test_too_many_rooms_is_said_in_words(filled, monkeypatch):
    at = app_page("presentatie", deck="voorbeeld-testwonen")
    opened = []
    for _ in range(rooms.MAX_OPENS_PER_HOUR):  # one session, click after click: its previous room closes each time
        at.button(key="om-room-open").click().run()
        opened.append(at.query_params["zaal"])
        at.query_params.pop("zaal")
        at.run()
    assert not at.exception and len(set(opened)) == len(opened) and [Rooms().get(c) is not None for c in opened].count(True) == 1
    at.button(key="om-room-open").click().run()
    assert not at.exception and "zaal" not in at.query_params
    assert "Vanaf jouw adres zijn het afgelopen uur al 10 zalen geopend" in texts(at)
    monkeypatch.setattr(rooms, "MAX_ROOMS", 1)  # the next presenter, elsewhere, finds every room taken
    other = app_page("presentatie", deck="voorbeeld-testwonen")
    monkeypatch.setattr("views.presentatie.client_address", lambda: "10.9.9.9")
    other.button(key="om-room-open").click().run()
    assert not other.exception and "zaal" not in other.query_params
    assert "Er zijn nu te veel zalen open op deze website" in texts(other)


def test_navigate_forward_back_and_summary(filled):
    at = app_page("presentatie", deck="voorbeeld-testwonen")
    assert "Dia 1 / 6" in texts(at) and at.button(key="om-prev").disabled
    assert any('alt="QR-code' in str(m.value) for m in at.markdown)  # the first slide offers the QR code
    titles = []
    for n in range(2, 7):
        at.button(key="om-next").click().run()
        assert not at.exception and at.query_params["dia"] == str(n) and f"Dia {n} / 6" in texts(at)
        titles.append(at.title[-1].value)
    assert titles[-1] == "Samenvatting: de opgaven in deze presentatie"
    assert at.button(key="om-next").disabled
    assert "- **Waarde per woning** (Nederland, 2024): 1.090 m³ — ✓ verbetert" in texts(at)
    assert "Bron: CBS en de andere bronnen op elke dia · oudste gegevens opgehaald op " in texts(at)  # the summary too
    at.button(key="om-prev").click().run()
    assert at.query_params["dia"] == "5" and "Dia 5 / 6" in texts(at)
    assert not any('alt="QR-code' in str(m.value) for m in at.markdown)
    at.button(key="om-qr-toggle").click().run()
    assert any('alt="QR-code' in str(m.value) for m in at.markdown)


@pytest.mark.parametrize("value, message", [
    ("bestaat-niet", "Onbekende presentatie 'bestaat-niet'"),
    ("z.eJzLSM3JyQcABiwCFQ", "link deck: de link is beschadigd of onvolledig"),
    ("<b>x</b>", "Onbekende presentatie '<b>x</b>'"),
])
def test_bad_deck_links_get_a_clear_message(filled, value, message):
    at = app_page("presentatie", deck=value)
    assert not at.exception
    assert message in texts(at)
    assert "presentatie-maken" in " ".join(str(m.value) for m in at.markdown)


def open_deck_file(at, raw: bytes):
    return at.file_uploader(key="om-upload-deck").set_value(("raad.toml", raw, "application/toml")).run()


UNKNOWN_INDICATOR = b'titel = "x"\n[[dia]]\nopgave = "testwonen"\nindicator = "testwonen.weg"\n'
WRONG_TYPES = b'titel = 3\n[[dia]]\nopgave = "testwonen"\nindicator = "testwonen.waarde"\nvan = "2016"\n'


@pytest.mark.parametrize("raw, problems", [
    (UNKNOWN_INDICATOR, ["raad.toml [dia 1] indicator: onbekende indicator 'testwonen.weg' bij opgave 'testwonen'"]),
    (b'titel = "open', ["raad.toml: geen geldige TOML"]),
    (WRONG_TYPES.replace(b"titel = 3", b'titel = "groot"') + b"#" * decks.MAX_BYTES, ["raad.toml: te groot: 65.6"]),
    (WRONG_TYPES, ["raad.toml titel: moet tekst zijn, niet int", "raad.toml [dia 1] van: moet een geheel getal zijn; nu '2016'"]),
    (b"titel = " + b"[" * 30_000 + b"]" * 30_000, ["raad.toml: geen geldige TOML: te diep genest"]),
], ids=["unknown-indicator", "bad-toml", "oversized", "wrong-types", "nested"])
def test_a_refused_deck_file_keeps_the_deck_being_composed(filled, raw, problems):
    at = app_page("presentatie-maken")
    at.button(key="om-edit-voorbeeld-testwonen").click().run()
    before = at.session_state["om-deck"]
    open_deck_file(at, raw)
    assert not at.exception and len(at.error) == 1
    message = rendered(at.error[0].value)
    assert message.startswith("Dit bestand is niet geopend; je presentatie is ongewijzigd:")
    for problem in problems:
        assert f"- {problem}" in message
    assert at.session_state["om-deck"] == before and at.text_input(key="om-dia-deck-title").value == before.titel


def test_a_good_deck_file_replaces_the_deck_being_composed(filled):
    at = app_page("presentatie-maken")
    at.button(key="om-edit-voorbeeld-testwonen").click().run()
    open_deck_file(at, WRONG_TYPES.replace(b"titel = 3", b'titel = "Raad"').replace(b'van = "2016"', b"van = 2016"))
    assert not at.error and "Presentatie 'Raad' geopend (1 dia)." in texts(at)
    assert at.session_state["om-deck"].titel == "Raad" and at.text_input(key="om-dia-deck-title").value == "Raad"


def test_a_shared_slide_chart_follows_the_data(filled):
    """Slide charts are built once and shared by every session showing them, until the data change."""
    indicator = decks.resolve("voorbeeld-testwonen", decks_catalogue()).slides[0].indicator
    def spec():
        return app_page("presentatie", deck="voorbeeld-testwonen", dia="1").get("plotly_chart")[0].proto.spec

    first = spec()
    assert spec() == first
    frame, record = filled.frame(indicator), filled.record(indicator)
    frame["value"] = frame["value"] * 2
    filled.save(frame, record.provenance)
    assert spec() != first


def test_a_slide_without_figures_for_its_region_shows_a_current_region_with_the_longest_series():
    import pandas as pd

    from ui.presentation import shown_regions

    rows = [("GM0003", 2019, 1.0), ("GM0003", 2020, 1.0),  # merged away after 2020: sorts first, but ended
            ("GM0010", 2023, 2.0), ("GM0010", 2024, 2.0), ("GM0020", 2024, 3.0), ("PV27", 2024, 4.0)]
    frame = pd.DataFrame([{"region_code": c, "period_start": pd.Timestamp(year=y, month=1, day=1), "value": v} for c, y, v in rows])
    assert shown_regions(frame, ["GM0363"]) == ["PV27"]  # no Nederland: the highest level present now
    assert shown_regions(frame[frame.region_code != "PV27"], ["GM0363"]) == ["GM0010"]  # then the longest current series
    assert shown_regions(frame, ["GM0020", "GM0363"]) == ["GM0020"]


EVIL = "[Log in opnieuw](https://evil.example/login) ![px](https://evil.example/px.png) <b>vet</b>"
EVIL_DECK = decks.Deck(EVIL, (decks.Slide("testwonen", "testwonen.waarde", titel=EVIL, toelichting=EVIL),))


def evil_markup(at) -> list[str]:
    """Links, images and HTML from deck text in what the page renders as markdown (rendered by an
    independent CommonMark renderer with GitHub's autolinks), and bare evil URLs that
    Streamlit's renderer would autolink."""
    from markdown_it import MarkdownIt

    from tests.apptest import markdown_sources

    found = []
    for source in markdown_sources(at):
        html = MarkdownIt("gfm-like").render(source)
        found += re.findall(r'<(?:a|img)\b[^>]*evil\.example[^>]*>|<b>vet', html)
        found += re.findall(r"://evil\.example", re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", source))
    return found


def test_deck_text_stays_text_for_presenter_followers_summary_deck_page_and_composer(filled, tmp_path, monkeypatch):
    link = decks.to_link(EVIL_DECK)
    presenter = app_page("presentatie", deck=link)
    assert not presenter.exception and "Log in opnieuw" in texts(presenter)
    assert rendered(presenter.title[-1].value) == EVIL  # shown exactly as written
    presenter.button(key="om-room-open").click().run()
    shown = [presenter, app_page("presentatie", volg=presenter.query_params["zaal"]), app_page("presentatie", deck=link, dia="2")]
    monkeypatch.setenv("OPGAVEMONITOR_MODE", "beheer")
    (tmp_path / "decks").mkdir()
    (tmp_path / "decks" / "raad.toml").write_text(decks.to_toml(EVIL_DECK))
    composer = app_page("presentatie-maken")
    shown.append(composer)
    open_deck_file(composer, decks.to_toml(EVIL_DECK).encode())
    shown.append(composer)
    assert composer.text_input(key="om-dia-titel-0").value == EVIL
    for at in shown:
        assert not at.exception and EVIL.split("]")[0].lstrip("[") in texts(at)
        assert evil_markup(at) == []


def test_a_long_deck_link_presents_with_a_scannable_qr_code(store, tmp_path, monkeypatch):
    """The real energietransitie example with each indicator's explanation as talking point:
    longer than any QR code can hold. The code opens the slide's own view (or the room)."""
    import segno

    from data_sources.catalogue import load_catalogue
    from views.presentatie import QR_MAX_CHARS

    monkeypatch.setenv("OPGAVEMONITOR_STATE_DIR", str(tmp_path / "state"))
    opgave = load_catalogue().opgave("energietransitie")
    slides = tuple(decks.Slide(opgave.id, i.id, toelichting=(i.explanation_nl + " " + i.explanation_en)[: decks.MAX_TEXT]) for i in opgave.indicators)
    link = decks.to_link(decks.Deck(opgave.title_nl, slides))
    assert len(slides) >= 26 and len(link) > 2_331  # segno's limit at error level M
    encoded = []
    real = segno.make
    monkeypatch.setattr(segno, "make", lambda content, **kw: encoded.append(content) or real(content, **kw))
    at = app_page("presentatie", deck=link)
    assert not at.exception and "Dia 1 / 27" in texts(at)
    assert len(encoded[-1]) <= QR_MAX_CHARS and encoded[-1].endswith(f"energietransitie?indicator={slides[0].indicator}"), encoded[-1]
    assert "de presentatielink is te lang voor een QR-code" in "".join(str(m.value) for m in at.markdown)
    at.query_params["dia"] = "27"
    at.run()
    at.button(key="om-qr-toggle").click().run()
    assert not at.exception and "Dia 27 / 27" in texts(at) and len(encoded) == 2 and encoded[-1] in ("", "/"), encoded[-1]  # the summary: the overview
    at.button(key="om-room-open").click().run()
    assert not at.exception and encoded[-1].endswith(f"presentatie?volg={at.query_params['zaal']}")
    too_long = app_page("presentatie", deck="z." + "A" * decks.MAX_BYTES)
    assert not too_long.exception
    assert "link deck: te lang: 65.538 tekens (hoogstens 65.536); bewaar de presentatie liever als bestand" in texts(too_long)


def test_the_composed_deck_survives_a_reload_and_a_slide_keeps_only_its_indicators_regions(filled):
    at = app_page("testwonen", indicator="testwonen.waarde", regio="GM0106,NL01")
    at.button(key="om-add-view").click().run()
    at.selectbox(key="testwonen-indicator").select("testwonen.derden").run()  # figures per gemeente only
    at.button(key="om-add-view").click().run()
    at._page_hash = page_hash("presentatie-maken")
    at.run()
    at.text_input(key="om-dia-toelichting-1").input("Alleen gemeenten").run()
    composed = at.session_state["om-deck"]
    assert [s.regio for s in composed.slides] == [("GM0106", "NL01"), ("GM0106",)]
    reloaded = app_page("presentatie-maken", **dict(at.query_params))  # a new session on the same URL
    assert not reloaded.exception and reloaded.session_state["om-deck"] == composed
    assert [reloaded.text_input(key=f"om-dia-toelichting-{n}").value for n in range(2)] == ["", "Alleen gemeenten"]
    reloaded.button(key="om-remove-0").click().run()
    again = app_page("presentatie-maken", **dict(reloaded.query_params))
    assert [s.indicator for s in again.session_state["om-deck"].slides] == ["testwonen.derden"]
    broken = app_page("presentatie-maken", deck="z.kapot")
    assert not broken.exception and "de link is beschadigd of onvolledig" in texts(broken)


def test_a_national_slide_gets_no_municipalities(filled):
    from ui.deck_editor import slide_regions

    at = app_page("testwonen")  # a script run gives the cached data functions their runtime
    assert not at.exception
    assert slide_regions("testwonen.derden", ["NL01", "GM0106"]) == ("GM0106",)
    assert slide_regions("testwonen.derden", ["NL01"]) != ("NL01",)  # a gemeente series has no Nederland
