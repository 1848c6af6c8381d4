"""Every indicator with target, realisasi and capaian s.d. a triwulan; filter by unit, worst first."""

import streamlit as st

from kinerja.baca import singgahan
from kinerja.baca.ringkasan import indikator_table, latest_triwulan
from pages._tampil import BARIS_TINGGI, KOLOM_CAPAIAN, URUT_CAPAIAN, tabel, tinggi, tw_label
from pages._ui import catatan_cakupan, engine, instansi, pilih_cakupan, pilih_tahun, pilih_triwulan, require

user = require()
office = instansi(user)
c1, c2, c3 = st.columns([1, 1, 2])
with c1:
    tahun = pilih_tahun(office, key="capaian_tahun")
terhitung = singgahan.muat_tahun(engine(), office.id, tahun, pilih_cakupan(user))  # once per data version
with c2:
    triwulan = pilih_triwulan(latest_triwulan(terhitung.semua.data), key="capaian_tw")
capaian = terhitung.capaian(triwulan)
table = indikator_table(capaian, office.batas_cek_capaian)
with c3:
    units = st.multiselect("Unit", list(dict.fromkeys(table["unit_nama"])), key="capaian_unit",
                           placeholder="Semua unit")
if units:
    table = table[table["unit_nama"].isin(units)]

st.title(f"Capaian indikator {tw_label(triwulan)} {tahun}")
catatan_cakupan(capaian.hanya_disahkan)
st.caption(f"{len(table)} baris perjanjian, diurutkan dari capaian terendah; kosong = belum ada realisasi. "
           "Klik judul kolom untuk mengurutkan.")
st.dataframe(
    tabel(table[URUT_CAPAIAN], angka=("target_tahunan", "target_sd_tw", "realisasi_sd_tw"),
          persen=("capaian_sd_tw", "capaian_tahunan")),
    hide_index=True, placeholder="–", width="stretch", column_config=KOLOM_CAPAIAN, row_height=BARIS_TINGGI,
    height=tinggi(len(table)), key="capaian_tabel",
)
