"""Every fault kind: the refresh reports it, the store keeps the last good data, and no
partial file remains."""
import pytest

from data_sources.emulator import Fault
from data_sources.http import JsonClient, SourceError
from data_sources.refresh import refresh_one
from data_sources.settings import HttpSettings

FAULTS = [
    (Fault("TypedDataSet", "status", 503), "HTTP 503"),
    (Fault("TypedDataSet", "reset"), "connection"),
    (Fault("TypedDataSet", "truncate"), "connection broke off|malformed"),
    (Fault("TypedDataSet", "malformed"), "malformed JSON"),
    (Fault("TypedDataSet", "latency", 3), "timeout"),
]


def _files(store):
    return sorted(p.name for p in store.folder.iterdir())


@pytest.mark.parametrize("fault, message", FAULTS, ids=[f.kind for f, _ in FAULTS])
def test_fault_is_reported_and_last_good_data_kept(cbs, store, catalogue, fault, message, monkeypatch):
    monkeypatch.setenv("OPGAVEMONITOR_HTTP_TIMEOUT", "0.5")
    indicator = catalogue.indicator("testwonen.waarde")
    assert refresh_one(catalogue, store, indicator).ok
    good = store.frame(indicator.id)
    files_before = _files(store)

    cbs.faults.append(fault)
    outcome = refresh_one(catalogue, store, indicator)

    assert not outcome.ok
    assert __import__("re").search(message, outcome.error), outcome.error
    assert store.frame(indicator.id).equals(good)
    record = store.record(indicator.id)
    assert record.error == outcome.error and record.error_at and record.last_refresh
    assert _files(store) == files_before  # no temporary or partial file left


def test_transient_5xx_is_retried_with_backoff(cbs, catalogue):
    cbs.faults.append(Fault("TypedDataSet", "status", 502, times=2))
    waits = []
    client = JsonClient(HttpSettings(timeout=2, retries=2, backoff=0.25), sleep=waits.append)
    from data_sources.adapters import ADAPTERS

    frame, _ = ADAPTERS["cbs"](catalogue.indicator("testwonen.waarde"), client)
    assert not frame.empty
    assert waits == [0.25, 0.5]


def test_retries_are_bounded(cbs):
    cbs.faults.append(Fault("Properties", "status", 500))
    client = JsonClient(HttpSettings(timeout=2, retries=3, backoff=0), sleep=lambda s: None)
    with pytest.raises(SourceError, match="gave up after 4 attempts"):
        client.get_json(f"{cbs.v4_url}/CBS/99903TST/Properties")
    assert client.requests == 4


def test_client_errors_are_not_retried(cbs):
    client = JsonClient(HttpSettings(timeout=2, retries=3, backoff=0), sleep=lambda s: None)
    with pytest.raises(SourceError, match="HTTP 404"):
        client.get_json(f"{cbs.v4_url}/CBS/00000XXX/Properties")
    assert client.requests == 1


def test_a_persistent_429_is_reported_with_its_status_and_data_kept(cbs, store, catalogue):
    indicator = catalogue.indicator("testwonen.waarde")
    assert refresh_one(catalogue, store, indicator).ok
    good = store.frame(indicator.id)
    cbs.faults.append(Fault("TypedDataSet", "status", 429, retry_after="0"))
    outcome = refresh_one(catalogue, store, indicator)
    host = cbs.url.removeprefix("http://")
    assert not outcome.ok and outcome.error == f"CBS is druk ({host}): HTTP 429 (injected fault)"  # three in a row: host given up
    assert outcome.given_up == f"CBS is druk ({host})"
    assert store.frame(indicator.id).equals(good)


def test_a_host_given_up_fails_its_other_indicators_at_once(cbs, store, catalogue):
    """Three refused connections in a row and the host is not tried again in this run."""
    from data_sources.http import HostHealth

    hosts = HostHealth(limit=3)
    cbs.faults.append(Fault("99901TST", "reset"))
    first = refresh_one(catalogue, store, catalogue.indicator("testwonen.waarde"), hosts=hosts)
    host = cbs.url.removeprefix("http://")
    assert first.unreachable == host and first.error.startswith(f"CBS niet bereikbaar ({host}): connection failed")
    cbs.log.clear()
    second = refresh_one(catalogue, store, catalogue.indicator("testwonen.aantal"), hosts=hosts)
    assert second.unreachable == host and second.requests == 0 and cbs.log == []
