"""Follow along: one presenter and N followers (browser contexts at 390x844) in Chromium.

Measures, per "next" of the presenter, the time until each follower shows the new slide
(p50, p95, max over all followers and moves), follower errors (a phone that did not open or
did not arrive within 30 s), and the CPU (% of one core) and resident memory of the server,
plus the CPU of the Chromium that plays the followers (it shares the machine), while the
followers poll. Runs on the hand-made test fixtures; prints `uptime` before and after, since
the numbers depend on what else the machine runs.

Two server settings, side by side (``--variant``):
- ``app``: the app as deployed (.streamlit/config.toml: no forced garbage collection);
- ``forced-gc``: Streamlit's default ``runner.postScriptGC = true``, a full ``gc.collect(2)``
  after every script run, also after each follower's one-second poll of the room.

    python3 bench/follow.py [--followers 30] [--moves 3] [--variant app forced-gc]
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

from bench.pages import CHROMIUM_ARGS, serve  # noqa: E402
from data_sources.emulator import start_emulator  # noqa: E402
from tests.conftest import FIXTURE_CATALOGUE, FIXTURE_FILES  # noqa: E402
from tests.fixtures.mirror import build_mirror  # noqa: E402

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


async def open_follower(browser, url: str, room: str) -> object | None:
    page = await (await browser.new_context(viewport={"width": 390, "height": 844})).new_page()
    try:
        await page.goto(f"{url}/presentatie?deck={DECK}&dia=1&volg={room}", timeout=120_000)
        await page.get_by_text(f"Je volgt zaal {room}").wait_for(timeout=120_000)
        return page
    except Exception:  # noqa: BLE001 (a follower that cannot open is counted, the rest goes on)
        return None


async def run(url: str, pid: int, followers: int, moves: int) -> dict:
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
            batch = await asyncio.gather(*(open_follower(browser, url, room) for _ in range(start, min(start + OPEN_AT_ONCE, followers))))
            opened += batch
            print(f"{sum(page is not None for page in opened)} of {len(opened)} followers opened", file=sys.stderr, flush=True)
        phones = [page for page in opened if page is not None]
        latencies, errors = [], len(opened) - len(phones)
        await asyncio.sleep(5)  # settle: every phone polls before the first move
        cpu_before, browser_before, wall_before, peak = cpu_seconds(pid), browser_cpu_seconds(pid), time.monotonic(), rss_mb(pid)
        for move in range(2, 2 + moves):
            await presenter.get_by_role("button", name="Volgende ▶").click()
            started = time.monotonic()

            async def arrived(page, n=move):
                nonlocal errors
                try:
                    await page.get_by_text(f"Dia {n} / {SLIDES}").first.wait_for(timeout=30_000)
                    latencies.append(time.monotonic() - started)
                except Exception:  # noqa: BLE001 (a follower that never arrives is counted)
                    errors += 1

            await asyncio.gather(*(arrived(ph) for ph in phones))
            peak = max(peak, rss_mb(pid))
            await asyncio.sleep(3)
        wall = time.monotonic() - wall_before
        cpu = (cpu_seconds(pid) - cpu_before) / wall * 100
        browser_cpu = (browser_cpu_seconds(pid) - browser_before) / wall * 100
        await browser.close()
    latencies.sort()
    return {
        "followers_opened": len(phones), "moves": moves, "errors": errors,
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
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        emulator = start_emulator(build_mirror(Path(temp) / "mirror"))
        env = {**os.environ, **emulator.env(), "OPGAVEMONITOR_DATA_DIR": f"{temp}/data", "OPGAVEMONITOR_STATE_DIR": f"{temp}/state",
               "OPGAVEMONITOR_CATALOGUE_DIR": str(FIXTURE_CATALOGUE), "OPGAVEMONITOR_FILES_DIR": str(FIXTURE_FILES)}
        subprocess.run([sys.executable, "-m", "data_sources", "refresh"], cwd=ROOT, env=env, capture_output=True, timeout=300)
        try:
            for variant in args.variant:
                print(f"{variant}: {args.followers} followers, {args.moves} moves; {uptime()}", flush=True)
                server, url = serve("app.py", {**env, **VARIANTS[variant]})
                try:
                    print(f"{variant}: {asyncio.run(run(url, server.pid, args.followers, args.moves))}", flush=True)
                finally:
                    server.terminate()
                    server.wait(timeout=30)
                print(f"{variant}: done; {uptime()}", flush=True)
        finally:
            emulator.stop()


if __name__ == "__main__":
    main()
