"""A refused deck's problems in the page's language.

A problem carries a code and parameters (data_sources/validation.py) and reads in English by
itself; a facilitator on a Dutch page reads it from the Dutch template of its code. A code
without a Dutch template is shown in English, never dropped.
"""
from __future__ import annotations

from data_sources.validation import Problem

from .language import current
from .safe import plain

DUTCH = {
    "required": "ontbreekt",
    "must_be_text": "moet tekst zijn, niet {got_type}",
    "must_be_one_of": "moet een van deze zijn: {options}; nu {got}",
    "must_be_whole_number": "moet een geheel getal zijn; nu {got}",
    "must_be_number": "moet een getal zijn; nu {got}",
    "must_be_text_list": "moet een lijst van teksten zijn",
    "must_be_table": "moet een tabel zijn",
    "unknown_field": "onbekend veld (een tikfout?)",
    "unknown_field_near": "onbekend veld (een tikfout?); bedoel je {near!r}?",
    "string_too_long": "hoogstens {max_length} tekens",
    "not_toml": "geen geldige TOML: {error}",
    "not_toml_nested": "geen geldige TOML: te diep genest",
    "deck_not_table": "moet een tabel zijn met 'titel' en [[dia]]-items",
    "must_be_slide_list": "moet een lijst van [[dia]]-tabellen zijn",
    "deck_needs_slide": "een presentatie heeft minstens één dia nodig",
    "too_many_slides": "hoogstens {limit} dia's; nu {got}",
    "unknown_opgave": "onbekende opgave {opgave!r}; bekend: {known}",
    "unknown_indicator_for_opgave": "onbekende indicator {indicator!r} bij opgave {opgave!r}",
    "regions": "moet 1 tot {limit} regiocodes zijn, zoals NL01 of GM0363",
    "van_after_tot": "van ({van}) ligt na tot ({tot})",
    "too_large": "te groot: {size} bytes (hoogstens {limit})",
    "not_a_link": "geen presentatielink",
    "link_too_long": "te lang: {size} tekens (hoogstens {limit}); bewaar de presentatie liever als bestand",
    "link_damaged": "de link is beschadigd of onvolledig ({error})",
}
SIZES = ("size", "limit")  # written with a thousands separator: 65.536


def problem_text(problem: Problem) -> str:
    """'deck.toml [dia 1] regio: moet een lijst van teksten zijn' (in the page's language),
    escaped for markdown."""
    message = problem.message
    if current() == "nl" and problem.code in DUTCH:
        params = {k: f"{v:,}".replace(",", ".") if k in SIZES else v for k, v in problem.params.items()}
        message = DUTCH[problem.code].format(**params)
    return plain(f"{problem.where()}: {message}")
