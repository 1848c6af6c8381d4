"""Admin: the office's profile (address, legal basis, tasks, functions, organisation, resources, strategic issues)."""

import streamlit as st

from kinerja.errors import ValidationError
from kinerja.simpan.db import new_session
from kinerja.simpan.profil import LABEL, IsiProfil, load_profil, simpan_profil
from pages._tampil import masalah
from pages._ui import engine, instansi, require

BANTUAN = {
    "alamat": "Alamat kantor, telepon, surel.",
    "dasar_hukum": "Satu peraturan per baris, mis. Peraturan Bupati tentang kedudukan dan tugas kecamatan.",
    "tugas_pokok": "Tugas pokok instansi menurut peraturan pembentukannya.",
    "fungsi": "Satu fungsi per baris.",
    "struktur_organisasi": "Susunan organisasi: pimpinan, sekretariat, seksi dan sub bagian.",
    "sumber_daya": "Pegawai (jumlah menurut golongan/pendidikan) dan sarana prasarana.",
    "isu_strategis": "Isu strategis dalam Renstra, satu per baris.",
}

user = require()
office = instansi(user)
st.title("Profil instansi")
st.caption("Diisi sekali; dicetak sebagai Bab I draf LKjIP (Tabel LKjIP → Unduh draf LKjIP).")
if pesan := st.session_state.pop("profil_pesan", None):
    st.success(pesan)
with new_session(engine()) as session:
    profil = load_profil(session, office.id)

with st.form("profil_form", border=False):
    isian = {k: st.text_area(label, value=getattr(profil, k), help=BANTUAN[k], key=f"profil_{k}",
                             height=68 if k == "alamat" else 140)
             for k, label in LABEL.items()}
    if st.form_submit_button("Simpan profil", key="profil_simpan", type="primary"):
        try:
            changed = simpan_profil(engine(), instansi_id=office.id, isi=IsiProfil(**isian), pengguna=user)
        except ValidationError as e:
            masalah(e.problems)
        else:
            st.session_state["profil_pesan"] = "Profil instansi disimpan." if changed else "Tidak ada perubahan."
            st.rerun()
