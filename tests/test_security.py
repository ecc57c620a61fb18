"""A public deployment under attack: read-only means read-only, data and URL text stay text,
and no link, however hostile, breaks a page.

Markdown is checked the way a browser would see it: every piece of text Streamlit renders as
markdown is rendered here by an independent CommonMark renderer with GitHub's autolinks
(markdown-it-py, "gfm-like" + linkify), and may contain no link other than the app's own
(StatLine, the licence) and no HTML element at all."""
from __future__ import annotations

import json
import random
import re
import string

import pytest
from markdown_it import MarkdownIt

from data_sources.__main__ import main as cli
from tests.apptest import app_page, markdown_sources, texts

from data_sources.catalogue import OFFICIAL_DOMAINS  # noqa: E402

RENDERER = MarkdownIt("gfm-like")
OWN_LINKS = re.compile(r'^(https://(opendata\.cbs\.nl|dataderden\.cbs\.nl|creativecommons\.org)/|http://127\.0\.0\.1:\d+/files/|[a-z-]+(\?[\w=&;,.%-]+)?$)')  # last: the app's own pages
# A policy moment's source: a page on an official site the catalogue validates (never from data).
OFFICIAL = "|".join(re.escape(d) for d in OFFICIAL_DOMAINS)
OWN_LINKS = re.compile(rf"^https://([\w-]+\.)*({OFFICIAL})/|" + OWN_LINKS.pattern[1:])
PAGES = ["", "testwonen", "testenergie", "bronnen", "gemeente", "samenhang", "presentatie", "presentatie-maken"]
HOSTILE = [
    "[Log in opnieuw](https://evil.example/login)",
    "<img src=x onerror=alert(1)>",
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "https://evil.example/phish www.evil.example",
    "mail@evil.example",
    "javascript:alert(1)",
    "![x](https://evil.example/x.png)",
    "$$\\href{https://evil.example}{x}$$",
    ":red[rood] **vet** `code` # kop",
    "GM0363," * 10,
    "../../etc/passwd",
    "%00%ff%fe",
    "2019,2020",
    "9" * 400,
    "NL01,NL01,NL01,GM0363,PV27,GM0599,GM0344,LD01,CR17,GM9999",
]
PARAMS = ["taal", "regio", "indicator", "tab", "weergave", "van", "tot", "periode", "niveau", "x", "y", "modus", "deck", "dia"]


def unsafe_markup(at) -> list[str]:
    """Links to other sites and HTML elements in what the page renders as markdown, and raw
    tags in chart texts (plotly renders <a>, <b>, <br> and friends in names and hovers)."""
    problems = []
    for chart in at.get("plotly_chart"):
        spec = json.dumps(json.loads(chart.proto.spec), ensure_ascii=False)  # plotly writes "<" as \u003c
        problems += [f"<{tag}> in a chart" for tag in re.findall(r"<(a|img|iframe|script|svg)\b", spec, re.I)]
    for source in markdown_sources(at):
        html = RENDERER.render(source)
        # Streamlit autolinks bare URLs and addresses even when their punctuation is escaped:
        # look for the triggers in the text outside the app's own link targets.
        text = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", re.sub(r"\]\([^)]*\)", "]", source))  # unescaped, zero-width spaces kept
        problems += [f"autolink {hit!r} in {source[:80]!r}" for hit in re.findall(r"https?://\S*|www\.\S*|\w@\w\S*", text, re.I)]
        problems += [f"link {href} in {source[:80]!r}" for href in re.findall(r'<a href="([^"]*)"', html) if not OWN_LINKS.match(href)]
        html = re.sub(r'<img src="data:image/png;base64,[A-Za-z0-9+/=]+"', "", html)  # the app's own QR code
        problems += [f"<{tag}> in {source[:80]!r}" for tag in re.findall(r"<(img|iframe|script|object|embed|svg|form|input|base|meta|link)\b", html, re.I)]
    return problems


@pytest.fixture
def crafted(filled):
    """The store after a crafted snapshot or a hostile file source: names that are markup."""
    name = '[Log in](https://evil.example/login) <img src=x onerror=alert(1)> <iframe srcdoc="<script>alert(1)</script>">'
    for indicator in ("testwonen.waarde", "testwonen.aantal"):
        frame, record = filled.frame(indicator), filled.record(indicator)
        frame.loc[frame["region_code"] == "GM0363", "region_name"] = name
        filled.save(frame, record.provenance)
    return name


@pytest.mark.parametrize("url_path", PAGES)
def test_read_only_pages_offer_no_way_to_change_the_store(filled, url_path):
    at = app_page(url_path)
    assert not at.exception
    # The one upload a visitor may use opens a deck in their own session; nothing reaches the server.
    assert not [u for u in at.get("file_uploader") if u.key != "om-upload-deck"]
    labels = " ".join(b.label for b in at.button).lower()
    assert "import" not in labels and "verversen" not in labels
    assert "Alleen-lezen publicatie" in texts(at)


def test_edit_mode_does_offer_them(filled, monkeypatch):
    """The counterpart that shows the read-only test can see the controls when they are there."""
    monkeypatch.setenv("OPGAVEMONITOR_MODE", "beheer")
    at = app_page("bronnen")
    assert at.get("file_uploader")
    assert "Nu verversen bij CBS" in [b.label for b in at.button]
    assert "Beheermodus" in texts(at)


@pytest.mark.parametrize("mode", ["", "typo", "Beheer ", "1", "true"])
def test_anything_but_an_explicit_edit_mode_is_read_only(filled, monkeypatch, mode):
    monkeypatch.setenv("OPGAVEMONITOR_MODE", mode)
    from data_sources.settings import editing_allowed

    assert editing_allowed() is (mode.strip().lower() == "beheer")


def test_the_operator_still_imports_and_exports_on_the_command_line(filled, tmp_path):
    snapshot = tmp_path / "s.zip"
    assert cli(["export", str(snapshot)]) == 0
    assert cli(["import", str(snapshot)]) == 0


@pytest.mark.parametrize("url_path", ["", "testwonen"])
def test_crafted_region_names_render_as_text(crafted, url_path):
    at = app_page(url_path, regio="GM0363", indicator="testwonen.waarde")
    assert not at.exception
    assert crafted in texts(at)  # shown, literally
    assert not unsafe_markup(at)


@pytest.mark.parametrize("url_path", ["gemeente", "samenhang"])
def test_crafted_region_names_stay_text_on_profile_and_samenhang(crafted, url_path):
    at = app_page(url_path, regio="GM0363", x="testwonen.waarde", y="testwonen.aantal")
    assert not at.exception and not unsafe_markup(at)


def test_regions_tab_with_crafted_names(crafted):
    at = app_page("testwonen", regio="GM0363", indicator="testwonen.waarde", tab="regios")
    assert not at.exception and not unsafe_markup(at)


def test_a_markdown_link_in_the_url_is_shown_as_text(filled):
    at = app_page("testwonen", tab="[Log in opnieuw](https://evil.example/login)")
    assert not at.exception
    assert "Onbekende waarde in de link genegeerd: tab=[Log in opnieuw](https://evil.example/login)" in texts(at)
    assert not unsafe_markup(at)


def test_more_regions_than_allowed_give_a_notice_not_an_exception(filled, monkeypatch):
    """The fixture store knows five regions, so the cap is lowered to three to go past it."""
    monkeypatch.setattr("ui.state.MAX_REGIONS", 3)
    at = app_page("testwonen", regio="NL01,GM0363,PV27,PV30,GM0106")
    assert not at.exception
    assert at.multiselect(key="regio").value == ["NL01", "GM0363", "PV27"]
    assert "Er kunnen hoogstens 3 regio's tegelijk; genegeerd uit de link: PV30,GM0106" in texts(at)


def test_seven_valid_regions_in_a_link_are_capped_at_six(monkeypatch):
    from ui import state

    codes = ["NL01", "GM0363", "PV27", "GM0599", "GM0344", "GM0518", "GM0014"]
    monkeypatch.setattr(state.st, "query_params", {"regio": ",".join(codes)})
    view = state.read(set(codes))
    assert view.regio == codes[:6]
    assert view.notices == [("too_many_regions", "regio", "GM0014")]


def test_a_period_range_the_wrong_way_round_gives_a_notice(filled):
    at = app_page("testwonen", indicator="testwonen.waarde", van="2022", tot="2018")
    assert not at.exception
    assert "De periode in de link klopt niet (2022 > 2018); alle jaren worden getoond." in texts(at)
    assert "van" not in at.query_params and "tot" not in at.query_params


def _random_value(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.35:
        return rng.choice(HOSTILE)
    if kind < 0.6:
        return "".join(rng.choice(string.printable) for _ in range(rng.randint(0, 40)))
    if kind < 0.8:
        return rng.choice(["nl", "en", "grafiek", "tabel", "regios", "bron", "download", "index", "verandering", "NL01", "GM0363", "PV27", "testwonen.waarde", "testwonen.aantal", "testenergie.cumulatief", "2015", "2024", "1800", "2101", "-1", "", "2019JJ00", "2024KW02", "gemeente", "provincie", "kaart"])
    return "".join(chr(rng.randint(0x20, 0x2FFF)) for _ in range(rng.randint(1, 12)))


@pytest.mark.timeout(900)
def test_fuzz_a_thousand_hostile_links_over_every_page(crafted):
    """1,000 random and hostile query strings spread over every page: every one renders a page without an
    exception and without foreign links or HTML (fixed seed: a failure is reproducible)."""
    rng = random.Random(20261129)
    failures = []
    for n in range(1000):
        url_path = PAGES[n % len(PAGES)]
        params = {name: _random_value(rng) for name in rng.sample(PARAMS, rng.randint(1, 5))}
        at = app_page(url_path, **params)
        if at.exception or unsafe_markup(at):
            failures.append((url_path, params, [e.message for e in at.exception][:1] or unsafe_markup(at)[:2]))
    assert not failures, failures[:5]


@pytest.mark.parametrize("value", ["https://evil.example/login", "www.evil.example", "mail@evil.example"])
def test_a_bare_url_in_the_link_is_not_made_clickable(filled, value):
    at = app_page("testwonen", tab=value)
    assert f"tab={value}" in texts(at)
    assert not unsafe_markup(at)
