"""The outcome catalogue: one TOML file per opgave under ``data_sources/catalogue/``.

Loading validates every entry and reports each problem with file, entry and field, so an
analyst who mistypes a key sees exactly where. Whether a table or measure exists at CBS is
only known at refresh; the adapters report that with the same precision.
"""
from __future__ import annotations

import json
import tomllib
from dataclasses import fields
from functools import cache
from pathlib import Path

from pydantic import TypeAdapter, ValidationError

from .catalogue_model import (
    ADAPTERS,
    KINDS,
    OFFICIAL_DOMAINS,
    OPERATIONS,
    PLACEHOLDER,
    Catalogue,
    CatalogueFile,
    ContextFact,
    Derivation,
    Indicator,
    Margins,
    Moment,
    Opgave,
    OpgaveHead,
    Source,
    TabularSource,
    Target,
)
from .catalogue_rules import Rules, cross_checks, official_url
from .settings import catalogue_dir
from .validation import Problem, ProblemsError, problems

__all__ = [  # the catalogue's objects, importable from here as before the model had its own module
    "KINDS", "OFFICIAL_DOMAINS", "OPERATIONS", "PLACEHOLDER", "Catalogue", "CatalogueError", "Derivation", "Indicator", "Moment", "Opgave",
    "Source", "TabularSource", "Target", "catalogue_schema", "check_catalogue", "load_catalogue", "official_url",
]
SCHEMA_FILE = Path(__file__).resolve().parent.parent / "docs" / "catalogue.schema.json"
# The tables inside an entry, by the key that holds them (for "did you mean" on an unknown key).
_INNER_TABLES = {"source": (Source, TabularSource), "margins": (Margins,), "derive": (Derivation,), "target": (Target,)}


class CatalogueError(ProblemsError):
    """A catalogue that cannot be used; ``problems`` name file, entry and field."""


def load_catalogue(directory: Path | None = None) -> Catalogue:
    """Load and validate every ``*.toml`` in the directory; raises CatalogueError."""
    catalogue, found = check_catalogue(directory)
    if found:
        raise CatalogueError(found)
    return catalogue


def check_catalogue(directory: Path | None = None) -> tuple[Catalogue, list[Problem]]:
    """Load what can be loaded and list every problem found."""
    directory = Path(directory or catalogue_dir())
    files = sorted(directory.glob("*.toml"))
    found: list[Problem] = []
    if not files:
        found.append(Problem(str(directory), "", "", "no_files"))
    opgaven, declared = [], set()
    for path in files:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            found.append(Problem(path.name, "", "", "not_toml", {"error": str(exc)}))
            continue
        reader = _FileReader(path.name)
        opgave = reader.opgave(data, path.stem)
        found += reader.found
        declared |= reader.declared
        if opgave:
            opgaven.append(opgave)
    opgaven.sort(key=lambda o: (o.order, o.id))
    catalogue = Catalogue(tuple(opgaven))
    found.extend(cross_checks(catalogue, declared))
    return catalogue, found


def catalogue_schema() -> str:
    """The JSON Schema of a catalogue file, as published in docs/catalogue.schema.json."""
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", **_adapter(CatalogueFile).json_schema()}
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


@cache
def _adapter(cls) -> TypeAdapter:
    return TypeAdapter(cls)


@cache
def _fields(cls) -> dict[str, dict]:
    return _adapter(cls).json_schema()["properties"]


class _FileReader(Rules):
    """One file's entries: each validated on its own, so one bad entry leaves the others."""

    def __init__(self, file: str):
        super().__init__(file)
        self.declared: set[str] = set()  # the indicator ids written, also of entries left out

    def opgave(self, data: dict, stem: str) -> Opgave | None:
        for key in sorted(set(data) - {f.name for f in fields(CatalogueFile)}):
            self.add("", key, "unknown_field")
        head = data.get("opgave")
        if not isinstance(head, dict):
            self.add("", "opgave", "needs_opgave_table")
            return None
        opgave_id = head["id"].strip() if isinstance(head.get("id"), str) else ""
        parsed = self.validate(OpgaveHead, head, "opgave")
        indicator_tables = self.tables(data, "indicator")
        self.head(head, stem, indicator_tables)
        indicators = [self.indicator_entry(table, n, opgave_id) for n, table in enumerate(indicator_tables, start=1)]
        context = [self.validate(ContextFact, t, f"context #{n}") for n, t in enumerate(self.tables(data, "context"), start=1)]
        moments = [self.moment_entry(table, f"moment #{n}") for n, table in enumerate(self.tables(data, "moment"), start=1)]
        if parsed is None:
            return None
        return Opgave(
            **{f.name: getattr(parsed, f.name) for f in fields(OpgaveHead)},
            indicators=tuple(filter(None, indicators)),
            context=tuple(filter(None, context)),
            moments=tuple(filter(None, moments)),
            file=self.file,
        )

    def tables(self, data: dict, key: str) -> list:
        value = data.get(key, [])
        if not isinstance(value, list):
            self.add("", key, "must_be_table_list")
            return []
        return value

    def indicator_entry(self, table, n: int, opgave_id: str) -> Indicator | None:
        if not isinstance(table, dict):
            self.add(f"indicator #{n}", "", "must_be_table")
            return None
        entry = str(table.get("id") or f"indicator #{n}")
        if self.placeholders(table, f"indicator #{n}" if PLACEHOLDER in entry else entry):
            return None
        if isinstance(table.get("id"), str):
            self.declared.add(table["id"].strip())
        self.indicator(table, entry, opgave_id)
        return self.validate(Indicator, table, entry, opgave=opgave_id, file=self.file)

    def moment_entry(self, table, entry: str) -> Moment | None:
        if isinstance(table, dict):
            self.moment(table, entry)
        return self.validate(Moment, table, entry, file=self.file)

    def validate(self, cls, table, entry: str, **derived):
        """The entry as ``cls``, or None with its problems noted; ``derived``: the fields the
        loader sets (a file that writes one has an unknown field)."""
        if isinstance(table, dict):
            for key in sorted(set(derived) & set(table)):
                self.add(entry, key, "unknown_field")
            table = {**table, **derived}
        try:
            return _adapter(cls).validate_python(table)
        except ValidationError as error:
            self.found += problems(error, self.file, lambda path: _entry_name(entry, path), lambda path: _fields_at(cls, path))
            return None


def _entry_name(entry: str, path: tuple) -> str:
    """``demo.a`` + ``('target', 0)`` -> ``demo.a.target #1``; adapter tags are left out."""
    name = entry
    for part in path:
        if isinstance(part, int):
            name += f" #{part + 1}"
        elif part not in ADAPTERS:
            name += f".{part}"
    return name


def _fields_at(cls, path: tuple) -> dict[str, dict]:
    """The fields of the table at ``path`` inside an entry of ``cls`` (either source's)."""
    inner = [p for p in path if isinstance(p, str) and p in _INNER_TABLES]
    return {k: v for c in (_INNER_TABLES[inner[-1]] if inner else (cls,)) for k, v in _fields(c).items()}
