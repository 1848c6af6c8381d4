"""Akun saya: who is signed in, and changing one's own password (every role)."""

import streamlit as st

from kinerja.errors import ValidationError
from kinerja.simpan.auth import ATURAN_SANDI, MIN_PASSWORD, PERAN_LABEL, ganti_sandi_sendiri
from pages._tampil import masalah, teks_polos
from pages._ui import alamat_klien, engine, require

FORM = ("akun_lama", "akun_baru", "akun_ulang")

user = require()
st.title("Akun saya")
st.markdown(f"**{teks_polos(user.nama)}** · `{user.username}` · {PERAN_LABEL[user.peran]}")
if msg := st.session_state.pop("akun_pesan", None):
    st.success(msg)
for key in st.session_state.pop("akun_kosongkan", ()):
    st.session_state[key] = ""  # set before the widgets exist, so the browser empties its fields too

st.subheader("Ganti kata sandi")
with st.form("ganti_sandi"):
    lama = st.text_input("Kata sandi sekarang", type="password", key="akun_lama")
    baru = st.text_input(f"Kata sandi baru (minimal {MIN_PASSWORD} karakter)", type="password", key="akun_baru",
                         help=ATURAN_SANDI)
    ulang = st.text_input("Ulangi kata sandi baru", type="password", key="akun_ulang")
    st.caption("Peramban lain yang masuk dengan akun ini akan dikeluarkan; peramban ini tetap masuk.")
    if st.form_submit_button("Ganti kata sandi", type="primary"):
        if baru != ulang:
            st.error("Kedua kata sandi baru tidak sama.")
        else:
            try:
                ganti_sandi_sendiri(engine(), pengguna=user, lama=lama, baru=baru,
                                    token=st.session_state.get("sesi"), alamat=alamat_klien())
            except ValidationError as e:
                masalah(e.problems)
            else:
                st.session_state["akun_pesan"] = "Kata sandi diganti. Peramban lain dengan akun ini sudah dikeluarkan."
                st.session_state["akun_kosongkan"] = FORM
                st.rerun()
