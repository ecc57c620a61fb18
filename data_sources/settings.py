"""Settings, all from environment variables (documented in docs/operating.md)."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# Small hand-transcribed files that ship with the project (tabular sources with bundled = true):
# figures printed on official pages, each row naming its page. Unlike OPGAVEMONITOR_FILES_DIR
# (data/files, git-ignored), this folder is part of the repository.
PROJECT_FILES = PROJECT_ROOT / "data_sources" / "files"

DEFAULTS = {
    "OPGAVEMONITOR_CBS_V3_URL": "https://opendata.cbs.nl",
    "OPGAVEMONITOR_CBS_V4_URL": "https://datasets.cbs.nl/odata/v1",
    "OPGAVEMONITOR_CBS_DATADERDEN_URL": "https://dataderden.cbs.nl",
    "OPGAVEMONITOR_DATA_DIR": str(PROJECT_ROOT / "data"),
    "OPGAVEMONITOR_HTTP_TIMEOUT": "30",
    "OPGAVEMONITOR_HTTP_RETRIES": "3",
    "OPGAVEMONITOR_HTTP_BACKOFF": "0.5",
    "OPGAVEMONITOR_HTTP_FIRST_TIMEOUT": "7",
    "OPGAVEMONITOR_HTTP_HOST_FAILURES": "3",
    "OPGAVEMONITOR_HTTP_DEADLINE": "35",
    "OPGAVEMONITOR_HTTP_BUSY_BUDGET": "120",
    "OPGAVEMONITOR_MODE": "alleen-lezen",
    "OPGAVEMONITOR_CATALOGUE_DIR": str(PROJECT_ROOT / "data_sources" / "catalogue"),
    "OPGAVEMONITOR_FILES_DIR": str(PROJECT_ROOT / "data" / "files"),
    "OPGAVEMONITOR_GEO_URL": "https://service.pdok.nl/cbs/gebiedsindelingen",
    "OPGAVEMONITOR_LOG_LEVEL": "WARNING",
}

# v3 catalogue name -> environment variable holding its base URL
V3_CATALOGUES = {
    "opendata": "OPGAVEMONITOR_CBS_V3_URL",
    "dataderden": "OPGAVEMONITOR_CBS_DATADERDEN_URL",
}


def get(name: str) -> str:
    return os.environ.get(name) or DEFAULTS[name]


@dataclass(frozen=True)
class HttpSettings:
    timeout: float
    retries: int
    backoff: float = 0.5  # seconds before the first retry; doubles each time
    first_timeout: float = 7.0  # timeout until a host has answered once in a run
    host_failures: int = 3  # failures without an answer in a row before a host is given up
    deadline: float = 35.0  # seconds one request may take in all: connecting, headers and body
    busy_budget: float = 120.0  # seconds a run may wait on one host's Retry-After and back-off

    @classmethod
    def from_env(cls) -> HttpSettings:
        return cls(
            float(get("OPGAVEMONITOR_HTTP_TIMEOUT")),
            int(get("OPGAVEMONITOR_HTTP_RETRIES")),
            float(get("OPGAVEMONITOR_HTTP_BACKOFF")),
            float(get("OPGAVEMONITOR_HTTP_FIRST_TIMEOUT")),
            int(get("OPGAVEMONITOR_HTTP_HOST_FAILURES")),
            float(get("OPGAVEMONITOR_HTTP_DEADLINE")),
            float(get("OPGAVEMONITOR_HTTP_BUSY_BUDGET")),
        )


def v3_base_url(catalogue: str) -> str:
    return get(V3_CATALOGUES[catalogue]).rstrip("/")


def cbs_base_urls() -> list[str]:
    """Every CBS API this deployment talks to (the v3 catalogues and v4)."""
    return [v3_base_url(name) for name in V3_CATALOGUES] + [v4_base_url()]


def v4_base_url() -> str:
    return get("OPGAVEMONITOR_CBS_V4_URL").rstrip("/")


def data_dir() -> Path:
    return Path(get("OPGAVEMONITOR_DATA_DIR"))


MODES = {"alleen-lezen": False, "readonly": False, "beheer": True, "edit": True}


def editing_allowed() -> bool:
    """Whether visitors of the dashboard may change the store (refresh, import, server-side
    decks). Read-only is the default and what an unknown value means: a public deployment
    must never become writable through a typo."""
    return MODES.get(get("OPGAVEMONITOR_MODE").strip().lower(), False)


def catalogue_dir() -> Path:
    return Path(get("OPGAVEMONITOR_CATALOGUE_DIR"))


def files_dir() -> Path:
    """The only folder a tabular source may read local files from."""
    return Path(get("OPGAVEMONITOR_FILES_DIR"))


def geo_base_url() -> str:
    """Where municipal and provincial boundaries come from: PDOK's WFS (or an emulator of it)
    as an http(s) URL, or a local folder laid out like ``../shared/cbs-mirror/geo``."""
    return get("OPGAVEMONITOR_GEO_URL").rstrip("/")
