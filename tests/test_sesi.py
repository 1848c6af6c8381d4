"""Browser sessions: a reload signs back in until the session expires, idles, is revoked, or the user changes.

Every test goes through the cookie token as a browser holds it (`auth.user_from_session`), on
SQLite and on PostgreSQL.
"""

import threading
from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine, func, update
from sqlmodel import select

from kinerja.errors import ValidationError
from kinerja.simpan import auth
from kinerja.simpan.auth import (
    authenticate,
    create_first_admin,
    create_session,
    create_user,
    reset_password,
    revoke_session,
    update_user,
    user_from_session,
)
from kinerja.simpan.db import new_session
from kinerja.simpan.models import Pengguna, Sesi, Unit, now_utc


@pytest.fixture(autouse=True)
def quick_hash(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2 at its real cost is for production passwords."""
    monkeypatch.setattr(auth, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


def _users(engine: Engine, instansi_id: int) -> tuple[Pengguna, Pengguna]:
    admin = create_user(engine, instansi_id=instansi_id, username="admin", nama="Admin", password="rahasia-123",
                        peran="admin")
    camat = create_user(engine, instansi_id=instansi_id, username="camat", nama="Camat", password="rahasia-123",
                        peran="pimpinan", pengguna=admin)
    return admin, camat


def _unit(engine: Engine, kode: str) -> int:
    with new_session(engine) as session:
        return session.exec(select(Unit.id).where(Unit.kode == kode)).one()


def test_a_session_token_signs_its_user_back_in(seeded: Engine, instansi_id: int) -> None:
    admin, camat = _users(seeded, instansi_id)
    token = create_session(seeded, camat.id)
    assert user_from_session(seeded, token).username == "camat"
    assert user_from_session(seeded, token + "x") is None
    assert user_from_session(seeded, None) is None and user_from_session(seeded, "") is None


def test_only_the_hash_of_the_token_is_stored(seeded: Engine, instansi_id: int) -> None:
    _, camat = _users(seeded, instansi_id)
    token = create_session(seeded, camat.id)
    with new_session(seeded) as session:
        stored = session.exec(select(Sesi)).one()
    assert token not in stored.token_hash and len(stored.token_hash) == 64


def test_revoked_expired_or_deactivated_sessions_sign_nobody_in(seeded: Engine, instansi_id: int) -> None:
    admin, camat = _users(seeded, instansi_id)
    revoked, expired, deactivated = (create_session(seeded, camat.id, hours=h) for h in (12, 0, 12))
    revoke_session(seeded, revoked)
    assert user_from_session(seeded, revoked) is None
    assert user_from_session(seeded, expired) is None
    assert user_from_session(seeded, deactivated) is not None
    update_user(seeded, user_id=camat.id, peran="pimpinan", unit_id=None, aktif=False, nama="Camat", pengguna=admin)
    assert user_from_session(seeded, deactivated) is None


def test_keluar_in_one_tab_ends_the_session_every_tab_of_that_browser_holds(seeded: Engine, instansi_id: int) -> None:
    _, camat = _users(seeded, instansi_id)
    cookie = create_session(seeded, camat.id)
    other_browser = create_session(seeded, camat.id)
    tab_a = tab_b = cookie  # two tabs of one browser share its cookie
    revoke_session(seeded, tab_a)
    assert user_from_session(seeded, tab_b) is None
    assert user_from_session(seeded, other_browser).username == "camat", "only that browser signs out"


def _set_terakhir_aktif(engine: Engine, token: str, minutes_ago: float) -> datetime:
    when = now_utc() - timedelta(minutes=minutes_ago)
    with new_session(engine) as session:
        session.execute(update(Sesi).where(Sesi.token_hash == auth._token_hash(token)).values(terakhir_aktif=when))
        session.commit()
    return when


def _terakhir_aktif(engine: Engine, token: str) -> datetime:
    with new_session(engine) as session:
        return session.exec(select(Sesi.terakhir_aktif).where(Sesi.token_hash == auth._token_hash(token))).one()


def test_a_session_without_any_action_for_sesi_menganggur_menit_ends(seeded: Engine, instansi_id: int) -> None:
    _, camat = _users(seeded, instansi_id)
    idle, active = create_session(seeded, camat.id), create_session(seeded, camat.id)
    _set_terakhir_aktif(seeded, idle, 61)
    _set_terakhir_aktif(seeded, active, 59)
    assert user_from_session(seeded, idle) is None, "an hour without a click ends the session"
    assert user_from_session(seeded, active).username == "camat"
    assert user_from_session(seeded, active).username == "camat", "the click just now counts as an action"
    _set_terakhir_aktif(seeded, idle, 0)
    assert user_from_session(seeded, idle) is None, "an ended session stays ended"


def test_every_action_keeps_the_session_alive_but_is_written_at_most_once_a_minute(
    seeded: Engine, instansi_id: int
) -> None:
    _, camat = _users(seeded, instansi_id)
    token = create_session(seeded, camat.id)
    recent = _set_terakhir_aktif(seeded, token, 0.5)
    user_from_session(seeded, token)
    assert _terakhir_aktif(seeded, token) == recent, "no write within the minute"
    _set_terakhir_aktif(seeded, token, 30)
    before = now_utc()
    user_from_session(seeded, token)
    assert before <= _terakhir_aktif(seeded, token) <= now_utc()


def test_the_idle_limit_and_the_session_length_are_settings(
    seeded: Engine, instansi_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KINERJA_SESI_MENGANGGUR_MENIT", "5")
    monkeypatch.setenv("KINERJA_SESI_JAM", "2")
    _, camat = _users(seeded, instansi_id)
    token = create_session(seeded, camat.id)
    with new_session(seeded) as session:
        stored = session.exec(select(Sesi)).one()
    assert stored.kedaluwarsa - stored.dibuat_pada == timedelta(hours=2)
    _set_terakhir_aktif(seeded, token, 6)
    assert user_from_session(seeded, token) is None


CHANGES: dict[str, Callable[[Engine, Pengguna, Pengguna], None]] = {
    "nonaktif": lambda e, admin, u: update_user(e, user_id=u.id, peran=u.peran, unit_id=u.unit_id, aktif=False,
                                                nama=u.nama, pengguna=admin),
    "peran": lambda e, admin, u: update_user(e, user_id=u.id, peran="operator", unit_id=_unit(e, "PMD"), aktif=True,
                                             nama=u.nama, pengguna=admin),
    "unit": lambda e, admin, u: update_user(e, user_id=u.id, peran=u.peran, unit_id=_unit(e, "PMD"), aktif=True,
                                            nama=u.nama, pengguna=admin),
    "kata sandi": lambda e, admin, u: reset_password(e, user_id=u.id, password="sandi-baru-1", pengguna=admin),
}


@pytest.mark.parametrize("change", CHANGES)
def test_a_change_of_role_unit_password_or_status_signs_the_user_out_everywhere(
    seeded: Engine, instansi_id: int, change: str
) -> None:
    admin, camat = _users(seeded, instansi_id)
    browsers = [create_session(seeded, camat.id) for _ in range(3)]
    own = create_session(seeded, admin.id)
    CHANGES[change](seeded, admin, camat)
    assert [user_from_session(seeded, t) for t in browsers] == [None, None, None]
    assert user_from_session(seeded, own).username == "admin", "the admin who made the change stays signed in"


def test_a_new_name_keeps_the_user_signed_in(seeded: Engine, instansi_id: int) -> None:
    admin, camat = _users(seeded, instansi_id)
    token = create_session(seeded, camat.id)
    update_user(seeded, user_id=camat.id, peran="pimpinan", unit_id=None, aktif=True, nama="Camat Baru",
                pengguna=admin)
    assert user_from_session(seeded, token).nama == "Camat Baru"


def test_the_old_cookie_stays_dead_after_deactivation_and_reactivation(seeded: Engine, instansi_id: int) -> None:
    admin, camat = _users(seeded, instansi_id)
    cookie = create_session(seeded, camat.id)
    for aktif in (False, True):
        update_user(seeded, user_id=camat.id, peran="pimpinan", unit_id=None, aktif=aktif, nama="Camat",
                    pengguna=admin)
    assert user_from_session(seeded, cookie) is None
    assert authenticate(seeded, "camat", "rahasia-123") is not None, "signing in again works"


def test_concurrent_first_admin_screens_make_exactly_one_admin(seeded: Engine, instansi_id: int) -> None:
    """Four browsers submit the first-admin form at once: one admin, three refusals, on SQLite and PostgreSQL."""
    barrier = threading.Barrier(4)
    outcome: dict[str, object] = {}

    def submit(n: int) -> None:
        barrier.wait()
        try:
            create_first_admin(seeded, instansi_id=instansi_id, username=f"admin{n}", nama=f"Admin {n}",
                               password="rahasia-123")
            outcome[f"admin{n}"] = "dibuat"
        except ValidationError as e:
            outcome[f"admin{n}"] = e.problems

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with new_session(seeded) as session:
        assert session.exec(select(func.count()).select_from(Pengguna)).one() == 1, outcome
    assert sorted(map(str, outcome.values())) == ["['Admin pertama sudah dibuat. Silakan masuk.']"] * 3 + ["dibuat"]
