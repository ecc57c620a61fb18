"""Running the real router (app.py) in AppTest, on any of its pages.

AppTest can only switch to file-based pages, and ours are callables that ``st.navigation``
registers under the catalogue's url paths. A first run of the router tells under which hash
each url path is registered; a fresh session then starts on that hash, as a browser opening
``/<url_path>`` does.
"""
from __future__ import annotations

import functools
import html
import re
from pathlib import Path

from streamlit import config
from streamlit.components.v2.component_manager import BidiComponentManager
from streamlit.testing.v1 import AppTest

_STYLE_ONLY = re.compile(r"\s*<style>.*?</style>\s*", re.S)  # the app's own style sheets
APP = str(Path(__file__).resolve().parent.parent / "app.py")
# .streamlit/config.toml shows visitors only a generic message for an exception; a failing
# test should name the real one.
config.set_option("client.showErrorDetails", "full")


def app_page(url_path: str = "", **params) -> AppTest:
    """app.py run on the page at ``/<url_path>`` ("" = the overview) with these URL parameters,
    as a browser's first request to that link."""
    at = new_session()
    if url_path:
        at._page_hash = page_hash(url_path)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def new_session() -> AppTest:
    """A fresh AppTest session of app.py. Every new AppTest scans the installed packages for
    components (about a second); the scan's result is the same for every session, so they
    share it."""
    at = AppTest.from_file(APP, default_timeout=120)
    at._bidi_component_manager = _components()
    return at


@functools.cache
def _components() -> BidiComponentManager:
    manager = BidiComponentManager()
    manager.discover_and_register_components(start_file_watching=False)
    return manager


@functools.cache
def page_hash(url_path: str) -> str:
    """The hash under which ``st.navigation`` registers the page at ``/<url_path>`` (it depends
    on the url path alone, so it is asked once per path)."""
    probe = new_session().run()
    pages = {info.get("url_pathname"): key for key, info in probe._registered_pages.items()}
    if url_path not in pages:
        raise KeyError(f"app.py registers no page at /{url_path}; it has {sorted(pages)}")
    return pages[url_path]


def markdown_sources(at: AppTest) -> list[str]:
    """Every piece of text on the page that Streamlit renders as markdown."""
    parts = [*at.markdown, *at.caption, *at.info, *at.warning, *at.error, *at.success, *at.title, *at.header, *at.subheader]
    sources = [str(e.value) for e in parts if not _STYLE_ONLY.fullmatch(str(e.value))]
    sources += [m.label for m in at.metric] + [str(m.value) for m in at.metric]
    sources += [b.label for b in at.button]
    return sources


def texts(at: AppTest) -> str:
    """The page's text as a reader sees it (markdown escapes removed)."""
    return rendered("\n".join(markdown_sources(at)))


def rendered(markdown: str) -> str:
    """Markdown source without the CommonMark backslash escapes and zero-width spaces that
    ``ui.safe.plain`` adds, and with the character references of the app's own HTML (status
    table, sparklines, chart summaries) read as the characters a reader sees."""
    return html.unescape(re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown).replace("\u200b", ""))
