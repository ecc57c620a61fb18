"""``export --deck`` and the import of a deck bundle, for the command line."""
from __future__ import annotations

import sys
from pathlib import Path

from data_sources.catalogue import Catalogue
from data_sources.snapshot import SnapshotError
from data_sources.store import Store

from .bundle import export_bundle, import_bundle, is_bundle
from .decks import DeckError, example_decks, read_toml, resolve


def export_bundle_file(store: Store, deck_file: str, target: str, catalogue: Catalogue) -> int:
    """``deck_file``: a deck TOML file, or the name of an example or server deck (as in the URL)."""
    try:
        if Path(deck_file).is_file():
            deck = read_toml(Path(deck_file).read_bytes(), Path(deck_file).name, catalogue)
        else:
            deck = resolve(deck_file, catalogue)
    except KeyError:
        print(f"no deck file or deck named {deck_file!r}; example decks: {', '.join(example_decks(catalogue))} (nothing written)", file=sys.stderr)
        return 2
    except (DeckError, OSError) as exc:
        print(f"deck refused, nothing written:\n{exc}", file=sys.stderr)
        return 2
    missing = [i for i in deck.indicators() if not store.has_data(i)]
    if missing:
        print(f"the store has no data for {', '.join(missing)}; refresh them first (nothing written)", file=sys.stderr)
        return 2
    payload = export_bundle(store, deck, Path(target))
    print(f"wrote {target} ({len(payload):,} bytes): {len(deck.slides)} slides, {len(deck.indicators())} indicators")
    return 0


def is_bundle_file(path: str) -> bool:
    try:
        return is_bundle(Path(path).read_bytes())
    except OSError:
        return False


def import_bundle_file(store: Store, path: str, name: str, catalogue: Catalogue) -> int:
    try:
        deck, kept = import_bundle(store, Path(path).read_bytes(), catalogue, name)
    except (SnapshotError, DeckError, ValueError, OSError) as exc:
        print(f"import refused, the store is unchanged:\n{exc}", file=sys.stderr)
        return 1
    print(f"imported the data of {len(deck.indicators())} indicators; deck kept as {kept}")
    print(f"present it at /presentatie?deck={kept.stem}")
    return 0
