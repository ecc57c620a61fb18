"""The CLI's ``describe`` and ``scaffold`` commands: a CBS table's metadata, and a catalogue
entry made from it (see data_sources/describe.py and data_sources/scaffold.py)."""
from __future__ import annotations

import json
import os
import shlex
import sys

from .describe import render, search
from .http import JsonClient, SourceError
from .metadata import read_metadata
from .scaffold import ScaffoldError, scaffold
from .settings import V3_CATALOGUES


def add_table_commands(sub) -> None:
    p = sub.add_parser("describe", help="a CBS table's title, periods, dimensions with code titles, and measures")
    _table_arguments(p)
    p.add_argument("--search", default="", metavar="WORD", help="only codes and measures whose key or title contains WORD")
    p.add_argument("--json", action="store_true", help="print JSON")
    p = sub.add_parser("scaffold", help="print an [[indicator]] entry for a CBS table's measure")
    _table_arguments(p)
    p.add_argument("--measure", required=True, metavar="KEY", help="the measure's key (see describe)")
    p.add_argument("--filter", action="append", default=[], metavar="DIM=CODE", help="one code of a dimension (repeatable)")
    p.add_argument("--opgave", default="", help="the opgave id the entry goes into (for its id)")


def _table_arguments(p) -> None:
    p.add_argument("table", help="CBS table id, e.g. 82235NED")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--catalogue", choices=sorted(V3_CATALOGUES), help="v3 catalogue (default: the first that has the table)")
    where.add_argument("--v4", action="store_true", help="CBS OData v4")


def _metadata(args):
    try:
        return read_metadata(args.table, JsonClient(), args.catalogue, args.v4)
    except SourceError as exc:
        print(f"cannot read the metadata of {args.table}: {exc}", file=sys.stderr)
        raise SystemExit(1) from None


def cmd_describe(args) -> int:
    meta = _metadata(args)
    if args.search:
        meta = search(meta, args.search)
    text = json.dumps(meta.to_dict(), indent=1, ensure_ascii=False) if args.json else render(meta, args.search)
    try:
        print(text)
    except BrokenPipeError:  # piped into head: not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def cmd_scaffold(args) -> int:
    filters = {}
    for item in args.filter:
        dim, sep, code = item.partition("=")
        if not sep or not dim.strip() or not code.strip():
            print(f"--filter needs DIM=CODE; got {item!r}", file=sys.stderr)
            return 2
        filters[dim.strip()] = code.strip()
    meta = _metadata(args)
    command = shlex.join(
        ["python", "-m", "data_sources", "scaffold", args.table, "--measure", args.measure]
        + [f"--filter={dim}={code}" for dim, code in filters.items()]
        + (["--v4"] if args.v4 else [f"--catalogue={args.catalogue}"] if args.catalogue else [])
        + ([f"--opgave={args.opgave}"] if args.opgave else [])
    )
    try:
        print(scaffold(meta, args.measure, filters, args.opgave, command), end="")
    except ScaffoldError as exc:
        print(f"scaffold {args.table}: {exc}", file=sys.stderr)
        return 2
    return 0


TABLE_COMMANDS = {"describe": cmd_describe, "scaffold": cmd_scaffold}
