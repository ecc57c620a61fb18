"""Workshop mode through the router (app.py): presentation mode on every page kind, composing
a deck, presenting it, and bad decks refused."""
import pytest

from data_sources import decks
from data_sources.__main__ import main as cli
from tests.apptest import app_page, page_hash, rendered, texts
from ui.presentation import SCREENS

SOURCE = "Bron: CBS, 99901TST, 2024, voorlopig · gegevens opgehaald op"


@pytest.fixture
def filled(cbs, store, tmp_path, monkeypatch):
    monkeypatch.setenv("OPGAVEMONITOR_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("OPGAVEMONITOR_DECKS_DIR", str(tmp_path / "decks"))
    cli(["refresh"])
    return store


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
        ("testwonen.aantal", ("GM0106",), ""), ("testwonen.waarde", ("GM0106",), "Wat valt op?")]
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

    from data_sources.rooms import Rooms

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
    assert encoded[-1].endswith(f"presentatie?deck=voorbeeld-testwonen&dia=1&volg={room}"), encoded
    assert f"Zaalcode {room}: telefoons die deze QR-code scannen" in "".join(str(m.value) for m in at.markdown)
    phone = app_page("presentatie", deck="voorbeeld-testwonen", volg=room)
    assert not phone.exception and "zaal" not in phone.query_params  # a follower opens no room of its own
    assert not phone.button and "Je volgt zaal" in texts(phone)  # and gets none of the presenter's controls


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
], ids=["unknown-indicator", "bad-toml", "oversized", "wrong-types"])
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
    spec = lambda: app_page("presentatie", deck="voorbeeld-testwonen", dia="1").get("plotly_chart")[0].proto.spec  # noqa: E731
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
