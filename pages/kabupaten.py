"""Perbandingan instansi: every office of the user's pemda side by side s.d. a triwulan, sortable."""

from collections.abc import Callable

import pandas as pd
import streamlit as st

from kinerja.baca import grafik
from kinerja.baca.grafik import WARNA_KATEGORI
from kinerja.baca.kabupaten import KOLOM_KATEGORI, bandingkan_tersimpan, tahun_tersedia, triwulan_terakhir
from kinerja.simpan.db import new_session
from kinerja.simpan.wewenang import instansi_terlihat
from pages._tampil import BARIS_TINGGI, KEPALA, tabel, tinggi, tw_label, warna_persen
from pages._ui import catatan_cakupan, engine, instansi_sendiri, pilih_cakupan, pilih_triwulan, require

# The figures a reader compares first, then the kategori counts, then the money and the notes.
KOLOM = {
    "instansi": st.column_config.TextColumn("Instansi", width=170, pinned=True),
    "capaian": st.column_config.Column("Capaian (%)", width=90),
    "kategori": st.column_config.TextColumn("Kategori", width=105),
    "kelengkapan": st.column_config.Column("Kelengkapan (%)", width=115,
                                           help="Bulan unit yang sudah diajukan dari semua bulan unit s.d. triwulan"),
    "penyerapan": st.column_config.Column("Penyerapan (%)", width=110, help="Realisasi anggaran dibagi pagu"),
    "ikm": st.column_config.Column("IKM", width=60), "mutu_ikm": st.column_config.TextColumn("Mutu IKM", width=110),
    "akip": st.column_config.Column("Nilai AKIP", width=75),
    "predikat_akip": st.column_config.TextColumn("Predikat AKIP", width=130),
    **{kolom: st.column_config.Column(nama, width=100) for nama, kolom in KOLOM_KATEGORI.items()},
    "belum_ada": st.column_config.Column("Belum ada data", width=105),
    "indikator": st.column_config.Column("Indikator sasaran", width=120),
    "realisasi_anggaran": st.column_config.Column("Realisasi anggaran", width=140),
    "pagu": st.column_config.Column("Pagu", width=140),
    "jenis": st.column_config.TextColumn("Jenis", width=90),
    "keterangan": st.column_config.TextColumn("Keterangan", width=300),
}
# On a phone the pinned name, the sasaran's number and its capaian fit; the sasaran's text scrolls.
KOLOM_SASARAN = {
    "instansi": st.column_config.TextColumn("Instansi", width=150, pinned=True),
    "no": st.column_config.Column("No", width=40), "capaian": KOLOM["capaian"], "kategori": KOLOM["kategori"],
    "sasaran": st.column_config.TextColumn("Sasaran strategis", width=380),
    "indikator": st.column_config.Column("Indikator", width=75),
}


def warna_kategori(kategori: pd.Series) -> list[str]:
    """Colour each row's capaian with its kategori's colour, as the kategori column is."""
    return [f"color: {WARNA_KATEGORI.get(k, '#333')}; font-weight: 600" for k in kategori]


def warna_jumlah(nama: str) -> Callable[[object], str]:
    """Colour a kategori count with the kategori's colour; a zero stays grey."""
    return lambda v: f"color: {WARNA_KATEGORI[nama]}; font-weight: 600" if pd.notna(v) and v else "color: #9e9e9e"


user = require()
pemda = instansi_sendiri(user)
hanya = pilih_cakupan(user)
judul = st.empty()
with new_session(engine()) as session:
    offices = instansi_terlihat(session, user)
    years = tahun_tersedia(session, offices)
if not years:
    judul.title(f"Perbandingan instansi {pemda.nama}")
    st.info("Belum ada instansi di bawah pemda ini dengan perjanjian kinerja yang terbit.")
    st.stop()
kiri, kanan = st.columns(2)
tahun = kiri.selectbox("Tahun", years, key="kabupaten_tahun")
with new_session(engine()) as session, kanan:
    triwulan = pilih_triwulan(triwulan_terakhir(session, offices, tahun), key="kabupaten_triwulan")
with st.spinner("Menghitung capaian tiap instansi..."):
    # Each office's figures are computed once per data version: a rerun reads only the versions.
    hasil = bandingkan_tersimpan(engine(), offices, tahun, triwulan, hanya)

judul.title(f"Perbandingan instansi {pemda.nama} {tahun}")
periode = f"{tw_label(triwulan)} {tahun}"
st.caption(f"{len(offices)} instansi · capaian {periode} · target sesuai Rencana Aksi tiap instansi")
catatan_cakupan(hanya)

per_instansi = hasil.instansi[list(KOLOM)].assign(jenis=lambda df: df["jenis"].str.capitalize())
gaya = tabel(per_instansi, angka=("ikm", "akip"), persen=("capaian", "kelengkapan", "penyerapan"),
             rupiah=("realisasi_anggaran", "pagu"))
gaya = gaya.apply(lambda _: warna_kategori(per_instansi["kategori"]), subset=["capaian"])
for nama, kolom in KOLOM_KATEGORI.items():
    gaya = gaya.map(warna_jumlah(nama), subset=[kolom])
gaya = gaya.map(warna_persen, subset=["kelengkapan"])
st.dataframe(gaya, hide_index=True, width="stretch", placeholder="–", column_config=KOLOM,
             height=tinggi(len(per_instansi), 35), key="kabupaten_instansi")
st.caption(
    "Klik judul kolom untuk mengurutkan. **Capaian**: rata-rata capaian indikator sasaran strategis (perjanjian "
    "kinerja kepala instansi kepada Bupati) s.d. triwulan, tiap indikator dibatasi 100 % sebelum dirata-rata, "
    "sama dengan Beranda instansi itu. **Sangat Tinggi … Sangat Rendah**: jumlah indikator sasaran per kategori "
    "(≥ 91, ≥ 76, ≥ 66, ≥ 51, di bawahnya); **Belum ada data**: belum ada capaian. **Kelengkapan**: bagian bulan "
    "unit yang sudah diajukan (diajukan, diverifikasi atau disahkan) dari semua bulan unit pengisi s.d. akhir "
    "triwulan. **Penyerapan**: realisasi anggaran s.d. akhir triwulan dibagi pagu. **IKM** dan **Nilai AKIP**: "
    "nilai terakhir yang tercatat s.d. triwulan, dengan mutu pelayanan dan predikatnya. *Belum ada PK*: instansi "
    "itu belum punya perjanjian kinerja yang terbit tahun ini."
)

if (fig := grafik.capaian_per_instansi(hasil.instansi, periode)) is not None:
    st.plotly_chart(fig, width="stretch", key="kabupaten_grafik")

st.subheader(f"Capaian per sasaran strategis {periode}")
per_sasaran = hasil.sasaran[list(KOLOM_SASARAN)]
gaya_sasaran = tabel(per_sasaran, persen=("capaian",))
gaya_sasaran = gaya_sasaran.apply(lambda _: warna_kategori(per_sasaran["kategori"]), subset=["capaian"])
st.dataframe(gaya_sasaran, hide_index=True, width="stretch", placeholder="–", column_config=KOLOM_SASARAN,
             row_height=BARIS_TINGGI, height=min(tinggi(len(per_sasaran)), KEPALA + 8 * BARIS_TINGGI),
             key="kabupaten_sasaran")
st.caption("Satu baris per sasaran strategis tiap instansi: rata-rata capaian indikatornya (tiap indikator dibatasi "
           "100 %). Urutkan menurut **Capaian** untuk menemukan sasaran terlemah di seluruh kabupaten. Rincian satu "
           "instansi: pilih di **Instansi** di samping, lalu buka **Beranda**.")
