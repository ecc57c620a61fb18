"""What a person sees, before and after a change: the same URLs on two running servers, each
page's visible text and a full-page screenshot, compared line by line and pixel by pixel.

    python3 bench/visual_diff.py http://127.0.0.1:8611 http://127.0.0.1:8612 --out /tmp/visual

Start the two servers on the same data folder first (docs/testing.md, "Helpers every test
shares"). Screenshots go to OUT/before/*.png and OUT/after/*.png, texts next to them as
*.txt, and the comparison to OUT/report.txt. A Streamlit page scrolls inside its main
container, so "full page" here means a viewport made as tall as that container's content.
A slide's QR code encodes the server's own address, so it differs between two ports: a
difference confined to the QR code on /presentatie is not a change.
"""
from __future__ import annotations

import argparse
import difflib
import re
from pathlib import Path

from PIL import Image, ImageChops
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"]
DESKTOP = (1366, 768)
PHONE = (390, 844)
TALLEST = 12_000  # pixels: a screenshot taller than this is cut (chromium's own limit is near 16k)
NOISE = 0.002  # share of changed pixels below which a pair counts as the same picture

TABS = ["grafiek", "tabel", "regios", "kaart", "bron", "download"]
DRAWN = "h1, [data-testid='stException'], [data-testid='stAlert'], [role='dialog']"  # one of these: the page has drawn
SCROLLERS = "[data-testid='stMain'], [data-testid='stAppViewContainer'], section.main"  # where Streamlit scrolls
DECK = "/presentatie?deck=voorbeeld-woningtekort"
# the first woningtekort indicator is national only: these draw a ranking and a map
REGIONAL = [f"/woningtekort?indicator=woningtekort.verkoopprijs&tab={tab}" for tab in ("grafiek", "regios", "kaart")] + [
    "/stikstof?indicator=stikstof.ammoniak_mest&tab=kaart", "/eenzaamheid?indicator=eenzaamheid.eenzaam_gemeente&tab=kaart"]
# links that do not fit: what a visitor sees when something is missing
ODD = ["/presentatie?deck=bestaat-niet", "/woningtekort?tab=onzin&indicator=bestaat.niet", "/gemeente?regio=GM9999", "/onbekend"]


def with_lang(path: str, lang: str) -> str:
    if lang == "nl":
        return path
    return f"{path}{'&' if '?' in path else '?'}taal={lang}"


def pages() -> list[tuple[str, str, tuple[int, int]]]:
    """(name, path, viewport) for every page compared."""
    paths = ["/", "/energietransitie", "/stikstof", "/eenzaamheid", "/asiel", "/gemeente?regio=GM0363", "/samenhang", "/bronnen",
             f"{DECK}&dia=1", f"{DECK}&dia=3", "/presentatie-maken"] + [f"/woningtekort?tab={tab}" for tab in TABS]
    paths += REGIONAL + ODD
    found = [(path, lang) for path in paths for lang in ("nl", "en")]
    listed = [(name_of(with_lang(p, lang)), with_lang(p, lang), DESKTOP) for p, lang in found]
    phones = ["/", "/woningtekort?tab=grafiek", "/gemeente?regio=GM0363", f"{DECK}&dia=1", "/?taal=en"]
    return listed + [(name_of(p) + "-390", p, PHONE) for p in phones]


def name_of(path: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"


def quiet(page) -> None:
    """The network is quiet, or 10 s have passed: a page that keeps asking (a slide that
    follows its presenter) never goes quiet."""
    try:
        page.wait_for_load_state("networkidle", timeout=10_000)
    except PlaywrightTimeout:
        pass


def settle(page) -> None:
    """Streamlit's script has finished, the network is quiet and the charts have drawn."""
    try:
        page.wait_for_selector(DRAWN, timeout=30_000)
    except PlaywrightTimeout:
        pass  # a page with none of these: compare what it shows anyway
    quiet(page)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"] [data-testid=\"stStatusWidgetRunningIcon\"]')", timeout=60_000)
    page.wait_for_timeout(1500)


def capture(browser, base: str, path: str, viewport: tuple[int, int], shot: Path) -> str:
    """Screenshot of the whole page to ``shot``; returns the page's visible text."""
    page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})
    try:
        page.goto(base + path)
        settle(page)
        text = page.inner_text("body")
        height = page.evaluate(f"() => Math.max(...[...document.querySelectorAll({SCROLLERS!r})].map(e => e.scrollHeight), document.body.scrollHeight)")
        page.set_viewport_size({"width": viewport[0], "height": min(max(height, viewport[1]), TALLEST)})
        quiet(page)
        page.wait_for_timeout(1500)  # plotly redraws on a resize
        page.screenshot(path=str(shot), full_page=True)
        return text
    finally:
        page.close()


def changed_pixels(before: Path, after: Path) -> tuple[int, int, str]:
    """(changed pixels, all pixels, sizes when they differ)."""
    a, b = Image.open(before).convert("RGB"), Image.open(after).convert("RGB")
    sizes = "" if a.size == b.size else f"{a.size} vs {b.size}"
    width, height = max(a.width, b.width), max(a.height, b.height)
    canvas_a, canvas_b = Image.new("RGB", (width, height), "white"), Image.new("RGB", (width, height), "white")
    canvas_a.paste(a)
    canvas_b.paste(b)
    diff = ImageChops.difference(canvas_a, canvas_b).convert("L").point(lambda v: 255 if v > 16 else 0)
    return diff.histogram()[255], width * height, sizes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before")
    parser.add_argument("after")
    parser.add_argument("--out", type=Path, default=Path("/tmp/visual"))
    parser.add_argument("--only", help="a regular expression: compare only the pages whose name matches")
    args = parser.parse_args()
    listed = [p for p in pages() if not args.only or re.search(args.only, p[0])]
    report = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for name, path, viewport in listed:
            texts = {}
            for side, base in (("before", args.before), ("after", args.after)):
                folder = args.out / side
                folder.mkdir(parents=True, exist_ok=True)
                texts[side] = capture(browser, base, path, viewport, folder / f"{name}.png")
                (folder / f"{name}.txt").write_text(texts[side])
            lines = list(difflib.unified_diff(texts["before"].splitlines(), texts["after"].splitlines(), "before", "after", lineterm="", n=0))
            changed, total, sizes = changed_pixels(args.out / "before" / f"{name}.png", args.out / "after" / f"{name}.png")
            verdict = "same" if not lines and changed / total < NOISE and not sizes else "DIFFERS"
            head = f"{name} ({path}, {viewport[0]}x{viewport[1]}): {verdict}; {changed} of {total} pixels changed ({changed / total:.2%}) {sizes}".rstrip()
            print(head, flush=True)
            report += [head] + [f"    {line}" for line in lines[2:]]
        browser.close()
    (args.out / "report.txt").write_text("\n".join(report) + "\n")


if __name__ == "__main__":
    main()
