"""Shared pieces of the screens: the database, the signed-in user, and the selectors.

Not a page itself (the router never registers it); it holds only Streamlit glue, no rules.
"""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import streamlit as st
from sqlalchemy import Engine
from streamlit.errors import FragmentHandledException
from streamlit.runtime.scriptrunner import get_script_run_ctx

from kinerja.aturan.format import nama_bulan, nama_triwulan
from kinerja.baca.entri import default_bulan, list_unit_isian
from kinerja.config import get_settings
from kinerja.simpan.auth import create_session, revoke_session, user_from_session
from kinerja.simpan.db import get_engine, new_session
from kinerja.simpan.models import Instansi, Pengguna, Unit, Versi
from kinerja.simpan.queries import is_demo, list_tahun, list_versi
from kinerja.simpan.seed import init_database
from kinerja.simpan.wewenang import ADMIN, KABUPATEN, PIMPINAN, boleh_buka, instansi_terlihat, peran_halaman

COOKIE = "kinerja_sesi"
ROOT = Path(__file__).resolve().parent.parent
PESAN_GALAT = ("Terjadi kesalahan di server; tidak ada yang tersimpan sebagian. "
               "Coba lagi, atau hubungi admin bila terulang.")
# The office a kabupaten user reads (an Instansi id), kept across pages; checked against the user's pemda every run.
DILIHAT = "instansi_dilihat"
HANYA_BACA = "Hanya baca: akun kabupaten melihat data instansi, tidak mengubahnya."
CATATAN_DISAHKAN = ("Angka: hanya realisasi yang sudah disahkan. Bulan yang belum disahkan tidak dihitung; "
                    "matikan *Hanya angka yang disahkan* di samping untuk melihat semua realisasi.")
log = logging.getLogger("kinerja")


@st.cache_resource(show_spinner="Menyiapkan basis data...")
def _engine(url: str) -> Engine:
    engine = get_engine(url)
    init_database(engine, get_settings().data_dir)
    return engine


def engine() -> Engine:
    """Return the app's database engine, migrated and seeded on first use."""
    return _engine(get_settings().database_url)


def current_user() -> Pengguna | None:
    """Return the signed-in user as stored now, after checking this browser's session on every run.

    The session token is kept in session_state after sign-in; a new browser session (a reload)
    starts from the cookie. A session that was revoked (Keluar in another tab, a password, role or
    unit change, deactivation), has expired or was idle too long signs nobody in, not even in a tab
    opened before; the sign-in screen then says the session ended. Every run counts as an action.
    """
    token = st.session_state["sesi"] if "sesi" in st.session_state else st.context.cookies.get(COOKIE)
    user = user_from_session(engine(), token)
    if user is None:
        if token:
            # This session ended: forget everything of it, and of the cookie the tab was opened with.
            st.session_state.clear()
            if token == st.context.cookies.get(COOKIE):
                st.session_state["cookie"] = ""
            st.session_state["sesi_berakhir"] = True
        st.session_state.pop("user_id", None)
        st.session_state["sesi"] = ""
        return None
    st.session_state["sesi"], st.session_state["user_id"] = token, user.id
    return user


def sign_in(user: Pengguna) -> None:
    """Sign a user in for this browser: a server-side session and, on the next run, its cookie."""
    token = create_session(engine(), user.id)
    st.session_state["user_id"], st.session_state["sesi"] = user.id, token
    st.session_state["cookie"] = token


def sign_out() -> None:
    """Revoke this browser's session and forget everything of it; the router expires the cookie."""
    revoke_session(engine(), st.session_state.get("sesi") or st.context.cookies.get(COOKIE))
    st.session_state.clear()
    st.session_state["sesi"] = ""
    st.session_state["cookie"] = ""


def alamat_klien() -> str | None:
    """Return the browser's address as the server sees it, for the sign-in limits (None when unknown).

    Streamlit's server (uvicorn) already replaces a trusted proxy's address (127.0.0.1 and ::1, or
    FORWARDED_ALLOW_IPS) by the X-Forwarded-For the proxy sent, and reports a loopback peer as None.
    Then the last X-Forwarded-For entry, the one a proxy on this machine wrote, is the address (older
    Streamlit servers did not read it). X-Real-IP is never read: proxies pass a browser's own through.
    """
    ip = st.context.ip_address
    if isinstance(ip, str) and ip:  # AppTest's mocked runtime answers with a non-string
        return ip
    forwarded = st.context.headers.get("X-Forwarded-For")
    if isinstance(forwarded, str) and forwarded.strip():
        return forwarded.split(",")[-1].strip()
    return None


def write_cookie() -> None:
    """Set (or expire) the session cookie in the browser when sign-in or sign-out asked for it."""
    if "cookie" not in st.session_state:
        return
    token = st.session_state.pop("cookie")
    age = get_settings().sesi_jam * 3600 if token else 0
    # Streamlit has no API to set a cookie; a token is URL-safe base64, so it needs no escaping.
    # Over HTTPS the cookie is Secure too; HttpOnly cannot be set from a page (see README, Deploying).
    st.html(f"<script>document.cookie = '{COOKIE}={token}; path=/; max-age={age}; SameSite=Strict'"
            f" + (location.protocol === 'https:' ? '; Secure' : '');</script>", unsafe_allow_javascript=True)


def current_page() -> str | None:
    """Return the page file Streamlit is running now ('pages/beranda.py'), or None outside a page."""
    ctx = get_script_run_ctx()
    if ctx is None:
        return None
    info = ctx.pages_manager.get_pages().get(ctx.page_script_hash)
    if not info or not info.get("script_path"):
        return None
    try:
        return Path(info["script_path"]).resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return None


def require() -> Pengguna:
    """Stop the page unless the signed-in user's role may open it by `wewenang.HALAMAN`, the router's table."""
    user = current_user()
    if user is None or not boleh_buka(peran_menu(user), current_page() or ""):
        st.error("Anda tidak berhak membuka halaman ini. Silakan masuk dengan akun yang sesuai.")
        st.stop()
    return user


@contextmanager
def tangani_galat() -> Iterator[None]:
    """Show one Indonesian message for any error of a page and log its trace on the server only.

    Streamlit's own control flow (st.stop, st.rerun, st.switch_page) raises exceptions that are not
    `Exception`, so it passes through untouched; so does an error a fragment has already shown.
    Every write is one transaction, so a failure leaves nothing half-saved.
    """
    try:
        yield
    except FragmentHandledException:
        raise
    except Exception:
        log.exception("Kesalahan di halaman %s", current_page() or "(router)")
        st.error(PESAN_GALAT, icon=":material/error:")


def demo_database(user: Pengguna | None) -> bool:
    """Tell whether the app runs on a demo database (the user's office, or any office before sign-in)."""
    with new_session(engine()) as session:
        return is_demo(session, user.instansi_id if user else None)


def peran_menu(user: Pengguna) -> str:
    """Return the role `wewenang.HALAMAN` knows this user by (a pemda's admin manages its accounts only)."""
    return peran_halaman(user, instansi_sendiri(user)) if user.peran == ADMIN else user.peran


def _dilihat(offices: list[Instansi]) -> Instansi | None:
    """The office chosen in this session if it is one of `offices`, else the first; remember the answer.

    session_state comes from the browser's session: a choice naming any other office falls back here.
    """
    wanted = st.session_state.get(DILIHAT)
    chosen = next((o for o in offices if o.id == wanted), offices[0] if offices else None)
    st.session_state[DILIHAT] = chosen.id if chosen else None
    return chosen


def _terlihat(user: Pengguna) -> list[Instansi]:
    with new_session(engine()) as session:
        return instansi_terlihat(session, user)


def instansi_sendiri(user: Pengguna) -> Instansi:
    """Return the user's own office (for a kabupaten user: their pemda)."""
    with new_session(engine()) as session:
        return session.get(Instansi, user.instansi_id)


def instansi(user: Pengguna) -> Instansi:
    """Return the office the screens show: the user's own; for a kabupaten user, the one chosen in the sidebar.

    The choice is checked against the offices of the user's pemda on every call, so a page never reads
    an office the user may not see. A pemda with no office yet stops the page with a note.
    """
    if user.peran != KABUPATEN:
        return instansi_sendiri(user)
    office = _dilihat(_terlihat(user))
    if office is None:
        st.info("Belum ada instansi di bawah pemda ini. Admin server menambahkannya dengan "
                "`kinerja instansi add --data FOLDER`.", icon=":material/domain_add:")
        st.stop()
    return office


def _ingat_instansi() -> None:
    st.session_state[DILIHAT] = st.session_state["pilih_instansi"]


def lihat_instansi(office_id: int, page: str = "pages/beranda.py") -> None:
    """Open an office's own screens for a kabupaten user (the choice is checked again on the next run)."""
    st.session_state[DILIHAT] = office_id
    st.switch_page(page)


def pilih_instansi(user: Pengguna) -> Instansi | None:
    """Show a kabupaten user the sidebar selector "Instansi" (the offices of their pemda); return the chosen one."""
    offices = _terlihat(user)
    chosen = _dilihat(offices)
    if chosen is None:
        return None
    nama = {o.id: o.nama for o in offices}
    # The widget shows the checked choice; its own value would be forgotten on pages that do not draw it.
    st.session_state["pilih_instansi"] = chosen.id
    st.sidebar.selectbox("Instansi", list(nama), key="pilih_instansi", format_func=nama.get,
                         on_change=_ingat_instansi, help="Instansi di bawah pemda Anda yang sedang dilihat.")
    return chosen


def pilih_tahun(office: Instansi, key: str = "tahun", draf: bool = False) -> int:
    """Show the year selector (newest first; drafts only for the admin's planning pages)."""
    with new_session(engine()) as session:
        years = list_tahun(session, office.id, draf=draf)
    return st.selectbox("Tahun", years, key=key)


def pilih_triwulan(default: int, key: str = "triwulan", label: str = "Sampai dengan") -> int:
    """Show the triwulan selector (s.d. triwulan, or `label`) and return the chosen one."""
    return st.selectbox(label, [1, 2, 3, 4], index=default - 1, key=key, format_func=nama_triwulan)


def _ingat_cakupan() -> None:
    st.session_state["cakupan_terakhir"] = st.session_state["hanya_disahkan"]


def pilih_cakupan(user: Pengguna) -> bool:
    """Show the sidebar toggle "Hanya angka yang disahkan" to pimpinan, admin and kabupaten; return whether it is on.

    An operator gets no toggle: their screens show what their unit entered. The choice holds on every
    page of the session, and the sidebar says what it means while it is on.
    """
    if user.peran not in (PIMPINAN, ADMIN, KABUPATEN):
        return False
    # Streamlit forgets a widget's value when the next page draws it anew; the choice lives in its own key.
    st.session_state["hanya_disahkan"] = st.session_state.get("cakupan_terakhir", False)
    hanya = st.sidebar.toggle("Hanya angka yang disahkan", key="hanya_disahkan", on_change=_ingat_cakupan,
                              help="Hitung hanya realisasi bulan yang sudah disahkan pimpinan.")
    if hanya:
        st.sidebar.caption(CATATAN_DISAHKAN)
    return hanya


def catatan_cakupan(hanya: bool) -> None:
    """Say under a page's title which figures it shows, when only approved ones are counted."""
    if hanya:
        st.caption(CATATAN_DISAHKAN)


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
