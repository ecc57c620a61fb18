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


def test_runs_at_the_same_time_in_their_own_threads_keep_their_own_language():
    """Streamlit's model: every script run in a thread of its own sets the language first. Two
    runs that are both past that point still each read their own (a module variable would not)."""
    both_set = threading.Barrier(2)
    seen = {}

    def run(lang: str) -> None:
        use(lang)
        both_set.wait(timeout=10)
        seen[lang] = (current(), fmt.number(1234.5, 1))

    runs = [threading.Thread(target=run, args=(lang,)) for lang in ("nl", "en")]
    for thread in runs:
        thread.start()
    for thread in runs:
        thread.join()
    assert seen == {"nl": ("nl", "1.234,5"), "en": ("en", "1,234.5")}


def test_sessions_in_turn_each_keep_their_own_language(filled):
    """AppTest sessions (AppTest runs one at a time): an English session, a Dutch one, then the
    English one again; each run shows its own session's language only. Two sessions at the
    same time on the real server: tests/test_browser_workshop.py."""
    english, dutch = app_page("bronnen", taal="en"), app_page("bronnen")
    english.run()
    for at, own, other in ((english, "Sources and freshness", "Bronnen en actualiteit"), (dutch, "Bronnen en actualiteit", "Sources and freshness")):
        assert not at.exception
        assert own in texts(at) and other not in texts(at)
