"""Users, roles, passwords (argon2), signing in and browser sessions. No default password exists anywhere.

Who may manage users is `kinerja.simpan.wewenang`'s rule ("kelola_pengguna"), checked inside each
write's own transaction. Every change of a user leaves one row in the audit trail (never the
password or its hash), and a change that alters what a user may do or proves who they are
(role, unit, deactivation, password) ends all of that user's sessions in the same transaction.

Signing in (`masuk`) answers every username in the same time (one argon2 verification whatever
the case), runs at most VERIFIKASI_SERENTAK verifications at once (each takes 64 MiB), locks an
account after `gagal_masuk_maks` failures in a row and a client after KLIEN_GAGAL_MAKS failures
in KLIEN_MENIT minutes, and records every attempt (`PercobaanMasuk`) and its outcome (audit trail).
"""

import hashlib
import re
import secrets
import threading
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, func, text, update
from sqlmodel import Session, select

from kinerja.aturan.sandi import ATURAN_SANDI as ATURAN_SANDI
from kinerja.aturan.sandi import MIN_PASSWORD as MIN_PASSWORD
from kinerja.aturan.sandi import check_password
from kinerja.aturan.teks import cek_teks
from kinerja.config import Settings, get_settings
from kinerja.errors import ValidationError
from kinerja.simpan.db import new_session, write_session
from kinerja.simpan.jejak import catat_jejak
from kinerja.simpan.models import Instansi, Pengguna, PercobaanMasuk, Sesi, Unit, now_utc
from kinerja.simpan.wewenang import periksa_wewenang

PERAN = ("admin", "pimpinan", "operator")
PERAN_LABEL = {"admin": "Admin", "pimpinan": "Pimpinan", "operator": "Operator"}
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
        if session.get(Instansi, instansi_id) is None:
            problems.append("Instansi tidak ada")
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
KLIEN_GAGAL_MAKS = 20  # failed sign-ins from one client (any usernames) within KLIEN_MENIT before it must wait
KLIEN_MENIT = 15
_RIWAYAT_TANPA_AKUN = timedelta(days=1)  # how far back the lock of a username nobody has is replayed
_MAKS_USERNAME = 60  # PercobaanMasuk.username; longer input is cut, never refused with an error


@dataclass(frozen=True)
class HasilMasuk:
    """What a sign-in attempt came to: the user when it succeeded, else why not and until when."""

    pengguna: Pengguna | None
    hasil: str  # BERHASIL | GAGAL | TERKUNCI (the account) | DIBLOKIR (the client)
    sampai: datetime | None = None  # when a locked account or a blocked client may try again
    zona_waktu: str = "Asia/Makassar"  # the office's, to say `sampai` in local time

    @property
    def pesan(self) -> str:
        """The Indonesian sentence the sign-in screen shows (empty when signed in)."""
        if self.hasil == TERKUNCI:
            return (f"Akun ini dikunci sementara karena terlalu banyak kata sandi yang salah berturut-turut. "
                    f"Coba lagi setelah pukul {_jam(self.sampai, self.zona_waktu)}.")
        if self.hasil == DIBLOKIR:
            # Attempts while blocked are failures too (every attempt is recorded): trying early waits longer.
            return (f"Terlalu banyak percobaan masuk yang gagal dari perangkat ini. "
                    f"Coba lagi setelah pukul {_jam(self.sampai, self.zona_waktu)}; "
                    f"mencoba sebelum itu memperpanjang waktu tunggu.")
        return "" if self.hasil == BERHASIL else "Nama pengguna atau kata sandi salah, atau akun tidak aktif."


def _jam(waktu: datetime | None, zona_waktu: str) -> str:
    """'14.35 WITA': a time in the office's zone, as Indonesians write it."""
    zona: tzinfo = UTC
    with suppress(ZoneInfoNotFoundError, ValueError):
        zona = ZoneInfo(zona_waktu)
    local = (waktu or now_utc()).astimezone(zona)
    return f"{local:%H.%M} {local.tzname()}"


def klien_hash(alamat: str | None) -> str:
    """Return the SHA-256 of a client's address: what PercobaanMasuk keeps instead of the address."""
    return hashlib.sha256((alamat or "").encode()).hexdigest()


def _username(username: str) -> str:
    return username.strip().lower()[:_MAKS_USERNAME]


def _klien_sampai(session: Session, klien: str, now: datetime) -> datetime | None:
    """Return until when a client with too many recent failures must wait (None: it may try)."""
    recent = session.exec(
        select(PercobaanMasuk.waktu)
        .where(PercobaanMasuk.klien == klien, PercobaanMasuk.berhasil == False,  # noqa: E712
               PercobaanMasuk.waktu > now - timedelta(minutes=KLIEN_MENIT))
        .order_by(PercobaanMasuk.waktu.desc()).limit(KLIEN_GAGAL_MAKS)  # type: ignore[union-attr]
    ).all()
    if len(recent) < KLIEN_GAGAL_MAKS:
        return None
    return recent[-1] + timedelta(minutes=KLIEN_MENIT)


def _zona_waktu(session: Session, instansi_id: int | None) -> str:
    """The office's time zone; for a username nobody has, the first office's (a kabupaten shares one)."""
    office = session.get(Instansi, instansi_id) if instansi_id is not None else session.exec(
        select(Instansi).order_by(Instansi.id)).first()
    return office.zona_waktu if office is not None else "UTC"


def _catat(session: Session, *, nama: str, klien: str, now: datetime, instansi_id: int | None, hasil: str,
           alasan: str = "", **lain: object) -> None:
    """Record one attempt: a PercobaanMasuk row and an audit row (never the password)."""
    session.add(PercobaanMasuk(username=nama, klien=klien, waktu=now, berhasil=hasil == BERHASIL))
    catat_jejak(session, instansi_id=instansi_id, oleh=nama, tabel="masuk", kunci=nama, sebelum=None,
                sesudah={"hasil": hasil, "klien": klien[:12], **lain}, alasan=alasan)


def _putuskan(
    session: Session, *, user_id: int | None, nama: str, cocok: bool, hash_dicek: str, klien: str, now: datetime,
    settings: Settings, alasan: str = "",
) -> HasilMasuk:
    """Decide and record an attempt whose password was checked: signed in, failed, or locked.

    The account's row is locked while its count changes, so parallel failures all count. A username
    nobody has locks the same way (replayed from its recorded attempts): the answer never tells
    whether an account exists, is active, or which password it has.
    """
    user = session.exec(select(Pengguna).where(Pengguna.id == user_id).with_for_update()).first() \
        if user_id is not None else None
    if user is None:
        instansi_id, (gagal, sampai) = None, _replay(session, nama, now, settings)
    else:
        instansi_id, gagal, sampai = user.instansi_id, user.gagal_masuk, user.terkunci_sampai
    zona = _zona_waktu(session, instansi_id)

    def catat(hasil: str, **lain: object) -> None:
        _catat(session, nama=nama, klien=klien, now=now, instansi_id=instansi_id, hasil=hasil, alasan=alasan, **lain)

    if sampai is not None and now < sampai:
        catat(TERKUNCI)
        return HasilMasuk(None, TERKUNCI, sampai, zona)
    if user is not None and cocok and user.aktif and user.password_hash == hash_dicek:
        user.gagal_masuk, user.terkunci_sampai = 0, None
        session.add(user)
        catat(BERHASIL)
        return HasilMasuk(user, BERHASIL, zona_waktu=zona)
    gagal += 1
    lock = now + timedelta(minutes=settings.kunci_menit) if gagal >= settings.gagal_masuk_maks else None
    if user is not None:
        user.gagal_masuk, user.terkunci_sampai = (0, lock) if lock else (gagal, user.terkunci_sampai)
        session.add(user)
    if lock is None:
        catat(GAGAL)
        return HasilMasuk(None, GAGAL, zona_waktu=zona)
    catat(GAGAL, dikunci_sampai=lock)
    return HasilMasuk(None, TERKUNCI, lock, zona)


def _replay(session: Session, nama: str, now: datetime, settings: Settings) -> tuple[int, datetime | None]:
    """Replay the account lock over a username's recorded failures: (failures in a row, locked until)."""
    rows = session.exec(
        select(PercobaanMasuk.waktu)
        .where(PercobaanMasuk.username == nama, PercobaanMasuk.berhasil == False,  # noqa: E712
               PercobaanMasuk.waktu > now - _RIWAYAT_TANPA_AKUN)
        .order_by(PercobaanMasuk.waktu)  # type: ignore[arg-type]
    ).all()
    gagal, sampai = 0, None
    for waktu in rows:
        if sampai is not None and waktu < sampai:
            continue  # refused while locked: not a password check
        gagal += 1
        if gagal >= settings.gagal_masuk_maks:
            gagal, sampai = 0, waktu + timedelta(minutes=settings.kunci_menit)
    return gagal, sampai


def masuk(
    engine: Engine, *, username: str, password: str, alamat: str | None = None, settings: Settings | None = None
) -> HasilMasuk:
    """Check a sign-in attempt from a client address and record it; see the module docstring for the limits.

    A locked account refuses even its right password. A blocked client is refused before any
    verification (its address, not a username, decides it, so this tells nothing about accounts).
    """
    settings = settings or get_settings()
    nama, klien, now = _username(username), klien_hash(alamat), now_utc()
    with new_session(engine) as session:
        user = session.exec(select(Pengguna).where(Pengguna.username == nama)).first()
        blocked = _klien_sampai(session, klien, now)
    if blocked is not None:
        with write_session(engine) as session:
            _catat(session, nama=nama, klien=klien, now=now, instansi_id=user.instansi_id if user else None,
                   hasil=DIBLOKIR)
            zona = _zona_waktu(session, user.instansi_id if user else None)
        return HasilMasuk(None, DIBLOKIR, blocked, zona)
    stored = user.password_hash if user is not None else _dummy_hash()
    cocok = verify_password(stored, password)  # exactly one verification, whoever asks
    with write_session(engine) as session:
        return _putuskan(session, user_id=user.id if user else None, nama=nama, cocok=cocok, hash_dicek=stored,
                         klien=klien, now=now, settings=settings)


def authenticate(engine: Engine, username: str, password: str, alamat: str | None = None) -> Pengguna | None:
    """Return the active, unlocked user with these credentials, or None (see `masuk`)."""
    return masuk(engine, username=username, password=password, alamat=alamat).pengguna


def ganti_sandi_sendiri(
    engine: Engine, *, pengguna: Pengguna, lama: str, baru: str, token: str | None = None,
    alamat: str | None = None,
) -> None:
    """Change one's own password after checking the current one; end one's other sessions (not `token`'s).

    A wrong current password counts as a failed sign-in, so a borrowed open session cannot be used to
    guess it; a locked account cannot change its password until the lock ends.
    """
    with new_session(engine) as session:
        user = session.get(Pengguna, pengguna.id)
    if user is None or not user.aktif:
        raise ValidationError(["akun ini tidak aktif; masuk kembali dengan akun yang aktif"])
    problems = check_password(baru, username=user.username, nama=user.nama)
    if baru == lama:
        problems.append("Kata sandi baru harus berbeda dari kata sandi sekarang")
    if problems:
        raise ValidationError(problems)
    now, settings = now_utc(), get_settings()
    cocok = verify_password(user.password_hash, lama)
    if not cocok or (user.terkunci_sampai is not None and now < user.terkunci_sampai):
        with write_session(engine) as session:
            hasil = _putuskan(session, user_id=user.id, nama=user.username, cocok=False, hash_dicek="",
                              klien=klien_hash(alamat), now=now, settings=settings, alasan="ganti kata sandi")
        raise ValidationError([hasil.pesan if hasil.hasil == TERKUNCI else "Kata sandi sekarang salah"])
    password_hash = hash_password(baru)
    with write_session(engine) as session:
        row = session.exec(select(Pengguna).where(Pengguna.id == user.id).with_for_update()).one()
        if row.password_hash != user.password_hash or not row.aktif:
            raise ValidationError(["Akun ini baru saja diubah; muat ulang halaman dan coba lagi"])
        row.password_hash, row.gagal_masuk, row.terkunci_sampai = password_hash, 0, None
        session.add(row)
        _revoke_all(session, row.id, kecuali=token)
        catat_jejak(session, instansi_id=row.instansi_id, oleh=row.username, tabel="pengguna", kunci=row.username,
                    sebelum={}, sesudah={"kata_sandi": "diganti sendiri"})


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
