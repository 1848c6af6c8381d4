"""Sign in with username and password."""

import streamlit as st

from kinerja.auth import authenticate
from pages._ui import engine, sign_in

st.title("Masuk ke Kinerja")
st.caption("Pengukuran Perjanjian Kinerja, realisasi dan capaian.")

with st.form("masuk"):
    username = st.text_input("Nama pengguna", key="masuk_username")
    password = st.text_input("Kata sandi", type="password", key="masuk_password")
    submitted = st.form_submit_button("Masuk", type="primary")

if submitted:
    user = authenticate(engine(), username, password)
    if user is None:
        st.error("Nama pengguna atau kata sandi salah, atau akun tidak aktif.")
    else:
        sign_in(user)
        st.rerun()
