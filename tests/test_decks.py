"""Deck model: TOML and link round trips, example decks from the catalogue, and every kind of
bad deck refused with file, slide and field named."""
import pytest

from workshop import decks
from workshop.decks import Deck, DeckError, Slide

GOOD = """
titel = "Wonen in Drenthe"
[[dia]]
opgave = "testwonen"
indicator = "testwonen.waarde"
regio = ["GM0106", "PV22"]
tab = "grafiek"
weergave = "index"
van = 2016
tot = 2024
titel = "Waarde"
toelichting = "Wat zien we hier?"
[[dia]]
opgave = "testenergie"
indicator = "testenergie.cumulatief"
"""


def test_toml_and_link_round_trip(catalogue):
    deck = decks.read_toml(GOOD.encode(), "wonen.toml", catalogue)
    assert deck.slides[0] == Slide("testwonen", "testwonen.waarde", ("GM0106", "PV22"), "grafiek", "index", 2016, 2024, "Waarde", "Wat zien we hier?")
    assert deck.slides[1].regio == ("NL01",) and deck.slides[1].tab == "grafiek"
    assert decks.read_toml(decks.to_toml(deck).encode(), "again.toml", catalogue) == deck
    link = decks.to_link(deck)
    assert link.startswith("z.") and all(c.isalnum() or c in "-_." for c in link)  # URL-safe as is
    assert decks.from_link(link, catalogue) == deck
    assert deck.slides[0].params() == {"indicator": "testwonen.waarde", "regio": "GM0106,PV22", "weergave": "index", "van": "2016", "tot": "2024"}


def test_texts_with_quotes_and_newlines_survive(catalogue):
    deck = Deck('Titel met "aanhalingstekens" en \\', (Slide("testwonen", "testwonen.waarde", toelichting="regel 1\nregel 2 — ‘é’"),))
    assert decks.read_toml(decks.to_toml(deck).encode(), "x.toml", catalogue) == deck
    assert decks.from_link(decks.to_link(deck), catalogue) == deck


def test_one_example_deck_per_opgave_from_the_catalogue(catalogue):
    examples = decks.example_decks(catalogue)
    assert list(examples) == [f"voorbeeld-{o.id}" for o in catalogue.opgaven]
    for opgave in catalogue.opgaven:
        deck = examples[f"voorbeeld-{opgave.id}"]
        assert deck.titel == opgave.title_nl
        assert sorted(s.indicator for s in deck.slides) == sorted(i.id for i in opgave.indicators)
        assert [catalogue.indicator(s.indicator).kind for s in deck.slides] == sorted((catalogue.indicator(s.indicator).kind for s in deck.slides), key=lambda k: k != "resultaat")
    assert decks.resolve("", catalogue) == examples["voorbeeld-testwonen"]
    assert decks.resolve("voorbeeld-testenergie", catalogue) == examples["voorbeeld-testenergie"]


def refused(raw: bytes, catalogue) -> str:
    with pytest.raises(DeckError) as info:
        decks.read_toml(raw, "deck.toml", catalogue)
    return str(info.value)


def test_unknown_indicator_and_opgave_named_with_slide(catalogue):
    text = GOOD.replace('indicator = "testenergie.cumulatief"', 'indicator = "testwonen.waarde"').replace('opgave = "testwonen"', 'opgave = "nergens"')
    message = refused(text.encode(), catalogue)
    assert "deck.toml [dia 1] opgave: unknown opgave 'nergens'" in message
    assert "deck.toml [dia 2] indicator: unknown indicator 'testwonen.waarde' for opgave 'testenergie'" in message


def test_bad_toml_oversized_and_not_utf8(catalogue):
    assert "deck.toml: not valid TOML" in refused(b'titel = "open', catalogue)
    assert "deck.toml: not valid TOML" in refused("titel = 'x'".encode("utf-16"), catalogue)
    big = GOOD.encode() + b"#" * decks.MAX_BYTES
    assert "deck.toml: too large" in refused(big, catalogue)


def test_wrong_types_each_named(catalogue):
    text = """titel = 3
[[dia]]
opgave = "testwonen"
indicator = "testwonen.waarde"
regio = 5
tab = "grafiek2"
van = "2016"
tot = 2010.5
titel = ["x"]
kleur = "rood"
"""
    message = refused(text.encode(), catalogue)
    for expected in (
        "deck.toml titel: must be text, got int",
        "deck.toml [dia 1] regio: must be a list of texts",
        "deck.toml [dia 1] tab: must be one of grafiek",
        "deck.toml [dia 1] van: must be a whole number; got '2016'",
        "deck.toml [dia 1] tot: must be a whole number; got 2010.5",
        "deck.toml [dia 1] titel: must be text, got list",
        "deck.toml [dia 1] kleur: unknown field",
    ):
        assert expected in message
    assert "dia: a deck needs at least one slide" in refused(b'titel = "leeg"', catalogue)
    assert "deck.toml titel: at most 500 characters" in refused(GOOD.replace('titel = "', 'titel = "' + "x" * 500, 1).encode(), catalogue)
    one = decks.read_toml(GOOD.replace('["GM0106", "PV22"]', '"GM0106"').encode(), "deck.toml", catalogue)
    assert one.slides[0].regio == ("GM0106",)  # one region may be written without the list
    assert "[dia 1] van: van (2020) is after tot (2010)" in refused(GOOD.replace("van = 2016", "van = 2020").replace("tot = 2024", "tot = 2010").encode(), catalogue)
    assert "regio: must be 1 to 6 region codes" in refused(GOOD.replace('["GM0106", "PV22"]', '["<script>"]').encode(), catalogue)


def test_deeply_nested_toml_and_links_refused(catalogue):
    nested = b"titel = " + b"[" * 30_000 + b"]" * 30_000  # 60 kB: within the size limit
    assert len(nested) < decks.MAX_BYTES
    assert "deck.toml: not valid TOML: nested too deeply" in refused(nested, catalogue)
    assert "deck.toml: not valid TOML: nested too deeply" in refused(b"titel = 'x'\n[[dia]]\nopgave = " + b"{a=" * 15_000 + b"1" + b"}" * 15_000, catalogue)
    link = decks.LINK_PREFIX + __import__("base64").urlsafe_b64encode(__import__("zlib").compress(b"[" * 30_000 + b"]" * 30_000)).decode()
    with pytest.raises(DeckError, match="link deck: the link is damaged or incomplete"):
        decks.from_link(link, catalogue)


def test_damaged_links_refused(catalogue):
    link = decks.to_link(decks.read_toml(GOOD.encode(), "x.toml", catalogue))
    for bad in ("z.", "z.!!!", link[:-6], "voorbeeld", "z." + "A" * (decks.MAX_BYTES + 1)):
        with pytest.raises(DeckError) as info:
            decks.from_link(bad, catalogue)
        assert str(info.value).startswith("link")
    bomb = decks.LINK_PREFIX + __import__("base64").urlsafe_b64encode(__import__("zlib").compress(b" " * (decks.MAX_BYTES * 4))).decode()
    with pytest.raises(DeckError, match="damaged"):
        decks.from_link(bomb, catalogue)


def test_server_decks_only_where_editing_is_allowed(catalogue, tmp_path, monkeypatch):
    monkeypatch.setenv("OPGAVEMONITOR_DECKS_DIR", str(tmp_path / "decks"))
    deck = decks.read_toml(GOOD.encode(), "x.toml", catalogue)
    monkeypatch.delenv("OPGAVEMONITOR_MODE", raising=False)
    with pytest.raises(PermissionError):
        decks.save_on_server(deck, "wonen")
    assert not (tmp_path / "decks").exists()
    monkeypatch.setenv("OPGAVEMONITOR_MODE", "beheer")
    for bad in ("../wonen", "Wonen", "voorbeeld-x", ""):
        with pytest.raises(ValueError):
            decks.save_on_server(deck, bad)
    decks.save_on_server(deck, "wonen")
    assert decks.server_decks() == ["wonen"]
    assert decks.resolve("wonen", catalogue) == deck
    with pytest.raises(KeyError):
        decks.resolve("bestaat-niet", catalogue)


BAD_DECKS = [
    b"titel = 3\n[[dia]]\nopgave = 'testwonen'\nindicator = 'testwonen.waarde'\nregio = 5\ntab = 'x'\nvan = '2016'\ntot = 2010.5\nkleur = 1\n",
    b"titel = 'x'\n[[dia]]\nopgave = 'weg'\nindicator = 'weg.x'\n",
    b"titel = 'x'\n[[dia]]\nopgave = 'testwonen'\nindicator = 'testwonen.weg'\nregio = ['<b>']\ntitel = '" + b"a" * 600 + b"'\n",
    b"titel = 'x'\n[[dia]]\nopgave = 'testwonen'\nindicator = 'testwonen.waarde'\nvan = 2020\ntot = 2010\n",
    b"titel = 'x'\ndia = 3\n", b"titel = 'leeg'", b"= kapot", b"titel = 'x'\n" + b"#" * decks.MAX_BYTES,
    b"titel = " + b"[" * 30_000 + b"]" * 30_000,
]


@pytest.mark.parametrize("raw", BAD_DECKS, ids=lambda raw: repr(raw[:40]))
def test_every_deck_problem_reads_in_dutch_on_a_dutch_page(raw, catalogue):
    from tests.apptest import rendered
    from ui.deck_problems import problem_text
    from ui.language import speaking

    with pytest.raises(decks.DeckError) as refused_:
        decks.read_toml(raw, "deck.toml", catalogue)
    for problem in refused_.value.problems:
        with speaking("nl"):
            dutch = problem_text(problem)
        with speaking("en"):
            english = problem_text(problem)
        assert dutch != english, f"no Dutch wording for: {problem.message}"
        assert rendered(english) == str(problem)  # an English page keeps the reader's own words


def test_every_deck_problem_code_has_a_dutch_wording():
    """The deck's own codes and the field problems a deck can have: each read in Dutch."""
    from data_sources.validation import Problem
    from ui.deck_problems import DUTCH

    fields = {"required", "must_be_text", "must_be_one_of", "must_be_whole_number", "must_be_text_list", "unknown_field",
              "unknown_field_near", "string_too_long", "not_toml", "not_toml_nested"}
    assert set(decks.MESSAGES) | fields <= set(DUTCH)
    problem = Problem("deck.toml", "dia 1", "tittel", "unknown_field_near", {"near": "titel"})
    assert str(problem) == "deck.toml [dia 1] tittel: unknown field (a typo?); did you mean 'titel'?"
