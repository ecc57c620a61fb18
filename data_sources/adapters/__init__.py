"""Adapters: one module per kind of source; each turns a catalogue entry into an indicator
frame plus its provenance over HTTP. Adapters never import Streamlit."""
from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from ..catalogue import Indicator
from ..http import JsonClient
from ..provenance import Provenance
from . import cbs, cbs_v4, tabular

Fetch = Callable[[Indicator, JsonClient], tuple[pd.DataFrame, Provenance]]

ADAPTERS: dict[str, Fetch] = {"cbs": cbs.fetch, "cbs_v4": cbs_v4.fetch, "tabular": tabular.fetch}

# CBS's last-modified date of an indicator's table, from metadata requests only (None: unknown).
TABLE_MODIFIED: dict[str, Callable[[Indicator, JsonClient], str | None]] = {
    "cbs": cbs.table_modified,
    "cbs_v4": cbs_v4.table_modified,
}
