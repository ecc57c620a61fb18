"""Reusable view pieces. Pieces read data only through ui.data (the store), never CBS."""
