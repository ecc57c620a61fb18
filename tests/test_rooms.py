"""Follow-along rooms in SQLite: open, move, read from another connection, expire."""
import subprocess
import sys
from pathlib import Path

import pytest

from data_sources.rooms import CODE_LENGTH, MAX_ROOMS, TTL_SECONDS, Rooms, state_dir, valid_code

ROOT = Path(__file__).resolve().parent.parent


class Clock:
    def __init__(self):
        self.now = 1_000_000.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock():
    return Clock()


def test_presenter_moves_and_a_second_connection_sees_it(tmp_path, clock):
    presenter = Rooms(tmp_path / "rooms.sqlite", clock)
    code = presenter.open("voorbeeld-testwonen", 1)
    assert valid_code(code) and len(code) == CODE_LENGTH
    presenter.show(code, "voorbeeld-testwonen", 3)
    follower = Rooms(tmp_path / "rooms.sqlite", clock)
    room = follower.get(code)
    assert (room.deck, room.slide) == ("voorbeeld-testwonen", 3)


def test_another_process_updates_the_room(tmp_path):
    rooms = Rooms(tmp_path / "rooms.sqlite")
    code = rooms.open("deck", 1)
    script = "import sys\nfrom data_sources.rooms import Rooms\nRooms(sys.argv[1]).show(sys.argv[2], 'deck', 7)"
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path / "rooms.sqlite"), code], cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    assert rooms.get(code).slide == 7


def test_rooms_expire_and_are_cleaned_up(tmp_path, clock):
    rooms = Rooms(tmp_path / "rooms.sqlite", clock)
    code = rooms.open("deck", 2)
    clock.now += TTL_SECONDS - 1
    assert rooms.get(code).slide == 2
    clock.now += 2
    assert rooms.get(code) is None
    rooms.show(code, "deck", 5)  # an expired code is not revived
    rooms.open("deck", 1)  # opening a room removes expired ones
    assert rooms.get(code) is None
    import sqlite3
    with sqlite3.connect(tmp_path / "rooms.sqlite") as db:
        assert db.execute("SELECT COUNT(*) FROM rooms WHERE code = ?", (code,)).fetchone() == (0,)


def test_unknown_and_malformed_codes(tmp_path, clock):
    rooms = Rooms(tmp_path / "rooms.sqlite", clock)
    rooms.show("ABCDE", "deck", 4)  # never opened: nothing is created
    assert rooms.get("ABCDE") is None
    for code in ("", "abc", "ABCDE'; DROP TABLE rooms;--", "O0I1L"):
        assert rooms.get(code) is None


def test_room_count_is_bounded(tmp_path, clock, monkeypatch):
    monkeypatch.setattr("data_sources.rooms.MAX_ROOMS", 3)
    rooms = Rooms(tmp_path / "rooms.sqlite", clock)
    for _ in range(3):
        rooms.open("deck", 1)
    with pytest.raises(RuntimeError):
        rooms.open("deck", 1)
    clock.now += TTL_SECONDS + 1
    assert valid_code(rooms.open("deck", 1))  # expired rooms make place
    assert MAX_ROOMS >= 100


def test_state_dir_is_beside_data_not_inside(tmp_path, monkeypatch):
    monkeypatch.delenv("OPGAVEMONITOR_STATE_DIR", raising=False)
    monkeypatch.setenv("OPGAVEMONITOR_DATA_DIR", str(tmp_path / "data"))
    assert state_dir() == tmp_path / "state"
    monkeypatch.setenv("OPGAVEMONITOR_STATE_DIR", str(tmp_path / "elders"))
    assert state_dir() == tmp_path / "elders"
