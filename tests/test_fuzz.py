"""Hostile links over every page, every URL parameter and both modes (normal and
``modus=presentatie``): none may raise, and each must still render its page (an empty page
does not pass).

The sample is deterministic: every hostile value goes once into every parameter, the pages
and modes taking turns, plus a fixed-seed set of links that combine several parameters. A
failure names the link, so it can be opened in a browser."""
from __future__ import annotations

import random
import string

import pytest

from tests.apptest import app_page
from tests.hostile import HOSTILE, PAGES, PARAMS, unsafe_markup
from workshop import decks
from workshop.decks import Deck, Slide

MODES = ("", "presentatie")
FUZZED = PARAMS + ["zaal", "volg", "momenten"]
# Values a link can carry that the app's own links never do.
VALUES = HOSTILE + [
    "", " ", "²", "٣", "２０２０", "①", "9" * 5000, "9" * 20, "-1", "0", "+3", "1e3", "3.0", " 2 ",
    "2099", "2100", "1800", "1799", "2019JJ00", "2099MM13",
    "GM1700", "GM1700,GM0363", "gm0363", "GM0106", "2020", "NL01," * 3, "PV99",
    "x" * 10_000, "\u202e\u200b\u0000", "🙂" * 50, "ZAAL1", "AAAAA",
]


def deck_link() -> str:
    """A deck of two slides, one of them for years the data does not have."""
    return decks.to_link(Deck("Testdeck", (
        Slide("testwonen", "testwonen.waarde", ("GM0363",), van=2099, tot=2100),
        Slide("testwonen", "testwonen.aantal", ("GM1700",)),
        Slide("testwonen", "testwonen.waarde", ("GM0106",), van=2020),
    )))


@pytest.fixture
def hostile_world(filled, tmp_path, monkeypatch):
    monkeypatch.setenv("OPGAVEMONITOR_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("OPGAVEMONITOR_DECKS_DIR", str(tmp_path / "decks"))
    ended_before(filled, "testwonen.waarde", "GM0106", 2018)
    return deck_link()


def ended_before(store, indicator: str, region: str, year: int) -> None:
    """The region's figures stop before ``year``, as a municipality's do when it merges."""
    frame, record = store.frame(indicator), store.record(indicator)
    frame = frame[(frame["region_code"] != region) | (frame["period_start"].dt.year < year)]
    store.save(frame.reset_index(drop=True), record.provenance)


def page_rendered(at, url_path: str) -> bool:
    """The page's main element is there: its heading, or on the deck page the message that
    says why the deck cannot be shown."""
    return bool(at.title) or (url_path == "presentatie" and bool(at.error))


def problems(url_path: str, params: dict[str, str]) -> list[str]:
    at = app_page(url_path, **params)
    if at.exception:
        return [f"exception {at.exception[0].message[:200]}"]
    if not page_rendered(at, url_path):
        return ["no page rendered"]
    return unsafe_markup(at)[:2]


def with_deck(url_path: str, params: dict[str, str], link: str) -> dict[str, str]:
    """The deck page presents a real deck unless the fuzzed parameter is the deck itself."""
    return {"deck": link, **params} if url_path == "presentatie" else params


def grid() -> list[tuple[str, dict[str, str]]]:
    """Every value in every parameter; pages and modes take turns."""
    cases = []
    for p, name in enumerate(FUZZED):
        for v, value in enumerate(VALUES):
            url_path = PAGES[(p + v) % len(PAGES)]
            mode = MODES[(p + v // len(PAGES)) % 2]
            cases.append((url_path, {name: value} | ({"modus": mode} if mode and name != "modus" else {})))
    return cases


def random_value(rng: random.Random) -> str:
    """A hostile value, a valid one (so that later parameters are reached), or random text."""
    kind = rng.random()
    if kind < 0.4:
        return rng.choice(VALUES)
    if kind < 0.7:
        return rng.choice(["nl", "en", "grafiek", "tabel", "regios", "kaart", "bron", "download", "index", "verandering", "NL01",
                           "GM0363", "PV27", "testwonen.waarde", "testwonen.aantal", "testenergie.cumulatief", "2015", "2024",
                           "2019JJ00", "2024KW02", "gemeente", "provincie", "uit", "1", "2", "3"])
    if kind < 0.85:
        return "".join(rng.choice(string.printable) for _ in range(rng.randint(0, 40)))
    return "".join(chr(rng.randint(0x20, 0x2FFF)) for _ in range(rng.randint(1, 12)))


def combinations(n: int, seed: int = 20261202) -> list[tuple[str, dict[str, str]]]:
    rng = random.Random(seed)
    cases = []
    for i in range(n):
        params = {name: random_value(rng) for name in rng.sample(FUZZED, rng.randint(2, 5))}
        if rng.random() < 0.5:
            params["modus"] = "presentatie"
        cases.append((PAGES[i % len(PAGES)], params))
    return cases


def short(params: dict[str, str]) -> dict[str, str]:
    return {k: (v if len(v) <= 40 else f"{v[:20]}…({len(v)} chars)") for k, v in params.items()}


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_every_parameter_of_every_page_in_both_modes_survives_hostile_values(hostile_world):
    cases = grid() + combinations(300)
    failures = [(url_path, short(params), found) for url_path, params in cases
                if (found := problems(url_path, with_deck(url_path, params, hostile_world)))]
    assert not failures, f"{len(failures)} of {len(cases)} links fail, e.g. {failures[:5]}"


# The reproductions, one by one (fast, and named in a failure).
REPRODUCTIONS = [
    ("presentatie", {"modus": "presentatie"}),
    ("testwonen", {"modus": "presentatie", "van": "2099", "tot": "2100"}),
    ("testwonen", {"modus": "presentatie", "van": "2099", "tot": "2100", "indicator": "testwonen.aantal"}),
    ("testwonen", {"modus": "presentatie", "regio": "GM1700", "van": "2099"}),
    ("testwonen", {"modus": "presentatie", "regio": "GM0106", "van": "2020"}),  # figures end in 2017
    ("presentatie", {"dia": "²"}),
    ("presentatie", {"dia": "9" * 5000}),
    ("presentatie", {"dia": "1"}),  # the deck's first slide: years outside the data
    ("presentatie", {"dia": "2"}),  # the deck's second slide: a municipality merged away
    ("presentatie", {"dia": "2", "modus": "presentatie"}),
    ("presentatie", {"dia": "3"}),  # the third: a municipality whose figures end before the slide's years
    ("testwonen", {"van": "２０２０"}),
]


@pytest.mark.parametrize("url_path,params", REPRODUCTIONS, ids=lambda x: x if isinstance(x, str) else "&".join(f"{k}={v[:12]}" for k, v in x.items()))
def test_links_that_raised_render_their_page(hostile_world, url_path, params):
    assert not problems(url_path, with_deck(url_path, params, hostile_world))


@pytest.mark.parametrize("text,number", [("12", 12), ("0", 0), ("²", None), ("٣", None), ("２０２０", None), ("9" * 5000, None),
                                         ("9" * 10, None), ("", None), (" 2", None), ("2\n", None), ("-1", None), ("+3", None), (None, None)])
def test_a_url_number_is_ascii_digits_only(text, number):
    from ui.state import url_int

    assert url_int(text) == number
