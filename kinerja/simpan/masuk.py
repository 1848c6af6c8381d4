"""Signing in and proving who you are: the limits on failed attempts, and changing one's own password.

`masuk` answers every username in the same time (one argon2 verification whatever the case, at most
`auth.VERIFIKASI_SERENTAK` at once), locks an account after `gagal_masuk_maks` failures in a row and
a client after KLIEN_GAGAL_MAKS failures in KLIEN_MENIT minutes, and records every attempt
(`PercobaanMasuk`) and its outcome (audit trail). Attempts older than the longest window they are
read over (RIWAYAT_MASUK) are deleted as new ones are recorded, so the table stays small.

Users, password hashing and sessions are kinerja.simpan.auth's; this module uses them, and auth
answers for these names too (`auth.masuk`, `auth.authenticate`, ...), as it did before the split.
"""

import hashlib
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Engine, delete
from sqlmodel import Session, select

from kinerja.aturan.sandi import check_password
from kinerja.config import Settings, get_settings
from kinerja.errors import ValidationError
from kinerja.simpan.auth import (
    BERHASIL,
    DIBLOKIR,
    GAGAL,
    TERKUNCI,
    _dummy_hash,
    _revoke_all,
    hash_password,
    verify_password,
)
from kinerja.simpan.db import new_session, write_session
from kinerja.simpan.jejak import catat_jejak
from kinerja.simpan.models import Instansi, Pengguna, PercobaanMasuk, now_utc

KLIEN_GAGAL_MAKS = 20  # failed sign-ins from one client (any usernames) within KLIEN_MENIT before it must wait
KLIEN_MENIT = 15
_RIWAYAT_TANPA_AKUN = timedelta(days=1)  # how far back the lock of a username nobody has is replayed
_MAKS_USERNAME = 60  # PercobaanMasuk.username; longer input is cut, never refused with an error
# The longest window any attempt is read over (a username nobody has: a day; a client: KLIEN_MENIT minutes).
RIWAYAT_MASUK = max(_RIWAYAT_TANPA_AKUN, timedelta(minutes=KLIEN_MENIT))


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
    """Record one attempt: a PercobaanMasuk row and an audit row (never the password).

    Attempts older than RIWAYAT_MASUK are never read again: each record deletes them (by the indexed time).
    """
    session.execute(delete(PercobaanMasuk).where(PercobaanMasuk.waktu < now - RIWAYAT_MASUK))  # type: ignore[arg-type]
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
