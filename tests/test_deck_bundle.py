"""A deck and exactly its data as one file: export on one data directory, import into an
empty one with every CBS URL pointing at a closed port, and every slide renders with data and
says it runs from a snapshot and how old the data is."""
import io
import socket
import time
import zipfile

import pytest

from data_sources import decks
from data_sources.__main__ import main as cli
from data_sources.deck_bundle import DECK_MEMBER, SNAPSHOT_MEMBER
from data_sources.settings import V3_CATALOGUES
from tests.apptest import app_page, texts


def closed_port_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}"  # nothing listens once closed


@pytest.fixture
def bundle(cbs, store, catalogue, tmp_path, monkeypatch):
    monkeypatch.setenv("OPGAVEMONITOR_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("OPGAVEMONITOR_DECKS_DIR", str(tmp_path / "decks"))
    cli(["refresh"])
    deck = decks.example_decks(catalogue)["voorbeeld-testwonen"]
    deck_file = tmp_path / "raad.toml"
    deck_file.write_text(decks.to_toml(deck))
    out = tmp_path / "raad.zip"
    assert cli(["export", "--deck", str(deck_file), str(out)]) == 0
    return deck, out


def go_offline(tmp_path, monkeypatch):
    monkeypatch.setenv("OPGAVEMONITOR_DATA_DIR", str(tmp_path / "offline" / "data"))
    for name in ("OPGAVEMONITOR_CBS_V4_URL", *V3_CATALOGUES.values()):
        monkeypatch.setenv(name, closed_port_url())


def test_bundle_holds_exactly_the_decks_indicators(bundle):
    deck, out = bundle
    with zipfile.ZipFile(out) as zf:
        assert sorted(zf.namelist()) == [DECK_MEMBER, SNAPSHOT_MEMBER]
        with zipfile.ZipFile(io.BytesIO(zf.read(SNAPSHOT_MEMBER))) as snapshot:
            stems = {name.split("/")[-1].removesuffix(".json") for name in snapshot.namelist() if name.endswith(".json") and name != "manifest.json"}
    assert stems == set(deck.indicators())  # nothing of testenergie


def test_offline_import_runs_every_slide(bundle, tmp_path, monkeypatch):
    deck, out = bundle
    go_offline(tmp_path, monkeypatch)
    assert cli(["import", str(out), "--deck-name", "raad"]) == 0
    for n in range(1, len(deck.slides) + 1):
        at = app_page("presentatie", deck="raad", dia=str(n))
        body = texts(at)
        assert not at.exception, n
        assert f"Dia {n} / {len(deck.slides) + 1}" in body
        assert "Deze gegevens komen uit een snapshot · Bron: " in body
        assert "gegevens opgehaald op" in body and "dagen oud" in body
        assert len(at.get("plotly_chart")) == 1, n  # drawn with data, not an empty state


def test_refreshing_after_import_ends_the_snapshot_notice(bundle, cbs, tmp_path, monkeypatch):
    deck, out = bundle
    go_offline(tmp_path, monkeypatch)
    cli(["import", str(out), "--deck-name", "raad"])
    for key, value in cbs.env().items():  # the network is back
        monkeypatch.setenv(key, value)
    # Refresh times have one-second resolution; in real use the bundle's data was fetched long
    # before, here the fixture fetched it moments ago: let the clock move on first.
    time.sleep(1.1)
    cli(["refresh", "--indicator", "testwonen.waarde", "--force"])
    body = texts(app_page("presentatie", deck="raad", dia="1"))
    assert "snapshot" not in body and "Bron: CBS, 99901TST" in body


def test_a_bundle_with_a_bad_deck_changes_nothing(bundle, tmp_path, monkeypatch, capsys):
    _, out = bundle
    with zipfile.ZipFile(out) as zf:
        snapshot = zf.read(SNAPSHOT_MEMBER)
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(bad, "w") as zf:
        zf.writestr(DECK_MEMBER, 'titel = "x"\n[[dia]]\nopgave = "testwonen"\nindicator = "testwonen.weg"\n')
        zf.writestr(SNAPSHOT_MEMBER, snapshot)
    go_offline(tmp_path, monkeypatch)
    assert cli(["import", str(bad), "--deck-name", "raad"]) == 1
    assert "deck.toml [dia 1] indicator: unknown indicator 'testwonen.weg'" in capsys.readouterr().err
    assert not (tmp_path / "offline" / "data").exists() and not (tmp_path / "decks").exists()
