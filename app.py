"""Opgavemonitor: router (filled in by the pages issue)."""
import streamlit as st

from data_sources.api import open_store, status_rows
from data_sources.catalogue import load_catalogue

st.set_page_config(page_title="Opgavemonitor", layout="wide")
st.title("Opgavemonitor")
st.dataframe(status_rows(load_catalogue(), open_store()))
