"""The Download tab on the page: the view's figures for Excel and as CSV, its chart as PNG and
SVG (or, without a browser on the server, a sentence saying why not)."""
import pytest

from tests.apptest import app_page, texts
from ui import chart_image


def download_labels(at) -> list[str]:
    return [button.proto.label for button in at.get("download_button")]


def test_download_tab_offers_excel_csv_png_and_svg(filled):
    if not chart_image.available():
        pytest.skip("no Chrome or Chromium for plotly's static export")
    at = app_page("testwonen", indicator="testwonen.waarde", regio="GM0363,NL01", tab="download")
    assert not at.exception
    assert download_labels(at) == [
        "Download voor Excel (.xlsx, met bronnen)", "Download gegevens (CSV + toelichting, zip)",
        "Download grafiek als PNG", "Download grafiek als SVG",
    ]
    assert "cameraknopje" not in texts(at)  # the old advice pointed at a chart this tab does not show


def test_without_a_browser_the_tab_says_why_there_is_no_image(filled, monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    at = app_page("testwonen", indicator="testwonen.waarde", tab="download", taal="en")
    assert not at.exception
    assert download_labels(at) == ["Download for Excel (.xlsx, with sources)", "Download data (CSV + readme, zip)"]
    assert "This server cannot make images" in texts(at)
