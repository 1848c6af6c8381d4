"""Monthly entry of a unit's budget realisation per sub-kegiatan, in whole Rupiah."""

import streamlit as st

from kinerja.db import new_session
from kinerja.entri import entries_anggaran_from_grid, grid_anggaran
from kinerja.format import format_rupiah, nama_bulan
from kinerja.realisasi import periksa_realisasi_anggaran, save_realisasi_anggaran
from pages._tampil import kunci_grid, simpan_grid
from pages._ui import engine, instansi, pilih_isian, require

user = require("admin", "operator")
office = instansi(user)
tahun, bulan, unit = pilih_isian(user, office, "ang")

st.title(f"Realisasi anggaran {unit.nama}")
st.caption(f"{nama_bulan(bulan)} {tahun}. Rupiah yang dibelanjakan bulan ini per sub kegiatan, tanpa titik atau "
           "dengan titik ribuan (1.250.000). Kosongkan sel untuk menghapus.")
with new_session(engine()) as session:
    before = grid_anggaran(session, office, tahun, unit.id, bulan)
if before.empty:
    st.info("Unit ini tidak mengelola sub kegiatan.")
    st.stop()

shown = before.assign(pagu=before["pagu"].map(format_rupiah), sebelumnya=before["sebelumnya"].map(format_rupiah))
editor_key = kunci_grid("ang", f"grid_anggaran_{unit.id}_{tahun}_{bulan}")
after = st.data_editor(
    shown, key=editor_key, hide_index=True, width="stretch", num_rows="fixed",
    disabled=["kode", "sub_kegiatan", "pagu", "sebelumnya"],
    column_config={
        "kode": "Kode", "sub_kegiatan": st.column_config.TextColumn("Sub kegiatan", width="large"),
        "pagu": "Pagu", "sebelumnya": "Realisasi s.d. bulan lalu", "realisasi": "Realisasi bulan ini (Rp)",
        "keterangan": "Keterangan",
    },
)
simpan_grid(
    "Simpan", "ang", editor_key, lambda: entries_anggaran_from_grid(before, after, bulan),
    lambda entries, _yakin: save_realisasi_anggaran(engine(), instansi_id=office.id, tahun=tahun, entries=entries,
                                                    pengguna=user),
    lambda n: f"{n} isian anggaran {nama_bulan(bulan)} tersimpan.",
    periksa=lambda entries: periksa_realisasi_anggaran(engine(), instansi_id=office.id, tahun=tahun,
                                                       entries=entries, pengguna=user),
)
