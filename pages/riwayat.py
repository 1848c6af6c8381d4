"""Admin: the audit trail — who changed which realisation, target, pagu, version or user, when, from what to what."""

import streamlit as st

from kinerja.db import new_session
from kinerja.jejak import TABEL_LABEL, list_riwayat
from pages._ui import engine, instansi, require

user = require("admin")
office = instansi(user)
st.title("Riwayat perubahan")
st.caption(f"Setiap perubahan tercatat dan tidak dapat diubah: siapa, kapan, nilai sebelum dan sesudah. "
           f"Waktu menurut zona {office.zona_waktu}. Menampilkan 500 perubahan terakhir.")
pilihan = {"": "Semua", **TABEL_LABEL}
tabel = st.selectbox("Jenis data", list(pilihan), format_func=pilihan.get, key="riwayat_tabel")
with new_session(engine()) as session:
    rows = list_riwayat(session, office, tabel or None)
if not rows:
    st.info("Belum ada perubahan yang tercatat.")
    st.stop()
st.dataframe(
    [{"Waktu": r.waktu, "Pengguna": r.pengguna, "Data": r.data, "Item": r.item, "Aksi": r.aksi,
      "Sebelum": r.sebelum, "Sesudah": r.sesudah, "Alasan": r.alasan} for r in rows],
    hide_index=True, width="stretch", placeholder="–",
)
