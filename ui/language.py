"""The page's language as a context: set once per script run from the URL's ``taal`` (app.py
and the sidebar's language choice), read by ``t``, the formatters and every text builder.

Streamlit runs each script run in its own thread, which starts with a fresh context, so a
value set at the start of a run belongs to that run and its session only. Work done later,
outside the run (a download built when its button is clicked, a fragment's timed rerun),
takes the language along with ``carried``. See docs/architecture.md.
"""
from __future__ import annotations

import functools
from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar

DEFAULT = "nl"
_LANGUAGE: ContextVar[str] = ContextVar("language", default=DEFAULT)


def use(lang: str) -> None:
    """The language of the rest of this run."""
    _LANGUAGE.set(lang)


def current() -> str:
    return _LANGUAGE.get()


@contextmanager
def speaking(lang: str):
    """Within the block, ``lang``; afterwards the language before it."""
    token = _LANGUAGE.set(lang)
    try:
        yield
    finally:
        _LANGUAGE.reset(token)


def carried(function: Callable) -> Callable:
    """``function``, to be called later in the language current now."""
    lang = current()

    @functools.wraps(function)
    def in_language(*args, **kwargs):
        with speaking(lang):
            return function(*args, **kwargs)

    return in_language


def pick(entry, field: str):
    """A catalogue entry's ``<field>_nl`` or ``<field>_en``, whichever the page speaks."""
    return getattr(entry, f"{field}_{'en' if current() == 'en' else 'nl'}")
