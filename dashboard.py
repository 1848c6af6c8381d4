"""Kinerja: the router. Builds the page list from the signed-in user's role on every run."""

import streamlit as st

from kinerja.auth import PERAN_LABEL, count_users
from pages._ui import current_user, engine, instansi

st.set_page_config(page_title="Kinerja", page_icon="📊", layout="wide")

AKUN = [st.Page("pages/masuk.py", title="Masuk", icon="🔑")]
PERTAMA = [st.Page("pages/admin_pertama.py", title="Buat admin pertama", icon="🛠️")]
PIMPINAN = [
    st.Page("pages/beranda.py", title="Beranda", icon="🏠"),
    st.Page("pages/capaian.py", title="Capaian indikator", icon="🎯"),
    st.Page("pages/unit.py", title="Per unit & indikator", icon="🗂️"),
    st.Page("pages/anggaran.py", title="Anggaran", icon="💰"),
]
ISIAN = [
    st.Page("pages/isi_realisasi.py", title="Isi realisasi", icon="✍️"),
    st.Page("pages/isi_anggaran.py", title="Isi realisasi anggaran", icon="🧾"),
]
ADMIN = [
    st.Page("pages/pengguna.py", title="Pengguna", icon="👥"),
    st.Page("pages/target.py", title="Target & rencana aksi", icon="📐"),
    st.Page("pages/revisi.py", title="PK Perubahan", icon="📝"),
    st.Page("pages/ikm.py", title="Survei IKM", icon="🙂"),
    st.Page("pages/akip.py", title="Nilai AKIP", icon="🏅"),
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

if user is not None:
    office = instansi(user)
    if office.demo:
        st.warning("**DEMO** — data contoh untuk mencoba dan melatih; bukan data sebenarnya.", icon="🧪")
    with st.sidebar:
        st.markdown(f"**{office.nama}**  \n{user.nama} · {PERAN_LABEL[user.peran]}")
        if st.button("Keluar", key="keluar", icon="🚪", width="stretch"):
            st.session_state.clear()
            st.rerun()

st.navigation(pages).run()
