"""The page's language is a context (ui/language.py): set once per script run, it belongs to
that run's session only, and work done later takes it along."""
from __future__ import annotations

import threading

from tests.apptest import app_page, texts
from ui import format as fmt
from ui.language import carried, current, pick, speaking, use


def test_speaking_sets_the_language_for_a_block_only():
    assert current() == "nl"
    with speaking("en"):
        assert (current(), fmt.number(8149000)) == ("en", "8,149,000")
    assert (current(), fmt.number(8149000)) == ("nl", "8.149.000")


def test_a_function_called_later_keeps_the_language_it_was_carried_in():
    with speaking("en"):
        later = carried(lambda: fmt.period("2023KW02"))
    assert later() == "Q2 2023" and current() == "nl"
    other = threading.Thread(target=lambda: results.append((current(), later())))  # a new thread starts Dutch
    results = []
    other.start()
    other.join()
    assert results == [("nl", "Q2 2023")]


def test_a_new_thread_starts_in_dutch_whatever_this_one_speaks():
    use("en")
    seen = []
    thread = threading.Thread(target=lambda: seen.append(current()))
    thread.start()
    thread.join()
    assert seen == ["nl"] and current() == "en"  # the conftest fixture restores Dutch after the test


def test_pick_reads_the_catalogue_field_of_the_language(catalogue):
    opgave = catalogue.opgave("testwonen")
    assert pick(opgave, "title") == opgave.title_nl
    with speaking("en"):
        assert pick(opgave, "title") == opgave.title_en


def test_two_sessions_at_once_each_keep_their_own_language(filled):
    """Streamlit runs each session's script in a thread of its own: runs of a Dutch and an
    English session at the same time never see each other's language."""
    wanted = {"nl": ("Bronnen en actualiteit", "Sources and freshness"), "en": ("Sources and freshness", "Bronnen en actualiteit")}
    problems = []

    def visit(lang: str) -> None:
        for _ in range(3):
            at = app_page("bronnen", taal=lang)
            page = texts(at)
            own, other = wanted[lang]
            if at.exception or own not in page or other in page:
                problems.append((lang, at.exception, page[:300]))

    sessions = [threading.Thread(target=visit, args=(lang,)) for lang in ("nl", "en", "en", "nl")]
    for session in sessions:
        session.start()
    for session in sessions:
        session.join()
    assert not problems, problems
