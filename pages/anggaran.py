"""Budget: pagu vs realisasi per program and per unit, and the absorption curve against the Rencana Aksi."""

import streamlit as st

from kinerja.aturan.capaian import bulan_akhir
from kinerja.baca import grafik, singgahan
from kinerja.baca.ringkasan import (
    anggaran_per_unit,
    anggaran_table,
    append_jumlah,
    kurva_penyerapan,
    latest_triwulan,
    penyerapan_total,
)
from pages._tampil import BARIS_TINGGI, tabel, tinggi, tw_label
from pages._ui import catatan_cakupan, engine, instansi, pilih_cakupan, pilih_tahun, pilih_triwulan, require

user = require()
office = instansi(user)
c1, c2 = st.columns(2)
with c1:
    tahun = pilih_tahun(office, key="anggaran_tahun")
data_tahun = singgahan.muat_tahun(engine(), office.id, tahun, pilih_cakupan(user)).angka  # once per data version
with c2:
    triwulan = pilih_triwulan(latest_triwulan(data_tahun.data), key="anggaran_tw")
sd_bulan = bulan_akhir(triwulan)

st.title(f"Anggaran {tahun}")
catatan_cakupan(data_tahun.hanya_disahkan)
realisasi, pagu, serapan = penyerapan_total(data_tahun, sd_bulan)
if serapan is None:
    st.info("Belum ada realisasi anggaran. Operator tiap unit mengisinya di menu **Isi realisasi anggaran**.")
    st.stop()

if (fig := grafik.penyerapan_kumulatif(kurva_penyerapan(data_tahun), tahun)) is not None:
    st.plotly_chart(fig, width="stretch", key="anggaran_kurva")
program = anggaran_table(data_tahun, sd_bulan, "program")
per_unit = anggaran_per_unit(data_tahun, sd_bulan)
if (fig := grafik.penyerapan_per_unit(per_unit, f"{tw_label(triwulan)} {tahun}")) is not None:
    st.plotly_chart(fig, width="stretch", key="anggaran_unit")

# Figures first, the name pinned and wrapping: Sisa stays in view at 1366 px.
kolom = {"kode": st.column_config.TextColumn("Kode", width=70),
         "nama": st.column_config.TextColumn("Program", width=200, pinned=True),
         "unit_nama": st.column_config.TextColumn("Unit", width=200, pinned=True),
         "pagu": st.column_config.Column("Pagu", width=130),
         "realisasi": st.column_config.Column("Realisasi", width=130),
         "penyerapan": st.column_config.Column("Penyerapan", width=95),
         "sisa": st.column_config.Column("Sisa", width=130)}
urutan = ["penyerapan", "realisasi", "sisa", "pagu", "kode"]
st.subheader(f"Per program {tw_label(triwulan)}")
tabel_program = append_jumlah(program.drop(columns=["unit", "unit_nama"]), "nama")
st.dataframe(tabel(tabel_program, rupiah=("pagu", "realisasi", "sisa"), persen=("penyerapan",)),
             hide_index=True, placeholder="–", width="stretch", column_config=kolom, row_height=BARIS_TINGGI,
             column_order=["nama", *urutan], height=tinggi(len(tabel_program)), key="anggaran_program")
st.subheader(f"Per unit {tw_label(triwulan)}")
tabel_unit = append_jumlah(per_unit.drop(columns="unit"), "unit_nama")
st.dataframe(tabel(tabel_unit, rupiah=("pagu", "realisasi", "sisa"), persen=("penyerapan",)),
             hide_index=True, placeholder="–", width="stretch", column_config=kolom, row_height=BARIS_TINGGI,
             column_order=["unit_nama", *urutan[:-1]], height=tinggi(len(tabel_unit)), key="anggaran_unit_tabel")
