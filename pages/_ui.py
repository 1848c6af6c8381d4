"""Shared pieces of the screens: the database, the signed-in user, and the selectors.

Not a page itself (the router never registers it); it holds only Streamlit glue, no rules.
"""

from datetime import date

import streamlit as st
from sqlalchemy import Engine

from kinerja.auth import get_user
from kinerja.config import get_settings
from kinerja.db import get_engine, new_session
from kinerja.entri import default_bulan, list_unit_isian
from kinerja.format import nama_bulan, nama_triwulan
from kinerja.models import Instansi, Pengguna, Unit, Versi
from kinerja.queries import list_tahun, list_versi
from kinerja.seed import init_database


@st.cache_resource(show_spinner="Menyiapkan basis data...")
def _engine(url: str) -> Engine:
    engine = get_engine(url)
    init_database(engine, get_settings().data_dir)
    return engine


def engine() -> Engine:
    """Return the app's database engine, migrated and seeded on first use."""
    return _engine(get_settings().database_url)


def current_user() -> Pengguna | None:
    """Return the signed-in user as stored now; a deactivated user is signed out."""
    user_id = st.session_state.get("user_id")
    if user_id is None:
        return None
    user = get_user(engine(), user_id)
    if user is None or not user.aktif:
        st.session_state.pop("user_id", None)
        return None
    return user


def require(*peran: str) -> Pengguna:
    """Stop the page unless the signed-in user has one of these roles."""
    user = current_user()
    if user is None or user.peran not in peran:
        st.error("Anda tidak berhak membuka halaman ini. Silakan masuk dengan akun yang sesuai.")
        st.stop()
    return user


def instansi(user: Pengguna) -> Instansi:
    """Return the user's office."""
    with new_session(engine()) as session:
        return session.get(Instansi, user.instansi_id)


def pilih_tahun(office: Instansi, key: str = "tahun", draf: bool = False) -> int:
    """Show the year selector (newest first; drafts only for the admin's planning pages)."""
    with new_session(engine()) as session:
        years = list_tahun(session, office.id, draf=draf)
    return st.selectbox("Tahun", years, key=key)


def pilih_triwulan(default: int, key: str = "triwulan") -> int:
    """Show the triwulan selector (s.d. triwulan) and return the chosen one."""
    return st.selectbox(
        "Sampai dengan", [1, 2, 3, 4], index=default - 1, key=key, format_func=nama_triwulan
    )


def pilih_unit_isian(user: Pengguna, office: Instansi, tahun: int, key: str) -> Unit:
    """An operator gets their own unit; an admin picks among the units that enter something."""
    with new_session(engine()) as session:
        if user.peran == "operator":
            return session.get(Unit, user.unit_id)
        units = list_unit_isian(session, office, tahun)
    return st.selectbox("Unit", units, format_func=lambda u: u.nama, key=key)


def pilih_bulan(tahun: int, key: str) -> int:
    """Show the month selector, defaulting to the month most likely being reported."""
    default = default_bulan(tahun, date.today())
    return st.selectbox("Bulan", list(range(1, 13)), index=default - 1, format_func=nama_bulan, key=key)


def pilih_isian(user: Pengguna, office: Instansi, prefix: str) -> tuple[int, int, Unit]:
    """Show the year, month and unit selectors of an entry page and return the choices."""
    c1, c2, c3 = st.columns([1, 1, 2])
    with c1:
        tahun = pilih_tahun(office, key=f"{prefix}_tahun")
    with c2:
        bulan = pilih_bulan(tahun, key=f"{prefix}_bulan")
    with c3:
        unit = pilih_unit_isian(user, office, tahun, key=f"{prefix}_unit")
    return tahun, bulan, unit


def pilih_versi(office: Instansi, prefix: str) -> tuple[int, Versi]:
    """Show the year (drafts included) and version selectors of a planning page; newest version first."""
    c1, c2 = st.columns(2)
    with c1:
        tahun = pilih_tahun(office, key=f"{prefix}_tahun", draf=True)
    with new_session(engine()) as session:
        versions = list_versi(session, office.id, tahun)
    with c2:
        versi = st.selectbox("Versi perjanjian", versions, index=len(versions) - 1, key=f"{prefix}_versi",
                             format_func=lambda v: f"{v.nama} ({v.status}, berlaku sejak bulan {v.berlaku_bulan})")
    return tahun, versi
