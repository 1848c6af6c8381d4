"""Users, roles, passwords (argon2) and browser sessions. No default password exists anywhere.

Who may manage users is `kinerja.simpan.wewenang`'s rule ("kelola_pengguna"), checked inside each
write's own transaction. Every change of a user leaves one row in the audit trail (never the
password or its hash), and a change that alters what a user may do or proves who they are
(role, unit, deactivation, password) ends all of that user's sessions in the same transaction.
Hashing runs at most VERIFIKASI_SERENTAK argon2 calls at once (each takes 64 MiB).

Signing in and its limits (`masuk`, `authenticate`, `ganti_sandi_sendiri`, `HasilMasuk`, ...) are in
kinerja.simpan.masuk; this module answers for those names too, so `auth.masuk` keeps working.
"""

import hashlib
import re
import secrets
import threading
from datetime import timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, func, text, update
from sqlmodel import Session, select

from kinerja.aturan.sandi import ATURAN_SANDI as ATURAN_SANDI
from kinerja.aturan.sandi import MIN_PASSWORD as MIN_PASSWORD
from kinerja.aturan.sandi import check_password
from kinerja.aturan.teks import cek_teks
from kinerja.config import get_settings
from kinerja.errors import ValidationError
from kinerja.simpan.db import new_session, write_session
from kinerja.simpan.jejak import catat_jejak
from kinerja.simpan.models import Instansi, Pengguna, Sesi, Unit, now_utc
from kinerja.simpan.wewenang import KABUPATEN, PERAN, PERAN_PEMDA, periksa_wewenang

PERAN_LABEL = {"admin": "Admin", "pimpinan": "Pimpinan", "operator": "Operator",
               KABUPATEN: "Kabupaten (lihat semua instansi)"}
MAKS_NAMA = 120
USERNAME = re.compile(r"^[a-z0-9._-]{3,40}$")
# The one description of USERNAME: the form's tooltip and the refusal both show it.
ATURAN_USERNAME = "3-40 karakter: huruf kecil, angka, titik (.), garis bawah (_) atau tanda hubung (-)"
_hasher = PasswordHasher()
# Argon2 takes 64 MiB a call: parallel guesses must queue, not add up to gigabytes. A waiting attempt waits.
VERIFIKASI_SERENTAK = 2
_verifikasi = threading.BoundedSemaphore(VERIFIKASI_SERENTAK)


def hash_password(password: str) -> str:
    """Return the argon2 hash of a password (at most VERIFIKASI_SERENTAK hashings run at once)."""
    with _verifikasi:
        return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Tell whether a password matches its argon2 hash (at most VERIFIKASI_SERENTAK checks run at once)."""
    with _verifikasi:
        try:
            return _hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False


_dummy: tuple[PasswordHasher | None, str] = (None, "")
_dummy_lock = threading.Lock()


def _dummy_hash() -> str:
    """A hash made with the current hasher's cost, checked when no stored hash applies (unknown username)."""
    global _dummy
    with _dummy_lock:
        if _dummy[0] is not _hasher:
            _dummy = (_hasher, hash_password(secrets.token_urlsafe(16)))
        return _dummy[1]


def count_users(engine: Engine) -> int:
    """Return how many users exist (0 means the first-admin screen is due)."""
    with new_session(engine) as session:
        return session.exec(select(func.count()).select_from(Pengguna)).one()


def check_user(username: str, nama: str, password: str | None, peran: str, unit_id: int | None) -> list[str]:
    """Return the problems of a user's fields, in Indonesian."""
    problems = []
    if not USERNAME.match(username):
        problems.append(f"Nama pengguna: {ATURAN_USERNAME}")
    if not nama.strip():
        problems.append("Nama lengkap harus diisi")
    problems += cek_teks(nama, "Nama lengkap", MAKS_NAMA)
    if "\n" in nama or "\t" in nama:
        problems.append("Nama lengkap harus satu baris, tanpa tab")
    if password is not None:
        problems += check_password(password, username=username, nama=nama)
    if peran not in PERAN:
        problems.append(f"Peran harus salah satu dari: {', '.join(PERAN)}")
    if peran == "operator" and unit_id is None:
        problems.append("Operator harus punya unit")
    return problems


def _lock_users(session: Session) -> None:
    """Serialise user creation: the first-admin check and the username check see every earlier creation.

    SQLite's write session already holds the database's write lock (BEGIN IMMEDIATE); PostgreSQL
    needs the table lock, or concurrent first-admin screens would each see an empty table.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("LOCK TABLE pengguna IN EXCLUSIVE MODE"))


def _akun(session: Session, user: Pengguna) -> dict[str, str | None]:
    """The values of a user that the audit trail records (never the password or its hash)."""
    unit = session.get(Unit, user.unit_id) if user.unit_id is not None else None
    return {"nama": user.nama, "peran": user.peran, "unit": unit.kode if unit else None,
            "status": "aktif" if user.aktif else "nonaktif"}


def _unit_problems(session: Session, unit_id: int | None, instansi_id: int) -> list[str]:
    if unit_id is None:
        return []
    unit = session.get(Unit, unit_id)
    return [] if unit is not None and unit.instansi_id == instansi_id else ["Unit tidak ada di instansi ini"]


def _peran_problems(office: Instansi | None, peran: str) -> list[str]:
    """A pemda holds admins and kabupaten users only; an office holds no kabupaten user."""
    if office is None:
        return ["Instansi tidak ada"]
    if office.jenis == "pemda" and peran not in PERAN_PEMDA:
        return ["Pengguna pemda hanya dapat berperan admin atau kabupaten (pemda tidak punya unit dan PK)"]
    if office.jenis != "pemda" and peran == KABUPATEN:
        return ["Peran kabupaten hanya untuk pengguna pemda, bukan pengguna sebuah instansi"]
    return []


def _create(
    engine: Engine, *, instansi_id: int, username: str, nama: str, password: str, peran: str, unit_id: int | None,
    pengguna: Pengguna | None, oleh: str, pertama: bool,
) -> Pengguna:
    username = username.strip().lower()
    problems = check_user(username, nama, password, peran, unit_id)
    # Hash before taking the lock: argon2 is slow on purpose.
    password_hash = hash_password(password) if not problems else ""
    with write_session(engine) as session:
        _lock_users(session)
        empty = session.exec(select(func.count()).select_from(Pengguna)).one() == 0
        if pertama and not empty:
            raise ValidationError(["Admin pertama sudah dibuat. Silakan masuk."])
        if not pertama:
            refused = periksa_wewenang(session, pengguna, "kelola_pengguna", instansi_id=instansi_id)
            if refused:
                raise ValidationError(refused)
        if empty and peran != "admin":
            problems.append("Pengguna pertama harus admin")
        problems += _peran_problems(session.get(Instansi, instansi_id), peran)
        if session.exec(select(Pengguna).where(Pengguna.username == username)).first():
            problems.append(f"Nama pengguna '{username}' sudah dipakai")
        problems += _unit_problems(session, unit_id, instansi_id)
        if problems:
            raise ValidationError(problems)
        user = Pengguna(instansi_id=instansi_id, username=username, nama=nama.strip(), password_hash=password_hash,
                        peran=peran, unit_id=unit_id)
        session.add(user)
        session.flush()
        catat_jejak(session, instansi_id=instansi_id, oleh=pengguna.username if pengguna else oleh, tabel="pengguna",
                    kunci=username, sebelum=None, sesudah=_akun(session, user))
        return user


def create_user(
    engine: Engine,
    *,
    instansi_id: int,
    username: str,
    nama: str,
    password: str,
    peran: str,
    unit_id: int | None = None,
    pengguna: Pengguna | None = None,
    oleh: str = "cli",
) -> Pengguna:
    """Create a user of an office; only an admin of that office may (pengguna=None: the system itself).

    The unit is kept for every role that has one: an operator must have one (it is the unit they
    enter for), a pimpinan may (the unit a Kasi acting as pimpinan leads).
    """
    return _create(engine, instansi_id=instansi_id, username=username, nama=nama, password=password, peran=peran,
                   unit_id=unit_id, pengguna=pengguna, oleh=oleh, pertama=False)


def create_first_admin(engine: Engine, *, instansi_id: int, username: str, nama: str, password: str) -> Pengguna:
    """Create the first admin of an empty database; refused once any user exists, even under a race."""
    return _create(engine, instansi_id=instansi_id, username=username, nama=nama, password=password, peran="admin",
                   unit_id=None, pengguna=None, oleh=username.strip().lower(), pertama=True)


BERHASIL, GAGAL, TERKUNCI, DIBLOKIR, KELUAR = "berhasil", "gagal", "terkunci", "diblokir", "keluar"


def get_user(engine: Engine, user_id: int) -> Pengguna | None:
    """Return a user by id, as stored now (role and status may have changed since sign-in)."""
    with new_session(engine) as session:
        return session.get(Pengguna, user_id)


def list_users(engine: Engine, instansi_id: int) -> list[Pengguna]:
    """Return the office's users by username."""
    with new_session(engine) as session:
        query = select(Pengguna).where(Pengguna.instansi_id == instansi_id).order_by(Pengguna.username)
        return list(session.exec(query))


def _locked_user(session: Session, user_id: int, pengguna: Pengguna | None) -> Pengguna:
    """Return the user to change, row-locked, once the acting user may manage that user's office."""
    user = session.exec(select(Pengguna).where(Pengguna.id == user_id).with_for_update()).first()
    if user is None:
        raise ValidationError(["Pengguna tidak ada"])
    refused = periksa_wewenang(session, pengguna, "kelola_pengguna", instansi_id=user.instansi_id)
    if refused:
        raise ValidationError(refused)
    return user


def _revoke_all(session: Session, user_id: int, kecuali: str | None = None) -> None:
    """End every session of a user inside the caller's transaction (but the one of token `kecuali`)."""
    query = update(Sesi).where(Sesi.pengguna_id == user_id, Sesi.dicabut == False)  # noqa: E712
    if kecuali:
        query = query.where(Sesi.token_hash != _token_hash(kecuali))
    session.execute(query.values(dicabut=True))


def update_user(
    engine: Engine,
    *,
    user_id: int,
    peran: str,
    unit_id: int | None,
    aktif: bool,
    nama: str,
    pengguna: Pengguna | None = None,
    oleh: str = "cli",
) -> Pengguna:
    """Change a user's role, unit, name or status (an admin of their office; nobody can lock themself out).

    A change of role or unit, or a deactivation, signs the user out everywhere.
    """
    with write_session(engine) as session:
        user = _locked_user(session, user_id, pengguna)
        problems = check_user(user.username, nama, None, peran, unit_id)
        problems += _unit_problems(session, unit_id, user.instansi_id)
        problems += _peran_problems(session.get(Instansi, user.instansi_id), peran)
        if pengguna is not None and user.id == pengguna.id and (peran != "admin" or not aktif):
            problems.append("Anda tidak dapat mencabut peran admin atau menonaktifkan akun Anda sendiri")
        if problems:
            raise ValidationError(problems)
        before = _akun(session, user)
        user.peran, user.unit_id, user.aktif, user.nama = peran, unit_id, aktif, nama.strip()
        after = _akun(session, user)
        changed = [k for k in before if before[k] != after[k]]
        if not changed:
            return user
        session.add(user)
        if {"peran", "unit"} & set(changed) or not aktif:
            _revoke_all(session, user.id)
        catat_jejak(session, instansi_id=user.instansi_id, oleh=pengguna.username if pengguna else oleh,
                    tabel="pengguna", kunci=user.username, sebelum={k: before[k] for k in changed},
                    sesudah={k: after[k] for k in changed})
        return user


def reset_password(
    engine: Engine, *, user_id: int, password: str, pengguna: Pengguna | None = None, oleh: str = "cli"
) -> None:
    """Set a new password for a user (an admin of their office); the user is signed out everywhere."""
    problems = check_password(password)
    if problems:
        raise ValidationError(problems)
    password_hash = hash_password(password)
    with write_session(engine) as session:
        user = _locked_user(session, user_id, pengguna)
        problems = check_password(password, username=user.username, nama=user.nama)
        if problems:
            raise ValidationError(problems)
        # An admin's reset also ends a lock: it is how a locked-out user gets back in at once.
        user.password_hash, user.gagal_masuk, user.terkunci_sampai = password_hash, 0, None
        session.add(user)
        _revoke_all(session, user.id)
        catat_jejak(session, instansi_id=user.instansi_id, oleh=pengguna.username if pengguna else oleh,
                    tabel="pengguna", kunci=user.username, sebelum={}, sesudah={"kata_sandi": "diganti"})


_TANDAI_AKTIF = timedelta(minutes=1)  # a session's last action is written at most this often


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_session(engine: Engine, user_id: int, hours: int | None = None) -> str:
    """Start a browser session for a signed-in user; return the token for its cookie (only its hash is stored).

    It ends `sesi_jam` hours later (`hours` overrides), or earlier after `sesi_menganggur_menit` idle minutes.
    """
    token = secrets.token_urlsafe(32)
    now = now_utc()
    with write_session(engine) as session:
        session.add(Sesi(token_hash=_token_hash(token), pengguna_id=user_id, dibuat_pada=now, terakhir_aktif=now,
                         kedaluwarsa=now + timedelta(hours=get_settings().sesi_jam if hours is None else hours)))
    return token


def user_from_session(engine: Engine, token: str | None) -> Pengguna | None:
    """Return the active user of a live session token, and note this action; else None.

    A session is over when revoked, past its expiry, or idle for `sesi_menganggur_menit` minutes (it
    is then revoked for good). The router calls this on every run, so every click counts as an action;
    the time is written at most once a minute to keep writes rare.
    """
    if not isinstance(token, str) or not token:
        return None
    now, token_hash = now_utc(), _token_hash(token)
    with new_session(engine) as session:
        found = session.exec(select(Sesi).where(Sesi.token_hash == token_hash)).first()
        if found is None or found.dicabut or found.kedaluwarsa <= now:
            return None
        terakhir = found.terakhir_aktif or found.dibuat_pada
        user = session.get(Pengguna, found.pengguna_id)
    idle = now - terakhir >= timedelta(minutes=get_settings().sesi_menganggur_menit)
    if idle or now - terakhir >= _TANDAI_AKTIF:
        with write_session(engine) as session:
            values = {"dicabut": True} if idle else {"terakhir_aktif": now}
            session.execute(update(Sesi).where(Sesi.id == found.id).values(**values))
    if idle:
        return None
    return user if user is not None and user.aktif else None


def revoke_session(engine: Engine, token: str | None) -> None:
    """End a browser session (sign-out): its cookie no longer signs anyone in; the audit trail notes it."""
    if not isinstance(token, str) or not token:
        return
    with write_session(engine) as session:
        found = session.exec(select(Sesi).where(Sesi.token_hash == _token_hash(token))).first()
        if found is None or found.dicabut:
            return
        found.dicabut = True
        session.add(found)
        user = session.get(Pengguna, found.pengguna_id)
        if user is not None:
            catat_jejak(session, instansi_id=user.instansi_id, oleh=user.username, tabel="masuk", kunci=user.username,
                        sebelum=None, sesudah={"hasil": KELUAR})


# The sign-in names moved to kinerja.simpan.masuk, which imports this module: offered here on first use.
_MASUK = frozenset({"HasilMasuk", "KLIEN_GAGAL_MAKS", "KLIEN_MENIT", "RIWAYAT_MASUK", "authenticate",
                    "ganti_sandi_sendiri", "klien_hash", "masuk"})


def __getattr__(name: str) -> Any:
    if name in _MASUK:
        from kinerja.simpan import masuk

        return getattr(masuk, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
