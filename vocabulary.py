"""The words a view is made of (tabs, modes, region limits), without Streamlit: the pages
and the workshop's decks share them, because a slide is a view with the same choices as its URL."""

TABS = ("grafiek", "tabel", "regios", "kaart", "bron", "download")
TAB_KEYS = {"grafiek": "tab_chart", "tabel": "tab_table", "regios": "tab_regions", "kaart": "tab_map", "bron": "tab_source", "download": "tab_download"}  # their names in ui.texts
MODES = ("absoluut", "index", "verandering")
PRESENTATION = "presentatie"  # modus=presentatie: projector layout on any page
DEFAULT_REGION = "NL01"
MAX_REGIONS = 6  # one main region and up to five to compare with
LEVELS = ("gemeente", "provincie")
