"""LKjIP tables for a year s.d. a triwulan: preview, and download as XLSX, DOCX or CSV."""

from datetime import date

import pandas as pd
import streamlit as st

from kinerja.baca import singgahan
from kinerja.baca.ringkasan import latest_triwulan
from kinerja.config import get_settings
from kinerja.dokumen.ekspor import (
    KOLOM_ANGGARAN,
    KOLOM_EFISIENSI,
    Kolom,
    anggaran_dengan_jumlah,
    export_lkjip_csv,
    export_lkjip_docx,
    export_lkjip_xlsx,
    kolom_pengukuran,
    tabel_teks,
)
from kinerja.dokumen.lkjip import build_lkjip
from kinerja.dokumen.lkjip_docx import build_lkjip_docx
from kinerja.dokumen.lkjip_isi import load_isi_lkjip
from kinerja.dokumen.paket import build_paket_sakip
from kinerja.simpan.db import new_session
from kinerja.simpan.models import Instansi
from pages._tampil import BARIS_TINGGI, tinggi
from pages._ui import catatan_cakupan, engine, instansi, pilih_cakupan, pilih_tahun, pilih_triwulan, require

user = require()
office = instansi(user)
c1, c2 = st.columns(2)
with c1:
    tahun = pilih_tahun(office, key="lkjip_tahun")
terhitung = singgahan.muat_tahun(engine(), office.id, tahun, pilih_cakupan(user))  # once per data version
with c2:
    triwulan = pilih_triwulan(latest_triwulan(terhitung.semua.data), key="lkjip_tw")
with st.spinner("Menyusun tabel LKjIP..."):
    hari = date.today()
    laporan = singgahan.bagian(engine(), terhitung, "lkjip", lambda s: build_lkjip(
        s, s.get(Instansi, office.id), tahun, triwulan, hari, terhitung.angka.hanya_disahkan), triwulan, hari)

st.title(f"Tabel LKjIP {laporan.periode}")
catatan_cakupan(laporan.hanya_disahkan)
st.caption(laporan.catatan_versi + (f" Kolom tahun {tahun - 1} terisi dari data tahun lalu." if laporan.ada_tahun_lalu
                                    else " Data tahun lalu belum ada di basis data."))
nama = f"lkjip-{office.kode}-{tahun}-tw{triwulan}"
d1, d2, d3 = st.columns(3)
# Built only when clicked (a callable, run by Streamlit outside the page: it uses nothing but `laporan`).
d1.download_button("Unduh Excel (.xlsx)", lambda: export_lkjip_xlsx(laporan), f"{nama}.xlsx", key="lkjip_xlsx",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", icon=":material/table:")
d2.download_button("Unduh Word (.docx)", lambda: export_lkjip_docx(laporan), f"{nama}.docx", key="lkjip_docx",
                   mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                   icon=":material/description:")
with d3.popover("Unduh CSV", icon=":material/download:"):
    for tabel, data in export_lkjip_csv(laporan).items():
        st.download_button(f"{tabel}.csv", data, f"{nama}-{tabel}.csv", mime="text/csv", key=f"lkjip_csv_{tabel}")


def tampil(judul: str, cols: list[Kolom], rows: list[object], utama: str, key: str) -> None:
    """One LKjIP table: the identifying name pinned and wrapping, the figures next to it, the rest after."""
    if not rows:
        return
    kolom = {c: f"{c.judul} {c.grup}".strip() for c in cols}
    # The percentages and the kategori first (they fit beside the name on a phone), then the other figures.
    persen = [kolom[c] for c in cols if c.jenis == "persen" or c.judul == "Kategori"]
    angka = persen + [kolom[c] for c in cols if c.jenis in ("angka", "rupiah") and kolom[c] not in persen]
    teks = [kolom[c] for c in cols if kolom[c] not in angka and c.judul != utama]
    config = {kolom[c]: st.column_config.TextColumn(
        kolom[c], pinned=c.judul == utama, width=150 if c.judul == utama else max(48, min(220, c.lebar * 6))
        if c.jenis == "text" else max(76, min(130, len(kolom[c]) * 7))) for c in cols}
    st.markdown(f"**{judul}**")
    st.dataframe(pd.DataFrame(tabel_teks(cols, rows)), hide_index=True, placeholder="–", width="stretch",
                 column_order=[utama, *angka, *teks], column_config=config, row_height=BARIS_TINGGI,
                 height=tinggi(len(rows)), key=key)


st.header("Pengukuran Kinerja")
cols = kolom_pengukuran(laporan)
for i, table in enumerate(laporan.unit):
    tampil(table.unit_nama, cols, table.baris, "Indikator Kinerja", f"lkjip_pengukuran_{i}")
st.header("Realisasi Anggaran")
tampil(laporan.periode, KOLOM_ANGGARAN, anggaran_dengan_jumlah(laporan), "Program / Kegiatan / Sub Kegiatan",
       "lkjip_anggaran")
st.header("Efisiensi: capaian kinerja dan penyerapan anggaran")
tampil(laporan.periode, KOLOM_EFISIENSI, laporan.efisiensi, "Program / Kegiatan", "lkjip_efisiensi")

# --- the LKjIP draft and the evidence pack: built only when clicked (a callable), they take a while ---
st.header("Draf LKjIP dan paket bukti dukung")
_eng, _office_id, _tahun, _tw, _hanya = engine(), office.id, tahun, triwulan, laporan.hanya_disahkan


def _draf_lkjip() -> bytes:
    with new_session(_eng) as s:
        return build_lkjip_docx(load_isi_lkjip(s, s.get(Instansi, _office_id), _tahun, _tw, date.today(), _hanya))


def _paket_sakip() -> bytes:
    return build_paket_sakip(_eng, instansi_id=_office_id, tahun=_tahun, folder_bukti=get_settings().bukti_dir,
                             dicetak=date.today(), pengguna=user, hanya_disahkan=_hanya)


p1, p2 = st.columns(2)
p1.download_button("Unduh draf LKjIP (.docx)", _draf_lkjip, f"draf-{nama}.docx", key="lkjip_draf",
                   mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                   icon=":material/article:", help="Bab I-IV, tabel bernomor dan narasi yang dapat disunting di Word.")
p2.download_button("Unduh paket bukti dukung SAKIP (.zip)", _paket_sakip, f"paket-sakip-{office.kode}-{tahun}.zip",
                   key="lkjip_paket", mime="application/zip", icon=":material/folder_zip:",
                   help="Satu folder per kriteria Pengukuran Kinerja, dengan indeks; disusun saat diklik (± 1 menit).")
