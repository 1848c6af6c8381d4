"""Sign-in attempts are kept only as long as they are read: an attempt older than the longest window
(RIWAYAT_MASUK, a day) is deleted when the next attempt is recorded; the limits work as before.
SQLite and PostgreSQL.
"""

from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine
from sqlmodel import select

from kinerja.config import get_settings
from kinerja.simpan import auth
from kinerja.simpan.auth import klien_hash
from kinerja.simpan.db import new_session, write_session
from kinerja.simpan.masuk import KLIEN_MENIT, RIWAYAT_MASUK, masuk
from kinerja.simpan.models import PercobaanMasuk, now_utc


@pytest.fixture(autouse=True)
def cheap_hasher(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(auth, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


def _attempts(engine: Engine, *umur: timedelta, username: str = "tidak.ada") -> None:
    """Record failed attempts of a username nobody has, `umur` ago each."""
    now = now_utc()
    with write_session(engine) as session:
        for u in umur:
            session.add(PercobaanMasuk(username=username, klien=klien_hash("203.0.113.7"), waktu=now - u,
                                       berhasil=False))


def _ages(engine: Engine) -> list[str]:
    with new_session(engine) as session:
        return sorted(r.username for r in session.exec(select(PercobaanMasuk)))


def test_the_longest_window_is_a_day():
    # a username nobody has is replayed over a day; a client over KLIEN_MENIT (15) minutes
    assert RIWAYAT_MASUK == timedelta(days=1) > timedelta(minutes=KLIEN_MENIT)


def test_an_attempt_older_than_the_window_is_deleted_at_the_next_attempt(seeded):
    _attempts(seeded, timedelta(days=1, minutes=5), username="lama")
    _attempts(seeded, timedelta(hours=23), username="baru")
    assert _ages(seeded) == ["baru", "lama"]
    masuk(seeded, username="siapa", password="salah-sekali", alamat="198.51.100.9")
    # the attempt of 24 h 5 min ago is gone; the one of 23 h ago is still read, and the new one is recorded
    assert _ages(seeded) == ["baru", "siapa"]


def test_a_username_nobody_has_stays_locked_by_attempts_inside_the_window(seeded):
    maks = get_settings().gagal_masuk_maks
    # maks failures 1 minute ago lock the username for kunci_menit minutes; older ones outside the day do not count
    _attempts(seeded, *[timedelta(days=2)] * maks)
    assert masuk(seeded, username="tidak.ada", password="x", alamat="198.51.100.9").hasil == "gagal"
    _attempts(seeded, *[timedelta(minutes=1)] * maks)
    assert masuk(seeded, username="tidak.ada", password="x", alamat="198.51.100.9").hasil == "terkunci"
