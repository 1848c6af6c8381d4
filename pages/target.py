"""Admin: annual targets and the cumulative Rencana Aksi per triwulan of each indicator."""

import streamlit as st

from kinerja.db import new_session
from kinerja.queries import list_baris
from kinerja.revisi import changes_from_target_grid, save_targets, target_grid
from pages._tampil import simpan_grid
from pages._ui import engine, instansi, pilih_versi, require

user = require("admin")
office = instansi(user)
tahun, versi = pilih_versi(office, "target")
with new_session(engine()) as session:
    before = target_grid(list_baris(session, versi))

st.title(f"Target dan Rencana Aksi {tahun}")
st.caption("Rencana Aksi = target kumulatif s.d. triwulan. Kosongkan TW I-IV untuk memakai nilai bawaan "
           "(jumlah dan anggaran: target × triwulan / 4; lainnya: target tahunan).")
if versi.status == "terbit":
    st.warning("Versi ini sudah terbit. Perubahan target di tengah tahun sebaiknya lewat **PK Perubahan**, "
               "agar capaian yang sudah dilaporkan tidak berubah.")
editor_key = f"grid_target_{versi.id}"
after = st.data_editor(
    before, key=editor_key, hide_index=True, width="stretch", num_rows="fixed",
    disabled=["kode", "indikator", "satuan", "unit", "bawaan"],
    column_config={"kode": "Kode", "indikator": st.column_config.TextColumn("Indikator", width="large"),
                   "satuan": "Satuan", "unit": "Unit", "tahunan": "Target tahunan", "tw1": "s.d. TW I",
                   "tw2": "s.d. TW II", "tw3": "s.d. TW III", "tw4": "s.d. TW IV", "bawaan": "Bawaan TW I-IV"},
)
simpan_grid(
    "Simpan target", "target", editor_key, lambda: changes_from_target_grid(before, after),
    lambda changes: save_targets(engine(), versi_id=versi.id, changes=changes, pengguna=user),
    lambda n: f"{n} target tersimpan.",
)
