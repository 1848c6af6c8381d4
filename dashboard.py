"""Kinerja: the router. Offers the signed-in user exactly the pages `wewenang.HALAMAN` gives their role."""

import streamlit as st

from kinerja.simpan.auth import PERAN_LABEL, count_users
from kinerja.simpan.wewenang import KABUPATEN, boleh_buka
from pages._tampil import gaya_indonesia, teks_polos
from pages._ui import (
    HANYA_BACA,
    current_user,
    demo_database,
    engine,
    instansi_sendiri,
    peran_menu,
    pilih_instansi,
    sign_out,
    tangani_galat,
    write_cookie,
)

# An emoji favicon is drawn in the browser; a :material/...: one is fetched from fonts.gstatic.com on every run.
st.set_page_config(page_title="Kinerja", page_icon="📊", layout="wide")

AKUN = ("pages/masuk.py", "Masuk", ":material/login:")
PERTAMA = ("pages/admin_pertama.py", "Buat admin pertama", ":material/admin_panel_settings:")
# The menu: sections, titles and icons. Which role sees which page is HALAMAN's alone.
MENU = {
    # First: a pemda's kabupaten users land on the comparison of its offices.
    "Kabupaten": [
        ("pages/kabupaten.py", "Perbandingan instansi", ":material/leaderboard:"),
    ],
    "Pimpinan": [
        ("pages/beranda.py", "Beranda", ":material/home:"),
        ("pages/capaian.py", "Capaian indikator", ":material/target:"),
        ("pages/unit.py", "Per unit & indikator", ":material/account_tree:"),
        ("pages/anggaran.py", "Anggaran", ":material/payments:"),
        ("pages/laporan.py", "Tabel LKjIP", ":material/summarize:"),
        ("pages/evaluasi.py", "Evaluasi triwulan", ":material/assignment:"),
        ("pages/verifikasi.py", "Verifikasi", ":material/fact_check:"),
    ],
    "Isian": [
        ("pages/isi_realisasi.py", "Isi realisasi", ":material/edit_note:"),
        ("pages/isi_anggaran.py", "Isi realisasi anggaran", ":material/receipt_long:"),
        ("pages/analisis.py", "Analisis triwulan", ":material/psychology:"),
        ("pages/kinerja_unit.py", "Kinerja unit saya", ":material/insights:"),
    ],
    "Admin": [
        ("pages/pengguna.py", "Pengguna", ":material/group:"),
        ("pages/target.py", "Target & rencana aksi", ":material/tune:"),
        ("pages/pagu.py", "Pagu anggaran", ":material/account_balance:"),
        ("pages/revisi.py", "Versi & tahun baru", ":material/history_edu:"),
        ("pages/ikm.py", "Survei IKM", ":material/sentiment_satisfied:"),
        ("pages/akip.py", "Nilai AKIP", ":material/workspace_premium:"),
        ("pages/renstra.py", "Renstra & riwayat", ":material/timeline:"),
        ("pages/riwayat.py", "Riwayat perubahan", ":material/manage_history:"),
        ("pages/jadwal.py", "Jadwal & kunci isian", ":material/event_available:"),
        ("pages/profil.py", "Profil instansi", ":material/apartment:"),
    ],
    "Akun": [
        ("pages/akun.py", "Akun saya", ":material/account_circle:"),
    ],
}


def _page(file: str, title: str, icon: str) -> st.Page:
    return st.Page(file, title=title, icon=icon)


with tangani_galat():
    user = current_user()
    if user is None:
        pages = {"": [_page(*(PERTAMA if count_users(engine()) == 0 else AKUN))]}
    else:
        peran = peran_menu(user)
        pages = {section: [_page(*p) for p in items if boleh_buka(peran, p[0])] for section, items in MENU.items()}
        pages = {section: items for section, items in pages.items() if items}

    if demo_database(user):
        st.warning("**DEMO** — data contoh untuk mencoba dan melatih; bukan data sebenarnya.",
                   icon=":material/science:")
    if user is not None:
        office = instansi_sendiri(user)
        with st.sidebar:
            kepala = st.empty()
            judul = f"**{teks_polos(office.nama)}**"
            if user.peran == KABUPATEN:  # a pemda's user: the pemda, and the office being read
                dilihat = pilih_instansi(user)
                judul += f" · melihat **{teks_polos(dilihat.nama) if dilihat else '–'}**"
                st.caption(HANYA_BACA)
            kepala.markdown(f"{judul}  \n{teks_polos(user.nama)} · {PERAN_LABEL[user.peran]}")
            if st.button("Keluar", key="keluar", icon=":material/logout:", width="stretch"):
                sign_out()
                st.rerun()

    with st.sidebar:
        write_cookie()
    gaya_indonesia()
    st.navigation(pages, expanded=True).run()
