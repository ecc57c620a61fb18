"""Why a refresh failed, as data: a kind set where the error is raised, the HTTP status when
a source answered, and the operator's text. Pages translate the kind and never read the text
(see docs/store.md, "Failures are data").
"""
from __future__ import annotations

MISSING = "missing"  # the source has no such table or file (HTTP 404 or 410, no file at the path)
UNREACHABLE = "unreachable"  # no (complete) answer: refused connection, timeout, given up
SERVER = "server"  # the source answered with a server error or "busy" (5xx, 429)
REFUSED = "refused"  # the source refused the request (another 4xx)
UNREADABLE = "unreadable"  # an answer or file that cannot be read (malformed, bad cells)
SELECTION = "selection"  # the source has no figures for what the catalogue asks
INPUT = "input"  # what this indicator is computed or matched from is not in the store yet
STORE = "store"  # the store could not be read or written
INTERNAL = "internal"  # a bug: the traceback is in the log
OTHER = "other"  # anything else, and records written before kinds were stored

KINDS = (MISSING, UNREACHABLE, SERVER, REFUSED, UNREADABLE, SELECTION, INPUT, STORE, INTERNAL, OTHER)


def status_kind(status: int) -> str:
    """The kind of an HTTP error status."""
    if status in (404, 410):
        return MISSING
    if status == 429 or status >= 500:
        return SERVER
    return REFUSED


def known_kind(kind: str | None) -> str:
    """``kind`` when this release knows it, else OTHER (an old record, or a newer release's)."""
    return kind if kind in KINDS else OTHER
