"""The one way tests and benchmarks start the app: a Streamlit server on a free loopback port,
ready once its health endpoint answers; and a store filled by the CLI's refresh whose outcome
is checked (a refresh that silently failed would make every later check meaningless)."""
from __future__ import annotations

import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def healthy(url: str) -> bool:
    try:
        return requests.get(f"{url}/_stcore/health", timeout=1).ok
    except requests.RequestException:
        return False


def wait_healthy(url: str, seconds: float = 90, proc: subprocess.Popen | None = None) -> None:
    """Until ``url`` answers its health check; fails at once when ``proc`` has exited."""
    deadline = time.time() + seconds
    while not healthy(url):
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{url}: the server exited with code {proc.returncode} before it answered")
        if time.time() > deadline:
            raise RuntimeError(f"{url} did not come up in {seconds} s")
        time.sleep(0.3)


def start_streamlit(script: str, env: dict, seconds: float = 90, output=subprocess.DEVNULL) -> tuple[subprocess.Popen, str]:
    """``streamlit run script`` (with the repository's .streamlit/config.toml) on 127.0.0.1
    and a free port, healthy; ``output`` takes the server's log (a file, to read what it
    logged). The caller stops it (``stop``)."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", script, "--server.address", "127.0.0.1", "--server.port", str(port),
         "--server.headless", "true", "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=output, stderr=output,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, seconds, proc)
    except BaseException:
        stop(proc)
        raise
    return proc, url


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    proc.wait(timeout=30)


@contextmanager
def streamlit_server(env: dict, script: str = "app.py", output=subprocess.DEVNULL, seconds: float = 90):
    """A served app for the length of a ``with``; yields its URL."""
    proc, url = start_streamlit(str(script), env, seconds, output)
    try:
        yield url
    finally:
        stop(proc)


def cli(env: dict, *args: str, failed: tuple[str, ...] = (), timeout: float = 300) -> str:
    """``python -m data_sources *args``; it must exit 0, or 1 with exactly ``failed`` reported
    as FAILED (the fixture catalogue's ``testenergie.kapot`` points at a table that does not
    exist, on purpose)."""
    done = subprocess.run([sys.executable, "-m", "data_sources", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    reported = sorted(line.split()[0] for line in done.stdout.splitlines() if "FAILED" in line)
    assert (done.returncode, reported) == (1 if failed else 0, sorted(failed)), done.stdout + done.stderr
    return done.stdout
