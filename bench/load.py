"""Server load: N viewers over Streamlit's own websocket protocol (no browser per viewer).

Each viewer opens an opgave page (a ``rerun_script`` BackMsg with the page name and query
string, as the browser sends it) and then changes the region again and again (the region
widget's new value in the next ``rerun_script``), each time waiting for ``script_finished``.
Viewers run back to back (closed loop, no think time), so throughput is what the server
can do. Per N it reports p50/p95 of a full rerun after a region change, reruns per second,
errors and the peak memory (RSS) of the app processes, for one Streamlit process and for
deploy/run-multi.sh (2 processes behind nginx), with ratios against N = 1, in one run. Both
set-ups run side by side and take turns per N; "server cores" (CPU seconds the app processes
got per second) and the load average show how much of the shared machine they had.

    python3 bench/load.py                          # store filled from ../shared/cbs-mirror via the emulator
    python3 bench/load.py --sessions 1,10 --seconds 10 --setups single
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from websockets.asyncio.client import connect

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from tests.server import free_port, start_streamlit, stop, wait_healthy

RERUN_TIMEOUT = 120  # seconds without script_finished: an error
REGION_KEY = "regio"  # the sidebar's region widget (ui/layout.py)


class ProtocolError(Exception):
    """The server did not answer as a Streamlit app should."""


class Viewer:
    """One browser tab, speaking Streamlit's websocket protocol."""

    def __init__(self, base_url: str, page: str, query: str = "", regions: int = 0):
        self.ws_url = base_url.replace("http://", "ws://", 1).rstrip("/") + "/_stcore/stream"
        self.origin = base_url.rstrip("/")
        self.page, self.query = page, query
        self.regions = regions  # choose among the first this many regions of the control (0: all)
        self.region_id: str | None = None  # widget id of the region control, from the first run
        self.region_options: list[str] = []
        self.ws = None

    async def open(self) -> float:
        self.ws = await connect(self.ws_url, subprotocols=["streamlit"], origin=self.origin, max_size=None, open_timeout=60)
        return await self.rerun()

    async def change_region(self, rng: random.Random) -> float:
        if not self.region_id:
            raise ProtocolError(f"no region widget ({REGION_KEY!r}) on page {self.page!r}")
        return await self.rerun([rng.choice(self.region_options[: self.regions or None])])

    async def rerun(self, region: list[str] | None = None) -> float:
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string, state.page_name = self.query, self.page
        if region is not None:
            widget = state.widget_states.widgets.add()
            widget.id = self.region_id
            widget.string_array_value.data.extend(region)
        started = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        await asyncio.wait_for(self._until_finished(), RERUN_TIMEOUT)
        return time.perf_counter() - started

    async def _until_finished(self) -> None:
        problem = None
        while True:
            fwd = ForwardMsg.FromString(await self.ws.recv())
            kind = fwd.WhichOneof("type")
            if kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                element = fwd.delta.new_element
                if element.WhichOneof("type") == "exception":
                    problem = f"exception on the page: {element.exception.message}"
                elif element.WhichOneof("type") == "multiselect" and element.multiselect.id.endswith(f"-{REGION_KEY}"):
                    self.region_id = element.multiselect.id
                    self.region_options = list(element.multiselect.options)
            elif kind == "page_info_changed":
                self.query = fwd.page_info_changed.query_string
            elif kind == "page_not_found":
                problem = f"page not found: {self.page!r}"
            elif kind == "script_finished":
                if fwd.script_finished != ForwardMsg.FINISHED_SUCCESSFULLY:
                    problem = problem or f"script finished with status {fwd.script_finished}"
                if problem:
                    raise ProtocolError(problem)
                return

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()


@dataclass
class LoadResult:
    sessions: int
    seconds: float
    open_times: list[float] = field(default_factory=list)
    rerun_times: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    peak_rss_mb: float = 0.0
    client_cpu: float = 0.0  # CPU seconds of this benchmark process (it shares the cores with the servers)
    load_average: float = 0.0  # of the machine, before the run (other users share it)
    server_cores: float = 0.0  # CPU seconds of the app processes per second of the run: cores they got

    @property
    def throughput(self) -> float:
        return len(self.rerun_times) / self.seconds

    def quantile(self, q: float) -> float:
        if len(self.rerun_times) < 2:
            return self.rerun_times[0] if self.rerun_times else float("nan")
        return statistics.quantiles(self.rerun_times, n=100, method="inclusive")[round(q * 100) - 1]


async def drive(base_url: str, page: str, sessions: int, seconds: float, warmup: float = 0.0, seed: int = 1,
                regions: int = 0) -> LoadResult:
    """Open ``sessions`` viewers at once, then let each change region back to back. Only
    reruns that finish inside the measuring window (``seconds`` long, after ``warmup``
    seconds, so that the viewers no longer start in step) count."""
    result = LoadResult(sessions, seconds)
    viewers = [Viewer(base_url, page, regions=regions) for _ in range(sessions)]

    async def opened(viewer: Viewer) -> bool:
        try:
            result.open_times.append(await viewer.open())
            return True
        except Exception as exc:  # noqa: BLE001 - any failure of a viewer is an error of the run, reported with its type
            result.errors.append(f"open: {type(exc).__name__}: {exc}")
            return False

    ready = [v for v, ok in zip(viewers, await asyncio.gather(*(opened(v) for v in viewers)), strict=True) if ok]
    window_start = time.perf_counter() + warmup
    deadline = window_start + seconds

    async def loop(viewer: Viewer, rng: random.Random) -> None:
        while time.perf_counter() < deadline:
            try:
                took = await asyncio.wait_for(viewer.change_region(rng), max(deadline - time.perf_counter(), 0.001))
            except TimeoutError:
                return  # still running at the end of the window: not counted
            except Exception as exc:  # noqa: BLE001 - any failure is an error of the run, reported with its type
                result.errors.append(f"rerun: {type(exc).__name__}: {exc}")
                return
            if time.perf_counter() >= window_start:
                result.rerun_times.append(took)

    await asyncio.gather(*(loop(v, random.Random(seed * 1000 + n)) for n, v in enumerate(ready)))
    await asyncio.gather(*(v.close() for v in viewers), return_exceptions=True)
    return result


# -- the servers under test ---------------------------------------------------------------

def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of some processes so far."""
    ticks = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return ticks / os.sysconf("SC_CLK_TCK")


def rss_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
    return total / 1024


class PeakRss:
    """Samples the summed RSS of some processes in a thread; ``peak`` in MB."""

    def __init__(self, pids: list[int], every: float = 0.25):
        self.pids, self.every, self.peak = pids, every, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def _run(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, rss_mb(self.pids))
            self._stop.wait(self.every)


@contextlib.contextmanager
def single_process(env: dict):
    proc, url = start_streamlit("app.py", env)
    try:
        yield url, [proc.pid]
    finally:
        stop(proc)


@contextlib.contextmanager
def multi_process(env: dict, processes: int = 2):
    """deploy/run-multi.sh: ``processes`` app processes behind nginx."""
    run_dir = Path(tempfile.mkdtemp(prefix="om-load-"))
    proxy, first = free_port(), free_port()
    proc = subprocess.Popen(
        ["bash", str(ROOT / "deploy" / "run-multi.sh"), "-n", str(processes), "-p", str(proxy), "-b", str(first), "-d", str(run_dir)],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        for port in range(first, first + processes):
            wait_healthy(f"http://127.0.0.1:{port}")
        url = f"http://127.0.0.1:{proxy}"
        wait_healthy(url)
        pids = [int((run_dir / f"app-{port}.pid").read_text()) for port in range(first, first + processes)]
        yield url, pids
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
        shutil.rmtree(run_dir, ignore_errors=True)


SETUPS = {"single": single_process, "multi": multi_process}


def measure(url: str, pids: list[int], sessions: int, args) -> LoadResult:
    load, client, server, wall = os.getloadavg()[0], time.process_time(), cpu_seconds(pids), time.perf_counter()
    with PeakRss(pids) as memory:
        result = asyncio.run(drive(url, args.page, sessions, args.seconds, args.warmup, args.seed, args.regions))
    result.peak_rss_mb, result.load_average = memory.peak, load
    result.client_cpu = time.process_time() - client
    result.server_cores = (cpu_seconds(pids) - server) / (time.perf_counter() - wall)
    return result


def run_all(env: dict, setups: list[str], counts: list[int], args) -> dict[str, list[LoadResult]]:
    """All set-ups run side by side (an idle one costs nothing) and take turns per N, the
    order alternating, so a change in the machine's other load hits both alike."""
    results: dict[str, list[LoadResult]] = {setup: [] for setup in setups}
    with contextlib.ExitStack() as stack:
        servers = {setup: stack.enter_context(SETUPS[setup](env)) for setup in setups}
        for turn, n in enumerate(counts):
            for setup in setups if turn % 2 == 0 else setups[::-1]:
                result = measure(*servers[setup], n, args)
                results[setup].append(result)
                print(f"  {setup:<6} N={n:<3} {summary(result)}", file=sys.stderr)
    return results


def summary(r: LoadResult) -> str:
    return (f"p50 {r.quantile(0.5) * 1000:7.0f} ms  p95 {r.quantile(0.95) * 1000:7.0f} ms  {r.throughput:6.2f} reruns/s  "
            f"errors {len(r.errors)}  RSS {r.peak_rss_mb:6.0f} MB  server cores {r.server_cores:4.2f}  client CPU {r.client_cpu:5.1f} s  "
            f"load {r.load_average:4.1f}")


def report(all_results: dict[str, list[LoadResult]]) -> str:
    lines = ["| set-up | N | p50 ms | p95 ms | reruns/s | errors | RSS MB | p50 ×N=1 | reruns/s ×N=1 | RSS ×N=1 | server cores | load avg |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for setup, results in all_results.items():
        base = results[0]
        for r in results:
            lines.append(
                f"| {setup} | {r.sessions} | {r.quantile(0.5) * 1000:.0f} | {r.quantile(0.95) * 1000:.0f} | {r.throughput:.2f} | "
                f"{len(r.errors)} | {r.peak_rss_mb:.0f} | {r.quantile(0.5) / base.quantile(0.5):.1f} | "
                f"{r.throughput / base.throughput:.1f} | {r.peak_rss_mb / base.peak_rss_mb:.2f} | {r.server_cores:.2f} | {r.load_average:.1f} |"
            )
    if {"single", "multi"} <= all_results.keys():
        lines.append("")
        ratios = [f"N={s.sessions}: {m.throughput / s.throughput:.2f}×" for s, m in zip(all_results["single"], all_results["multi"], strict=False) if s.throughput]
        lines.append("Throughput multi / single: " + ", ".join(ratios))
    errors = sorted({e for results in all_results.values() for r in results for e in r.errors})
    if errors:
        lines.append("Errors: " + "; ".join(errors[:5]))
    return "\n".join(lines)


def fill_store(mirror: Path, data_dir: Path, env: dict) -> None:
    from data_sources.emulator import start_emulator

    emulator = start_emulator(mirror)
    try:
        subprocess.run([sys.executable, "-m", "data_sources", "refresh"], cwd=ROOT, env={**env, **emulator.env()},
                       capture_output=True, check=False, timeout=1800)
    finally:
        emulator.stop()
    if not any((data_dir / "indicators").glob("*.parquet")):
        raise SystemExit(f"the refresh from {mirror} left the store {data_dir} empty")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mirror", default=str(ROOT.parent / "shared" / "cbs-mirror"), help="CBS mirror to fill a fresh store from")
    parser.add_argument("--data-dir", help="use this filled store instead of filling one from the mirror")
    parser.add_argument("--page", default="woningtekort", help="the opgave page's URL path")
    parser.add_argument("--sessions", default="1,10,20,50", help="comma-separated numbers of viewers")
    parser.add_argument("--seconds", type=float, default=30, help="measuring window per N")
    parser.add_argument("--warmup", type=float, default=10, help="seconds of load before the window opens")
    parser.add_argument("--setups", default="single,multi")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--regions", type=int, default=13,
                        help="viewers choose among the first this many regions (Nederland, the provinces); 0: all. "
                             "A small set keeps every process's caches warm after the warm-up, so the set-ups are compared on equal terms")
    args = parser.parse_args()
    counts = [int(n) for n in args.sessions.split(",")]
    env = dict(os.environ)
    with tempfile.TemporaryDirectory(prefix="om-load-store-") as tmp:
        data_dir = Path(args.data_dir) if args.data_dir else Path(tmp)
        env["OPGAVEMONITOR_DATA_DIR"] = str(data_dir)
        if not args.data_dir:
            print(f"filling a store from {args.mirror} ...", file=sys.stderr)
            fill_store(Path(args.mirror), data_dir, env)
        results = run_all(env, args.setups.split(","), counts, args)
    print(f"page /{args.page}, {args.warmup:.0f} s warm-up + {args.seconds:.0f} s per N, {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.1f} at the end")
    print(report(results))


if __name__ == "__main__":
    main()
