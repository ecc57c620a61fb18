"""Follow-along rooms in SQLite: open, move (only with the presenter's key), read from another
connection and process, expire, and bounds on what one client and all clients can open."""
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from workshop.rooms import CODE_LENGTH, MAX_OPEN_PER_CLIENT, MAX_OPENS_PER_HOUR, MAX_ROOMS, TTL_SECONDS, RoomRefused, Rooms, client_key, state_dir, valid_code

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
    code, key = presenter.open("voorbeeld-testwonen", 1, "10.0.0.1")
    assert valid_code(code) and len(code) == CODE_LENGTH
    assert presenter.show(code, key, "voorbeeld-testwonen", 3)
    follower = Rooms(tmp_path / "rooms.sqlite", clock)
    room = follower.get(code)
    assert (room.deck, room.slide) == ("voorbeeld-testwonen", 3)


def test_only_the_presenters_key_moves_a_room(tmp_path, clock):
    rooms = Rooms(tmp_path / "rooms.sqlite", clock)
    code, key = rooms.open("voorbeeld-testwonen", 2, "10.0.0.1")
    _, other_key = rooms.open("z.eigen-deck", 1, "10.0.0.2")  # a visitor's own room gives no power over this one
    for wrong in ("", code, other_key, key[:-1], key.upper() if key.upper() != key else key.lower()):
        assert not rooms.show(code, wrong, "z.gehackt", 3)
        rooms.close(code, wrong)
    assert (rooms.get(code).deck, rooms.get(code).slide) == ("voorbeeld-testwonen", 2)
    with sqlite3.connect(tmp_path / "rooms.sqlite") as db:  # the file holds no key a reader could reuse
        assert key not in str(db.execute("SELECT * FROM rooms").fetchall())
    assert rooms.show(code, key, "voorbeeld-testwonen", 4) and rooms.get(code).slide == 4
    rooms.close(code, key)
    assert rooms.get(code) is None


def test_rooms_of_the_keyless_version_are_dropped(tmp_path, clock):
    with sqlite3.connect(tmp_path / "rooms.sqlite") as db:
        db.execute("CREATE TABLE rooms (code TEXT PRIMARY KEY, deck TEXT NOT NULL, slide INTEGER NOT NULL, updated REAL NOT NULL)")
        db.execute("INSERT INTO rooms VALUES ('ABCDE', 'deck', 1, ?)", (clock.now,))
    rooms = Rooms(tmp_path / "rooms.sqlite", clock)
    assert rooms.get("ABCDE") is None and valid_code(rooms.open("deck", 1, "10.0.0.1")[0])


def test_another_process_updates_the_room(tmp_path):
    rooms = Rooms(tmp_path / "rooms.sqlite")
    code, key = rooms.open("deck", 1, "10.0.0.1")
    script = "import sys\nfrom workshop.rooms import Rooms\nassert Rooms(sys.argv[1]).show(sys.argv[2], sys.argv[3], 'deck', 7)"
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path / "rooms.sqlite"), code, key], cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    assert rooms.get(code).slide == 7


def test_rooms_expire_and_are_cleaned_up(tmp_path, clock):
    rooms = Rooms(tmp_path / "rooms.sqlite", clock)
    code, key = rooms.open("deck", 2, "10.0.0.1")
    clock.now += TTL_SECONDS - 1
    assert rooms.get(code).slide == 2
    clock.now += 2
    assert rooms.get(code) is None
    assert not rooms.show(code, key, "deck", 5)  # an expired code is not revived
    rooms.open("deck", 1, "10.0.0.1")  # opening a room removes expired ones
    assert rooms.get(code) is None
    with sqlite3.connect(tmp_path / "rooms.sqlite") as db:
        assert db.execute("SELECT COUNT(*) FROM rooms WHERE code = ?", (code,)).fetchone() == (0,)


def test_unknown_and_malformed_codes(tmp_path, clock):
    rooms = Rooms(tmp_path / "rooms.sqlite", clock)
    rooms.show("ABCDE", "", "deck", 4)  # never opened: nothing is created
    assert rooms.get("ABCDE") is None
    for code in ("", "abc", "ABCDE'; DROP TABLE rooms;--", "O0I1L"):
        assert rooms.get(code) is None


def test_one_client_opens_a_bounded_number_of_rooms_at_a_bounded_rate(tmp_path, clock):
    rooms = Rooms(tmp_path / "rooms.sqlite", clock)
    opened = [rooms.open("deck", 1, "10.0.0.1") for _ in range(MAX_OPEN_PER_CLIENT)]
    with pytest.raises(RoomRefused) as refused:
        rooms.open("deck", 1, "10.0.0.1")
    assert refused.value.reason == "client"
    assert valid_code(rooms.open("deck", 1, "10.0.0.2")[0])  # another client is not held up
    for code, key in opened:  # closing rooms makes place, but only so many opens an hour
        rooms.close(code, key)
    for _ in range(MAX_OPENS_PER_HOUR - MAX_OPEN_PER_CLIENT):
        code, key = rooms.open("deck", 1, "10.0.0.1")
        rooms.close(code, key)
    with pytest.raises(RoomRefused) as refused:
        rooms.open("deck", 1, "10.0.0.1")
    assert refused.value.reason == "rate"
    clock.now += 3601
    assert valid_code(rooms.open("deck", 1, "10.0.0.1")[0])


def test_an_ipv6_client_is_its_slash_64():
    assert client_key("2001:db8:1:2:aaaa::1") == client_key("2001:db8:1:2:ffff:1:2:3") == "2001:db8:1:2::/64"
    assert client_key("2001:db8:1:3::1") != client_key("2001:db8:1:2::1")
    assert client_key("192.0.2.7") == "192.0.2.7" and client_key("onbekend") == "onbekend"
    assert client_key("::ffff:192.0.2.7") == "192.0.2.7" != client_key("::ffff:192.0.2.8")  # IPv4 on a dual-stack listener


def test_a_flood_of_clients_hits_the_global_cap_and_the_file_stays_small(tmp_path, clock):
    """Many clients, each within its bounds, opening rooms with the longest deck value allowed."""
    rooms = Rooms(tmp_path / "rooms.sqlite", clock)
    long_deck = "z." + "A" * (64 * 1024 - 2)
    with pytest.raises(RoomRefused) as refused:
        rooms.open(long_deck + "A", 1, "10.0.0.1")
    assert refused.value.reason == "deck"
    reasons = []
    for n in range(MAX_ROOMS + 50):
        try:
            rooms.open(long_deck, 1, f"10.1.{n // 250}.{n % 250}")
        except RoomRefused as exc:
            reasons.append(exc.reason)
    assert reasons == ["full"] * 50
    with sqlite3.connect(tmp_path / "rooms.sqlite") as db:
        assert db.execute("SELECT COUNT(*) FROM rooms").fetchone() == (MAX_ROOMS,)
    size = sum(p.stat().st_size for p in tmp_path.glob("rooms.sqlite*"))
    assert size < 20 * 1024 * 1024, size  # 200 rooms of the longest deck; a flood of 1,000 made 61.5 MB
    clock.now += TTL_SECONDS + 1
    assert valid_code(rooms.open("deck", 1, "10.0.0.1")[0])  # expired rooms make place
    assert MAX_ROOMS >= 100


def test_state_dir_is_beside_data_not_inside(tmp_path, monkeypatch):
    monkeypatch.delenv("OPGAVEMONITOR_STATE_DIR", raising=False)
    monkeypatch.setenv("OPGAVEMONITOR_DATA_DIR", str(tmp_path / "data"))
    assert state_dir() == tmp_path / "state"
    monkeypatch.setenv("OPGAVEMONITOR_STATE_DIR", str(tmp_path / "elders"))
    assert state_dir() == tmp_path / "elders"
