"""LKjIP tables for a year s.d. a triwulan: preview, and download as XLSX, DOCX or CSV."""

from datetime import date

import pandas as pd
import streamlit as st

from kinerja.baca.ringkasan import latest_triwulan
from kinerja.dokumen.ekspor import (
    KOLOM_ANGGARAN,
    KOLOM_EFISIENSI,
    anggaran_dengan_jumlah,
    export_lkjip_csv,
    export_lkjip_docx,
    export_lkjip_xlsx,
    kolom_pengukuran,
    tabel_teks,
)
from kinerja.dokumen.lkjip import build_lkjip
from kinerja.simpan.db import new_session
from kinerja.simpan.queries import load_data_tahun
from pages._ui import engine, instansi, pilih_tahun, pilih_triwulan, require

user = require()
office = instansi(user)
c1, c2 = st.columns(2)
with c1:
    tahun = pilih_tahun(office, key="lkjip_tahun")
with new_session(engine()) as session:
    with c2:
        triwulan = pilih_triwulan(latest_triwulan(load_data_tahun(session, office, tahun).data), key="lkjip_tw")
    with st.spinner("Menyusun tabel LKjIP..."):
        laporan = build_lkjip(session, office, tahun, triwulan, date.today())

st.title(f"Tabel LKjIP {laporan.periode}")
st.caption(laporan.catatan_versi + (f" Kolom tahun {tahun - 1} terisi dari data tahun lalu." if laporan.ada_tahun_lalu
                                    else " Data tahun lalu belum ada di basis data."))
nama = f"lkjip-{office.kode}-{tahun}-tw{triwulan}"
d1, d2, d3 = st.columns(3)
d1.download_button("Unduh Excel (.xlsx)", export_lkjip_xlsx(laporan), f"{nama}.xlsx", key="lkjip_xlsx",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", icon=":material/table:")
d2.download_button("Unduh Word (.docx)", export_lkjip_docx(laporan), f"{nama}.docx", key="lkjip_docx",
                   mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                   icon=":material/description:")
with d3.popover("Unduh CSV", icon=":material/download:"):
    for tabel, data in export_lkjip_csv(laporan).items():
        st.download_button(f"{tabel}.csv", data, f"{nama}-{tabel}.csv", mime="text/csv", key=f"lkjip_csv_{tabel}")

cols = kolom_pengukuran(laporan)
for table in laporan.unit:
    with st.expander(f"Pengukuran Kinerja {table.unit_nama}", expanded=table is laporan.unit[0]):
        st.dataframe(pd.DataFrame(tabel_teks(cols, table.baris)), hide_index=True, placeholder="–", width="stretch")
with st.expander("Realisasi Anggaran"):
    st.dataframe(pd.DataFrame(tabel_teks(KOLOM_ANGGARAN, anggaran_dengan_jumlah(laporan))), hide_index=True,
                 placeholder="–", width="stretch")
with st.expander("Efisiensi: capaian kinerja dan penyerapan anggaran"):
    st.dataframe(pd.DataFrame(tabel_teks(KOLOM_EFISIENSI, laporan.efisiensi)), hide_index=True, placeholder="–",
                 width="stretch")
