"""Follow along: one presenter and N followers (browser contexts at 390x844) in Chromium.

Measures, per "next" of the presenter, the time until each follower shows the new slide
(p50, p95, max over all followers and moves), follower errors (a phone that did not open or
did not arrive within 30 s), and the CPU (% of one core) and resident memory of the server,
plus the CPU of the Chromium that plays the followers (it shares the machine), while the
followers poll. Runs on the hand-made test fixtures; prints `uptime` before and after, since
the numbers depend on what else the machine runs.

Followers are Chromium pages (``--clients browser``, as the issue asks) or, to measure the server
without 30 browsers on the same cores, protocol followers (``--clients protocol``) that speak
Streamlit's websocket protocol like bench/load.py and re-run the room's fragment every
POLL_SECONDS as the browser's timer does; they count a move when the new slide number reaches
them (no drawing). The presenter is a Chromium page in both.

Two server settings, side by side (``--variant``):
- ``app``: the app as deployed (.streamlit/config.toml: no forced garbage collection);
- ``forced-gc``: Streamlit's default ``runner.postScriptGC = true``, a full ``gc.collect(2)``
  after every script run, also after each follower's one-second poll of the room.

    python3 bench/follow.py [--followers 30] [--moves 3] [--variant app forced-gc] [--clients browser protocol]
"""
from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import connect

from bench.pages import CHROMIUM_ARGS
from data_sources.emulator import start_emulator
from tests.conftest import FIXTURE_CATALOGUE, FIXTURE_FILES
from tests.fixtures.mirror import build_mirror
from tests.server import start_streamlit

DECK, SLIDES = "voorbeeld-testwonen", 6
TICK = os.sysconf("SC_CLK_TCK")
VARIANTS = {"app": {}, "forced-gc": {"STREAMLIT_RUNNER_POST_SCRIPT_GC": "true"}}
OPEN_AT_ONCE = 5  # followers that load their page at the same time (a room scanning a QR code)


def _stat(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def cpu_seconds(pid: int) -> float:
    fields = _stat(pid)
    return (int(fields[11]) + int(fields[12])) / TICK  # utime + stime


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def descendants(pid: int) -> list[int]:
    """All processes below ``pid`` (Playwright's driver and the Chromium it starts)."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int(_stat(int(entry.name))[1])
            except (OSError, IndexError, ValueError):
                continue  # the process ended meanwhile
    found, todo = [], [pid]
    while todo:
        pid = todo.pop()
        children = [child for child, parent in parents.items() if parent == pid]
        found += children
        todo += children
    return found


def browser_cpu_seconds(exclude: int) -> float:
    total = 0.0
    for pid in descendants(os.getpid()):
        if pid != exclude:
            try:
                total += cpu_seconds(pid)
            except OSError:
                continue
    return total


class BrowserFollower:
    """A phone: a Chromium page at 390x844 on the follower's link."""

    def __init__(self, browser, url: str, room: str):
        self.browser, self.link, self.room = browser, f"{url}/presentatie?deck={DECK}&dia=1&volg={room}", room

    async def open(self) -> None:
        self.page = await (await self.browser.new_context(viewport={"width": 390, "height": 844})).new_page()
        await self.page.goto(self.link, timeout=120_000)
        await self.page.get_by_text(f"Je volgt zaal {self.room}").wait_for(timeout=120_000)

    async def shows(self, slide: int, timeout: float) -> None:
        await self.page.get_by_text(f"Dia {slide} / {SLIDES}").first.wait_for(timeout=timeout * 1000)

    async def close(self) -> None:
        pass  # closed with the browser


class ProtocolFollower:
    """A phone without a browser: opens the follower's link over Streamlit's websocket and
    re-runs the room's fragment whenever the server's auto-rerun interval has passed."""

    def __init__(self, browser, url: str, room: str):
        self.ws_url = url.replace("http://", "ws://", 1) + "/_stcore/stream"
        self.origin, self.query = url, f"deck={DECK}&dia=1&volg={room}"
        self.page_hash = self.fragment = ""
        self.interval = 1.0
        self.seen: dict[int, float] = {}  # slide -> when its number first reached this phone
        self.running = False
        self.tasks: list[asyncio.Task] = []

    async def open(self) -> None:
        self.ws = await connect(self.ws_url, subprotocols=["streamlit"], origin=self.origin, max_size=None, open_timeout=120)
        self.tasks = [asyncio.create_task(self._read())]
        await self._run()
        await self.shows(1, 120)
        self.tasks.append(asyncio.create_task(self._poll()))

    async def _run(self, fragment: str = "") -> None:
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string, state.page_name, state.page_script_hash = self.query, "presentatie", self.page_hash
        if fragment:
            state.fragment_id, state.is_auto_rerun = fragment, True
        self.running = True
        await self.ws.send(msg.SerializeToString())

    async def _read(self) -> None:
        async for raw in self.ws:
            fwd = ForwardMsg.FromString(raw)
            kind = fwd.WhichOneof("type")
            if kind == "navigation":  # the page st.navigation runs, as the browser sends it back
                self.page_hash = fwd.navigation.page_script_hash
            elif kind == "auto_rerun":
                self.fragment, self.interval = fwd.auto_rerun.fragment_id, fwd.auto_rerun.interval
            elif kind == "page_info_changed":
                self.query = fwd.page_info_changed.query_string
            elif kind == "script_finished":
                self.running = False
            elif kind == "delta":
                for slide in range(1, SLIDES + 1):
                    if slide not in self.seen and f"Dia {slide} / {SLIDES}".encode() in raw:
                        self.seen[slide] = time.monotonic()

    async def _poll(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            if self.fragment and not self.running:
                await self._run(self.fragment)

    async def shows(self, slide: int, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while slide not in self.seen:
            if time.monotonic() > deadline:
                raise TimeoutError(f"slide {slide} did not arrive")
            await asyncio.sleep(0.02)

    async def close(self) -> None:
        for task in self.tasks:
            task.cancel()
        await self.ws.close()


CLIENTS = {"browser": BrowserFollower, "protocol": ProtocolFollower}


async def open_follower(follower) -> object | None:
    try:
        await follower.open()
        return follower
    except Exception:  # noqa: BLE001 (a follower that cannot open is counted, the rest goes on)
        return None


async def run(url: str, pid: int, followers: int, moves: int, clients: str) -> dict:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        presenter = await (await browser.new_context(viewport={"width": 1920, "height": 1080})).new_page()
        await presenter.goto(f"{url}/presentatie?deck={DECK}&dia=1", timeout=120_000)
        await presenter.get_by_role("button", name="Laat de zaal meevolgen").click()
        await presenter.wait_for_url("**zaal=*", timeout=60_000)
        room = presenter.url.split("zaal=")[1][:5]
        opened = []
        for start in range(0, followers, OPEN_AT_ONCE):
            batch = await asyncio.gather(*(open_follower(CLIENTS[clients](browser, url, room)) for _ in range(start, min(start + OPEN_AT_ONCE, followers))))
            opened += batch
            print(f"{sum(page is not None for page in opened)} of {len(opened)} followers opened", file=sys.stderr, flush=True)
        phones = [page for page in opened if page is not None]
        latencies, errors = [], len(opened) - len(phones)
        await asyncio.sleep(5)  # settle: every phone polls before the first move
        cpu_before, browser_before, wall_before, peak = cpu_seconds(pid), browser_cpu_seconds(pid), time.monotonic(), rss_mb(pid)
        for move in range(2, 2 + moves):
            await presenter.get_by_role("button", name="Volgende ▶").click()
            started = time.monotonic()

            async def arrived(phone, n=move, started=started):
                nonlocal errors
                try:
                    await phone.shows(n, timeout=30)
                    latencies.append((phone.seen[n] if clients == "protocol" else time.monotonic()) - started)
                except Exception:  # noqa: BLE001 (a follower that never arrives is counted)
                    errors += 1

            await asyncio.gather(*(arrived(ph) for ph in phones))
            peak = max(peak, rss_mb(pid))
            await asyncio.sleep(3)
        wall = time.monotonic() - wall_before
        cpu = (cpu_seconds(pid) - cpu_before) / wall * 100
        browser_cpu = (browser_cpu_seconds(pid) - browser_before) / wall * 100
        for phone in phones:
            await phone.close()
        await browser.close()
    latencies.sort()
    return {
        "clients": clients, "followers_opened": len(phones), "moves": moves, "errors": errors,
        "p50_s": round(statistics.median(latencies), 2) if latencies else None,
        "p95_s": round(latencies[int(0.95 * (len(latencies) - 1))], 2) if latencies else None,
        "max_s": round(latencies[-1], 2) if latencies else None,
        "server_cpu_pct_of_one_core": round(cpu, 1), "server_rss_mb_peak": round(peak, 1),
        "chromium_cpu_pct_of_one_core": round(browser_cpu, 1),
    }


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--followers", type=int, default=30)
    parser.add_argument("--moves", type=int, default=3)
    parser.add_argument("--variant", nargs="+", choices=VARIANTS, default=list(VARIANTS))
    parser.add_argument("--clients", nargs="+", choices=CLIENTS, default=["browser"])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        emulator = start_emulator(build_mirror(Path(temp) / "mirror"))
        env = {**os.environ, **emulator.env(), "OPGAVEMONITOR_DATA_DIR": f"{temp}/data", "OPGAVEMONITOR_STATE_DIR": f"{temp}/state",
               "OPGAVEMONITOR_CATALOGUE_DIR": str(FIXTURE_CATALOGUE), "OPGAVEMONITOR_FILES_DIR": str(FIXTURE_FILES)}
        subprocess.run([sys.executable, "-m", "data_sources", "refresh"], cwd=ROOT, env=env, capture_output=True, timeout=300)
        try:
            for clients in args.clients:
                for variant in args.variant:
                    print(f"{variant}: {args.followers} {clients} followers, {args.moves} moves; {uptime()}", flush=True)
                    server, url = start_streamlit("app.py", {**env, **VARIANTS[variant]})
                    try:
                        print(f"{variant}: {asyncio.run(run(url, server.pid, args.followers, args.moves, clients))}", flush=True)
                    finally:
                        server.terminate()
                        server.wait(timeout=30)
                    print(f"{variant}: done; {uptime()}", flush=True)
        finally:
            emulator.stop()


if __name__ == "__main__":
    main()
