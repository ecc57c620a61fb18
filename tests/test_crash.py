"""kill -9 at random moments during refreshes and imports, readers during imports, and two
refreshes at once: every indicator stays readable and is the old or the new version, never
new rows with old provenance, and no history is lost.

Two emulators serve two versions of the test mirror (B's values differ from A's); runs
alternate between them, so every frame and every provenance says which version it is (the
emulator's port is in the provenance's request URLs). Children are forked from the test
process (no interpreter start per kill) and killed with SIGKILL."""
import multiprocessing
import os
import random
import signal
import subprocess
import sys
import threading
import time

import pytest

from data_sources.__main__ import main
from data_sources.catalogue import load_catalogue
from data_sources.emulator import Fault, start_emulator
from data_sources.refresh import refresh
from data_sources.snapshot import export_snapshot, import_snapshot
from data_sources.store import Store
from tests.conftest import FIXTURE_CATALOGUE, ROOT
from tests.fixtures import mirror

pytestmark = pytest.mark.slow  # kill -9 loops

KILLS = 20
FORK = multiprocessing.get_context("fork")


@pytest.fixture(scope="module")
def versions(tmp_path_factory):
    """Emulators A and B (B's every value differs from A's), and each version's frames.
    Whole tables per request (no paging) keep a refresh short, so kills are cheap."""
    emulators = {"A": start_emulator(mirror.build_mirror(tmp_path_factory.mktemp("mirror-a")))}
    original = mirror.v3_value, mirror.v4_value
    mirror.v3_value = lambda region, year: None if original[0](region, year) is None else original[0](region, year) + 7
    mirror.v4_value = lambda region, year: original[1](region, year) + 3
    try:
        emulators["B"] = start_emulator(mirror.build_mirror(tmp_path_factory.mktemp("mirror-b")))
    finally:
        mirror.v3_value, mirror.v4_value = original
    result = {}
    for name, em in emulators.items():
        env = {**em.env(), "OPGAVEMONITOR_HTTP_TIMEOUT": "5", "OPGAVEMONITOR_HTTP_RETRIES": "1", "OPGAVEMONITOR_HTTP_BACKOFF": "0.01"}
        store = Store(tmp_path_factory.mktemp(f"ref-{name}"))
        with _environment(env):
            _refresh(store)
        ids = [p.stem for p in store.folder.glob("*.json") if store.has_data(p.stem)]
        frames = {i: store.frame(i) for i in ids}
        result[name] = {"env": env, "port": em.url.rsplit(":", 1)[1], "frames": frames, "store": store, "emulator": em}
    assert all(not result["A"]["frames"][i].equals(result["B"]["frames"][i]) for i in result["A"]["frames"])
    yield result
    for em in emulators.values():
        em.stop()


class _environment:
    def __init__(self, env):
        self.env, self.saved = env, {}

    def __enter__(self):
        self.saved = {k: os.environ.get(k) for k in self.env}
        os.environ.update(self.env)

    def __exit__(self, *exc):
        for key, value in self.saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _refresh(store):
    """A full refresh (force: both versions' tables carry the same CBS Modified date, and a
    skipped table would leave nothing to interrupt)."""
    catalogue = load_catalogue(FIXTURE_CATALOGUE)
    refresh(catalogue, store, catalogue.indicators(), force=True)


def _ports(provenance) -> set[str]:
    urls = list(provenance.request_urls) + [u for i in provenance.inputs for u in i.get("request_urls", [])]
    return {u.split("://", 1)[1].split("/", 1)[0].rsplit(":", 1)[1] for u in urls}


def _version_of(store, indicator_id, versions) -> str:
    """Which version the indicator is; fails when frame and provenance disagree."""
    record, frame = store.read(indicator_id)
    by_frame = [n for n, v in versions.items() if v["frames"][indicator_id].equals(frame)]
    by_provenance = [n for n, v in versions.items() if _ports(record.provenance) == {v["port"]}]
    assert len(by_frame) == 1 and by_frame == by_provenance, (indicator_id, by_frame, by_provenance)
    assert record.rows == len(frame)
    return by_frame[0]


def _run_and_kill(target, args, delay) -> bool:
    """Start ``target(*args)`` in a forked child and SIGKILL it after ``delay`` seconds;
    True when the kill landed before the child finished."""
    child = FORK.Process(target=target, args=args)
    child.start()
    child.join(delay)
    killed = child.is_alive()
    if killed:
        os.kill(child.pid, signal.SIGKILL)
    child.join()
    assert killed or child.exitcode == 0, child.exitcode
    return killed


def _refresh_child(root, env):
    os.environ.update(env)
    _refresh(Store(root))


def _import_child(root, snapshot):
    import_snapshot(Store(root), snapshot)


def _duration(target, args) -> float:
    started = time.perf_counter()
    _run_and_kill(target, args, 60)
    return time.perf_counter() - started


def test_kill_during_refresh_leaves_old_or_new_never_mixed(versions, tmp_path):
    root = tmp_path / "data"
    rng = random.Random(20261129)
    full = _duration(_refresh_child, (root, versions["A"]["env"]))
    kills, runs, seen = 0, 0, set()
    while kills < KILLS and runs < 2 * KILLS:
        name, runs = "AB"[runs % 2], runs + 1
        kills += _run_and_kill(_refresh_child, (root, versions[name]["env"]), rng.uniform(0, full))
        store = Store(root)
        seen |= {_version_of(store, i, versions) for i in versions["A"]["frames"]}
        assert not [p for p in root.iterdir() if p.name.startswith((".indicators.", ".link-")) and p != store.folder.resolve()]
        assert not [p for p in store.folder.iterdir() if p.name.endswith(".tmp")]
    print(f"refresh: {kills} of {runs} runs killed mid-way (a full run takes {full:.2f} s)")
    assert kills >= KILLS and seen == {"A", "B"}


def test_kill_during_import_swaps_the_whole_store_or_nothing(versions, tmp_path):
    snapshots = {n: tmp_path / f"{n}.zip" for n in "AB"}
    for name, path in snapshots.items():
        export_snapshot(versions[name]["store"], path)
    root = tmp_path / "data"
    import_snapshot(Store(root), snapshots["A"])
    rng = random.Random(8)
    full = _duration(_import_child, (root, snapshots["B"]))
    kills, runs, seen = 0, 0, set()
    while kills < KILLS and runs < 4 * KILLS:  # a loaded machine makes run times vary
        name, runs = "AB"[runs % 2], runs + 1
        kills += _run_and_kill(_import_child, (root, snapshots[name]), rng.uniform(0, 0.9 * full))
        store = Store(root)
        found = {_version_of(store, i, versions) for i in versions["A"]["frames"]}
        assert len(found) == 1, found  # one snapshot's store, whole
        seen |= found
        left = {p.name for p in root.iterdir() if not p.name.startswith(".writer")} - {"boundaries", "origin.json"}  # the store's own
        assert sorted(left) == sorted([store.folder.resolve().name, "indicators"])  # no unfinished import folder left
    print(f"import: {kills} of {runs} imports killed mid-way (a full import takes {full:.2f} s), versions seen {sorted(seen)}")
    assert kills >= KILLS


def test_readers_never_see_an_empty_or_half_store_during_imports(versions, tmp_path):
    snapshots = [export_snapshot(versions[n]["store"]) for n in "AB"]
    root = tmp_path / "data"
    import_snapshot(Store(root), snapshots[0])
    ids = sorted(versions["A"]["frames"])
    problems, reads, done = [], 0, threading.Event()

    def reader():
        nonlocal reads
        while not done.is_set():
            store = Store(root)
            try:
                if store.is_empty():
                    problems.append("empty")
                for i in ids:
                    if not store.has_data(i):
                        problems.append(f"{i}: no data")
                    _version_of(store, i, versions)
            except Exception as exc:  # noqa: BLE001 (any failure is what this test counts)
                problems.append(f"{type(exc).__name__}: {exc}")
            reads += 1

    threads = [threading.Thread(target=reader) for _ in range(2)]
    for t in threads:
        t.start()
    try:
        for run in range(30):
            import_snapshot(Store(root), snapshots[run % 2])
    finally:
        done.set()
        for t in threads:
            t.join()
    print(f"readers: {reads} reads during 30 imports, {len(problems)} problems")
    assert reads > 30 and problems == []


def test_a_second_refresh_is_refused_while_one_runs_and_no_history_is_lost(versions, tmp_path, monkeypatch, capsys, short_lock_wait):
    """Decision: a second writer does not wait behind a long refresh; it is refused at once
    with who holds the store and since when, and the running refresh loses nothing."""
    emulator, root = versions["A"]["emulator"], tmp_path / "data"
    env = {**versions["A"]["env"], "OPGAVEMONITOR_DATA_DIR": str(root), "OPGAVEMONITOR_CATALOGUE_DIR": str(FIXTURE_CATALOGUE)}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert main(["refresh"]) in (0, 1)
    before = {i: len(Store(root).record(i).history) for i in versions["A"]["frames"]}
    # the first refresh holds the store for seconds (three slow answers), well past the second's
    # wait for the lock (0.2 s here): a fast emulator once let the second one in after its wait
    emulator.faults.append(Fault("TypedDataSet|Observations", "latency", 1.5))
    try:
        first = subprocess.Popen([sys.executable, "-m", "data_sources", "refresh", "--force"], cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while f'"pid": {first.pid}' not in _read(root / ".writer.json") and time.monotonic() < deadline:
            time.sleep(0.02)
        capsys.readouterr()
        assert main(["refresh"]) == 3
        assert first.wait(timeout=120) in (0, 1)
    finally:
        emulator.faults.clear()
    message = capsys.readouterr().err
    assert "another refresh is running since 20" in message and f"by pid {first.pid}" in message, message
    after = {i: len(Store(root).record(i).history) for i in versions["A"]["frames"]}
    assert after == {i: n + 1 for i, n in before.items()}


def _read(path) -> str:
    try:
        return path.read_text()
    except OSError:
        return ""
