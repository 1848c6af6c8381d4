"""Browser sessions: a reload signs back in until the session expires, is revoked, or the user is deactivated."""

from sqlalchemy import Engine
from sqlmodel import select

from kinerja.auth import create_session, create_user, revoke_session, update_user, user_from_session
from kinerja.db import new_session
from kinerja.models import Sesi


def _users(engine: Engine, instansi_id: int):
    admin = create_user(engine, instansi_id=instansi_id, username="admin", nama="Admin", password="rahasia123",
                        peran="admin")
    camat = create_user(engine, instansi_id=instansi_id, username="camat", nama="Camat", password="rahasia123",
                        peran="pimpinan", oleh=admin)
    return admin, camat


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
    update_user(seeded, user_id=camat.id, peran="pimpinan", unit_id=None, aktif=False, nama="Camat", oleh=admin)
    assert user_from_session(seeded, deactivated) is None
