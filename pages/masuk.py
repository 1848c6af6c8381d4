"""Sign in with username and password; too many failures lock the account, or this browser, for a while."""

import streamlit as st

from kinerja.demo import AKUN_DEMO
from kinerja.simpan.auth import PERAN_LABEL, masuk
from pages._ui import alamat_klien, demo_database, engine, sign_in

st.title("Masuk ke Kinerja")
st.caption("Pengukuran Perjanjian Kinerja, realisasi dan capaian.")
if st.session_state.pop("sesi_berakhir", False):
    st.info("Sesi Anda telah berakhir (keluar di tab lain, lama tidak ada aktivitas, atau akun diubah admin). "
            "Silakan masuk kembali.", icon=":material/schedule:")

with st.form("masuk"):
    username = st.text_input("Nama pengguna", key="masuk_username")
    password = st.text_input("Kata sandi", type="password", key="masuk_password")
    submitted = st.form_submit_button("Masuk", type="primary")

if demo_database(None):
    # Only on a demo database: its made-up accounts, so a trainee can open the Camat's and the operator's views.
    st.info("**Akun demo** — data contoh, bukan data sebenarnya. Masuk dengan salah satu akun berikut "
            "(mis. Camat di satu jendela dan operator di jendela lain):", icon=":material/science:")
    st.dataframe([{"Peran": PERAN_LABEL[a.peran], "Nama": a.nama, "Nama pengguna": a.username,
                   "Kata sandi": a.password, "Untuk": a.keterangan} for a in AKUN_DEMO],
                 hide_index=True, width="stretch", key="masuk_akun_demo")

if submitted:
    hasil = masuk(engine(), username=username, password=password, alamat=alamat_klien())
    if hasil.pengguna is None:
        st.error(hasil.pesan)
    else:
        sign_in(hasil.pengguna)
        st.rerun()
