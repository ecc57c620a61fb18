"""The chart as a PNG or SVG file that stands on its own: title, unit and source line are
drawn inside the image (a picture pasted into a slide or report loses the page around it).

Plotly's static export (kaleido) drives a headless Chrome; it finds Debian's ``chromium`` on
the PATH, or the browser that the ``BROWSER_PATH`` environment variable names. Without one,
``available()`` is False and the page says so instead of offering the buttons.
"""
from __future__ import annotations

import functools
import html
import os
import shutil
import threading

import plotly.graph_objects as go
import plotly.io as pio

WIDTH, HEIGHT = 1200, 675  # 16:9, the shape of a slide
PNG_SCALE = 2  # sharp on a projector and in print
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
SOURCE_FONT_SIZE = 13
_ONE_AT_A_TIME = threading.Lock()  # each export starts a browser: visitors' clicks queue, never pile up


def available() -> bool:
    """Is there a browser kaleido can drive (and kaleido itself)?"""
    try:
        import kaleido  # noqa: F401 - only its presence is checked here
    except ImportError:
        return False
    override = os.environ.get("BROWSER_PATH")
    if override:
        return os.access(override, os.X_OK)
    return any(shutil.which(name) for name in BROWSERS)


def framed(figure: go.Figure, title: str, subtitle: str, source: str) -> go.Figure:
    """A copy of ``figure`` with a title, a subtitle (unit, regions) and a source line inside.
    The texts are escaped: plotly reads tags such as ``<a href>`` in text as markup."""
    out = go.Figure(figure)
    legend_rows = 1 + sum(1 for trace in out.data if trace.showlegend is not False) // 4
    below = max(45, figure.layout.margin.b or 0)  # policy moments' labels sit under the years: the source goes under them
    out.update_layout(
        width=WIDTH, height=HEIGHT,
        title=dict(
            text=f"<b>{html.escape(title)}</b>", x=0.01, xanchor="left", y=0.97, yanchor="top", yref="container",
            font=dict(size=22), subtitle=dict(text=html.escape(subtitle), font=dict(size=15)),
        ),
        margin=dict(l=20, r=30, t=100 + 22 * legend_rows, b=below + 35),
    )
    out.add_annotation(
        text=html.escape(source), xref="paper", yref="paper", x=0, y=0, xanchor="left", yanchor="top",
        yshift=-below, showarrow=False, align="left", font=dict(size=SOURCE_FONT_SIZE, color="#3E4C59"),
    )
    return out


def image(figure: go.Figure, kind: str) -> bytes:
    """``kind`` is "png" or "svg"; raises whatever kaleido raises when no browser runs."""
    return _export(figure.to_json(), kind)


@functools.lru_cache(maxsize=16)
def _export(figure_json: str, kind: str) -> bytes:
    """The same chart asked for again (a second visitor, a second click) is not drawn again."""
    with _ONE_AT_A_TIME:
        return pio.from_json(figure_json).to_image(format=kind, width=WIDTH, height=HEIGHT, scale=PNG_SCALE if kind == "png" else 1)
