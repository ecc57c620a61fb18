"""A refresh's stored failure, as a visitor of a public (read-only) deployment reads it: its
kind, stored where the error was raised (test_faults.py, test_adapters.py and test_tabular.py
check those), translated; the stored text with its URLs and paths is never shown nor read."""
import pytest

from data_sources.failures import KINDS
from ui.language import speaking
from ui.reasons import failure_reason
from ui.texts import TEXTS

STORED = [
    ("missing", "table 99909TST does not exist in the opendata catalogue (catalogue entry x in x.toml)", "de bron kent deze tabel of dit bestand niet (meer)"),
    ("unreachable", "no answer within 7 s (timeout); gave up after 3 attempts: https://opendata.cbs.nl/x", "de bron was niet bereikbaar"),
    ("unreachable", "CBS niet bereikbaar (opendata.cbs.nl): connection failed (ConnectionError)", "de bron was niet bereikbaar"),
    ("server", "HTTP 503 (Service Unavailable); gave up after 3 attempts: https://opendata.cbs.nl/x", "de bron gaf een serverfout"),
    ("unreadable", "malformed JSON from https://opendata.cbs.nl/x (12 bytes)", "de bron leverde gegevens die niet te lezen waren"),
    ("unreadable", "file a.csv (/srv/files/a.csv), catalogue entry y: row 7, column 'Aantal': '12.5' is not a number",
     "de bron leverde gegevens die niet te lezen waren"),
    ("other", "something else entirely", "de bron gaf een fout"),
    (None, "HTTP 404 for https://opendata.cbs.nl/x (a record written before kinds were stored)", "de bron gaf een fout"),
    ("a kind of a newer release", "https://opendata.cbs.nl/x", "de bron gaf een fout"),
]


@pytest.mark.parametrize("kind, stored, shown", STORED)
def test_read_only_shows_the_kind_of_failure_never_urls_or_paths(kind, stored, shown, monkeypatch):
    monkeypatch.delenv("OPGAVEMONITOR_MODE", raising=False)
    assert failure_reason(kind, stored) == shown


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_kind_has_words_in_both_languages(lang, monkeypatch):
    monkeypatch.delenv("OPGAVEMONITOR_MODE", raising=False)
    with speaking(lang):
        shown = {kind: failure_reason(kind, "https://opendata.cbs.nl/x") for kind in KINDS}
    assert shown == {kind: TEXTS[f"failure_{kind}"][lang] for kind in KINDS}
    assert len(set(shown.values())) == len(KINDS) and not any("http" in text for text in shown.values())


def test_edit_mode_shows_the_stored_reason(monkeypatch):
    monkeypatch.setenv("OPGAVEMONITOR_MODE", "beheer")
    stored = "HTTP 503 (Service Unavailable); gave up after 3 attempts: https://opendata.cbs.nl/x"
    assert failure_reason("server", stored, markdown=False) == stored
    assert failure_reason("server", stored) != stored and "503" in failure_reason("server", stored)  # escaped for markdown
