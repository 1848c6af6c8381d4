"""Users, roles, passwords (argon2) and browser sessions. No default password exists anywhere."""

import hashlib
import re
import secrets
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, func
from sqlmodel import select

from kinerja.db import new_session, write_session
from kinerja.errors import ValidationError
from kinerja.models import Pengguna, Sesi, Unit, now_utc

PERAN = ("admin", "pimpinan", "operator")
PERAN_LABEL = {"admin": "Admin", "pimpinan": "Pimpinan", "operator": "Operator"}
MIN_PASSWORD = 8
USERNAME = re.compile(r"^[a-z0-9._-]{3,40}$")
_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    """Return the argon2 hash of a password."""
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Tell whether a password matches its argon2 hash."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def count_users(engine: Engine) -> int:
    """Return how many users exist (0 means the first-admin screen is due)."""
    with new_session(engine) as session:
        return session.exec(select(func.count()).select_from(Pengguna)).one()


def check_user(username: str, nama: str, password: str | None, peran: str, unit_id: int | None) -> list[str]:
    """Return the problems of a user's fields, in Indonesian."""
    problems = []
    if not USERNAME.match(username):
        problems.append("Nama pengguna: 3-40 huruf kecil, angka, titik, garis bawah atau tanda hubung")
    if not nama.strip():
        problems.append("Nama lengkap harus diisi")
    if password is not None and len(password) < MIN_PASSWORD:
        problems.append(f"Kata sandi paling sedikit {MIN_PASSWORD} karakter")
    if peran not in PERAN:
        problems.append(f"Peran harus salah satu dari: {', '.join(PERAN)}")
    if peran == "operator" and unit_id is None:
        problems.append("Operator harus punya unit")
    return problems


def create_user(
    engine: Engine,
    *,
    instansi_id: int,
    username: str,
    nama: str,
    password: str,
    peran: str,
    unit_id: int | None = None,
    oleh: Pengguna | None = None,
) -> Pengguna:
    """Create a user; only an admin may, except for the very first admin of an empty database."""
    username = username.strip().lower()
    problems = check_user(username, nama, password, peran, unit_id)
    with write_session(engine) as session:
        first = session.exec(select(func.count()).select_from(Pengguna)).one() == 0
        if not first and (oleh is None or oleh.peran != "admin"):
            problems.append("Hanya admin yang dapat membuat pengguna")
        if first and peran != "admin":
            problems.append("Pengguna pertama harus admin")
        if session.exec(select(Pengguna).where(Pengguna.username == username)).first():
            problems.append(f"Nama pengguna '{username}' sudah dipakai")
        if unit_id is not None:
            unit = session.get(Unit, unit_id)
            if unit is None or unit.instansi_id != instansi_id:
                problems.append("Unit tidak ada di instansi ini")
        if problems:
            raise ValidationError(problems)
        user = Pengguna(
            instansi_id=instansi_id, username=username, nama=nama.strip(), password_hash=hash_password(password),
            peran=peran, unit_id=unit_id if peran == "operator" else None,
        )
        session.add(user)
        session.flush()
        return user


def authenticate(engine: Engine, username: str, password: str) -> Pengguna | None:
    """Return the active user with these credentials, or None."""
    with new_session(engine) as session:
        user = session.exec(select(Pengguna).where(Pengguna.username == username.strip().lower())).first()
    if user is None:
        # Spend the same time as a real check so usernames cannot be probed by timing.
        verify_password(_DUMMY_HASH, password)
        return None
    if not user.aktif or not verify_password(user.password_hash, password):
        return None
    return user


_DUMMY_HASH = hash_password("tidak-ada-pengguna-ini")


def get_user(engine: Engine, user_id: int) -> Pengguna | None:
    """Return a user by id, as stored now (role and status may have changed since sign-in)."""
    with new_session(engine) as session:
        return session.get(Pengguna, user_id)


def list_users(engine: Engine, instansi_id: int) -> list[Pengguna]:
    """Return the office's users by username."""
    with new_session(engine) as session:
        query = select(Pengguna).where(Pengguna.instansi_id == instansi_id).order_by(Pengguna.username)
        return list(session.exec(query))


def _admin_only(oleh: Pengguna | None) -> None:
    if oleh is None or oleh.peran != "admin" or not oleh.aktif:
        raise ValidationError(["Hanya admin yang dapat mengubah pengguna"])


def update_user(
    engine: Engine, *, user_id: int, peran: str, unit_id: int | None, aktif: bool, nama: str, oleh: Pengguna
) -> Pengguna:
    """Change a user's role, unit, name or status (admin only; an admin cannot lock themself out)."""
    _admin_only(oleh)
    with write_session(engine) as session:
        user = session.get(Pengguna, user_id)
        if user is None:
            raise ValidationError(["Pengguna tidak ada"])
        problems = check_user(user.username, nama, None, peran, unit_id)
        if user.id == oleh.id and (peran != "admin" or not aktif):
            problems.append("Anda tidak dapat mencabut peran admin atau menonaktifkan akun Anda sendiri")
        if problems:
            raise ValidationError(problems)
        user.peran, user.unit_id = peran, unit_id if peran == "operator" else None
        user.aktif, user.nama = aktif, nama.strip()
        session.add(user)
        return user


def reset_password(engine: Engine, *, user_id: int, password: str, oleh: Pengguna) -> None:
    """Set a new password for a user (admin only)."""
    _admin_only(oleh)
    if len(password) < MIN_PASSWORD:
        raise ValidationError([f"Kata sandi paling sedikit {MIN_PASSWORD} karakter"])
    with write_session(engine) as session:
        user = session.get(Pengguna, user_id)
        if user is None:
            raise ValidationError(["Pengguna tidak ada"])
        user.password_hash = hash_password(password)
        session.add(user)


SESSION_HOURS = 12


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_session(engine: Engine, user_id: int, hours: int = SESSION_HOURS) -> str:
    """Start a browser session for a signed-in user; return the token for its cookie (only its hash is stored)."""
    token = secrets.token_urlsafe(32)
    with write_session(engine) as session:
        session.add(Sesi(token_hash=_token_hash(token), pengguna_id=user_id,
                         kedaluwarsa=now_utc() + timedelta(hours=hours)))
    return token


def user_from_session(engine: Engine, token: str | None) -> Pengguna | None:
    """Return the active user of a session token that is neither expired nor revoked, else None."""
    if not isinstance(token, str) or not token:
        return None
    with new_session(engine) as session:
        found = session.exec(select(Sesi).where(Sesi.token_hash == _token_hash(token))).first()
        if found is None or found.dicabut or found.kedaluwarsa <= now_utc():
            return None
        user = session.get(Pengguna, found.pengguna_id)
    return user if user is not None and user.aktif else None


def revoke_session(engine: Engine, token: str | None) -> None:
    """End a browser session (sign-out): its cookie no longer signs anyone in."""
    if not isinstance(token, str) or not token:
        return
    with write_session(engine) as session:
        found = session.exec(select(Sesi).where(Sesi.token_hash == _token_hash(token))).first()
        if found is not None:
            found.dicabut = True
            session.add(found)
