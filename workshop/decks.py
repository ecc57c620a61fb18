"""Decks: a sequence of slides, each a view of the app (opgave, indicator, regions, tab,
period, mode) with a title and a talking point.

A deck travels three ways: as a small TOML file, as one URL parameter (``deck=z.<zlib+base64url
of compact JSON>``) and, where the deployment allows editing, as a file in the decks folder on
the server. All three are read by ``check_deck``, which validates like the catalogue: every
problem names the file, the slide and the field. Example decks are generated from the
catalogue, one per opgave.
"""
from __future__ import annotations

import base64
import json
import os
import re
import tomllib
import zlib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Annotated

from pydantic import BeforeValidator, ConfigDict, Field, TypeAdapter, ValidationError

from data_sources.catalogue import Catalogue
from data_sources.disk import atomic_write_bytes
from data_sources.settings import data_dir, editing_allowed
from data_sources.validation import OptionalText, OptionalWholeNumber, Problem, ProblemsError, Text, at_most, check_text_list, define, one_of, problems, refuse
from vocabulary import MAX_REGIONS, MODES, TABS  # a slide is a view: the same choices as its URL

MAX_BYTES = 64 * 1024  # a deck file or link larger than this is refused
MAX_SLIDES = 60
MAX_TEXT = 500
REGION_CODE = re.compile(r"^[A-Z]{2}[0-9A-Z]{2,6}$")
NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,59}$")
LINK_PREFIX = "z."
EXAMPLE_PREFIX = "voorbeeld-"
SLIDE_FIELDS = ("opgave", "indicator", "regio", "tab", "weergave", "van", "tot", "titel", "toelichting")
DECK_FILE = ConfigDict(extra="forbid")

MESSAGES = {  # the deck's own problem codes (the page's Dutch: ui/deck_problems.py)
    "deck_not_table": "must be a table with 'titel' and [[dia]] entries",
    "must_be_slide_list": "must be a list of [[dia]] tables",
    "deck_needs_slide": "a deck needs at least one slide",
    "too_many_slides": "at most {limit} slides; got {got}",
    "unknown_opgave": "unknown opgave {opgave!r}; known: {known}",
    "unknown_indicator_for_opgave": "unknown indicator {indicator!r} for opgave {opgave!r}",
    "regions": "must be 1 to {limit} region codes such as NL01 or GM0363",
    "van_after_tot": "van ({van}) is after tot ({tot})",
    "too_large": "too large: {size:,} bytes (at most {limit:,})",
    "not_a_link": "not a deck link",
    "link_too_long": "too long: {size:,} characters (at most {limit:,}); save the deck as a file instead",
    "link_damaged": "the link is damaged or incomplete ({error})",
}
define(MESSAGES)


class DeckError(ProblemsError):
    """A deck that cannot be used; ``problems`` name file, slide and field."""


def _regions(value) -> tuple[str, ...]:
    regions = check_text_list([value] if isinstance(value, str) else value)  # regio = "GM0363": one region
    if not regions or len(regions) > MAX_REGIONS or not all(REGION_CODE.match(r) for r in regions):
        raise refuse("regions", limit=MAX_REGIONS)
    return regions


Regions = Annotated[tuple[str, ...], BeforeValidator(_regions)]
ShortText = Annotated[OptionalText, at_most(MAX_TEXT)]  # shown on every slide and phone


@dataclass(frozen=True)
class Slide:
    __pydantic_config__ = DECK_FILE
    opgave: Text
    indicator: Text
    regio: Regions = ("NL01",)
    tab: one_of(TABS) = TABS[0]
    weergave: one_of(MODES) = MODES[0]
    van: OptionalWholeNumber = None
    tot: OptionalWholeNumber = None
    titel: ShortText = ""
    toelichting: ShortText = ""

    def params(self) -> dict[str, str]:
        """The slide's view as the app's URL parameters (defaults left out)."""
        wanted = {"indicator": self.indicator}
        if list(self.regio) != ["NL01"]:
            wanted["regio"] = ",".join(self.regio)
        if self.tab != TABS[0]:
            wanted["tab"] = self.tab
        if self.weergave != MODES[0]:
            wanted["weergave"] = self.weergave
        for name in ("van", "tot"):
            if getattr(self, name) is not None:
                wanted[name] = str(getattr(self, name))
        return wanted


@dataclass(frozen=True)
class Deck:
    __pydantic_config__ = DECK_FILE
    titel: Annotated[Text, at_most(MAX_TEXT)]
    slides: Annotated[tuple[Slide, ...], Field(alias="dia")] = field(default_factory=tuple)

    def opgaven(self) -> list[str]:
        return list(dict.fromkeys(s.opgave for s in self.slides))

    def indicators(self) -> list[str]:
        return list(dict.fromkeys(s.indicator for s in self.slides))


# --- reading and checking -------------------------------------------------------------------

def check_deck(data: object, file: str, catalogue: Catalogue) -> Deck:
    """A deck from parsed TOML/JSON; raises DeckError listing every problem."""
    if not isinstance(data, dict):
        raise DeckError([Problem(file, "", "", "deck_not_table")])
    found: list[Problem] = []
    slides = data.get("dia", [])
    if not isinstance(slides, list) or not all(isinstance(s, dict) for s in slides):
        found.append(Problem(file, "", "dia", "must_be_slide_list"))
        slides = []
    if len(slides) > MAX_SLIDES:
        found.append(Problem(file, "", "dia", "too_many_slides", {"limit": MAX_SLIDES, "got": len(slides)}))
        slides = slides[:MAX_SLIDES]
    for n, slide in enumerate(slides, start=1):
        found += _slide_rules(slide, file, f"dia {n}", catalogue)
    try:
        deck = _adapter().validate_python({**data, "dia": slides})
    except ValidationError as error:
        raise DeckError(problems(error, file, _entry_name, _fields) + found) from None
    if not slides and not found:
        found.append(Problem(file, "", "dia", "deck_needs_slide"))
    if found:
        raise DeckError(found)
    return deck


@cache
def _adapter() -> TypeAdapter:
    return TypeAdapter(Deck)


@cache
def _fields(path: tuple) -> dict[str, dict]:
    """The fields (and their JSON Schema) of the deck, or of a slide at ``path``."""
    schema = _adapter().json_schema()
    return schema["$defs"]["Slide"]["properties"] if path else schema["properties"]


def _entry_name(path: tuple) -> str:
    return f"dia {path[1] + 1}" if len(path) > 1 else ""


def _slide_rules(slide: dict, file: str, entry: str, catalogue: Catalogue) -> list[Problem]:
    """What a slide's fields say together and about the catalogue (their types: the Slide's)."""
    found = []
    opgave, indicator = (slide.get(k).strip() if isinstance(slide.get(k), str) else "" for k in ("opgave", "indicator"))
    known = {o.id: {i.id for i in o.indicators} for o in catalogue.opgaven}
    if opgave and opgave not in known:
        found.append(Problem(file, entry, "opgave", "unknown_opgave", {"opgave": opgave, "known": ", ".join(sorted(known))}))
    elif indicator and indicator not in known.get(opgave, ()):
        found.append(Problem(file, entry, "indicator", "unknown_indicator_for_opgave", {"indicator": indicator, "opgave": opgave}))
    start, end = slide.get("van"), slide.get("tot")
    if all(isinstance(v, int) and not isinstance(v, bool) for v in (start, end)) and start > end:
        found.append(Problem(file, entry, "van", "van_after_tot", {"van": start, "tot": end}))
    return found


def read_toml(raw: bytes, file: str, catalogue: Catalogue) -> Deck:
    """A deck from the bytes of a TOML file (size, encoding and syntax checked first)."""
    if len(raw) > MAX_BYTES:
        raise DeckError([Problem(file, "", "", "too_large", {"size": len(raw), "limit": MAX_BYTES})])
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise DeckError([Problem(file, "", "", "not_toml", {"error": str(exc)})]) from exc
    except RecursionError:  # tomllib recurses once per bracket: thousands of them exhaust the stack
        raise DeckError([Problem(file, "", "", "not_toml_nested")]) from None
    return check_deck(data, file, catalogue)


def to_toml(deck: Deck) -> str:
    """The deck as TOML (JSON string literals are valid TOML basic strings)."""
    lines = [f"titel = {json.dumps(deck.titel, ensure_ascii=False)}"]
    for slide in deck.slides:
        lines += ["", "[[dia]]"]
        for name in SLIDE_FIELDS:
            value = getattr(slide, name)
            if value is None or (name in ("titel", "toelichting") and not value):
                continue
            lines.append(f"{name} = {json.dumps(list(value) if name == 'regio' else value, ensure_ascii=False)}")
    return "\n".join(lines) + "\n"


# --- the deck as one link -------------------------------------------------------------------

def to_link(deck: Deck) -> str:
    """The whole deck as one URL-safe value: compact JSON, deflated, base64url."""
    rows = [[s.opgave, s.indicator, ",".join(s.regio), s.tab, s.weergave, s.van, s.tot, s.titel, s.toelichting] for s in deck.slides]
    packed = json.dumps({"t": deck.titel, "d": rows}, ensure_ascii=False, separators=(",", ":")).encode()
    return LINK_PREFIX + base64.urlsafe_b64encode(zlib.compress(packed, 9)).decode().rstrip("=")


def from_link(value: str, catalogue: Catalogue) -> Deck:
    file = "link"
    if len(value) > MAX_BYTES:
        raise DeckError([Problem(file, "", "deck", "link_too_long", {"size": len(value), "limit": MAX_BYTES})])
    if not value.startswith(LINK_PREFIX):
        raise DeckError([Problem(file, "", "deck", "not_a_link")])
    body = value[len(LINK_PREFIX):]
    try:
        inflater = zlib.decompressobj()
        packed = inflater.decompress(base64.b64decode(body + "=" * (-len(body) % 4), altchars=b"-_", validate=True), MAX_BYTES)
        if inflater.unconsumed_tail:
            raise ValueError("too large")
        if not inflater.eof:
            raise ValueError("cut off")
        data = json.loads(packed)
        slides = [dict(zip(SLIDE_FIELDS, row, strict=True)) for row in data["d"]]
    except (ValueError, TypeError, KeyError, zlib.error, RecursionError) as exc:  # RecursionError: JSON nested too deep
        raise DeckError([Problem(file, "", "deck", "link_damaged", {"error": str(exc)})]) from None
    for slide in slides:
        slide["regio"] = slide["regio"].split(",") if isinstance(slide["regio"], str) else slide["regio"]
        for key in [k for k, v in slide.items() if v is None or v == ""]:
            del slide[key]
    return check_deck({"titel": data.get("t", ""), "dia": slides}, file, catalogue)


# --- example decks and the server folder ------------------------------------------------------

def example_decks(catalogue: Catalogue, lang: str = "nl") -> dict[str, Deck]:
    """One deck per opgave, generated from the catalogue: its outcome indicators first, their
    texts in ``lang`` (the catalogue's ``_nl`` or ``_en`` fields)."""
    decks = {}
    for opgave in catalogue.opgaven:
        ordered = sorted(opgave.indicators, key=lambda i: (i.kind != "resultaat", not i.headline))
        slides = tuple(Slide(opgave.id, i.id, toelichting=_first_sentence(getattr(i, f"explanation_{lang}"))) for i in ordered)
        decks[EXAMPLE_PREFIX + opgave.id] = Deck(getattr(opgave, f"title_{lang}"), slides)
    return decks


def _first_sentence(text: str, limit: int = 160) -> str:
    sentence = text.split(". ")[0].rstrip(".") + "."
    return sentence if len(sentence) <= limit else sentence[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + " …"


def decks_dir() -> Path:
    """Server-side decks (setting OPGAVEMONITOR_DECKS_DIR, default ``decks/`` beside data)."""
    return Path(os.environ.get("OPGAVEMONITOR_DECKS_DIR") or data_dir().parent / "decks")


def server_decks() -> list[str]:
    folder = decks_dir()
    return sorted(p.stem for p in folder.glob("*.toml") if NAME.match(p.stem)) if folder.is_dir() else []


def save_on_server(deck: Deck, name: str) -> Path:
    """Write the deck to the decks folder (atomically); refused in a read-only deployment."""
    if not editing_allowed():
        raise PermissionError("this deployment is read-only: decks are not saved on the server")
    if not NAME.match(name) or name.startswith(EXAMPLE_PREFIX):
        raise ValueError(f"deck name {name!r}: use lower-case letters, digits and '-', not starting with {EXAMPLE_PREFIX!r}")
    path = decks_dir() / f"{name}.toml"
    atomic_write_bytes(path, to_toml(deck).encode())
    return path


def resolve(value: str | None, catalogue: Catalogue, lang: str = "nl") -> Deck:
    """The deck a ``deck`` URL parameter names: a link, an example (in ``lang``) or a server
    deck; the first example deck when empty. Raises DeckError (KeyError for an unknown name)."""
    examples = example_decks(catalogue, lang)
    if not value:
        return next(iter(examples.values()))
    if value.startswith(LINK_PREFIX):
        return from_link(value, catalogue)
    if value in examples:
        return examples[value]
    if NAME.match(value) and (path := decks_dir() / f"{value}.toml").is_file():
        return read_toml(path.read_bytes(), path.name, catalogue)
    raise KeyError(value)
