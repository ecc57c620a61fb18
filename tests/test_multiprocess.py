"""The production set-up: deploy/run-multi.sh runs two app processes behind nginx, all reading
one store, with one refresh job writing it. Pages are opened through the proxy in Chromium.

nginx's access log names the app process (upstream) of every request and the sticky key, so
the test can see which process served each browser session (its websocket)."""
from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.browser import CHROMIUM, close
from tests.server import free_port, wait_healthy

ROOT = Path(__file__).resolve().parent.parent
RUN_MULTI = ROOT / "deploy" / "run-multi.sh"
COOKIE = "opgavemonitor_backend"
NEVER = "nog nooit ververst"  # the empty state of an indicator without data
LOG_LINE = re.compile(r'"GET (?P<path>\S+) HTTP/1.1" (?P<status>\d+) upstream=(?P<upstream>\S+) sticky=(?P<key>\S+)')

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not shutil.which("nginx"), reason="nginx is not installed (apt-get install nginx)"),
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (apt-get install chromium)"),
]


@pytest.fixture(scope="module")
def deployment(tmp_path_factory, mirror_dir):
    """Two app processes + nginx on free loopback ports; the store holds only the testwonen
    opgave, so a later refresh of everything visibly adds testenergie."""
    from data_sources.emulator import start_emulator
    from tests.conftest import FIXTURE_CATALOGUE, FIXTURE_FILES

    emulator = start_emulator(mirror_dir)
    run_dir = tmp_path_factory.mktemp("multi")
    env = {**os.environ, **emulator.env(), "OPGAVEMONITOR_DATA_DIR": str(run_dir / "data"),
           "OPGAVEMONITOR_CATALOGUE_DIR": str(FIXTURE_CATALOGUE), "OPGAVEMONITOR_FILES_DIR": str(FIXTURE_FILES)}
    subprocess.run([sys.executable, "-m", "data_sources", "refresh", "--opgave", "testwonen"], cwd=ROOT, env=env,
                   capture_output=True, timeout=120, check=True)
    proxy_port, first_port = free_port(), free_port()
    app_ports = [first_port, first_port + 1]
    proc = subprocess.Popen(["bash", str(RUN_MULTI), "-n", "2", "-p", str(proxy_port), "-b", str(first_port), "-d", str(run_dir)],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for port in app_ports:
            wait_healthy(f"http://127.0.0.1:{port}")
        wait_healthy(f"http://127.0.0.1:{proxy_port}")
        yield {"url": f"http://127.0.0.1:{proxy_port}", "apps": {f"127.0.0.1:{p}" for p in app_ports}, "env": env,
               "log": run_dir / "access.log", "proc": proc}
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
        emulator.stop()


def sessions(log: Path) -> dict[str, set[str]]:
    """Sticky key -> the app processes that served its websocket sessions (/_stcore/stream,
    upgraded: status 101). nginx logs a websocket when it closes."""
    served = defaultdict(set)
    for match in LOG_LINE.finditer(log.read_text()):
        if match["path"] == "/_stcore/stream" and match["status"] == "101":
            served[match["key"]].add(match["upstream"])
    return served


def page_upstreams(log: Path, key: str) -> set[str]:
    return {m["upstream"] for m in LOG_LINE.finditer(log.read_text()) if m["key"] == key and m["path"] != "/_stcore/stream"}


def visit(browser, url: str, key: str | None = None, ready: str = "text=Stand van de opgaven") -> tuple[str, str]:
    """Open a page in a fresh browser (a new visitor, or one holding sticky key ``key``),
    wait for the app to render ``ready`` (a selector), and return (sticky key, page text)."""
    context = browser.new_context()
    if key:
        context.add_cookies([{"name": COOKIE, "value": key, "url": url}])
    page = context.new_page()
    page.goto(url)
    page.locator(ready).first.wait_for(timeout=30_000)
    page.wait_for_load_state("networkidle")
    body = page.inner_text("body")
    cookie = next(c["value"] for c in context.cookies() if c["name"] == COOKIE)
    close(context)  # no exception box; closes the websocket, so nginx logs it
    return cookie, body


def wait_for_log(log: Path, keys: set[str], seconds: float = 10) -> dict[str, set[str]]:
    deadline = time.time() + seconds
    while time.time() < deadline:
        served = sessions(log)
        if keys <= served.keys():
            return served
        time.sleep(0.2)
    return sessions(log)


def test_both_processes_serve_sticky_sessions_through_the_proxy(deployment, browser):
    url, log = deployment["url"], deployment["log"]
    keys: set[str] = set()
    for _ in range(16):  # new visitors land on a random process: both within a few visits
        key, body = visit(browser, url)
        assert "Testwonen" in body
        keys.add(key)
        served = wait_for_log(log, keys)
        if set().union(*served.values()) == deployment["apps"]:
            break
    served = wait_for_log(log, keys)
    assert keys <= served.keys(), "a page's websocket never went through nginx"
    assert set().union(*(served[k] for k in keys)) == deployment["apps"], served
    for key in keys:
        # sticky: the page, its assets and its websocket all went to one process
        assert len(served[key] | page_upstreams(log, key)) == 1, (key, served[key], page_upstreams(log, key))
    # a returning visitor keeps its process
    key = next(iter(keys))
    again, _ = visit(browser, url, key)
    assert again == key and wait_for_log(log, {key})[key] == served[key]


def test_a_refresh_by_the_job_shows_through_both_processes(deployment, browser):
    url, log = deployment["url"], deployment["log"]
    pinned: dict[str, str] = {}  # app process -> a sticky key that reaches it
    for _ in range(16):
        key, _ = visit(browser, url)
        pinned.setdefault(next(iter(wait_for_log(log, {key})[key])), key)
        if pinned.keys() == deployment["apps"]:
            break
    assert pinned.keys() == deployment["apps"]
    page = f"{url}/testenergie"
    for key in pinned.values():
        _, body = visit(browser, page, key, ready=f"text={NEVER}")
        assert NEVER in body and "Trend" not in body
    job = subprocess.run([sys.executable, "-m", "data_sources", "refresh"], cwd=ROOT, env=deployment["env"],
                         capture_output=True, text=True, timeout=120)
    assert "testenergie.cumulatief" in job.stdout and job.returncode == 1  # testenergie.kapot fails on purpose
    for app, key in pinned.items():
        _, body = visit(browser, page, key, ready=".js-plotly-plot")
        assert NEVER not in body and "Trend" in body, app
        assert wait_for_log(log, {key})[key] == {app}


@pytest.mark.slow
def test_nginx_refuses_an_upload_larger_than_the_app_takes(deployment):
    """nginx answers a 20 MB upload from its headers alone (client_max_body_size), before any
    byte of it reaches an app process."""
    where = urlsplit(deployment["url"])
    connection = http.client.HTTPConnection(where.hostname, where.port, timeout=30)
    connection.putrequest("PUT", "/_stcore/upload_file/any-session/any-file")
    connection.putheader("Content-Type", "multipart/form-data; boundary=x")
    connection.putheader("Content-Length", str(20 * 1024 * 1024))
    connection.endheaders()
    assert connection.getresponse().status == 413
    connection.close()


@pytest.mark.slow
def test_nginx_limits_how_many_uploads_one_client_sends(deployment):
    """Each upload is bounded in size; nginx also bounds their number per client address, so one
    client cannot fill an app process's memory with file after file. Pages are not counted."""
    where = urlsplit(deployment["url"])

    def status(method: str, path: str) -> int:
        connection = http.client.HTTPConnection(where.hostname, where.port, timeout=30)
        connection.request(method, path, body=b"" if method == "PUT" else None)
        code = connection.getresponse().status
        connection.close()
        return code

    uploads = [status("PUT", f"/_stcore/upload_file/any-session/file{i}") for i in range(25)]
    assert 429 not in uploads[:10]  # a person's uploads pass (the app itself refuses an unknown session)
    assert uploads[-5:] == [429] * 5
    assert status("GET", "/_stcore/health") == 200  # the rest of the site is not limited
