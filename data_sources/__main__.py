"""Command line: ``python -m data_sources refresh|status|show|export|import|validate|schema|describe|scaffold|boundaries|probe|bundle``."""
from __future__ import annotations

import argparse
import json
import logging
import os
import sys

from . import bundled
from .api import open_store, read_indicator, status_rows
from .boundaries import refresh_boundaries, refresh_missing_boundaries, regional_years, summary_lines
from .catalogue import SCHEMA_FILE, CatalogueError, catalogue_schema, check_catalogue, load_catalogue
from .http import HostHealth, JsonClient, probe
from .lock import StoreBusy
from .progress import RefreshProgress, progress_path
from .refresh import given_up_lines, refresh
from .settings import HttpSettings, cbs_base_urls, data_dir, get
from .snapshot import SnapshotError, export_snapshot, import_snapshot
from .spreadsheet import safe_csv
from .table_commands import TABLE_COMMANDS, add_table_commands


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m data_sources", description="Opgavemonitor data: CBS -> store")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="log more (-v: INFO, -vv: DEBUG; default: OPGAVEMONITOR_LOG_LEVEL)")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("refresh", help="fetch indicators from CBS into the store")
    p.add_argument("--opgave", action="append", default=[], help="only this opgave (repeatable)")
    p.add_argument("--indicator", action="append", default=[], help="only this indicator (repeatable)")
    p.add_argument("--force", action="store_true", help="fetch even tables CBS has not modified since the last refresh")
    p = sub.add_parser("status", help="what the store holds per indicator")
    p.add_argument("--json", action="store_true", help="print a JSON list")
    p = sub.add_parser("show", help="print an indicator's frame as the app reads it")
    p.add_argument("id")
    p.add_argument("--region", action="append", default=[], help="only this region code (repeatable)")
    p.add_argument("--format", choices=("csv", "json"), default="csv")
    p = sub.add_parser("export", help="write a snapshot of the store to a zip")
    p.add_argument("file")
    p.add_argument("--deck", help="a deck (TOML file, or the name of an example or server deck, e.g. voorbeeld-woningtekort): bundle it with a snapshot of exactly its indicators")
    p = sub.add_parser("import", help="replace the store with a snapshot zip (validated first)")
    p.add_argument("file")
    p.add_argument("--deck-name", default="offline", help="for a deck bundle: the name the deck is kept under")
    sub.add_parser("validate", help="check the catalogue files and print every problem")
    p = sub.add_parser("schema", help="write the catalogue files' JSON Schema (generated from the catalogue's types) to docs/")
    p.add_argument("--check", action="store_true", help="only say whether the published schema is up to date (exit 1 if not)")
    add_table_commands(sub)
    sub.add_parser("probe", help="exit 0 when a CBS API answers within seconds, else say why in one line (exit 1)")
    p = sub.add_parser("bundle", help="rebuild the bundled first-start snapshot from a folder of saved CBS responses")
    p.add_argument("mirror", help="a folder laid out as ../shared/cbs-mirror")
    p.add_argument("--output", default=str(bundled.SNAPSHOT), help="where to write it (default: %(default)s)")
    p = sub.add_parser("boundaries", help="fetch municipal and provincial boundaries into the store")
    p.add_argument("--year", action="append", type=int, default=[], help="this year (repeatable; default: every year with regional data in the store)")
    p.add_argument("--level", action="append", choices=("gemeente", "provincie"), default=[], help="only this level (repeatable)")
    args = parser.parse_args(argv)
    _set_up_logging(args.verbose)
    return COMMANDS[args.command](args)


def _set_up_logging(verbose: int) -> None:
    """Log to stderr: a refresh's bugs with their traceback, more with ``-v`` (an unknown
    OPGAVEMONITOR_LOG_LEVEL means WARNING)."""
    named = logging.getLevelName(get("OPGAVEMONITOR_LOG_LEVEL").upper())
    level = (logging.INFO, logging.DEBUG)[min(verbose, 2) - 1] if verbose else named if isinstance(named, int) else logging.WARNING
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def _catalogue():
    try:
        return load_catalogue()
    except CatalogueError as exc:
        print(f"The catalogue has problems:\n{exc}", file=sys.stderr)
        raise SystemExit(2) from None


def cmd_refresh(args) -> int:
    catalogue = _catalogue()
    chosen = catalogue.select(args.opgave, args.indicator)
    unknown = set(args.indicator) - {i.id for i in catalogue.indicators()}
    unknown |= set(args.opgave) - {o.id for o in catalogue.opgaven}
    if unknown or not chosen:
        print(f"Nothing to refresh; unknown: {', '.join(sorted(unknown)) or '-'}", file=sys.stderr)
        return 2
    store = open_store()
    settings = HttpSettings.from_env()
    hosts = HostHealth(settings.host_failures, settings.busy_budget)  # one give-up state for the whole run
    try:
        with store.writing("refresh"):  # taken first, so a refused run never touches the running one's progress
            progress = RefreshProgress(len(chosen), progress_path(data_dir()))  # terminal bar + file for the first-run page
            try:
                outcomes = refresh(catalogue, store, chosen, progress, settings, force=args.force, hosts=hosts)
            finally:
                progress.finish()
            # the maps of what was just fetched: after the figures, which the pages show at once
            shapes, already = refresh_missing_boundaries(store, chosen, JsonClient(settings, hosts=hosts))
    except StoreBusy as exc:
        print(f"refresh not started: {exc}", file=sys.stderr)
        return 3
    for line in given_up_lines(outcomes):
        print(f"{line}: its indicators keep their last good data", file=sys.stderr)
    for o in outcomes:
        state = ("unchanged" if o.unchanged else "ok") if o.ok else f"FAILED: {o.error}"
        print(f"{o.indicator:<45} {o.rows:>7} rows {o.bytes:>10,} bytes {o.requests:>3} req {o.seconds:>6.2f} s  {state}")
    failed = sum(not o.ok for o in outcomes)
    unchanged = sum(o.unchanged for o in outcomes)
    for line in summary_lines(shapes, already):
        print(line)
    print(f"{len(outcomes) - failed} ok, {failed} failed" + (f"; {unchanged} unchanged at CBS (not fetched)" if unchanged else ""))
    return 1 if failed or any(not o.ok and not o.unpublished for o in shapes) else 0


def cmd_status(args) -> int:
    rows = status_rows(_catalogue(), open_store())
    if args.json:
        print(json.dumps(rows, indent=1, ensure_ascii=False))
        return 0
    for r in rows:
        periods = f"{r['first_period'] or '-'}..{r['last_period'] or '-'}"
        print(
            f"{r['id']:<45} {r['kind']:<9} {r['rows']:>7} rows {periods:<20} refreshed {r['last_refresh'] or 'never':<25} "
            f"CBS modified {r['cbs_modified'] or '-':<25} {('ERROR ' + (r['error_at'] or '-') + ': ' + r['error']) if r['error'] else ''}"
        )
    untitled = [r for r in rows if r["missing_titles"]]
    if untitled:
        print(f"\n{len(untitled)} indicator(s) with codes whose CBS title is not available (titel niet beschikbaar):")
        for r in untitled:
            print(f"  {r['id']}: {', '.join(r['missing_titles'])}")
    return 0


def cmd_show(args) -> int:
    catalogue = _catalogue()
    try:
        indicator = catalogue.indicator(args.id)
    except KeyError:
        print(f"unknown indicator {args.id!r}", file=sys.stderr)
        return 2
    data = read_indicator(open_store(), indicator)
    if data.frame is None:
        print(f"{args.id}: {data.problem.text}", file=sys.stderr)
        return 1
    frame = data.frame
    if args.region:
        frame = frame[frame["region_code"].isin(args.region)]
    if args.format == "csv":
        safe_csv(frame, path_or_buf=sys.stdout, index=False)
    else:
        prov = data.record.provenance
        shown = {
            "indicator": indicator.id,
            "title": indicator.title_nl,
            "unit": indicator.unit_nl,
            "operation": prov.operation if prov else "",
            "sources": [p.summary() for p in prov.sources()] if prov else [],
            "rows": json.loads(frame.to_json(orient="records", date_format="iso", force_ascii=False)),
        }
        print(json.dumps(shown, ensure_ascii=False, indent=1))
    return 0


def cmd_export(args) -> int:
    store = open_store()
    if args.deck:
        from workshop import commands as deck_commands  # the workshop builds on the data layer, not the other way round

        return deck_commands.export_bundle_file(store, args.deck, args.file, _catalogue())
    payload = export_snapshot(store, args.file)
    print(f"wrote {args.file} ({len(payload):,} bytes)")
    return 0


def cmd_import(args) -> int:
    from workshop import commands as deck_commands  # a deck bundle is the workshop's file

    if deck_commands.is_bundle_file(args.file):
        return deck_commands.import_bundle_file(open_store(), args.file, args.deck_name, _catalogue())
    try:
        count = import_snapshot(open_store(), args.file)
    except (SnapshotError, OSError) as exc:
        print(f"import refused, the store is unchanged: {exc}", file=sys.stderr)
        return 1
    print(f"imported {count} files from {args.file}; {origin_line(open_store().origin())}")
    return 0


def origin_line(origin: dict | None) -> str:
    """Where the store's figures now come from, in one line."""
    if origin is None:
        return "every figure comes from a refresh"
    sources = origin.get("sources") or []
    return (f"the figures are a snapshot made {str(origin.get('created') or '?')[:10]} "
            f"({len(origin['indicators'])} indicators from {len(sources)} sources, listed in its manifest"
            f"{': ' + sources[0] + ', …' if sources else ''}); refresh them with: python3 -m data_sources refresh")


def cmd_probe(args) -> int:
    results = probe(cbs_base_urls())
    if any(problem is None for problem in results.values()):
        return 0
    host, problem = next(iter(results.items()))
    print(f"CBS niet bereikbaar ({host}: {problem})", file=sys.stderr)
    return 1


def cmd_bundle(args) -> int:
    code = bundled.build(args.mirror, args.output)
    if code:
        print(f"not written: the refresh from {args.mirror} failed (exit {code})", file=sys.stderr)
        return code
    print(f"wrote {args.output} ({os.path.getsize(args.output):,} bytes)")
    return 0


def cmd_validate(args) -> int:
    catalogue, problems = check_catalogue()
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s)")
        return 1
    print(f"catalogue ok: {len(catalogue.opgaven)} opgaven, {len(catalogue.indicators())} indicators")
    return 0


def cmd_schema(args) -> int:
    schema = catalogue_schema()
    current = SCHEMA_FILE.read_text(encoding="utf-8") if SCHEMA_FILE.is_file() else ""
    if args.check:
        print(f"{SCHEMA_FILE}: {'up to date' if current == schema else 'out of date: run python -m data_sources schema'}")
        return 0 if current == schema else 1
    SCHEMA_FILE.write_text(schema, encoding="utf-8")
    print(f"wrote {SCHEMA_FILE}")
    return 0


def cmd_boundaries(args) -> int:
    store = open_store()
    years = sorted(set(args.year)) or regional_years(store, _catalogue().indicators())
    if not years:
        print("No years to fetch: the store has no regional data yet; name them with --year", file=sys.stderr)
        return 2
    outcomes = refresh_boundaries(store.root, years, tuple(args.level) or ("gemeente", "provincie"))
    for o in outcomes:
        if o.ok:
            print(f"{o.level:<10} {o.year} {o.features:>4} shapes {o.bytes_in:>10,} bytes in {o.bytes_out:>9,} bytes stored")
    for line in summary_lines(outcomes):
        print(line)
    stored = sum(o.ok for o in outcomes)
    failed = [o for o in outcomes if not o.ok and not o.unpublished]
    return 1 if failed or not stored else 0


COMMANDS = {
    "refresh": cmd_refresh,
    "status": cmd_status,
    "show": cmd_show,
    "export": cmd_export,
    "import": cmd_import,
    "validate": cmd_validate,
    "schema": cmd_schema,
    **TABLE_COMMANDS,
    "boundaries": cmd_boundaries,
    "probe": cmd_probe,
    "bundle": cmd_bundle,
}

def _exit(code: int) -> None:
    """Leave without the interpreter's teardown once everything is written: Arrow's native
    thread pool can abort a finished process at exit ("terminate called without an active
    exception", SIGABRT; apache/arrow#34314), which turned a kept-every-figure refresh into
    exit code -6 about once in a few dozen runs. The store's writes are complete and their
    locks released before main returns."""
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    try:
        _exit(main() or 0)
    except BrokenPipeError:  # `show ... | head` closed the pipe: nothing left to say
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        _exit(1)
