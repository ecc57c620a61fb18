"""``python -m data_sources.emulator DIR [--port N]``: serve a CBS mirror folder."""
from __future__ import annotations

import argparse
import sys

from .server import Emulator, Fault


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m data_sources.emulator", description=__doc__)
    parser.add_argument("directory", help="folder with v3/<table>/ and v4/<table>/ (e.g. ../shared/cbs-mirror)")
    parser.add_argument("--port", type=int, default=8321)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--files", help="folder served at /files/ for tabular sources (default: DIR/files)")
    parser.add_argument("--page-size", type=int, default=10_000, help="rows per page of ODataFeed and v4")
    parser.add_argument(
        "--fault",
        action="append",
        default=[],
        metavar="REGEX=KIND[:VALUE]",
        help="inject a fault for matching paths: latency:SECONDS, status:CODE, reset, truncate, malformed",
    )
    args = parser.parse_args(argv)
    emulator = Emulator(args.directory, host=args.host, port=args.port, page_size=args.page_size, files=args.files)
    for spec in args.fault:
        pattern, _, action = spec.rpartition("=")
        kind, _, value = action.partition(":")
        emulator.faults.append(Fault(pattern or ".", kind, float(value or 0)))
    print(f"CBS emulator serving {args.directory}")
    for name, value in emulator.env().items():
        print(f"  {name}={value}")
    print(f"  files from {emulator.files} at {emulator.url}/files/<name>", flush=True)
    try:
        emulator.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
