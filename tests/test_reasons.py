"""A refresh's stored reason, as a visitor of a public (read-only) deployment reads it."""
import pytest

from ui.reasons import failure_reason

STORED = {
    "table 99909TST does not exist in the opendata catalogue (catalogue entry x in x.toml)": "de bron kent deze tabel of dit bestand niet (meer)",
    "no answer within 7 s (timeout); gave up after 3 attempts: https://opendata.cbs.nl/x": "de bron was niet bereikbaar",
    "CBS niet bereikbaar (opendata.cbs.nl): connection failed (ConnectionError)": "de bron was niet bereikbaar",
    "HTTP 503 (Service Unavailable); gave up after 3 attempts: https://opendata.cbs.nl/x": "de bron gaf een serverfout",
    "malformed JSON from https://opendata.cbs.nl/x (12 bytes)": "de bron leverde gegevens die niet te lezen waren",
    "file a.csv (/srv/files/a.csv), catalogue entry y: row 7, column 'Aantal': '12.5' is not a number": "de bron leverde gegevens die niet te lezen waren",
    "something else entirely": "de bron gaf een fout",
}


@pytest.mark.parametrize("stored, shown", STORED.items())
def test_read_only_shows_the_kind_of_failure_never_urls_or_paths(stored, shown, monkeypatch):
    monkeypatch.delenv("OPGAVEMONITOR_MODE", raising=False)
    assert failure_reason(stored, "nl") == shown


def test_edit_mode_shows_the_stored_reason(monkeypatch):
    monkeypatch.setenv("OPGAVEMONITOR_MODE", "beheer")
    stored = "HTTP 503 (Service Unavailable); gave up after 3 attempts: https://opendata.cbs.nl/x"
    assert failure_reason(stored, "en", markdown=False) == stored
    assert failure_reason(stored, "en") != stored and "503" in failure_reason(stored, "en")  # escaped for markdown
