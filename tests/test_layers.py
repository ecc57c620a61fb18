"""The layers stay apart: the data layer and the analysis import nothing of the pages, and the
command line starts without Streamlit (docs/architecture.md)."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ABOVE_THE_DATA = ("ui", "views", "streamlit", "app")


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """(line, module) for every import in a file, relative imports resolved to their package."""
    package = path.relative_to(ROOT).parent.parts
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else ()
            found.append((node.lineno, ".".join([*base, node.module or ""]).strip(".")))
    return found


@pytest.mark.parametrize("layer", ["data_sources", "analysis", "workshop", "vocabulary.py"])
def test_lower_layers_import_nothing_of_the_pages(layer):
    files = [ROOT / layer] if layer.endswith(".py") else sorted((ROOT / layer).rglob("*.py"))
    assert files
    wrong = [
        f"{path.relative_to(ROOT)}:{line} imports {module}"
        for path in files for line, module in imported_modules(path)
        if module.split(".")[0] in ABOVE_THE_DATA
    ]
    assert not wrong, wrong


def test_only_the_command_line_reaches_the_workshop():
    """Decks and rooms are not data sources: the data layer never imports them, except the
    command line's deck export and bundle import, which load them when asked."""
    users = {
        str(path.relative_to(ROOT))
        for path in (ROOT / "data_sources").rglob("*.py")
        for _, module in imported_modules(path) if module.split(".")[0] == "workshop"
    }
    assert users == {"data_sources/__main__.py"}


def test_the_command_line_loads_no_streamlit(tmp_path):
    """``python -m data_sources status`` imports neither Streamlit nor the pages (read from
    ``-X importtime``: the command line leaves through ``os._exit`` once its work is written)."""
    env = {"PATH": "/usr/bin:/bin", "OPGAVEMONITOR_DATA_DIR": str(tmp_path / "data"), "HOME": str(tmp_path)}
    run = subprocess.run([sys.executable, "-X", "importtime", "-m", "data_sources", "status"],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    imported = {line.rsplit("|", 1)[-1].strip() for line in run.stderr.splitlines() if line.startswith("import time:")}
    assert "data_sources.store" in imported, run.stderr[-2000:]  # the probe sees the command's imports
    loaded = sorted(m for m in imported if m.split(".")[0] in {"streamlit", "ui", "views", "workshop"})
    assert not loaded, loaded
