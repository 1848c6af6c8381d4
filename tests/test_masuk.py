"""Signing in, and every place a password is set: what an attacker can no longer do, and what users see.

- failures in a row lock an account (even against its right password), too many failures from one
  client block that client, and every attempt is recorded with a hash of the address, never the address;
- every username costs exactly one argon2 verification, and at most two run at once;
- sign-ins, failures, locks and sign-outs are in the audit trail, never a password;
- a weak or common password is refused wherever a password is set, and users change their own.

The domain tests run on SQLite and on PostgreSQL; the screen tests drive dashboard.py under AppTest.
"""

import functools
import hashlib
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

import pytest
from argon2 import PasswordHasher
from playwright.sync_api import expect, sync_playwright
from sqlalchemy import Engine, update
from sqlmodel import select
from streamlit.components.v2 import manifest_scanner
from streamlit.runtime.context import ContextProxy
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from kinerja.aturan import sandi
from kinerja.errors import ValidationError
from kinerja.simpan import auth
from kinerja.simpan.auth import (
    authenticate,
    create_session,
    create_user,
    reset_password,
    update_user,
    user_from_session,
)
from kinerja.simpan.db import get_engine, new_session
from kinerja.simpan.jejak import baca_nilai
from kinerja.simpan.models import Jejak, Pengguna, PercobaanMasuk, Sesi, now_utc
from kinerja.simpan.queries import get_instansi, list_units
from kinerja.simpan.seed import init_database

ROOT = Path(__file__).resolve().parent.parent
DASHBOARD = ROOT / "dashboard.py"
DATA = ROOT / "data"
PASSWORD = "rahasia-123"
SALAH = "bukan-sandinya"
ALAMAT = "203.0.113.7"  # documentation addresses (RFC 5737)
ALAMAT_LAIN = "198.51.100.9"
MASUK = "Masuk ke Kinerja"


class Hasher:
    """A cheap argon2 hasher that counts its verifications and how many ran at the same time."""

    def __init__(self, delay: float = 0.0) -> None:
        self.real = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
        self.delay, self.calls, self.active, self.most = delay, 0, 0, 0
        self.lock = threading.Lock()

    def hash(self, password: str) -> str:
        return self.real.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        with self.lock:
            self.calls += 1
            self.active += 1
            self.most = max(self.most, self.active)
        try:
            time.sleep(self.delay)
            return self.real.verify(password_hash, password)
        finally:
            with self.lock:
                self.active -= 1


@pytest.fixture(autouse=True)
def hasher(monkeypatch: pytest.MonkeyPatch) -> Hasher:
    """Argon2 at its real cost is for production passwords; this one also counts."""
    fake = Hasher()
    monkeypatch.setattr(auth, "_hasher", fake)
    return fake


def _users(engine: Engine, instansi_id: int) -> tuple[Pengguna, Pengguna]:
    admin = create_user(engine, instansi_id=instansi_id, username="admin", nama="Admin", password=PASSWORD,
                        peran="admin")
    camat = create_user(engine, instansi_id=instansi_id, username="camat", nama="Camat", password=PASSWORD,
                        peran="pimpinan", pengguna=admin)
    return admin, camat


def _masuk(engine: Engine, username: str, password: str, alamat: str = ALAMAT) -> auth.HasilMasuk:
    return auth.masuk(engine, username=username, password=password, alamat=alamat)


def _set(engine: Engine, statement: object) -> None:
    with new_session(engine) as session:
        session.execute(statement)
        session.commit()


def _jejak_masuk(engine: Engine, kunci: str) -> list[Jejak]:
    with new_session(engine) as session:
        return list(session.exec(select(Jejak).where(Jejak.tabel == "masuk", Jejak.kunci == kunci)
                                 .order_by(Jejak.id)))


# --- failures lock the account ---------------------------------------------------------------------------


def test_five_wrong_passwords_in_a_row_lock_the_account_even_against_the_right_one(
    seeded: Engine, instansi_id: int
) -> None:
    _users(seeded, instansi_id)
    assert [authenticate(seeded, "camat", SALAH) for _ in range(5)] == [None] * 5
    assert authenticate(seeded, "camat", PASSWORD) is None, "the right password waits for the lock to end"
    assert authenticate(seeded, "admin", PASSWORD) is not None, "only that account is locked"


def test_the_lock_message_says_until_when_in_the_offices_local_time(seeded: Engine, instansi_id: int) -> None:
    _users(seeded, instansi_id)
    answers = [_masuk(seeded, "camat", SALAH) for _ in range(4)]
    assert {a.pesan for a in answers} == {"Nama pengguna atau kata sandi salah, atau akun tidak aktif."}
    before = now_utc()
    locked = _masuk(seeded, "camat", SALAH)
    again = _masuk(seeded, "camat", PASSWORD)
    assert locked.hasil == again.hasil == "terkunci" and again.pengguna is None
    assert before + timedelta(minutes=15) <= locked.sampai <= now_utc() + timedelta(minutes=15)
    local = locked.sampai.astimezone(ZoneInfo("Asia/Makassar"))
    assert f"Coba lagi setelah pukul {local:%H.%M} WITA." in again.pesan
    assert "dikunci sementara" in again.pesan


def test_a_lock_ends_after_kunci_menit_and_a_success_restarts_the_count(seeded: Engine, instansi_id: int) -> None:
    _users(seeded, instansi_id)
    for _ in range(5):
        authenticate(seeded, "camat", SALAH)
    _set(seeded, update(Pengguna).where(Pengguna.username == "camat")
         .values(terkunci_sampai=now_utc() - timedelta(seconds=1)))
    assert authenticate(seeded, "camat", PASSWORD).username == "camat"
    for _ in range(4):
        authenticate(seeded, "camat", SALAH)
    assert authenticate(seeded, "camat", PASSWORD) is not None, "4 failures after a success do not lock"
    for _ in range(4):
        authenticate(seeded, "camat", SALAH)
    assert authenticate(seeded, "camat", PASSWORD) is not None


def test_the_limit_and_the_wait_are_settings(seeded: Engine, instansi_id: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KINERJA_GAGAL_MASUK_MAKS", "2")
    monkeypatch.setenv("KINERJA_KUNCI_MENIT", "30")
    _users(seeded, instansi_id)
    assert _masuk(seeded, "camat", SALAH).hasil == "gagal"
    locked = _masuk(seeded, "camat", SALAH)
    assert locked.hasil == "terkunci" and locked.sampai > now_utc() + timedelta(minutes=29)


def test_an_admins_reset_ends_the_lock(seeded: Engine, instansi_id: int) -> None:
    admin, camat = _users(seeded, instansi_id)
    for _ in range(5):
        authenticate(seeded, "camat", SALAH)
    reset_password(seeded, user_id=camat.id, password="kopi-pagi-di-malili", pengguna=admin)
    assert authenticate(seeded, "camat", "kopi-pagi-di-malili") is not None


def test_a_username_nobody_has_locks_like_a_real_one(seeded: Engine, instansi_id: int) -> None:
    """Otherwise five wrong passwords would tell which usernames exist."""
    _users(seeded, instansi_id)
    real = [_masuk(seeded, "camat", SALAH).hasil for _ in range(6)]
    unknown = [_masuk(seeded, "tidak.ada", SALAH).hasil for _ in range(6)]
    assert real == unknown == ["gagal"] * 4 + ["terkunci"] * 2


# --- too many failures from one client --------------------------------------------------------------


def test_a_client_with_too_many_failures_must_wait_whatever_the_username(
    seeded: Engine, instansi_id: int, hasher: Hasher
) -> None:
    _users(seeded, instansi_id)
    for n in range(auth.KLIEN_GAGAL_MAKS):  # a different username each time: no account gets locked
        assert _masuk(seeded, f"tebakan{n}", SALAH).hasil == "gagal"
    hasher.calls = 0
    blocked = _masuk(seeded, "camat", PASSWORD)
    assert blocked.pengguna is None and blocked.hasil == "diblokir"
    assert "Terlalu banyak percobaan masuk yang gagal dari perangkat ini" in blocked.pesan and "WITA" in blocked.pesan
    assert hasher.calls == 0, "a blocked client costs no argon2 verification"
    assert _masuk(seeded, "camat", PASSWORD, alamat=ALAMAT_LAIN).pengguna is not None, "other clients sign in"
    _set(seeded, update(PercobaanMasuk).values(waktu=now_utc() - timedelta(minutes=auth.KLIEN_MENIT + 1)))
    assert _masuk(seeded, "camat", PASSWORD).pengguna is not None, "the block ends after the window"


def test_every_attempt_is_recorded_with_a_hash_of_the_address_never_the_address(
    seeded: Engine, instansi_id: int
) -> None:
    _users(seeded, instansi_id)
    _masuk(seeded, "camat", SALAH)
    _masuk(seeded, " CAMAT ", PASSWORD)
    _masuk(seeded, "tidak.ada", PASSWORD)
    _masuk(seeded, "x" * 500, PASSWORD)
    with new_session(seeded) as session:
        rows = session.exec(select(PercobaanMasuk).order_by(PercobaanMasuk.id)).all()
        trail = session.exec(select(Jejak).where(Jejak.tabel == "masuk")).all()
    assert [(r.username, r.berhasil) for r in rows] == [
        ("camat", False), ("camat", True), ("tidak.ada", False), ("x" * 60, False)]
    assert {r.klien for r in rows} == {hashlib.sha256(ALAMAT.encode()).hexdigest()}
    stored = " ".join(f"{j.pengguna} {j.kunci} {j.sebelum} {j.sesudah} {j.alasan}" for j in trail)
    assert ALAMAT not in stored and "203.0.113" not in stored


# --- every username costs the same -------------------------------------------------------------------


KASUS: dict[str, tuple[str, str]] = {
    "kata sandi benar": ("camat", PASSWORD),
    "kata sandi salah": ("camat", SALAH),
    "nama pengguna tidak ada": ("tidak.ada", PASSWORD),
    "akun nonaktif": ("nonaktif", PASSWORD),
    "akun terkunci": ("terkunci", PASSWORD),
}


@pytest.mark.parametrize("kasus", KASUS)
def test_every_username_costs_exactly_one_verification(
    seeded: Engine, instansi_id: int, hasher: Hasher, kasus: str
) -> None:
    """A deactivated username used to be answered in 0 ms against 116 ms for a wrong password."""
    admin, _ = _users(seeded, instansi_id)
    off = create_user(seeded, instansi_id=instansi_id, username="nonaktif", nama="Nonaktif", password=PASSWORD,
                      peran="pimpinan", pengguna=admin)
    update_user(seeded, user_id=off.id, peran="pimpinan", unit_id=None, aktif=False, nama="Nonaktif", pengguna=admin)
    create_user(seeded, instansi_id=instansi_id, username="terkunci", nama="Terkunci", password=PASSWORD,
                peran="pimpinan", pengguna=admin)
    _set(seeded, update(Pengguna).where(Pengguna.username == "terkunci")
         .values(terkunci_sampai=now_utc() + timedelta(minutes=10)))
    hasher.calls = 0
    user = authenticate(seeded, *KASUS[kasus])
    assert hasher.calls == 1
    assert (user is not None) == (kasus == "kata sandi benar")


def test_at_most_two_verifications_run_at_once_and_none_is_refused(
    seeded: Engine, instansi_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Eight parallel sign-ins would hold 8 x 64 MiB of argon2 memory; they queue instead."""
    _users(seeded, instansi_id)
    slow = Hasher(delay=0.05)
    monkeypatch.setattr(auth, "_hasher", slow)
    barrier = threading.Barrier(8)
    signed_in: list[str | None] = []

    def attempt() -> None:
        barrier.wait()
        user = authenticate(seeded, "camat", PASSWORD)
        signed_in.append(user.username if user else None)

    threads = [threading.Thread(target=attempt) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert slow.calls == 8 and signed_in == ["camat"] * 8, "a waiting attempt waits, it is not refused"
    assert slow.most <= auth.VERIFIKASI_SERENTAK == 2


# --- the audit trail ------------------------------------------------------------------------------


def test_sign_ins_failures_locks_and_sign_outs_are_in_the_audit_trail_without_the_password(
    seeded: Engine, instansi_id: int
) -> None:
    _users(seeded, instansi_id)
    _masuk(seeded, "camat", PASSWORD)
    for _ in range(5):
        _masuk(seeded, "camat", SALAH)
    _masuk(seeded, "camat", PASSWORD)
    _set(seeded, update(Pengguna).where(Pengguna.username == "camat").values(terkunci_sampai=None))
    camat = _masuk(seeded, "camat", PASSWORD).pengguna
    auth.revoke_session(seeded, create_session(seeded, camat.id))
    _masuk(seeded, "tidak.ada", "sandi-rahasia-tamu")
    rows = _jejak_masuk(seeded, "camat")
    hasil = [baca_nilai(r.sesudah)["hasil"] for r in rows]
    assert hasil == ["berhasil"] + ["gagal"] * 5 + ["terkunci", "berhasil", "keluar"]
    assert "dikunci_sampai" in rows[5].sesudah and "dikunci_sampai" not in rows[4].sesudah
    assert {(r.instansi_id, r.pengguna) for r in rows} == {(instansi_id, "camat")}
    unknown = _jejak_masuk(seeded, "tidak.ada")
    assert [(r.instansi_id, baca_nilai(r.sesudah)["hasil"]) for r in unknown] == [(None, "gagal")]
    with new_session(seeded) as session:
        everything = " ".join(f"{j.sebelum} {j.sesudah} {j.alasan}" for j in session.exec(select(Jejak)))
    for secret in (PASSWORD, SALAH, "sandi-rahasia-tamu"):
        assert secret not in everything


# --- password strength ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("password", "pesan"), [
    ("pendek-1", "paling sedikit 10 karakter"),
    ("0812345678901", "tidak boleh hanya angka"),
    ("camat12345", "nama pengguna atau nama Anda"),
    ("Darmawati2025", "nama pengguna atau nama Anda"),
    ("rahasia123", "terlalu umum"),
    ("Password2024", "terlalu umum"),
    ("P@ssw0rd!!", "terlalu umum"),
    ("2024bismillah", "terlalu umum"),
    ("sayangsayang", "terlalu umum"),
    ("kinerja2025", "terlalu umum"),
    ("qwertyuiop", "terlalu umum"),
    ("aaaaaaaaaaaa", "terlalu umum"),
])
def test_a_weak_password_is_refused_with_its_reason(password: str, pesan: str) -> None:
    problems = sandi.check_password(password, username="camat", nama="Darmawati, S.Sos")
    assert len(problems) == 1 and pesan in problems[0]


@pytest.mark.parametrize("password", ["rahasia-123", "sandi-baru-99", "kopi-pagi-di-malili", "Tr0ub4dor&3x"])
def test_a_good_password_is_accepted(password: str) -> None:
    assert sandi.check_password(password, username="camat", nama="Darmawati, S.Sos") == []


SETTERS: dict[str, Callable[[Engine, int, str], object]] = {
    "admin pertama": lambda e, i, pw: auth.create_first_admin(e, instansi_id=i, username="meri", nama="Meri",
                                                              password=pw),
    "pengguna baru": lambda e, i, pw: create_user(e, instansi_id=i, username="tamu", nama="Tamu", password=pw,
                                                  peran="admin"),
    "reset oleh admin": lambda e, i, pw: reset_password(e, user_id=_users(e, i)[1].id, password=pw),
    "ganti sendiri": lambda e, i, pw: auth.ganti_sandi_sendiri(e, pengguna=_users(e, i)[1], lama=PASSWORD, baru=pw),
}


@pytest.mark.parametrize("setter", SETTERS)
def test_every_way_of_setting_a_password_refuses_a_common_one(seeded: Engine, instansi_id: int, setter: str) -> None:
    with pytest.raises(ValidationError) as refused:
        SETTERS[setter](seeded, instansi_id, "Sayang12345")
    assert "terlalu umum" in " ".join(refused.value.problems)
    assert authenticate(seeded, "meri", "Sayang12345") is None
    assert authenticate(seeded, "tamu", "Sayang12345") is None
    assert authenticate(seeded, "camat", "Sayang12345") is None


# --- one's own password ----------------------------------------------------------------------------------


def test_changing_ones_own_password_keeps_this_browser_and_signs_out_the_others(
    seeded: Engine, instansi_id: int
) -> None:
    _, camat = _users(seeded, instansi_id)
    this, other, third = (create_session(seeded, camat.id) for _ in range(3))
    auth.ganti_sandi_sendiri(seeded, pengguna=camat, lama=PASSWORD, baru="kopi-pagi-di-malili", token=this)
    assert user_from_session(seeded, this).username == "camat"
    assert user_from_session(seeded, other) is None and user_from_session(seeded, third) is None
    assert authenticate(seeded, "camat", "kopi-pagi-di-malili") is not None
    assert authenticate(seeded, "camat", PASSWORD) is None
    with new_session(seeded) as session:
        rows = session.exec(select(Jejak).where(Jejak.tabel == "pengguna", Jejak.kunci == "camat",
                                                Jejak.pengguna == "camat")).all()
    assert len(rows) == 1 and "diganti" in rows[0].sesudah and "kopi" not in rows[0].sesudah


def test_a_wrong_current_password_changes_nothing_and_counts_as_a_failed_sign_in(
    seeded: Engine, instansi_id: int
) -> None:
    _, camat = _users(seeded, instansi_id)
    other = create_session(seeded, camat.id)
    for _ in range(4):
        with pytest.raises(ValidationError, match="Kata sandi sekarang salah"):
            auth.ganti_sandi_sendiri(seeded, pengguna=camat, lama=SALAH, baru="kopi-pagi-di-malili")
    assert user_from_session(seeded, other) is not None
    with pytest.raises(ValidationError, match="dikunci sementara"):
        auth.ganti_sandi_sendiri(seeded, pengguna=camat, lama=SALAH, baru="kopi-pagi-di-malili")
    with pytest.raises(ValidationError, match="dikunci sementara"):
        auth.ganti_sandi_sendiri(seeded, pengguna=camat, lama=PASSWORD, baru="kopi-pagi-di-malili")
    _set(seeded, update(Pengguna).values(terkunci_sampai=None))
    assert authenticate(seeded, "camat", PASSWORD) is not None, "the password did not change"


# --- the screens -----------------------------------------------------------------------------------------


@pytest.fixture
def navigation_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run dashboard.py's st.navigation on every AppTest run, as the live server does (see test_pages.py)."""
    original = PagesManager.__init__

    def init(self: PagesManager, *args: object, **kwargs: object) -> None:
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)


_scan_component_manifests = manifest_scanner.scan_component_manifests


@functools.cache
def _component_manifests() -> list:
    return _scan_component_manifests()


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, navigation_only: None) -> Engine:
    """The app's database (a SQLite file of this test) with the 2025 PK and three users."""
    monkeypatch.setattr(manifest_scanner, "scan_component_manifests", lambda *a, **k: _component_manifests())
    url = f"sqlite:///{tmp_path / 'k.db'}"
    monkeypatch.setenv("KINERJA_DATABASE_URL", url)
    engine = get_engine(url)
    init_database(engine, DATA)
    with new_session(engine) as session:
        office = get_instansi(session)
        unit = next(u for u in list_units(session, office.id) if u.kode == "PERENCANAAN")
    admin, _ = _users(engine, office.id)
    create_user(engine, instansi_id=office.id, username="operator.satu", nama="Operator Satu", password=PASSWORD,
                peran="operator", unit_id=unit.id, pengguna=admin)
    return engine


def open_app(user: str | None = None, page: str | None = None) -> AppTest:
    at = AppTest.from_file(str(DASHBOARD), default_timeout=30)
    if user is not None:
        with new_session(get_engine()) as session:
            user_id = session.exec(select(Pengguna.id).where(Pengguna.username == user)).one()
        at.session_state["sesi"] = create_session(get_engine(), user_id)
    at.run()
    if page is not None:
        at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def sign_in(at: AppTest, username: str, password: str) -> AppTest:
    at.text_input(key="masuk_username").set_value(username)
    at.text_input(key="masuk_password").set_value(password)
    return at.form_submit_button[0].click().run()


def titles(at: AppTest) -> list[str]:
    return [t.value for t in at.title]


def test_the_sign_in_screen_says_the_account_is_locked_and_until_when(app: Engine) -> None:
    at = open_app()
    for _ in range(5):
        at = sign_in(at, "camat", SALAH)
    at = sign_in(at, "camat", PASSWORD)
    assert titles(at) == [MASUK] and "user_id" not in at.session_state
    [error] = [e.value for e in at.error]
    assert error.startswith("Akun ini dikunci sementara") and error.endswith("WITA.")


def test_the_address_streamlit_reports_is_what_the_limit_counts(
    app: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ContextProxy, "ip_address", property(lambda self: ALAMAT))
    sign_in(open_app(), "camat", SALAH)
    # Behind a proxy on this machine: the proxy's entry is the last one; what the browser sent itself is not used.
    monkeypatch.setattr(ContextProxy, "ip_address", property(lambda self: None))
    monkeypatch.setattr(ContextProxy, "headers", property(lambda self: {
        "X-Forwarded-For": f"6.6.6.6, {ALAMAT_LAIN}", "X-Real-IP": "6.6.6.6"}))
    sign_in(open_app(), "camat", SALAH)
    with new_session(app) as session:
        klien = session.exec(select(PercobaanMasuk.klien).order_by(PercobaanMasuk.id)).all()
    assert klien == [hashlib.sha256(a.encode()).hexdigest() for a in (ALAMAT, ALAMAT_LAIN)]


def test_an_idle_session_returns_to_the_sign_in_screen_saying_why(app: Engine) -> None:
    at = open_app("camat")
    assert titles(at) != [MASUK]
    _set(app, update(Sesi).values(terakhir_aktif=now_utc() - timedelta(minutes=61)))
    at.run()
    assert titles(at) == [MASUK]
    assert any("Sesi Anda telah berakhir" in i.value for i in at.info)


def fill_akun(at: AppTest, lama: str, baru: str, ulang: str) -> AppTest:
    at.text_input(key="akun_lama").set_value(lama)
    at.text_input(key="akun_baru").set_value(baru)
    at.text_input(key="akun_ulang").set_value(ulang)
    return at.form_submit_button[0].click().run()


@pytest.mark.parametrize("username", ["admin", "camat", "operator.satu"])
def test_every_role_changes_its_own_password_on_akun_saya(app: Engine, username: str) -> None:
    at = open_app(username, "pages/akun.py")
    assert titles(at) == ["Akun saya"]
    at = fill_akun(at, PASSWORD, "kopi-pagi-di-malili", "kopi-pagi-di-malili")
    assert [s.value for s in at.success] == ["Kata sandi diganti. Peramban lain dengan akun ini sudah dikeluarkan."]
    assert titles(at) == ["Akun saya"], "this browser stays signed in"
    for key in ("akun_lama", "akun_baru", "akun_ulang"):
        assert at.text_input(key=key).value == "", key
    assert authenticate(app, username, "kopi-pagi-di-malili") is not None


@pytest.mark.parametrize(("lama", "baru", "ulang", "pesan"), [
    (PASSWORD, "kopi-pagi-di-malili", "kopi-pagi-di-maliki", "Kedua kata sandi baru tidak sama."),
    (PASSWORD, "sayang12345", "sayang12345", "terlalu umum"),
    (SALAH, "kopi-pagi-di-malili", "kopi-pagi-di-malili", "Kata sandi sekarang salah"),
])
def test_akun_saya_refuses_and_says_why(app: Engine, lama: str, baru: str, ulang: str, pesan: str) -> None:
    at = fill_akun(open_app("camat", "pages/akun.py"), lama, baru, ulang)
    assert pesan in "\n".join(e.value for e in at.error)
    assert not at.success
    assert authenticate(app, "camat", PASSWORD) is not None, "the password did not change"


# --- the real sign-in screen in Chromium -----------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as response:
            return response.status == 200
    except OSError:
        return False


def _wait_for_attempts(engine: Engine, count: int) -> None:
    """Wait until the app has recorded `count` sign-in attempts (the alert of the last one may still show)."""
    deadline = time.monotonic() + 30
    while True:
        with new_session(engine) as session:
            if len(session.exec(select(PercobaanMasuk.id)).all()) >= count:
                return
        assert time.monotonic() < deadline, f"the app did not record attempt {count}"
        time.sleep(0.1)  # polling the database the app writes, not waiting on the app


@pytest.mark.browser
def test_in_chromium_the_lock_is_shown_and_no_request_leaves_the_machine(app: Engine, tmp_path: Path) -> None:
    """Fonts, icons and the favicon come from the app itself: an office without internet sees the same app."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = (tmp_path / "streamlit.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.port", str(port), "--server.headless",
         "true", "--server.address", "127.0.0.1", "--server.fileWatcherType", "none"],
        cwd=ROOT, env=os.environ | {"KINERJA_DATABASE_URL": str(app.url)}, stdout=log, stderr=subprocess.STDOUT,
    )
    requests: list[str] = []
    try:
        deadline = time.monotonic() + 60
        while not _healthy(url):
            assert server.poll() is None and time.monotonic() < deadline, f"see {tmp_path / 'streamlit.log'}"
            time.sleep(0.2)  # polling the health endpoint, not waiting on the app
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=[
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            page = browser.new_page()
            page.on("request", lambda r: requests.append(r.url))
            page.goto(url)
            app_state = page.get_by_test_id("stApp")
            for n in range(6):
                page.get_by_label("Nama pengguna", exact=True).fill("camat")
                page.get_by_label("Kata sandi", exact=True).fill(PASSWORD if n == 5 else SALAH)
                page.get_by_role("button", name="Masuk").click()
                _wait_for_attempts(app, n + 1)
                expect(app_state).to_have_attribute("data-test-script-state", "notRunning")
                expected = "Nama pengguna atau kata sandi salah" if n < 4 else "Akun ini dikunci sementara"
                expect(page.get_by_test_id("stAlert").filter(has_text=expected)).to_be_visible(timeout=30_000)
            expect(page.get_by_test_id("stAlert")).to_contain_text("WITA")
            page.get_by_label("Nama pengguna", exact=True).fill("admin")
            page.get_by_label("Kata sandi", exact=True).fill(PASSWORD)
            page.get_by_role("button", name="Masuk").click()
            expect(page.get_by_role("link", name="Akun saya")).to_be_visible(timeout=30_000)
            expect(app_state).to_have_attribute("data-test-script-state", "notRunning")
            [cookie] = [c for c in page.context.cookies() if c["name"] == "kinerja_sesi"]
            assert cookie["sameSite"] == "Strict"
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=15)
        log.close()
    outside = sorted({u for u in requests if urlparse(u).hostname != "127.0.0.1"})
    assert requests and not outside, outside
