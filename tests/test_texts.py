"""Every text the UI asks for exists in Dutch and in English (ui/texts.py): the keys written
out in ``t(...)`` and ``verdict(...)`` calls, and the keys built at run time, enumerated from
where their variable parts come from (the catalogue's kinds, the view vocabulary, ...)."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from data_sources.catalogue import KINDS, OPERATIONS
from data_sources.failures import KINDS as FAILURES
from ui import texts
from ui.language import speaking
from views.gemeente import SHOWN as PROFILE_COLUMNS
from vocabulary import LEVELS, MODES, TAB_KEYS

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted([*ROOT.glob("ui/*.py"), *ROOT.glob("views/*.py"), *ROOT.glob("workshop/*.py"), ROOT / "app.py"])

VERDICTS = tuple(texts.ICONS)  # every trend and target verdict has an icon (see ui/texts.verdict)
STATUSES = ("voorlopig", "nader voorlopig", "definitief")  # data_sources/codes.py: CBS's status words
RANKS = ("best", "highest", "largest")  # ui/ranking.rank_words
SIZES = ("one", "many")

# A key built at run time, as its expression is written, and every key it can become.
BUILT = {
    "f'failure_{kind}'": [f"failure_{kind}" for kind in FAILURES],
    "'kind_' + indicator.kind": [f"kind_{k}" for k in KINDS],
    "'kind_' + by_id[i].kind": [f"kind_{k}" for k in KINDS],
    "'mode_' + m": [f"mode_{m}" for m in MODES],
    "TAB_KEYS[k]": list(TAB_KEYS.values()),
    "TAB_KEYS[slide.tab]": list(TAB_KEYS.values()),
    "'level_' + lvl": [f"level_{lvl}" for lvl in LEVELS],
    "'level_' + level": [f"level_{lvl}" for lvl in LEVELS],
    "'level_' + level + '_plural'": [f"level_{lvl}_plural" for lvl in LEVELS],
    "'profile_levels_' + lvl": [f"profile_levels_{lvl}" for lvl in ("land", *LEVELS)],
    "'map_classes_' + method": ["map_classes_quantiles", "map_classes_single"],
    "key + ('_one' if n == 1 else '_many')": [f"{key}_{size}" for key in ("division_ended", "division_not_yet") for size in SIZES],
    "f'derived_{derivation.operation}'": [f"derived_{op}" for op in OPERATIONS],
    "'rank_' + rank_words(indicator)": [f"rank_{r}" for r in RANKS],
    "'rank_' + words": [f"rank_{r}" for r in RANKS],
    "'rank_axis_' + rank_words(indicator)": [f"rank_axis_{r}" for r in RANKS],
    "'rank_axis_' + words": [f"rank_axis_{r}" for r in RANKS],
    "f'margin_{bound}'": ["margin_lower", "margin_upper"],
    "f'margin_{c}'": ["margin_lower", "margin_upper"],
    "f'download_{kind}'": ["download_png", "download_svg"],
    "f'show_room_refused_{refused}'": [f"show_room_refused_{r}" for r in ("full", "client", "rate", "deck")],  # workshop/rooms.py
    "'strength_' + corr.strength": [f"strength_{s}" for s in ("onbekend", "nauwelijks", "zwak", "matig", "sterk")],  # analysis/samenhang.py
    "'profile_col_' + column": [f"profile_col_{c}" for c in ("indicator", *PROFILE_COLUMNS)],
    "'profile_col_' + c.removeprefix('shown_')": [f"profile_col_{c}" for c in PROFILE_COLUMNS],
    "'status_' + s": [f"status_{s}" for s in STATUSES],
    "'status_' + str(s)": [f"status_{s}" for s in STATUSES],
    "'status_' + latest.status": [f"status_{s}" for s in STATUSES],
    "'status_' + latest_status": [f"status_{s}" for s in STATUSES],
    # a variable holding a key written out nearby
    "note": ["moments_note", "moments_outside_note", "moments_off_note"],  # ui/chart_moments.py
    "key": ["bad_param", "bad_range", "too_many_regions", "opgave", "outcome_indicators", "targets", "headline_outcome"],  # ui/state.py notices, the overview's table head
    "k": ["indicator", "figures_cover", "retrieved", "cbs_modified"],  # views/sources.py
    "label": ["decks_slide_title", "decks_slide_note"],  # ui/deck_editor.py
}
VERDICT_CALLS = {"word", "trend.verdict", "status.verdict", "s.verdict", "reading.trend.verdict", "trend_word"}


def keys_used() -> tuple[set[str], list[str]]:
    """The keys the UI's source asks for, and the run-time expressions BUILT does not know."""
    keys, unknown = set(), []
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text())):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("t", "verdict") and node.args):
                continue
            arg = node.args[0]
            written = [arg] if isinstance(arg, ast.Constant) else [arg.body, arg.orelse] if isinstance(arg, ast.IfExp) else []
            if written and all(isinstance(a, ast.Constant) for a in written):
                keys |= {a.value for a in written}
            elif node.func.id == "verdict" or (path.name == "texts.py" and ast.unparse(arg) == "word"):
                keys |= set(VERDICTS)
                if ast.unparse(arg) not in VERDICT_CALLS:
                    unknown.append(f"{path.relative_to(ROOT)}:{node.lineno} verdict({ast.unparse(arg)})")
            elif ast.unparse(arg) in BUILT:
                keys |= set(BUILT[ast.unparse(arg)])
            else:
                unknown.append(f"{path.relative_to(ROOT)}:{node.lineno} t({ast.unparse(arg)})")
    return keys, unknown


def test_every_key_the_ui_asks_for_exists_in_dutch_and_in_english():
    keys, unknown = keys_used()
    assert not unknown, f"keys built at run time that this test cannot enumerate; add them to BUILT: {unknown}"
    assert len(keys) > 300
    missing = [f"{key} ({lang})" for key in sorted(keys) for lang in ("nl", "en") if not texts.TEXTS.get(key, {}).get(lang)]
    assert not missing, missing


def test_a_missing_text_fails_in_the_tests():
    assert texts.STRICT
    with pytest.raises(KeyError, match="no_such_key"):
        texts.t("no_such_key")
    texts.TEXTS["only_dutch"] = {"nl": "alleen Nederlands"}
    try:
        assert texts.t("only_dutch") == "alleen Nederlands"
        with speaking("en"), pytest.raises(KeyError, match="only_dutch"):
            texts.t("only_dutch")
    finally:
        del texts.TEXTS["only_dutch"]


def test_a_visitor_sees_dutch_or_the_key_where_a_text_is_missing(monkeypatch):
    """As before the language became a context: no error page for a missing text."""
    monkeypatch.setattr(texts, "STRICT", False)
    monkeypatch.setitem(texts.TEXTS, "only_dutch", {"nl": "alleen Nederlands"})
    with speaking("en"):
        assert texts.t("only_dutch") == "alleen Nederlands"
        assert texts.t("no_such_key") == "no_such_key"
