"""The workshop: decks of slides, deck bundles for a room without network, and follow-along
rooms. It builds on the data layer (``data_sources``) and shares the view vocabulary of the
pages (``vocabulary``); nothing in ``data_sources`` depends on it, apart from the command
line's ``export --deck`` and bundle ``import``, which load it when asked."""
