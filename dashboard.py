"""Kinerja: the router. Builds the page list from the signed-in user's role on every run."""

import streamlit as st

from kinerja.auth import PERAN_LABEL, count_users
from pages._ui import current_user, demo_database, engine, instansi, sign_out, write_cookie

st.set_page_config(page_title="Kinerja", page_icon=":material/monitoring:", layout="wide")

AKUN = [st.Page("pages/masuk.py", title="Masuk", icon=":material/login:")]
PERTAMA = [st.Page("pages/admin_pertama.py", title="Buat admin pertama", icon=":material/admin_panel_settings:")]
PIMPINAN = [
    st.Page("pages/beranda.py", title="Beranda", icon=":material/home:"),
    st.Page("pages/capaian.py", title="Capaian indikator", icon=":material/target:"),
    st.Page("pages/unit.py", title="Per unit & indikator", icon=":material/account_tree:"),
    st.Page("pages/anggaran.py", title="Anggaran", icon=":material/payments:"),
    st.Page("pages/laporan.py", title="Tabel LKjIP", icon=":material/summarize:"),
]
ISIAN = [
    st.Page("pages/isi_realisasi.py", title="Isi realisasi", icon=":material/edit_note:"),
    st.Page("pages/isi_anggaran.py", title="Isi realisasi anggaran", icon=":material/receipt_long:"),
]
ADMIN = [
    st.Page("pages/pengguna.py", title="Pengguna", icon=":material/group:"),
    st.Page("pages/target.py", title="Target & rencana aksi", icon=":material/tune:"),
    st.Page("pages/pagu.py", title="Pagu anggaran", icon=":material/account_balance:"),
    st.Page("pages/revisi.py", title="Versi & tahun baru", icon=":material/history_edu:"),
    st.Page("pages/ikm.py", title="Survei IKM", icon=":material/sentiment_satisfied:"),
    st.Page("pages/akip.py", title="Nilai AKIP", icon=":material/workspace_premium:"),
    st.Page("pages/riwayat.py", title="Riwayat perubahan", icon=":material/manage_history:"),
]

user = current_user()
if user is None:
    pages = {"": PERTAMA if count_users(engine()) == 0 else AKUN}
elif user.peran == "admin":
    pages = {"Pimpinan": PIMPINAN, "Isian": ISIAN, "Admin": ADMIN}
elif user.peran == "pimpinan":
    pages = {"Pimpinan": PIMPINAN}
else:
    pages = {"Isian": ISIAN}

if demo_database(user):
    st.warning("**DEMO** — data contoh untuk mencoba dan melatih; bukan data sebenarnya.", icon=":material/science:")
if user is not None:
    office = instansi(user)
    with st.sidebar:
        st.markdown(f"**{office.nama}**  \n{user.nama} · {PERAN_LABEL[user.peran]}")
        if st.button("Keluar", key="keluar", icon=":material/logout:", width="stretch"):
            sign_out()
            st.rerun()

with st.sidebar:
    write_cookie()
st.navigation(pages, expanded=True).run()
