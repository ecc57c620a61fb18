"""CBS outages with the DEFAULT settings (30 s timeout, 3 retries): a black-holed host (accepts
connections, never answers) and a closed port each cost one short give-up per host, not an
hour, and every indicator keeps its last good data. 429 and 503 honour Retry-After. The
black hole with the defaults waits about 23 s and is ``slow``; the fast tier runs the same
checks against it with a short first timeout and back-off."""
import socket
import threading
import time
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from data_sources.emulator import Fault
from data_sources.http import MAX_RETRY_AFTER, HostHealth, HostUnreachable, JsonClient, SourceError
from data_sources.refresh import refresh, refresh_one, unreachable_hosts
from data_sources.settings import HttpSettings

GIVE_UP_SECONDS = 30


@pytest.fixture
def filled(cbs, store, catalogue):
    outcomes = refresh(catalogue, store, catalogue.indicators())
    good = {o.indicator: store.frame(o.indicator) for o in outcomes if o.ok}
    assert len(good) >= 4
    return good


def _point_at(monkeypatch, url):
    for key in ("OPGAVEMONITOR_CBS_V3_URL", "OPGAVEMONITOR_CBS_DATADERDEN_URL"):
        monkeypatch.setenv(key, url)
    monkeypatch.setenv("OPGAVEMONITOR_CBS_V4_URL", f"{url}/odata/v1")
    for key in ("OPGAVEMONITOR_HTTP_TIMEOUT", "OPGAVEMONITOR_HTTP_RETRIES", "OPGAVEMONITOR_HTTP_BACKOFF"):
        monkeypatch.delenv(key)  # the defaults, as an operator runs it
    assert HttpSettings.from_env() == HttpSettings(timeout=30, retries=3, backoff=0.5)


@pytest.fixture
def black_hole():
    """Listens (so connections succeed), never accepts, never answers."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    sock.close()


@pytest.fixture
def closed_port():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens: connections are refused
    return f"http://127.0.0.1:{port}"


SHORT_WAITS = {"OPGAVEMONITOR_HTTP_FIRST_TIMEOUT": "0.5", "OPGAVEMONITOR_HTTP_BACKOFF": "0.05"}


@pytest.mark.parametrize(
    "kind, waits",
    [
        pytest.param("black_hole", {}, marks=pytest.mark.slow, id="black_hole"),
        pytest.param("black_hole", SHORT_WAITS, id="black_hole-short_waits"),
        pytest.param("closed_port", {}, id="closed_port"),
    ],
)
def test_an_unreachable_cbs_is_given_up_quickly_and_loses_nothing(filled, store, catalogue, monkeypatch, request, kind, waits):
    url = request.getfixturevalue(kind)
    _point_at(monkeypatch, url)
    for key, value in waits.items():
        monkeypatch.setenv(key, value)
    started = time.perf_counter()
    outcomes = refresh(catalogue, store, catalogue.indicators())
    seconds = time.perf_counter() - started
    print(f"{kind}: refresh gave up after {seconds:.1f} s")
    assert seconds < GIVE_UP_SECONDS
    host = url.removeprefix("http://")
    assert unreachable_hosts(outcomes) == [host]
    def source(o):
        return catalogue.indicator(o.indicator).source

    sourced = [o for o in outcomes if source(o) and source(o).adapter != "tabular"]  # files come from another host
    assert sourced and all(not o.ok and o.error.startswith(f"CBS niet bereikbaar ({host})") for o in sourced)
    assert sum(o.requests for o in sourced) == 3  # one host, three tries, then nobody waits
    for indicator_id, frame in filled.items():
        assert store.frame(indicator_id).equals(frame)
    assert all(store.record(o.indicator).error == o.error for o in sourced)


def test_a_host_that_answered_gets_the_full_timeout(cbs):
    """Only until a host has answered once is the short first timeout used."""
    hosts = HostHealth(limit=3)
    settings = HttpSettings(timeout=2, retries=0, first_timeout=0.3)
    cbs.faults.append(Fault("Properties", "latency", 1, times=1))
    with pytest.raises(SourceError, match="no answer within 0.3 s"):
        JsonClient(settings, hosts=hosts).get_json(f"{cbs.v4_url}/CBS/99903TST/Properties")
    cbs.faults.append(Fault("Properties", "latency", 1, times=1))
    JsonClient(settings, hosts=hosts).get_json(f"{cbs.v4_url}/CBS/99903TST/Dimensions")  # answers
    assert JsonClient(settings, hosts=hosts).get_json(f"{cbs.v4_url}/CBS/99903TST/Properties")["Identifier"] == "99903TST"


@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_in_seconds_is_honoured(cbs, catalogue, store, status):
    cbs.faults.append(Fault("TypedDataSet", "status", status, times=1, retry_after="2"))
    started = time.perf_counter()
    outcome = refresh_one(catalogue, store, catalogue.indicator("testwonen.waarde"))
    seconds = time.perf_counter() - started
    print(f"HTTP {status} with Retry-After 2: refresh took {seconds:.2f} s")
    assert outcome.ok, outcome.error
    assert 2 <= seconds < 10


def test_retry_after_as_a_date_and_capped(cbs):
    waits = []
    client = JsonClient(HttpSettings(timeout=2, retries=2, backoff=0.01, busy_budget=1000), sleep=waits.append)
    soon = format_datetime(datetime.now(UTC) + timedelta(seconds=20), usegmt=True)
    cbs.faults.append(Fault("Properties", "status", 429, times=1, retry_after=soon))
    cbs.faults.append(Fault("Properties", "status", 503, times=1, retry_after="86400"))
    client.get_json(f"{cbs.v4_url}/CBS/99903TST/Properties")
    assert 17 < waits[0] <= 20 and waits[1] == MAX_RETRY_AFTER


def test_429_counts_as_an_attempt_and_keeps_its_status(cbs):
    cbs.faults.append(Fault("Properties", "status", 429, retry_after="1"))
    waits = []
    client = JsonClient(HttpSettings(timeout=2, retries=2, backoff=0.01), sleep=waits.append)
    with pytest.raises(SourceError) as caught:
        client.get_json(f"{cbs.v4_url}/CBS/99903TST/Properties")
    assert caught.value.status == 429 and client.requests == 3 and waits == [1.0, 1.0]


# -- a CBS that answers slowly or says it is busy (issue 15.12) ------------------------------


@contextmanager
def answering(kind: str, interval: float = 5.0):
    """A local HTTP server that answers every GET with ``busy`` (429, Retry-After: 20) or
    ``drip`` (headers, then one byte every ``interval`` seconds of a body that never ends);
    yields its URL."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # the name http.server calls
            if kind == "busy":
                body = b'{"odata.error": {"message": {"value": "too many requests"}}}'
                self.send_response(429)
                self.send_header("Retry-After", "20")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", "1000000")
            self.end_headers()
            try:
                while True:
                    self.wfile.write(b" ")
                    self.wfile.flush()
                    time.sleep(interval)
            except OSError:
                pass  # the client gave up

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)  # a quick shutdown
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_a_dripping_answer_is_cut_off_at_the_deadline():
    """A read timeout alone never fires on a server that sends a byte every half second."""
    settings = HttpSettings(timeout=2, retries=0, deadline=1.5)
    with answering("drip", interval=0.5) as url:
        client = JsonClient(settings)
        started = time.perf_counter()
        with pytest.raises(SourceError, match=r"no complete answer within 1.5 s \(total timeout\)") as caught:
            client.get_json(f"{url}/x")
        seconds = time.perf_counter() - started
    assert 1.4 < seconds < 2.5
    assert caught.value.status is None and client.hosts.failures[url.removeprefix("http://")] == 1


def test_busy_answers_count_toward_giving_a_host_up(cbs, store, catalogue):
    """Three 429s in a row give the host up as busy; the next indicator asks nothing."""
    hosts = HostHealth(limit=3, budget=100)
    cbs.faults.append(Fault("TypedDataSet", "status", 429, retry_after="0"))
    first = refresh_one(catalogue, store, catalogue.indicator("testwonen.waarde"), hosts=hosts)
    host = cbs.url.removeprefix("http://")
    assert first.given_up == f"CBS is druk ({host})" and first.error.startswith(f"CBS is druk ({host}): HTTP 429")
    cbs.log.clear()
    second = refresh_one(catalogue, store, catalogue.indicator("testwonen.aantal"), hosts=hosts)
    assert second.given_up == first.given_up and second.requests == 0 and cbs.log == []


def test_a_good_answer_between_busy_ones_resets_the_count(cbs):
    hosts = HostHealth(limit=3, budget=100)
    client = JsonClient(HttpSettings(timeout=2, retries=1, backoff=0), sleep=lambda s: None, hosts=hosts)
    for _ in range(4):
        cbs.faults.append(Fault("Properties", "status", 503, times=1, retry_after="0"))
        client.get_json(f"{cbs.v4_url}/CBS/99903TST/Properties")  # 503, then a good answer
    assert hosts.down == {} and hosts.failures[cbs.url.removeprefix("http://")] == 0


def test_waiting_beyond_the_hosts_budget_gives_it_up_at_once(cbs):
    """Retry-After is honoured until the run's waits on the host would pass the budget."""
    waits = []
    hosts = HostHealth(limit=10, budget=30)
    client = JsonClient(HttpSettings(timeout=2, retries=5, backoff=0.01), sleep=waits.append, hosts=hosts)
    cbs.faults.append(Fault("Properties", "status", 429, retry_after="20"))
    with pytest.raises(HostUnreachable, match=r"CBS is druk \(.*\): HTTP 429 .*would wait 40 s in all \(budget 30 s\)") as caught:
        client.get_json(f"{cbs.v4_url}/CBS/99903TST/Properties")
    assert waits == [20.0] and caught.value.status == 429 and caught.value.busy
    with pytest.raises(HostUnreachable):  # and stays given up for the run
        client.get_json(f"{cbs.v4_url}/CBS/99903TST/Dimensions")


def test_refresh_says_cbs_is_busy_once_per_host(cbs, store, monkeypatch, capsys):
    from data_sources.__main__ import main as cli

    monkeypatch.setenv("OPGAVEMONITOR_HTTP_RETRIES", "5")
    cbs.faults.append(Fault("", "status", 429, retry_after="0"))  # every request
    assert cli(["refresh"]) == 1
    err = capsys.readouterr().err
    host = cbs.url.removeprefix("http://")
    assert err.count("CBS is druk") == 1 and f"CBS is druk ({host}): its indicators keep their last good data" in err


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["busy", "drip"])
def test_a_busy_or_dripping_cbs_ends_a_full_refresh_within_150_s_and_keeps_every_figure(kind, shared_mirror, tmp_path):
    """The measurement of issue 15.12: the whole real catalogue (and its boundaries), default
    settings, every CBS and boundary URL at a server that answers 429 with Retry-After: 20 to
    everything, or one that drips a byte every 5 s."""
    import os
    import subprocess
    import sys

    from data_sources.catalogue import load_catalogue
    from data_sources.emulator import start_emulator
    from data_sources.store import Store
    from tests.conftest import ROOT

    env = {k: v for k, v in os.environ.items() if not k.startswith("OPGAVEMONITOR_")}
    env["OPGAVEMONITOR_DATA_DIR"] = str(tmp_path / "data")
    refresh = [sys.executable, "-m", "data_sources", "refresh"]
    emulator = start_emulator(shared_mirror)
    try:
        filled = subprocess.run(refresh, cwd=ROOT, env={**env, **emulator.env()}, capture_output=True, text=True, timeout=600)
    finally:
        emulator.stop()
    assert filled.returncode == 0, filled.stdout[-2000:]
    store = Store(tmp_path / "data")
    good = {path.stem: store.frame(path.stem) for path in store.folder.glob("*.json")}
    assert len(good) >= 60
    with answering(kind) as url:
        urls = {"OPGAVEMONITOR_CBS_V3_URL": url, "OPGAVEMONITOR_CBS_DATADERDEN_URL": url,
                "OPGAVEMONITOR_CBS_V4_URL": f"{url}/odata/v1", "OPGAVEMONITOR_GEO_URL": url}
        started = time.perf_counter()
        run = subprocess.run(refresh, cwd=ROOT, env={**env, **urls}, capture_output=True, text=True, timeout=600)
        seconds = time.perf_counter() - started
    print(f"{kind}: a full refresh of {len(good)} indicators gave up after {seconds:.1f} s")
    assert seconds < 150
    host = url.removeprefix("http://")
    headline = f"CBS is druk ({host})" if kind == "busy" else f"CBS niet bereikbaar ({host})"
    assert run.returncode == 1 and run.stderr.count(headline) == 1, run.stderr[-2000:]
    from_cbs = [i for i in load_catalogue().indicators() if i.id in good and i.source and i.source.adapter != "tabular"]
    assert f"{len(good) - len(from_cbs)} ok, {len(from_cbs)} failed" in run.stdout  # derived ones and local files need no CBS
    for indicator_id, frame in good.items():
        assert store.frame(indicator_id).equals(frame), indicator_id
