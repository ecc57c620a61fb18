"""Shared by the browser tests: Debian's chromium, a Streamlit server on a store refreshed
from the emulator (fixtures ``app_env``, ``app_url``, ``browser``, ``axe``; tests/conftest.py
registers them), the checks every browser test makes (``assert_page_ok``: no exception box,
no "Page not found"; ``close`` checks before closing), axe-core, and where screenshots go."""
from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pytest

from tests.server import ROOT, cli, streamlit_server

CHROMIUM = "/usr/bin/chromium"
AXE = ROOT / ".tools" / "axe" / "node_modules" / "axe-core" / "axe.min.js"  # installed by scripts/test.sh
SHOTS = ROOT / "test-output" / "screenshots"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"]
NEEDS_CHROMIUM = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (apt-get install chromium)")
EXCEPTION_BOX = "[data-testid='stException']"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# axe findings inside Streamlit's own widgets that the app cannot change: (rule id, the
# Streamlit element they lie in, why). Listed in docs/accessibility.md; anything else fails.
FRAMEWORK_FINDINGS = [
    ("list", "[data-testid='stSidebarNav']", "st.navigation puts section <div>s directly inside its <ul>"),
    ("listitem", "[data-testid='stSidebarNav']", "st.navigation's <li>s sit in those <div>s, not in the <ul>"),
]


def assert_page_ok(page) -> None:
    """What a person would call a broken page: Streamlit's exception box or its "Page not
    found" dialog. Every browser test checks each page it opens with this."""
    boxes = page.locator(EXCEPTION_BOX)
    assert boxes.count() == 0, f"{page.url} shows an exception:\n{boxes.first.inner_text()[:3000]}"
    assert page.get_by_text("Page not found").count() == 0, f"{page.url}: Streamlit says 'Page not found'"


def close(*pages_or_contexts) -> None:
    """Closes pages and browser contexts after ``assert_page_ok`` on every page in them."""
    for item in pages_or_contexts:
        for page in getattr(item, "pages", [item]):
            assert_page_ok(page)
        item.close()


@pytest.fixture(scope="module")
def app_env(tmp_path_factory, mirror_dir):
    """Environment of a store refreshed from the emulator. The fixture catalogue has one
    indicator whose table does not exist, so the refresh must fail for exactly that one."""
    from data_sources.catalogue import load_catalogue
    from data_sources.emulator import start_emulator
    from tests.conftest import FIXTURE_CATALOGUE, FIXTURE_FILES

    emulator = start_emulator(mirror_dir)
    data = tmp_path_factory.mktemp("browser-store")
    env = {**os.environ, **emulator.env(), "OPGAVEMONITOR_DATA_DIR": str(data), "OPGAVEMONITOR_CATALOGUE_DIR": str(FIXTURE_CATALOGUE), "OPGAVEMONITOR_FILES_DIR": str(FIXTURE_FILES)}
    output = cli(env, "refresh", failed=("testenergie.kapot",), timeout=120)
    total = len(load_catalogue(FIXTURE_CATALOGUE).indicators())
    assert output.splitlines()[-1] == f"{total - 1} ok, 1 failed", output
    yield env
    emulator.stop()


@pytest.fixture(scope="module")
def app_url(app_env):
    with streamlit_server(app_env) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def axe() -> Path:
    """axe-core's script; a test that runs axe asks for this, so that it skips before it
    checks anything when axe is not installed (never half-way through)."""
    if not AXE.exists():
        pytest.skip(f"axe-core is not installed at {AXE} (scripts/test.sh installs it)")
    return AXE


AXE_RUN = """
([tags, framework]) => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations'], elementRef: true})
  .then(r => r.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => ({
    target: n.target.join(' '), summary: n.failureSummary,
    framework: framework.filter(([rule, inside]) => rule === v.id && n.element && n.element.closest(inside)).map(f => f[2]),
  }))})))
"""


def axe_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    return page.evaluate(AXE_RUN, [WCAG_TAGS, FRAMEWORK_FINDINGS])


def assert_no_serious_axe_finding(page, name: str) -> None:
    """axe-core's WCAG 2.1 A/AA findings of impact serious or critical, outside the listed
    framework findings, on a page that shows no exception (axe finds nothing wrong with an
    exception box). Tests calling this use the ``axe`` fixture."""
    assert_page_ok(page)
    found = axe_violations(page)
    counts = Counter((v["impact"], "framework" if n["framework"] else "ours") for v in found for n in v["nodes"])
    print(f"axe {name}: {dict(counts)}")
    ours = [
        (v["id"], v["impact"], n["target"], n["summary"])
        for v in found if v["impact"] in ("serious", "critical")
        for n in v["nodes"] if not n["framework"]
    ]
    assert not ours, "\n".join(map(str, ours))
