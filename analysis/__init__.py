"""Pure analysis on indicator frames: no I/O, no Streamlit. One method for every indicator."""
