"""Shared pieces of the screens: the database, the signed-in user, selectors, colours, charts.

Not a page itself (the router never registers it); it holds only Streamlit glue, no rules.
"""

from datetime import date

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from pandas.io.formats.style import Styler
from sqlalchemy import Engine

from kinerja.auth import get_user
from kinerja.config import get_settings
from kinerja.db import get_engine, new_session
from kinerja.entri import default_bulan, list_unit_isian
from kinerja.format import ROMAWI, format_angka, format_persen, format_rupiah, nama_bulan, nama_triwulan
from kinerja.models import Instansi, Pengguna, Unit, Versi
from kinerja.queries import list_tahun, list_versi
from kinerja.seed import init_database

# One colour per kategori, on every page and chart.
WARNA_KATEGORI = {
    "Sangat Tinggi": "#1a7f37",
    "Tinggi": "#7cb342",
    "Sedang": "#f2b705",
    "Rendah": "#ef6c00",
    "Sangat Rendah": "#c62828",
    "Belum ada data": "#9e9e9e",
}


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


def style_figure(fig: go.Figure, title: str, height: int = 360) -> go.Figure:
    """Give a Plotly figure Indonesian separators, a title that says what and when, and a tidy layout."""
    fig.update_layout(
        title=title, separators=",.", height=height, margin={"l": 10, "r": 10, "t": 50, "b": 10},
        legend_title_text="", plot_bgcolor="white",
        legend={"orientation": "h", "yanchor": "top", "y": -0.15, "xanchor": "left", "x": 0},
    )
    fig.update_yaxes(gridcolor="#e0e0e0")
    return fig


def tw_label(triwulan: int) -> str:
    """Return 's.d. Triwulan II' style text."""
    return f"s.d. Triwulan {ROMAWI[triwulan]}"


def tabel(
    df: pd.DataFrame, angka: tuple[str, ...] = (), persen: tuple[str, ...] = (), rupiah: tuple[str, ...] = ()
) -> Styler:
    """Return a Styler that shows numbers the Indonesian way (sorting still uses the numbers)."""
    fmt = {c: (lambda v: format_angka(v) if pd.notna(v) else "") for c in angka}
    fmt |= {c: (lambda v: format_persen(v) if pd.notna(v) else "") for c in persen}
    fmt |= {c: (lambda v: format_rupiah(v) if pd.notna(v) else "") for c in rupiah}
    styler = df.style.format(fmt, na_rep="")
    if "kategori" in df.columns:
        styler = styler.map(lambda k: f"color: {WARNA_KATEGORI.get(k, '#333')}; font-weight: 600", subset=["kategori"])
    return styler


def warna_persen(value: object) -> str:
    """Return a background colour from red (0 %) through amber to green (100 %)."""
    if not isinstance(value, int | float) or pd.isna(value):
        return ""
    if value >= 100:
        return "background-color: #c8e6c9"
    if value >= 50:
        return "background-color: #fff3c4"
    return "background-color: #ffcdd2"


def masalah(problems: list[str], judul: str = "Tidak disimpan. Perbaiki dulu:") -> None:
    """Show validation problems as one error box."""
    st.error(judul + "\n" + "\n".join(f"- {p}" for p in problems))


def pesan_simpan(key: str, editor_key: str) -> None:
    """Show the message a save of this grid left in session_state[key], until the grid is edited again.

    A saved grid is reset, and the browser then reruns the page once more by itself: a message
    shown for one run only would be gone before anyone could read it.
    """
    saved = st.session_state.get(key)
    if not saved or saved[0] != editor_key:
        return
    if st.session_state.get(editor_key, {}).get("edited_rows"):
        del st.session_state[key]
    else:
        st.success(saved[1])


KOLOM_CAPAIAN = {
    "kode": "Kode", "unit": "Unit", "unit_nama": st.column_config.TextColumn("Unit", width="medium"), "no": "No",
    "sasaran": "Sasaran",
    "indikator": st.column_config.TextColumn("Indikator kinerja", width="medium"), "satuan": "Satuan",
    "target_tahunan": "Target tahunan",
    "target_sd_tw": "Target s.d. TW", "realisasi_sd_tw": "Realisasi s.d. TW", "pembilang": "Pembilang",
    "penyebut": "Penyebut", "capaian_sd_tw": "Capaian s.d. TW", "capaian_tahunan": "Capaian tahunan",
    "kategori": "Kategori",
}


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
