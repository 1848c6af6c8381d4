"""First run: create the first admin. Shown only while the database has no users."""

import streamlit as st

from kinerja.errors import ValidationError
from kinerja.simpan.auth import ATURAN_USERNAME, MIN_PASSWORD, count_users, create_first_admin
from kinerja.simpan.db import new_session
from kinerja.simpan.queries import list_instansi
from pages._ui import engine, sign_in

if count_users(engine()) > 0:
    st.info("Admin sudah ada. Silakan masuk.")
    st.stop()

st.title("Selamat datang di Kinerja")
st.write(
    "Belum ada pengguna. Buat akun **admin** pertama (biasanya Kasubag Perencanaan). "
    "Admin kemudian membuat akun pimpinan dan operator tiap seksi."
)
with new_session(engine()) as session:
    offices = list_instansi(session)
with st.form("admin_pertama"):
    office = st.selectbox("Instansi", offices, format_func=lambda o: o.nama, key="pertama_instansi")
    nama = st.text_input("Nama lengkap", key="pertama_nama")
    username = st.text_input("Nama pengguna", key="pertama_username", help=ATURAN_USERNAME)
    password = st.text_input(f"Kata sandi (minimal {MIN_PASSWORD} karakter)", type="password", key="pertama_password")
    ulang = st.text_input("Ulangi kata sandi", type="password", key="pertama_ulang")
    submitted = st.form_submit_button("Buat admin", type="primary")

if submitted:
    if password != ulang:
        st.error("Kedua kata sandi tidak sama.")
    else:
        try:
            user = create_first_admin(engine(), instansi_id=office.id, username=username, nama=nama,
                                      password=password)
        except ValidationError as e:
            st.error("\n".join(f"- {p}" for p in e.problems))
        else:
            sign_in(user)
            st.rerun()
