"""Every fault kind: the refresh reports it, the store keeps the last good data, and no
partial file remains."""
import pytest

from data_sources.emulator import Fault
from data_sources.http import JsonClient, SourceError
from data_sources.refresh import refresh_one
from data_sources.settings import HttpSettings

# (fault, words in the operator's reason, the kind pages show: set where the error is raised)
FAULTS = [
    (Fault("TypedDataSet", "status", 503), "HTTP 503", "server"),
    (Fault("TypedDataSet", "reset"), "connection", "unreachable"),
    (Fault("TypedDataSet", "truncate"), "connection broke off|malformed", "unreachable|unreadable"),
    (Fault("TypedDataSet", "malformed"), "malformed JSON", "unreadable"),
    (Fault("TypedDataSet", "latency", 3), "timeout", "unreachable"),
]


def _files(store):
    return sorted(p.name for p in store.folder.iterdir())


@pytest.mark.parametrize("fault, message, kind", FAULTS, ids=[f.kind for f, _, _ in FAULTS])
def test_fault_is_reported_and_last_good_data_kept(cbs, store, catalogue, fault, message, kind, monkeypatch):
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
    assert __import__("re").fullmatch(kind, record.error_kind) and outcome.kind == record.error_kind
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
    with pytest.raises(SourceError, match="HTTP 404") as err:
        client.get_json(f"{cbs.v4_url}/CBS/00000XXX/Properties")
    assert client.requests == 1 and (err.value.kind, err.value.status) == ("missing", 404)


def test_a_persistent_429_is_reported_with_its_status_and_data_kept(cbs, store, catalogue):
    indicator = catalogue.indicator("testwonen.waarde")
    assert refresh_one(catalogue, store, indicator).ok
    good = store.frame(indicator.id)
    cbs.faults.append(Fault("TypedDataSet", "status", 429, retry_after="0"))
    outcome = refresh_one(catalogue, store, indicator)
    host = cbs.url.removeprefix("http://")
    assert not outcome.ok and outcome.error == f"CBS is druk ({host}): HTTP 429 (injected fault)"  # three in a row: host given up
    assert outcome.given_up == f"CBS is druk ({host})"
    assert (store.record(indicator.id).error_kind, store.record(indicator.id).error_status) == ("server", 429)
    assert store.frame(indicator.id).equals(good)


def test_a_host_given_up_fails_its_other_indicators_at_once(cbs, store, catalogue):
    """Three refused connections in a row and the host is not tried again in this run."""
    from data_sources.http import HostHealth

    hosts = HostHealth(limit=3)
    cbs.faults.append(Fault("99901TST", "reset"))
    first = refresh_one(catalogue, store, catalogue.indicator("testwonen.waarde"), hosts=hosts)
    host = cbs.url.removeprefix("http://")
    assert first.unreachable == host and first.error.startswith(f"CBS niet bereikbaar ({host}): connection failed")
    assert first.kind == "unreachable"
    cbs.log.clear()
    second = refresh_one(catalogue, store, catalogue.indicator("testwonen.aantal"), hosts=hosts)
    assert second.unreachable == host and second.requests == 0 and cbs.log == []


def test_a_bug_is_stored_as_internal_logged_with_its_traceback_and_the_run_goes_on(cbs, store, catalogue, monkeypatch, caplog):
    """A programming error is no source failure: the operator gets the traceback in the log,
    the record says "internal", and the other indicators are still refreshed."""
    import logging

    from data_sources.adapters import ADAPTERS
    from data_sources.refresh import refresh

    def buggy(indicator, client):
        raise KeyError("x")

    monkeypatch.setitem(ADAPTERS, "cbs", buggy)
    chosen = [catalogue.indicator("testwonen.waarde"), catalogue.indicator("testwonen.aantal")]  # cbs, cbs_v4
    with caplog.at_level(logging.ERROR, logger="data_sources.refresh"):
        outcomes = {o.indicator: o for o in refresh(catalogue, store, chosen)}
    assert not outcomes["testwonen.waarde"].ok and outcomes["testwonen.aantal"].ok
    record = store.record("testwonen.waarde")
    assert (record.error_kind, record.error_status) == ("internal", None) and "KeyError" in record.error
    logged = [r for r in caplog.records if r.name == "data_sources.refresh"]
    assert len(logged) == 1 and "testwonen.waarde" in logged[0].getMessage()
    assert logged[0].exc_info and logged[0].exc_info[0] is KeyError  # with its traceback


def test_a_source_error_keeps_its_kind_and_status(cbs, store, catalogue, monkeypatch, caplog):
    from data_sources.adapters import ADAPTERS

    def gone(indicator, client):
        raise SourceError("HTTP 404 for https://opendata.cbs.nl/x: no such table", status=404)

    monkeypatch.setitem(ADAPTERS, "cbs", gone)
    outcome = refresh_one(catalogue, store, catalogue.indicator("testwonen.waarde"))
    record = store.record("testwonen.waarde")
    assert not outcome.ok and outcome.kind == "missing"
    assert (record.error_kind, record.error_status) == ("missing", 404)
    assert record.failure.reason == "HTTP 404 for https://opendata.cbs.nl/x: no such table"
    assert not caplog.records  # a source's failure is no bug: nothing logged
