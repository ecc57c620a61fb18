"""Bytes and requests: the adapters versus what an analyst does by hand.

For every sourced indicator of the catalogue, against the emulator serving the real CBS
mirror, in one run: the adapters (only the rows and columns an indicator needs) against
downloading the same tables whole with ``cbsodata.download_data`` and ``cbsodata.get_data``
(each table once). Bytes are response bodies as the emulator sent them.

    python3 bench/transfer.py [../shared/cbs-mirror]
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import cbsodata

from data_sources.adapters import ADAPTERS
from data_sources.catalogue import load_catalogue
from data_sources.emulator import start_emulator
from data_sources.http import JsonClient


def measure(emulator, action) -> tuple[int, int]:
    bytes_before, requests_before = emulator.bytes_sent, len(emulator.log)
    action()
    return emulator.bytes_sent - bytes_before, len(emulator.log) - requests_before


def main(mirror: Path) -> None:
    emulator = start_emulator(mirror)
    os.environ.update(emulator.env())
    cbsodata.options.use_https = False
    host = emulator.url.removeprefix("http://")
    indicators = [i for i in load_catalogue().indicators() if i.source and i.source.adapter == "cbs"]
    v4 = [i for i in load_catalogue().indicators() if i.source and i.source.adapter == "cbs_v4"]

    adapter_bytes = adapter_requests = 0
    metadata: dict = {}  # as in one refresh run
    for indicator in indicators + v4:
        b, r = measure(emulator, lambda indicator=indicator: ADAPTERS[indicator.source.adapter](indicator, JsonClient(cache=metadata)))
        adapter_bytes += b
        adapter_requests += r
    v3_tables = sorted({i.source.table for i in indicators})
    by_hand = {"download_data": [0, 0], "get_data": [0, 0]}
    for table in v3_tables:
        for name, call in (("download_data", cbsodata.download_data), ("get_data", cbsodata.get_data)):
            b, r = measure(emulator, lambda call=call, table=table: call(table, catalog_url=host, timeout=60))
            by_hand[name][0] += b
            by_hand[name][1] += r
    v3_only_bytes = v3_only_requests = 0
    metadata = {}
    for indicator in indicators:
        b, r = measure(emulator, lambda indicator=indicator: ADAPTERS["cbs"](indicator, JsonClient(cache=metadata)))
        v3_only_bytes += b
        v3_only_requests += r
    emulator.stop()

    print(f"{len(indicators)} v3 indicators over {len(v3_tables)} tables; {len(v4)} v4 indicators (cbsodata has no v4 client)")
    print(f"{'method':<38}{'bytes':>14}{'requests':>10}")
    print(f"{'adapters, all indicators (v3 + v4)':<38}{adapter_bytes:>14,}{adapter_requests:>10}")
    print(f"{'adapters, v3 indicators':<38}{v3_only_bytes:>14,}{v3_only_requests:>10}")
    for name, (b, r) in by_hand.items():
        print(f"{'cbsodata.' + name + ', v3 tables whole':<38}{b:>14,}{r:>10}")
    for name, (b, r) in by_hand.items():
        print(f"ratio cbsodata.{name} / adapters (v3): bytes {b / v3_only_bytes:.1f}x, requests {r / v3_only_requests:.2f}x")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "cbs-mirror")
