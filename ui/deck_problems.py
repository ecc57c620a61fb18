"""A refused deck's problems in the page's language.

The deck reader (shared with the catalogue and the command line) words its problems in
English; a facilitator on a Dutch page reads them in Dutch. Each known wording has a Dutch
template; a problem worded otherwise is shown as it is, never dropped.
"""
from __future__ import annotations

import re

from data_sources.catalogue import Problem

from .safe import plain

# (the reader's English wording, the Dutch template over its groups)
DUTCH = [
    (r"must be text, got (\w+)", "moet tekst zijn, niet {0}"),
    (r"is required", "ontbreekt"),
    (r"must be one of (.+); got (.+)", "moet een van deze zijn: {0}; nu {1}"),
    (r"must be a whole number; got (.+)", "moet een geheel getal zijn; nu {0}"),
    (r"must be a number; got (.+)", "moet een getal zijn; nu {0}"),
    (r"must be a list of texts", "moet een lijst van teksten zijn"),
    (r"unknown field \(a typo\?\)", "onbekend veld (een tikfout?)"),
    (r"must be a table with 'titel' and \[\[dia\]\] entries", "moet een tabel zijn met 'titel' en [[dia]]-items"),
    (r"must be a list of \[\[dia\]\] tables", "moet een lijst van [[dia]]-tabellen zijn"),
    (r"a deck needs at least one slide", "een presentatie heeft minstens één dia nodig"),
    (r"at most (\d+) slides; got (\d+)", "hoogstens {0} dia's; nu {1}"),
    (r"unknown opgave (.+); known: (.+)", "onbekende opgave {0}; bekend: {1}"),
    (r"unknown indicator (.+) for opgave (.+)", "onbekende indicator {0} bij opgave {1}"),
    (r"must be 1 to (\d+) region codes such as NL01 or GM0363", "moet 1 tot {0} regiocodes zijn, zoals NL01 of GM0363"),
    (r"van \((\d+)\) is after tot \((\d+)\)", "van ({0}) ligt na tot ({1})"),
    (r"at most (\d+) characters", "hoogstens {0} tekens"),
    (r"too large: ([\d,]+) bytes \(at most ([\d,]+)\)", "te groot: {0} bytes (hoogstens {1})"),
    (r"not valid TOML: nested too deeply", "geen geldige TOML: te diep genest"),
    (r"not valid TOML: (.+)", "geen geldige TOML: {0}"),
    (r"not a deck link", "geen presentatielink"),
    (r"too long: ([\d,]+) characters \(at most ([\d,]+)\); save the deck as a file instead",
     "te lang: {0} tekens (hoogstens {1}); bewaar de presentatie liever als bestand"),
    (r"the link is damaged or incomplete \((.+)\)", "de link is beschadigd of onvolledig ({0})"),
]
_COMPILED = [(re.compile(rf"^{pattern}$", re.DOTALL), template) for pattern, template in DUTCH]


def problem_text(problem: Problem, lang: str) -> str:
    """'deck.toml [dia 1] regio: moet een lijst van teksten zijn', escaped for markdown."""
    message = problem.message
    if lang == "nl":
        for pattern, template in _COMPILED:
            if found := pattern.match(message):
                groups = [g.replace(",", ".") if re.fullmatch(r"[\d,]+", g) else g for g in found.groups()]
                message = template.format(*groups)
                break
    return plain(str(Problem(problem.file, problem.entry, problem.field, message)))
