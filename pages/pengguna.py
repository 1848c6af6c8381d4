"""Admin: users — create, set role and unit, reset password, deactivate (a pemda's admin: its kabupaten accounts)."""

import streamlit as st

from kinerja.errors import ValidationError
from kinerja.simpan.auth import (
    ATURAN_USERNAME,
    MIN_PASSWORD,
    PERAN_LABEL,
    check_password,
    create_user,
    list_users,
    reset_password,
    update_user,
)
from kinerja.simpan.db import new_session
from kinerja.simpan.queries import list_units
from kinerja.simpan.wewenang import KABUPATEN, PERAN_INSTANSI, PERAN_PEMDA
from pages._tampil import masalah
from pages._ui import engine, instansi, require

# A new account starts with the least privilege: a pimpinan (in a pemda: a kabupaten user) only reads.
PERAN_BAWAAN = "pimpinan"
FORM_BARU = ("baru_nama", "baru_username", "baru_password")
BANTUAN_PERAN = "Pimpinan hanya melihat; operator mengisi realisasi unitnya; admin mengelola semuanya."
BANTUAN_PERAN_PEMDA = ("Kabupaten (Bupati, Sekda, Bappeda, Inspektorat) melihat semua instansi di bawah pemda tanpa "
                       "mengubah apa pun; admin pemda mengelola akun pemda.")

user = require()
office = instansi(user)
pemda = office.jenis == "pemda"
# A pemda has no units: its admin makes kabupaten accounts (Bupati, Sekda, Bappeda, Inspektorat) and admins.
peran_pilihan = PERAN_PEMDA if pemda else PERAN_INSTANSI
peran_bawaan = KABUPATEN if pemda else PERAN_BAWAAN
with new_session(engine()) as session:
    units = list_units(session, office.id)
unit_nama = {u.id: u.nama for u in units}
users = list_users(engine(), office.id)

st.title("Pengguna")
st.dataframe(
    [{"Nama pengguna": u.username, "Nama": u.nama, "Peran": PERAN_LABEL[u.peran],
      "Unit": unit_nama.get(u.unit_id, "–"), "Status": "aktif" if u.aktif else "nonaktif"} for u in users],
    hide_index=True, placeholder="–", width="stretch",
)
if msg := st.session_state.pop("pengguna_pesan", None):
    st.success(msg)
for key in st.session_state.pop("pengguna_kosongkan", ()):
    # Set (not delete) the values before the widgets exist, so the browser empties its fields too.
    st.session_state[key] = ""

baru, ubah = st.tabs(["Tambah pengguna", "Ubah / reset kata sandi"])
with baru, st.form("pengguna_baru", clear_on_submit=False):
    nama = st.text_input("Nama lengkap", key="baru_nama")
    username = st.text_input("Nama pengguna", key="baru_username", help=ATURAN_USERNAME)
    peran = st.selectbox("Peran", peran_pilihan, index=peran_pilihan.index(peran_bawaan), format_func=PERAN_LABEL.get,
                         key="baru_peran", help=BANTUAN_PERAN_PEMDA if pemda else BANTUAN_PERAN)
    unit = None if pemda else st.selectbox(
        "Unit (wajib untuk operator)", [None, *units], key="baru_unit",
        format_func=lambda u: "–" if u is None else u.nama,
        help="Operator mengisi realisasi unit ini. Untuk pimpinan (mis. Kasi): unit yang dipimpinnya.")
    password = st.text_input(f"Kata sandi awal (minimal {MIN_PASSWORD} karakter)", type="password",
                             key="baru_password")
    if st.form_submit_button("Tambah", type="primary"):
        try:
            created = create_user(engine(), instansi_id=office.id, username=username, nama=nama, password=password,
                                  peran=peran, unit_id=unit.id if unit else None, pengguna=user)
        except ValidationError as e:
            masalah(e.problems)
        else:
            st.session_state["pengguna_pesan"] = f"Pengguna {created.username} dibuat."
            st.session_state["pengguna_kosongkan"] = FORM_BARU
            st.rerun()

with ubah:
    target = st.selectbox("Pengguna", users, format_func=lambda u: f"{u.username} ({u.nama})", key="ubah_pengguna")
    with st.form("pengguna_ubah"):
        nama = st.text_input("Nama lengkap", value=target.nama, key=f"ubah_nama_{target.id}")
        pilihan_peran = peran_pilihan if target.peran in peran_pilihan else (*peran_pilihan, target.peran)
        peran = st.selectbox("Peran", pilihan_peran, index=pilihan_peran.index(target.peran),
                             format_func=PERAN_LABEL.get, key=f"ubah_peran_{target.id}")
        pilihan = [None, *[u.id for u in units]]
        unit_id = None if pemda else st.selectbox(
            "Unit", pilihan, index=pilihan.index(target.unit_id), key=f"ubah_unit_{target.id}",
            format_func=lambda i: "–" if i is None else unit_nama[i])
        aktif = st.checkbox("Aktif", value=target.aktif, key=f"ubah_aktif_{target.id}")
        password = st.text_input("Kata sandi baru (kosongkan bila tidak diganti)", type="password",
                                 key=f"ubah_password_{target.id}")
        st.caption("Mengganti peran, unit atau kata sandi, atau menonaktifkan akun, mengeluarkan pengguna itu "
                   "dari semua peramban.")
        if st.form_submit_button("Simpan perubahan", type="primary"):
            try:
                if password and (problems := check_password(password)):
                    raise ValidationError(problems)  # before anything is saved
                update_user(engine(), user_id=target.id, peran=peran, unit_id=unit_id, aktif=aktif, nama=nama,
                            pengguna=user)
                if password:
                    reset_password(engine(), user_id=target.id, password=password, pengguna=user)
            except ValidationError as e:
                masalah(e.problems)
            else:
                st.session_state["pengguna_pesan"] = f"Pengguna {target.username} diperbarui."
                st.session_state["pengguna_kosongkan"] = (f"ubah_password_{target.id}",)
                st.rerun()
