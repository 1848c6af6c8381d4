"""Evaluasi triwulan: the Evaluasi Renja preview, and the quarterly documents to download."""

from collections.abc import Callable

import pandas as pd
import streamlit as st

from kinerja.aturan.format import format_persen, nama_triwulan
from kinerja.baca import singgahan
from kinerja.baca.renja import build_evaluasi_renja
from kinerja.baca.ringkasan import latest_triwulan
from kinerja.dokumen.laporan_triwulan import build_laporan_triwulan_docx
from kinerja.dokumen.manual_iku import build_manual_iku_docx, build_manual_iku_xlsx
from kinerja.dokumen.renja import baris_penutup, build_renja_docx, build_renja_xlsx, pratinjau_renja
from kinerja.simpan.db import new_session
from kinerja.simpan.models import Instansi
from pages._tampil import BARIS_TINGGI, tinggi
from pages._ui import catatan_cakupan, engine, instansi, pilih_cakupan, pilih_tahun, pilih_triwulan, require

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

user = require()
office = instansi(user)
eng = engine()
hanya = pilih_cakupan(user)


def berkas(build: Callable[..., bytes], *args: object) -> Callable[[], bytes]:
    """Build a file only when its button is clicked (Streamlit runs this on another thread, outside the page)."""
    def make() -> bytes:
        with new_session(eng) as session:
            return build(session, session.get(Instansi, office.id), *args)
    return make


c1, c2, c3 = st.columns([1, 1, 2])
with c1:
    tahun = pilih_tahun(office, key="eval_tahun")
terhitung = singgahan.muat_tahun(eng, office.id, tahun, hanya)  # once per data version
with c2:
    triwulan = pilih_triwulan(latest_triwulan(terhitung.semua.data), key="eval_tw")
# the units with rows in the year's agreement, in the office's order
units = {u.kode: u.nama for u in sorted({b.unit.kode: b.unit for b in terhitung.semua.baris}.values(),
                                        key=lambda u: u.urutan)}
with st.spinner("Menyusun Evaluasi Renja..."):
    ev = singgahan.bagian(eng, terhitung, "evaluasi_renja", lambda s: build_evaluasi_renja(
        s, s.get(Instansi, office.id), tahun, triwulan, hanya), triwulan)
with c3:
    unit = st.selectbox("Unit (laporan triwulan)", list(units), format_func=units.get, key="eval_unit")

st.title(f"Evaluasi Renja {nama_triwulan(triwulan)} {tahun}")
catatan_cakupan(hanya)
st.caption(f"Permendagri 86/2017; target menurut {ev.versi_nama}. K = kinerja, Rp = anggaran; tingkat capaian "
           "terhadap target tahunan Renja. Berkas disusun saat tombol unduhan diklik.")
nama = f"{office.kode}-{tahun}-tw{triwulan}"
d1, d2 = st.columns(2)
d3, d4, d5 = st.columns(3)
d1.download_button("Evaluasi Renja (.xlsx)", berkas(build_renja_xlsx, tahun, triwulan, hanya),
                   f"evaluasi-renja-{nama}.xlsx", mime=XLSX, key="eval_renja_xlsx", icon=":material/table:")
d2.download_button("Evaluasi Renja (.docx)", berkas(build_renja_docx, tahun, triwulan, hanya),
                   f"evaluasi-renja-{nama}.docx", mime=DOCX, key="eval_renja_docx", icon=":material/description:")
d3.download_button(f"Laporan triwulan {unit}", berkas(build_laporan_triwulan_docx, tahun, triwulan, unit, hanya),
                   f"laporan-triwulan-{nama}-{unit}.docx", mime=DOCX, key="eval_lap_unit",
                   icon=":material/person:")
d4.download_button("Laporan triwulan kecamatan", berkas(build_laporan_triwulan_docx, tahun, triwulan, None, hanya),
                   f"laporan-triwulan-{nama}.docx", mime=DOCX, key="eval_lap_kantor", icon=":material/apartment:")
with d5.popover("Manual IKU", icon=":material/menu_book:"):
    st.download_button("Word (.docx)", berkas(build_manual_iku_docx, tahun), f"manual-iku-{office.kode}-{tahun}.docx",
                       mime=DOCX, key="eval_iku_docx")
    st.download_button("Excel (.xlsx)", berkas(build_manual_iku_xlsx, tahun), f"manual-iku-{office.kode}-{tahun}.xlsx",
                       mime=XLSX, key="eval_iku_xlsx")

m1, m2, m3 = st.columns(3)
m1.metric("Rata-rata capaian kinerja", format_persen(ev.penutup.rata_rata_kinerja) or "–")
m2.metric("Rata-rata capaian anggaran", format_persen(ev.penutup.rata_rata_anggaran) or "–")
m3.metric("Predikat kinerja", ev.penutup.predikat or "–")
rows = pratinjau_renja(ev)
st.dataframe(pd.DataFrame(rows), hide_index=True, placeholder="–", width="stretch", row_height=BARIS_TINGGI,
             height=tinggi(len(rows)), key="eval_tabel",
             column_config={"Program / Kegiatan / Sub Kegiatan": st.column_config.TextColumn(width=200, pinned=True),
                            "Indikator": st.column_config.TextColumn(width=200),
                            "Unit": st.column_config.TextColumn(width=160),
                            "Keterangan": st.column_config.TextColumn(width="large")})
with st.expander("Faktor pendorong, penghambat dan tindak lanjut (dari analisis triwulan)"):
    for label, isi in baris_penutup(ev)[3:]:
        st.markdown(f"**{label}**")
        st.text(isi or "Belum diisi.")

