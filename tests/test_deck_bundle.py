"""A deck and exactly its data as one file: export on one data directory, import into an
empty one with every CBS URL pointing at a closed port, and every slide renders with data and
says it runs from a snapshot and how old the data is."""
import io
import socket
import time
import zipfile

import pytest
from streamlit.runtime.media_file_manager import MediaFileManager

from data_sources.__main__ import main as cli
from data_sources.settings import V3_CATALOGUES
from data_sources.store import Store
from tests.apptest import app_page, rendered, texts
from ui.presentation import SCREENS
from workshop import decks
from workshop.bundle import DECK_MEMBER, SNAPSHOT_MEMBER


def closed_port_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}"  # nothing listens once closed


@pytest.fixture
def bundle(filled, catalogue, tmp_path, monkeypatch):
    monkeypatch.setenv("OPGAVEMONITOR_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("OPGAVEMONITOR_DECKS_DIR", str(tmp_path / "decks"))
    deck = decks.example_decks(catalogue)["voorbeeld-testwonen"]
    deck_file = tmp_path / "raad.toml"
    deck_file.write_text(decks.to_toml(deck))
    out = tmp_path / "raad.zip"
    assert cli(["export", "--deck", str(deck_file), str(out)]) == 0
    return deck, out


def go_offline(tmp_path, monkeypatch):
    monkeypatch.setenv("OPGAVEMONITOR_DATA_DIR", str(tmp_path / "offline" / "data"))
    for name in ("OPGAVEMONITOR_CBS_V4_URL", *V3_CATALOGUES.values()):
        monkeypatch.setenv(name, closed_port_url())


def test_an_example_deck_is_exported_by_its_name(bundle, tmp_path, capsys):
    by_name = tmp_path / "voorbeeld.zip"
    assert cli(["export", "--deck", "voorbeeld-testwonen", str(by_name)]) == 0
    with zipfile.ZipFile(by_name) as named, zipfile.ZipFile(bundle[1]) as from_file:
        assert named.read(DECK_MEMBER) == from_file.read(DECK_MEMBER)
    assert cli(["export", "--deck", "bestaat-niet", str(tmp_path / "x.zip")]) == 2
    assert "no deck file or deck named 'bestaat-niet'; example decks: voorbeeld-testwonen" in capsys.readouterr().err
    assert not (tmp_path / "x.zip").exists()


def test_bundle_holds_exactly_the_decks_indicators(bundle):
    deck, out = bundle
    with zipfile.ZipFile(out) as zf:
        assert sorted(zf.namelist()) == [DECK_MEMBER, SNAPSHOT_MEMBER]
        with zipfile.ZipFile(io.BytesIO(zf.read(SNAPSHOT_MEMBER))) as snapshot:
            stems = {name.split("/")[-1].removesuffix(".json") for name in snapshot.namelist() if name.endswith(".json") and name != "manifest.json"}
    assert stems == set(deck.indicators())  # nothing of testenergie


def test_offline_import_runs_every_slide(bundle, tmp_path, monkeypatch):
    deck, out = bundle
    go_offline(tmp_path, monkeypatch)
    assert cli(["import", str(out), "--deck-name", "raad"]) == 0
    every_slide_runs_from_the_snapshot(deck, "raad")


def every_slide_runs_from_the_snapshot(deck, name: str) -> None:
    for n in range(1, len(deck.slides) + 1):
        at = app_page("presentatie", deck=name, dia=str(n))
        body = texts(at)
        assert not at.exception, n
        assert f"Dia {n} / {len(deck.slides) + 1}" in body
        assert "Deze gegevens komen uit een momentopname · Bron: " in body
        assert "gegevens opgehaald op" in body and "dagen oud" in body
        assert len(at.get("plotly_chart")) == len(SCREENS), n  # drawn with data (a projector's and a phone's size), not an empty state


def test_refreshing_after_import_ends_the_snapshot_notice(bundle, cbs, tmp_path, monkeypatch):
    deck, out = bundle
    go_offline(tmp_path, monkeypatch)
    cli(["import", str(out), "--deck-name", "raad"])
    for key, value in cbs.env().items():  # the network is back
        monkeypatch.setenv(key, value)
    # Refresh times have one-second resolution; in real use the bundle's data was fetched long
    # before, here the fixture fetched it moments ago: let the clock move on first.
    time.sleep(1.1)
    cli(["refresh", "--indicator", "testwonen.waarde", "--force"])
    body = texts(app_page("presentatie", deck="raad", dia="1"))
    assert "snapshot" not in body and "Bron: CBS, 99901TST" in body


def test_a_bundle_with_a_bad_deck_changes_nothing(bundle, tmp_path, monkeypatch, capsys):
    _, out = bundle
    with zipfile.ZipFile(out) as zf:
        snapshot = zf.read(SNAPSHOT_MEMBER)
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(bad, "w") as zf:
        zf.writestr(DECK_MEMBER, 'titel = "x"\n[[dia]]\nopgave = "testwonen"\nindicator = "testwonen.weg"\n')
        zf.writestr(SNAPSHOT_MEMBER, snapshot)
    go_offline(tmp_path, monkeypatch)
    assert cli(["import", str(bad), "--deck-name", "raad"]) == 1
    assert "deck.toml [dia 1] indicator: unknown indicator 'testwonen.weg'" in capsys.readouterr().err
    assert not (tmp_path / "offline" / "data").exists() and not (tmp_path / "decks").exists()


def snapshot_and_store_files(tmp_path) -> dict:
    return {str(p.relative_to(tmp_path)): p.read_bytes() for p in sorted(tmp_path.rglob("*")) if p.is_file() and "offline" in p.parts}


def test_hostile_bundles_are_refused_before_anything_is_read_into_memory(bundle, tmp_path, monkeypatch, capsys):
    """A deck.toml nested 30,000 deep, and a snapshot.zip that inflates far past the snapshot
    limits: refused with a message, the store byte-identical, the memory hardly used."""
    import tracemalloc

    _, out = bundle
    go_offline(tmp_path, monkeypatch)
    assert cli(["import", str(out), "--deck-name", "eerst"]) == 0  # a store to keep intact
    nested = tmp_path / "nested.zip"
    nested.write_bytes(bundle_with(out, DECK_MEMBER, b"titel = " + b"[" * 30_000 + b"]" * 30_000))
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(DECK_MEMBER, decks.to_toml(bundle[0]))
        with zf.open(SNAPSHOT_MEMBER, "w", force_zip64=True) as member:
            for _ in range(300):  # 300 MiB of zeros, about 300 kB packed
                member.write(bytes(1024 * 1024))
    capsys.readouterr()
    before = snapshot_and_store_files(tmp_path)
    for hostile, message in ((nested, "deck.toml: not valid TOML: nested too deeply"), (bomb, "refused: snapshot.zip")):
        tracemalloc.start()
        assert cli(["import", str(hostile), "--deck-name", "raad"]) == 1
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        err = capsys.readouterr().err
        assert "import refused, the store is unchanged" in err and message in err and "Traceback" not in err
        assert peak < 20 * 1024 * 1024, peak  # the bundle file itself is under 1 MB: nothing was inflated
        assert snapshot_and_store_files(tmp_path) == before
        assert not (tmp_path / "decks" / "raad.toml").exists()


# --- in the app: the editor's download, and the upload in beheer mode --------------------------

@pytest.fixture
def built_on_click(monkeypatch):
    """What each download button whose data is built on click would serve, by file name."""
    made = {}
    original = MediaFileManager.add_deferred

    def record(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        made[file_name] = data_callable
        return original(self, data_callable, mimetype, coordinates, file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", record)
    return made


def test_the_editor_downloads_a_bundle_that_runs_offline(bundle, built_on_click, tmp_path, monkeypatch):
    deck, _ = bundle
    at = app_page("presentatie-maken")
    at.button(key="om-edit-voorbeeld-testwonen").click().run()
    assert not at.download_button(key="om-download-bundle").disabled
    download = tmp_path / "download.zip"
    download.write_bytes(built_on_click["presentatie-offline.zip"]())
    go_offline(tmp_path, monkeypatch)
    assert cli(["import", str(download), "--deck-name", "raad"]) == 0
    every_slide_runs_from_the_snapshot(deck, "raad")


def test_no_bundle_download_without_the_data(cbs, store, tmp_path, monkeypatch):
    monkeypatch.setenv("OPGAVEMONITOR_STATE_DIR", str(tmp_path / "state"))
    at = app_page("presentatie-maken")  # an empty store: nothing refreshed yet
    at.button(key="om-edit-voorbeeld-testwonen").click().run()
    assert at.download_button(key="om-download-bundle").disabled
    assert "Downloaden met gegevens kan pas als er gegevens zijn voor: testwonen." in texts(at)


def upload_bundle(raw: bytes, name: str = "raad"):
    at = app_page("presentatie-maken")
    at.file_uploader(key="om-upload-bundle").set_value(("raad.zip", raw, "application/zip")).run()
    at.text_input(key="om-bundle-name").input(name).run()
    return at.button(key="om-import-bundle").click().run()


def test_beheer_imports_an_uploaded_bundle(bundle, tmp_path, monkeypatch):
    deck, out = bundle
    go_offline(tmp_path, monkeypatch)
    monkeypatch.setenv("OPGAVEMONITOR_MODE", "beheer")
    at = upload_bundle(out.read_bytes())
    assert not at.error and f"Geïmporteerd: presentatie 'raad' ({len(deck.slides)} dia's) met haar gegevens." in texts(at)
    every_slide_runs_from_the_snapshot(deck, "raad")


def bundle_with(out, member: str, data: bytes) -> bytes:
    """The exported bundle with one member replaced."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(out) as source, zipfile.ZipFile(buffer, "w") as target:
        for name in source.namelist():
            target.writestr(name, data if name == member else source.read(name))
    return buffer.getvalue()


def snapshot_with_manifest(out, manifest: bytes) -> bytes:
    with zipfile.ZipFile(out) as zf:
        snapshot = zf.read(SNAPSHOT_MEMBER)
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(snapshot)) as source, zipfile.ZipFile(buffer, "w") as target:
        for name in source.namelist():
            target.writestr(name, manifest if name == "manifest.json" else source.read(name))
    return buffer.getvalue()


@pytest.mark.parametrize("damage, message", [
    (lambda out: b"no zip at all", "not a deck bundle: it must be a zip of exactly deck.toml and snapshot.zip"),
    (lambda out: bundle_with(out, SNAPSHOT_MEMBER, snapshot_with_manifest(out, b'{"format": "iets anders"}')),
     "manifest.json is not an Opgavemonitor snapshot manifest"),
    (lambda out: bundle_with(out, DECK_MEMBER, b'titel = "x"\n[[dia]]\nopgave = "testwonen"\nindicator = 3\n'), "deck.toml [dia 1] indicator: must be text, got int"),
])
def test_beheer_refuses_a_bad_bundle_and_changes_nothing(bundle, store, tmp_path, monkeypatch, damage, message):
    _, out = bundle
    monkeypatch.setenv("OPGAVEMONITOR_MODE", "beheer")
    before = dict(Store(store.root).files())
    at = upload_bundle(damage(out))
    assert len(at.error) == 1
    assert rendered(at.error[0].value).startswith("Import geweigerd, de opslag is niet veranderd: ") and message in rendered(at.error[0].value)
    assert dict(Store(store.root).files()) == before and not (tmp_path / "decks").exists()


def test_only_beheer_offers_the_bundle_upload(filled, monkeypatch):
    def uploaders():
        return {u.key for u in app_page("presentatie-maken").get("file_uploader")}

    assert uploaders() == {"om-upload-deck"}  # read-only: the deck opens in the session only
    monkeypatch.setenv("OPGAVEMONITOR_MODE", "beheer")
    assert uploaders() == {"om-upload-deck", "om-upload-bundle"}
