"""Follow along: one presenter and N followers (browser contexts at 390x844) in Chromium.

Measures, per "next" of the presenter, the time until each follower shows the new slide
(p50, p95, max over all followers and moves), follower errors, and the server's CPU (% of one
core) and resident memory while the followers poll. Runs on the hand-made test fixtures.

    python3 bench/follow.py [--followers 30] [--moves 3]
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


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # utime + stime


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def run(url: str, pid: int, followers: int, moves: int) -> dict:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        presenter = await (await browser.new_context(viewport={"width": 1920, "height": 1080})).new_page()
        await presenter.goto(f"{url}/presentatie?deck={DECK}&dia=1")
        await presenter.get_by_role("button", name="Laat de zaal meevolgen").click()
        await presenter.wait_for_url("**zaal=*", timeout=60_000)
        room = presenter.url.split("zaal=")[1][:5]
        phones = []
        for _ in range(followers):
            page = await (await browser.new_context(viewport={"width": 390, "height": 844})).new_page()
            await page.goto(f"{url}/presentatie?deck={DECK}&dia=1&volg={room}", timeout=180_000, wait_until="domcontentloaded")
            phones.append(page)
            print(f"follower {len(phones)} opened", file=sys.stderr, flush=True)
        await asyncio.gather(*(ph.get_by_text(f"Je volgt zaal {room}").wait_for(timeout=180_000) for ph in phones))
        latencies, errors = [], 0
        cpu_before, wall_before, peak = cpu_seconds(pid), time.monotonic(), rss_mb(pid)
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
        cpu = (cpu_seconds(pid) - cpu_before) / (time.monotonic() - wall_before) * 100
        await browser.close()
    latencies.sort()
    return {
        "followers": followers, "moves": moves, "errors": errors,
        "p50_s": round(statistics.median(latencies), 2) if latencies else None,
        "p95_s": round(latencies[int(0.95 * (len(latencies) - 1))], 2) if latencies else None,
        "max_s": round(latencies[-1], 2) if latencies else None,
        "server_cpu_pct_of_one_core": round(cpu, 1), "server_rss_mb_peak": round(peak, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--followers", type=int, default=30)
    parser.add_argument("--moves", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        emulator = start_emulator(build_mirror(Path(temp) / "mirror"))
        env = {**os.environ, **emulator.env(), "OPGAVEMONITOR_DATA_DIR": f"{temp}/data", "OPGAVEMONITOR_STATE_DIR": f"{temp}/state",
               "OPGAVEMONITOR_CATALOGUE_DIR": str(FIXTURE_CATALOGUE), "OPGAVEMONITOR_FILES_DIR": str(FIXTURE_FILES)}
        subprocess.run([sys.executable, "-m", "data_sources", "refresh"], cwd=ROOT, env=env, capture_output=True, timeout=300)
        server, url = serve("app.py", env)
        try:
            print(asyncio.run(run(url, server.pid, args.followers, args.moves)))
        finally:
            server.terminate()
            server.wait(timeout=30)
            emulator.stop()


if __name__ == "__main__":
    main()
